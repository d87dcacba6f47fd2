"""Unit tests of .ci/licence-report.py: GPL-only components fail a module named with --forbid-gpl; dual
licences with a non-GPL choice, LGPL and GPL with the Classpath exception do not. Run by .ci/check-deploy."""
import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("licence_report", os.path.join(HERE, "licence-report.py"))
lr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lr)


def component(name, *licences, expression=None):
    entries = [{"license": ({"id": l} if "-" in l and " " not in l else {"name": l})} for l in licences]
    if expression:
        entries.append({"expression": expression})
    return {"group": "g", "name": name, "version": "1", "licenses": entries}


SMILE = component("smile-core", "GPL-3.0-only")
FINE = [component("spring", "Apache-2.0"), component("amqp", "AL 2.0", "GPL v2", "MPL-2.0"),
        component("annotation", "EPL-2.0", "GPL-2.0-with-classpath-exception"),
        component("logback", "EPL-2.0", "LGPL-2.1-only"), component("jdk-ish", expression="GPL-2.0-only WITH Classpath-exception-2.0"),
        component("lesser", "GNU Lesser General Public License")]


class LicenceReportTest(unittest.TestCase):

    def test_classification(self):
        for text in ("GPL-3.0-only", "GPL v2", "AGPL-3.0-or-later", "GNU General Public License, version 3"):
            self.assertTrue(lr.is_gpl(text), text)
        for text in ("LGPL-2.1-only", "GPL-2.0-with-classpath-exception", "GNU Lesser General Public License",
                     "Apache-2.0", "EPL-2.0", "MPL-2.0"):
            self.assertFalse(lr.is_gpl(text), text)
        _, gpl_only, dual, unknown = lr.classify({"components": FINE + [SMILE, {"group": "g", "name": "bare"},
                                                                        component("x", expression="MIT OR GPL-3.0-only")]})
        self.assertEqual(gpl_only, ["g:smile-core:1 (GPL-3.0-only)"])
        self.assertEqual([d.split(" ")[0] for d in dual], ["g:amqp:1", "g:x:1"])
        self.assertEqual(unknown, ["g:bare:"])

    def run_report(self, components, *flags):
        with tempfile.TemporaryDirectory() as root:
            os.makedirs(os.path.join(root, "svc", "target"))
            with open(os.path.join(root, "svc", "target", "bom.json"), "w") as f:
                json.dump({"components": components}, f)
            cwd = os.getcwd()
            os.chdir(root)
            err = io.StringIO()
            try:
                with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                    return lr.main(["licence-report.py", *flags, "svc"]), err.getvalue()
            finally:
                os.chdir(cwd)

    def test_gate_fails_on_gpl_in_a_forbidden_module_only(self):
        code, err = self.run_report(FINE + [SMILE], "--forbid-gpl", "svc")
        self.assertEqual(code, 1)
        self.assertIn("svc: GPL-licensed component(s) in its SBOM: g:smile-core:1", err)
        self.assertEqual(self.run_report(FINE + [SMILE])[0], 0)
        self.assertEqual(self.run_report(FINE, "--forbid-gpl", "svc")[0], 0)

    def test_a_missing_sbom_fails(self):
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            self.assertEqual(lr.main(["licence-report.py", "--forbid-gpl", "nowhere", "nowhere"]), 1)
        self.assertIn("nowhere/target/bom.json missing", err.getvalue())


if __name__ == "__main__":
    unittest.main()
