"""Unit tests of the advisor image's HEALTHCHECK script (ai-advisor-service/docker/healthcheck.sh) with real
bash against a real HTTP server on loopback that answers /actuator/health/readiness like the service does
(200 UP, 503 DOWN). Run by .ci/check-deploy: python3 -m unittest discover -s .ci -p 'test_healthcheck.py'."""
import http.server
import os
import socket
import subprocess
import threading
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ai-advisor-service", "docker", "healthcheck.sh")


class Readiness(http.server.BaseHTTPRequestHandler):
    status = 200
    paths = []

    def do_GET(self):
        Readiness.paths.append(self.path)
        body = b'{"status":"UP"}' if Readiness.status == 200 else b'{"status":"OUT_OF_SERVICE"}'
        self.send_response(Readiness.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass   # the script hangs up after the status line: a reset while writing the body is expected


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HealthcheckScriptTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = QuietServer(("127.0.0.1", 0), Readiness)
        cls.port = cls.server.server_address[1]
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def run_check(self, **env):
        clean = {k: v for k, v in os.environ.items() if k not in ("MANAGEMENT_SERVER_PORT", "SERVER_PORT", "PORT")}
        return subprocess.run(["bash", SCRIPT], env={**clean, **env}, capture_output=True, text=True, timeout=20)

    def test_ready_service_is_healthy_and_the_readiness_group_is_asked(self):
        Readiness.status, Readiness.paths = 200, []
        r = self.run_check(MANAGEMENT_SERVER_PORT=str(self.port))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(Readiness.paths, ["/actuator/health/readiness"])

    def test_not_ready_service_is_unhealthy(self):
        Readiness.status = 503
        r = self.run_check(SERVER_PORT=str(self.port))
        self.assertEqual(r.returncode, 1)
        self.assertIn("503", r.stderr)

    def test_management_port_wins_over_the_server_port(self):
        Readiness.status = 200
        self.assertEqual(self.run_check(MANAGEMENT_SERVER_PORT=str(self.port), SERVER_PORT=str(free_port())).returncode, 0)
        self.assertNotEqual(self.run_check(MANAGEMENT_SERVER_PORT=str(free_port()), SERVER_PORT=str(self.port)).returncode, 0)
        self.assertEqual(self.run_check(PORT=str(self.port)).returncode, 0)

    def test_nothing_listening_is_unhealthy(self):
        self.assertNotEqual(self.run_check(MANAGEMENT_SERVER_PORT=str(free_port())).returncode, 0)


if __name__ == "__main__":
    unittest.main()
