#!/usr/bin/env python3
"""Static check of docker-compose.yml (no Docker engine in CI): it parses, every service has an image or a
build context whose directory and Dockerfile exist, bind-mounted local paths exist, and depends_on names
existing services with a valid condition. Hardening rules on top:
- every image is pinned to an exact version (a tag with major.minor.patch, or a @sha256 digest; never
  :latest or no tag), in the compose file and in the FROM lines of the Dockerfiles it builds;
- every long-running service has a healthcheck; one-shot jobs say so with `restart: "no"` and publish no port;
- every depends_on waits for service_healthy, or for service_completed_successfully on a one-shot job;
- every published port is bound to loopback (127.0.0.1 or [::1]), never to all interfaces; no host network.
Prints every problem (service + reason) and exits 1 if any.

YAML comes from PyYAML when installed; otherwise from the npm package `yaml` (installed into .ci/node_modules
by .ci/check-deploy) converted to JSON by node, so the checks below exist once.
"""
import json
import os
import re
import subprocess
import sys

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
LOOPBACK = {"127.0.0.1", "::1", "[::1]", "localhost"}
# an exact version somewhere in the tag: 3.13.7-management, v2.53.0, 25.0.2_10-jre, 3.9.11-eclipse-temurin-25
EXACT_VERSION = re.compile(r"(^|[^0-9])v?[0-9]+\.[0-9]+\.[0-9]+")
# images whose releases are numbered major.minor (PostgreSQL 16.4 is an exact release)
TWO_PART_RELEASES = {"postgres": re.compile(r"^[0-9]+\.[0-9]+($|-)")}


def load_yaml(path):
    try:
        import yaml
    except ImportError:
        script = "const fs=require('fs');const Y=require('yaml');" \
                 "const d=Y.parseDocument(fs.readFileSync(process.argv[1],'utf8'));" \
                 "if(d.errors.length){console.error(String(d.errors[0]));process.exit(1)}" \
                 "process.stdout.write(JSON.stringify(d.toJS({maxAliasCount:-1})))"
        env = dict(os.environ, NODE_PATH=os.path.join(os.path.dirname(__file__), "node_modules"))
        r = subprocess.run(["node", "-e", script, path], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise ValueError(r.stderr.strip())
        return json.loads(r.stdout)
    with open(path, encoding="utf-8") as f:
        try:
            return yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise ValueError(str(e).replace("\n", " ")) from None


def image_problem(image):
    """Why an image reference is not pinned to an exact version, or None when it is."""
    image = str(image).strip()
    if "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"image '{image}' has no tag (means :latest): pin an exact version"
    tag = last.split(":", 1)[1]
    if tag == "latest":
        return f"image '{image}' uses :latest: pin an exact version"
    two_part = TWO_PART_RELEASES.get(image.split(":", 1)[0].removeprefix("docker.io/").removeprefix("library/"))
    if not EXACT_VERSION.search(tag) and not (two_part and two_part.search(tag)):
        return f"image '{image}' is not pinned to an exact version (major.minor.patch tag or @sha256 digest)"
    return None


def dockerfile_problems(path):
    """Unpinned base images in a Dockerfile's FROM lines (stage names and scratch excepted)."""
    problems, stages = [], set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            words = line.split()
            if len(words) < 2 or words[0].upper() != "FROM":
                continue
            args = [w for w in words[1:] if not w.startswith("--")]
            image = args[0]
            if len(args) >= 3 and args[1].upper() == "AS":
                stages.add(args[2])
            if image in stages or image == "scratch":
                continue
            why = image_problem(image)
            if why:
                problems.append(f"{os.path.basename(os.path.dirname(path)) or '.'}/{os.path.basename(path)}: base {why}")
    return problems


def is_one_shot(service):
    # PyYAML reads an unquoted `no` as False
    return (service or {}).get("restart") in ("no", False)


def port_problem(port):
    """Why a published port is reachable from other hosts, or None when it is bound to loopback."""
    if isinstance(port, dict):
        if port.get("published") is None:
            return None if port.get("host_ip") in LOOPBACK else f"port {port} is published on all interfaces (no host_ip)"
        host_ip = port.get("host_ip")
        return None if host_ip in LOOPBACK else f"port {port} has host_ip {host_ip!r}, not 127.0.0.1"
    text = str(port)
    if text.startswith("["):
        host_ip = text[:text.index("]") + 1]
    else:
        parts = text.split(":")
        host_ip = parts[0] if len(parts) == 3 else None
    if host_ip in LOOPBACK:
        return None
    return f"port '{text}' is published on all interfaces: bind it to 127.0.0.1 ('127.0.0.1:{text}')"


def healthcheck_problem(service):
    hc = service.get("healthcheck")
    if not isinstance(hc, dict) or hc.get("disable") is True:
        return "no healthcheck (long-running services need one; mark one-shot jobs with restart: \"no\")"
    test = hc.get("test")
    if not test or test == ["NONE"] or (isinstance(test, list) and test[0] not in ("CMD", "CMD-SHELL")):
        return f"healthcheck test {test!r} checks nothing (use [\"CMD\", ...] or [\"CMD-SHELL\", ...])"
    return None


def problems_in(compose, root):
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict) or not compose["services"]:
        return ["no 'services' mapping"]
    services = compose["services"]
    problems = []
    for name, s in services.items():
        s = s or {}
        build = s.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            ctx = os.path.normpath(os.path.join(root, context))
            if not os.path.isdir(ctx):
                problems.append(f"{name}: build context '{context}' is not a directory")
            elif not os.path.isfile(os.path.join(ctx, dockerfile)):
                problems.append(f"{name}: Dockerfile '{dockerfile}' not found in build context '{context}'")
            else:
                problems.extend(f"{name}: {p}" for p in dockerfile_problems(os.path.join(ctx, dockerfile)))
        elif not str(s.get("image") or "").strip():
            problems.append(f"{name}: neither 'image' nor 'build'")
        if str(s.get("image") or "").strip() and build is None:
            why = image_problem(s["image"])
            if why:
                problems.append(f"{name}: {why}")
        if is_one_shot(s):
            if s.get("ports"):
                problems.append(f"{name}: a one-shot job (restart: \"no\") publishes ports")
        else:
            why = healthcheck_problem(s)
            if why:
                problems.append(f"{name}: {why}")
        for port in s.get("ports") or []:
            why = port_problem(port)
            if why:
                problems.append(f"{name}: {why}")
        if s.get("network_mode") == "host":
            problems.append(f"{name}: network_mode host publishes every port on all interfaces")
        for v in s.get("volumes") or []:
            src = v.get("source", "") if isinstance(v, dict) else str(v).split(":")[0]
            if src.startswith((".", "/")) and not os.path.exists(os.path.join(root, src)):
                problems.append(f"{name}: mounted path '{src}' does not exist")
        deps = s.get("depends_on") or []
        for dep, spec in (deps.items() if isinstance(deps, dict) else ((d, None) for d in deps)):
            if dep not in services:
                problems.append(f"{name}: depends_on unknown service '{dep}'")
                continue
            condition = (spec or {}).get("condition")
            if condition is not None and condition not in CONDITIONS:
                problems.append(f"{name}: depends_on '{dep}' has unknown condition '{condition}'")
                continue
            wanted = "service_completed_successfully" if is_one_shot(services[dep]) else "service_healthy"
            if condition != wanted:
                problems.append(f"{name}: depends_on '{dep}' must wait for condition {wanted}"
                                f" (has {condition or 'none, i.e. service_started'})")
    return problems


def main(argv):
    path = argv[1] if len(argv) > 1 else "docker-compose.yml"
    try:
        compose = load_yaml(path)
    except (OSError, ValueError) as e:
        print(f"{path}: does not parse: {e}", file=sys.stderr)
        return 1
    problems = problems_in(compose, os.path.dirname(os.path.abspath(path)))
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: {len(compose['services'])} services: images pinned, healthchecks, depends_on on health or"
          " completion, ports on 127.0.0.1")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
