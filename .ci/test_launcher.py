"""Unit tests of the training runner's launcher (training-runner/bin/training-runner): which JDK it picks and which
JVM options it passes. The launcher runs for real (bash) in a copy of its directory layout; the JDKs are stand-ins
(a `release` file and a `bin/java` script that records its arguments), because what is tested is the script's
choice of JDK and options, not the JVM. Run by .ci/check-deploy: python3 -m unittest discover -s .ci -p 'test_launcher.py'."""
import os
import re
import unittest

from launcher_fixture import ROOT, LauncherFixture

THP = "/sys/kernel/mm/transparent_hugepage/enabled"


class LauncherTest(LauncherFixture):
    MODULE = "training-runner"

    def run_launcher(self, *args, **kwargs):
        kwargs.setdefault("env_extra", {"TRAINING_RUNNER_AOT": os.path.join(self.tmp, "cache.aot")})
        return super().run_launcher(*args, **kwargs)

    def command_call(self):
        """The JVM call that runs the command (the one before it, if any, builds the AOT cache)."""
        calls = self.calls()
        self.assertTrue(calls, "the launcher started no JVM")
        self.assertIn("-jar", calls[-1])
        return calls[-1]

    def test_short_command_runs_on_c1_without_replaying_the_cache_profiles(self):
        r = self.run_launcher("train", "demand", "--data", "d.csv", java_home=self.jdk("jdk25", "25.0.3"))
        self.assertEqual(r.returncode, 0, r.stderr)
        call = self.command_call()
        self.assertIn("-XX:TieredStopAtLevel=1", call)
        self.assertIn("-XX:-AOTReplayTraining", call)
        self.assertLess(call.index("-XX:+UnlockDiagnosticVMOptions"), call.index("-XX:-AOTReplayTraining"))
        self.assertEqual(call[call.index("-jar") + 2:], ["train", "demand", "--data", "d.csv"])

    def test_long_commands_keep_the_tiered_compiler_and_the_replay(self):
        jdk = self.jdk("jdk25", "25.0.3")
        for args in (["infer", "x"], ["dataset", "export"], ["retrain", "--from-manifest", "m"]):
            open(self.args_file, "w").close()
            r = self.run_launcher(*args, java_home=jdk)
            self.assertEqual(r.returncode, 0, r.stderr)
            call = self.command_call()
            self.assertNotIn("-XX:TieredStopAtLevel=1", call, args)
            self.assertNotIn("-XX:-AOTReplayTraining", call, args)

    def test_huge_pages_requested_exactly_when_the_kernel_offers_them(self):
        r = self.run_launcher("list", java_home=self.jdk("jdk25", "25.0.3"))
        self.assertEqual(r.returncode, 0, r.stderr)
        offered = False
        if os.path.exists(THP):
            with open(THP) as f:
                offered = re.search(r"\[(madvise|always)\]", f.read()) is not None
        self.assertEqual("-XX:+UseTransparentHugePages" in self.command_call(), offered)

    def test_java_opts_come_last_so_they_win(self):
        r = self.run_launcher("train", "anomaly", java_home=self.jdk("jdk25", "25.0.3"), java_opts="-XX:TieredStopAtLevel=4")
        self.assertEqual(r.returncode, 0, r.stderr)
        call = self.command_call()
        self.assertGreater(call.index("-XX:TieredStopAtLevel=4"), call.index("-XX:TieredStopAtLevel=1"))

    def test_an_older_java_home_is_refused_with_a_clear_message(self):
        r = self.run_launcher("list", java_home=self.jdk("jdk17", "17.0.12"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("is not a JDK 25 or newer (found version '17')", r.stderr)
        self.assertFalse(os.path.exists(self.args_file), "no JVM may be started")

    def test_a_java_home_without_a_jdk_is_refused(self):
        r = self.run_launcher("list", java_home=os.path.join(self.tmp, "missing"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("training-runner needs JDK 25", r.stderr)

    def test_without_java_home_the_default_java_is_used_when_it_is_25(self):
        jdk = self.jdk("default25", "25.0.1")
        r = self.run_launcher("list", path_first=jdk)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(self.calls(), "the default java was not used")


if __name__ == "__main__":
    unittest.main()
