"""What the launcher tests share: a copy of a module's launcher in its directory layout, stand-in JDKs (a `release`
file and a `bin/java` script that records its arguments, one call per line, separated by a unit separator) and a
run of the real launcher (bash) with a clean JAVA_HOME / JAVA_OPTS. What is tested is the script's choice of JDK and
options, not the JVM."""
import os
import shutil
import subprocess
import tempfile
import unittest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")

FAKE_JAVA = """#!/usr/bin/env bash
# stand-in JVM: records one call per line (arguments separated by a unit separator) and succeeds
(IFS=$'\\x1f'; echo "$*") >> "$ARGS_FILE"
"""


class LauncherFixture(unittest.TestCase):
    MODULE = None  # e.g. "training-runner": the launcher is <module>/bin/<module>, the jar <module>-0.1.0-SNAPSHOT.jar

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix=self.MODULE + "-launcher-test-")
        home = os.path.join(self.tmp, self.MODULE)
        os.makedirs(os.path.join(home, "bin"))
        os.makedirs(os.path.join(home, "target", "lib"))
        self.launcher = os.path.join(home, "bin", self.MODULE)
        shutil.copy(os.path.join(ROOT, self.MODULE, "bin", self.MODULE), self.launcher)
        open(os.path.join(home, "target", self.MODULE + "-0.1.0-SNAPSHOT.jar"), "w").close()
        self.args_file = os.path.join(self.tmp, "args")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def jdk(self, name, version):
        d = os.path.join(self.tmp, name)
        os.makedirs(os.path.join(d, "bin"))
        with open(os.path.join(d, "release"), "w") as f:
            f.write('IMPLEMENTOR="test"\nJAVA_VERSION="%s"\n' % version)
        java = os.path.join(d, "bin", "java")
        with open(java, "w") as f:
            f.write(FAKE_JAVA)
        os.chmod(java, 0o755)
        return d

    def run_launcher(self, *args, java_home=None, path_first=None, java_opts=None, env_extra=None):
        env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME", "JAVA_OPTS")}
        env["ARGS_FILE"] = self.args_file
        env.update(env_extra or {})
        if java_home:
            env["JAVA_HOME"] = java_home
        if path_first:
            env["PATH"] = os.path.join(path_first, "bin") + os.pathsep + env["PATH"]
        if java_opts:
            env["JAVA_OPTS"] = java_opts
        return subprocess.run(["bash", self.launcher, *args], env=env, capture_output=True, text=True, timeout=30)

    def calls(self):
        with open(self.args_file) as f:
            return [line.rstrip("\n").split("\x1f") for line in f]
