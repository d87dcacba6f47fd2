"""Unit tests of the Spark jobs' launcher (spark-jobs/bin/spark-jobs): which JDK it picks and which JVM options it passes
(Spark 4.2 on JDK 25 needs its --add-opens list). The launcher runs for real (bash) in a copy of its directory layout;
the JDKs are stand-ins (a `release` file and a `bin/java` script that records its arguments). Run by .ci/check-deploy."""
import os
import re
import unittest

from launcher_fixture import ROOT, LauncherFixture

LAUNCHER = os.path.join(ROOT, "spark-jobs", "bin", "spark-jobs")
POM = os.path.join(ROOT, "spark-jobs", "pom.xml")


class SparkLauncherTest(LauncherFixture):
    MODULE = "spark-jobs"

    def call(self):
        calls = self.calls()
        self.assertEqual(len(calls), 1)
        return calls[0]

    def test_runs_the_cli_with_the_opens_spark_needs_and_the_arguments_last(self):
        r = self.run_launcher("score", "--master", "local[2]", java_home=self.jdk("jdk25", "25.0.3"), java_opts="-Xmx3g")
        self.assertEqual(r.returncode, 0, r.stderr)
        call = self.call()
        self.assertIn("--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", call)
        self.assertIn("--add-opens=java.base/java.nio=ALL-UNNAMED", call)
        self.assertNotIn("--add-opens=java.base/sun.security.action=ALL-UNNAMED", call)  # gone in JDK 25: a warning
        self.assertLess(call.index("--add-opens=java.base/java.lang=ALL-UNNAMED"), call.index("-Xmx3g"))
        self.assertEqual(call[call.index("com.orderintel.spark.SparkJobs") + 1:], ["score", "--master", "local[2]"])

    def test_the_launcher_and_the_tests_use_the_same_opens(self):
        with open(LAUNCHER) as f:
            launcher = set(re.findall(r"--add-opens=[\w./]+=ALL-UNNAMED", f.read()))
        with open(POM) as f:
            pom = f.read()
        tests = set(re.findall(r"--add-opens=[\w./]+=ALL-UNNAMED", pom.split("<spark.opens>")[1].split("</spark.opens>")[0]))
        self.assertTrue(launcher)
        self.assertEqual(launcher, tests)

    def test_an_older_java_home_is_refused_with_a_clear_message(self):
        r = self.run_launcher("score", java_home=self.jdk("jdk21", "21.0.5"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a JDK 25 or newer", r.stderr)
        self.assertFalse(os.path.exists(self.args_file))

    def test_a_missing_build_is_named(self):
        os.remove(os.path.join(self.tmp, "spark-jobs", "target", "spark-jobs-0.1.0-SNAPSHOT.jar"))
        r = self.run_launcher("score", java_home=self.jdk("jdk25", "25.0.3"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("build first", r.stderr)


if __name__ == "__main__":
    unittest.main()
