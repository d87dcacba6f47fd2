"""Unit tests of .ci/check-compose.py: each hardening rule fails on the compose shape it exists to refuse and
passes on the shape docker-compose.yml uses. Run by .ci/check-deploy."""
import copy
import importlib.util
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("check_compose", os.path.join(HERE, "check-compose.py"))
cc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cc)

HEALTH = {"test": ["CMD", "true"], "interval": "5s"}
GOOD = {"services": {
    "db": {"image": "postgres:16.4", "ports": ["127.0.0.1:5432:5432"], "healthcheck": HEALTH},
    "s3": {"image": "andrewgaul/s3proxy:4.0.0", "healthcheck": HEALTH},
    "job": {"image": "amazon/aws-cli:2.17.0", "restart": "no",
            "depends_on": {"s3": {"condition": "service_healthy"}}},
    "app": {"image": "ghcr.io/shop/app@sha256:" + "a" * 64, "healthcheck": HEALTH,
            "ports": [{"target": 8080, "published": 8080, "host_ip": "127.0.0.1"}, "[::1]:8081:8081"],
            "depends_on": {"db": {"condition": "service_healthy"}, "job": {"condition": "service_completed_successfully"}}},
}}


def problems(mutate):
    compose = copy.deepcopy(GOOD)
    mutate(compose["services"])
    return cc.problems_in(compose, HERE)


class CheckComposeTest(unittest.TestCase):

    def test_the_hardened_shape_passes(self):
        self.assertEqual(problems(lambda s: None), [])

    def test_the_repository_compose_file_passes(self):
        root = os.path.dirname(HERE)
        self.assertEqual(cc.problems_in(cc.load_yaml(os.path.join(root, "docker-compose.yml")), root), [])

    def test_unpinned_images_fail(self):
        for image in ("redis", "redis:latest", "redis:7", "rabbitmq:3.13-management", "minio/minio:latest",
                      "registry:5000/team/img", "postgres:16"):
            with self.subTest(image=image):
                found = problems(lambda s: s["s3"].__setitem__("image", image))
                self.assertEqual(len(found), 1, found)
                self.assertIn(f"s3: image '{image}'", found[0])
        for image in ("rabbitmq:3.13.7-management", "prom/prometheus:v2.53.0", "registry:5000/team/img:1.2.3",
                      "eclipse-temurin:25.0.2_10-jre", "redis@sha256:" + "b" * 64):
            with self.subTest(image=image):
                self.assertEqual(problems(lambda s: s["s3"].__setitem__("image", image)), [])

    def test_a_dockerfile_with_a_floating_base_fails(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "Dockerfile"), "w") as f:
                f.write("FROM maven:3.9.11-eclipse-temurin-25 AS build\nFROM build AS test\n"
                        "FROM --platform=linux/amd64 eclipse-temurin:25-jre\n")
            found = problems(lambda s: s["app"].pop("image") and s["app"].__setitem__("build", d))
        self.assertEqual(len(found), 1, found)
        self.assertIn("eclipse-temurin:25-jre", found[0])

    def test_a_service_without_healthcheck_fails_unless_it_is_a_one_shot_job(self):
        self.assertIn("db: no healthcheck", problems(lambda s: s["db"].pop("healthcheck"))[0])
        self.assertIn("db: no healthcheck", problems(lambda s: s["db"].__setitem__("healthcheck", {"disable": True}))[0])
        self.assertIn("checks nothing", problems(lambda s: s["db"].__setitem__("healthcheck", {"test": ["NONE"]}))[0])
        self.assertIn("one-shot job", problems(lambda s: s["job"].__setitem__("ports", ["127.0.0.1:1:1"]))[0])

    def test_ports_on_all_interfaces_fail(self):
        for port in ("5432:5432", "5432", "0.0.0.0:5432:5432", {"target": 5432, "published": 5432}):
            with self.subTest(port=port):
                found = problems(lambda s: s["db"].__setitem__("ports", [port]))
                self.assertEqual(len(found), 1, found)
                self.assertIn("db: port", found[0])
        self.assertIn("network_mode host", problems(lambda s: s["db"].__setitem__("network_mode", "host"))[0])

    def test_depends_on_must_wait_for_health_or_completion(self):
        found = problems(lambda s: s["app"].__setitem__("depends_on", ["db"]))
        self.assertIn("app: depends_on 'db' must wait for condition service_healthy", found[0])
        found = problems(lambda s: s["app"]["depends_on"].__setitem__("db", {"condition": "service_started"}))
        self.assertIn("service_healthy (has service_started)", found[0])
        found = problems(lambda s: s["app"]["depends_on"].__setitem__("job", {"condition": "service_healthy"}))
        self.assertIn("'job' must wait for condition service_completed_successfully", found[0])


if __name__ == "__main__":
    unittest.main()
