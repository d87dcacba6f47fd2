"""Unit tests of .ci/compare-metrics.py (run by .ci/check-deploy: python3 -m unittest discover -s .ci)."""
import contextlib
import importlib.util
import io
import json
import os
import tempfile
import unittest

spec = importlib.util.spec_from_file_location("compare_metrics", os.path.join(os.path.dirname(__file__), "compare-metrics.py"))
cm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cm)

EVALUATE_OUTPUT = "order-anomaly v1 on orders.csv\n  precision        0.900000\n  recall           0.900000\n  rows             1000.000000\n"


class CompareMetricsTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def write(self, name, content):
        path = os.path.join(self.dir.name, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        return path

    def run_main(self, *args):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cm.main(list(args))
        return code, out.getvalue(), err.getvalue()

    def test_passes_within_thresholds(self):
        cand = self.write("c.json", {"model": "demand-forecast", "metrics": {"mae": 10.5, "r2": 0.80}})
        base = self.write("b.json", {"metrics": {"mae": 10.0, "r2": 0.81}})
        code, out, _ = self.run_main("--candidate", cand, "--baseline", base, "--max-increase", "mae=0.10", "--max-decrease", "r2=0.02")
        self.assertEqual(0, code)
        self.assertIn("mae 10.5000 (baseline 10.0000)", out)

    def test_fails_when_mae_grows_past_the_relative_threshold(self):
        cand = self.write("c.json", {"metrics": {"mae": 11.5}})
        base = self.write("b.json", {"metrics": {"mae": 10.0}})
        code, _, err = self.run_main("--candidate", cand, "--baseline", base, "--max-increase", "mae=0.10")
        self.assertEqual(1, code)
        self.assertIn("mae 11.5000 > 11.0000 (baseline 10.0000 + 10%)", err)

    def test_fails_when_precision_drops_past_the_absolute_threshold_read_from_evaluate_output(self):
        cand = self.write("c.json", {"metrics": {"precision": 0.80, "recall": 0.9}})
        base = self.write("b.txt", EVALUATE_OUTPUT)
        code, _, err = self.run_main("--candidate", cand, "--baseline", base, "--max-decrease", "precision=0.05")
        self.assertEqual(1, code)
        self.assertIn("precision 0.8000 < 0.8500", err)
        self.assertEqual(0, self.run_main("--candidate", cand, "--baseline", base, "--max-decrease", "recall=0.05")[0])

    def test_both_sides_may_be_evaluate_output(self):
        cand = self.write("c.txt", EVALUATE_OUTPUT.replace("0.900000", "0.880000", 1))
        base = self.write("b.txt", EVALUATE_OUTPUT)
        self.assertEqual(0, self.run_main("--candidate", cand, "--baseline", base, "--max-decrease", "precision=0.05")[0])
        self.assertEqual(1, self.run_main("--candidate", cand, "--baseline", base, "--max-decrease", "precision=0.01")[0])

    def test_absent_baseline_is_the_first_run_and_passes(self):
        cand = self.write("c.json", {"metrics": {"mae": 99.0}})
        code, out, _ = self.run_main("--candidate", cand, "--baseline", os.path.join(self.dir.name, "none.json"), "--max-increase", "mae=0.10")
        self.assertEqual(0, code)
        self.assertIn("nothing to compare", out)

    def test_metric_missing_from_candidate_is_a_regression_not_a_skip(self):
        cand = self.write("c.json", {"metrics": {"mae": 1.0}})
        base = self.write("b.json", {"metrics": {"mae": 1.0, "r2": 0.9}})
        code, _, err = self.run_main("--candidate", cand, "--baseline", base, "--max-increase", "mae=0.1", "--max-decrease", "r2=0.02")
        self.assertEqual(1, code)
        self.assertIn("r2 missing from the candidate", err)

    def test_bad_threshold_is_reported_in_one_line(self):
        cand = self.write("c.json", {"metrics": {"mae": 1.0}})
        code, _, err = self.run_main("--candidate", cand, "--baseline", cand, "--max-increase", "mae")
        self.assertEqual(2, code)
        self.assertEqual("compare-metrics: --max-increase: 'mae' is not name=value (e.g. mae=0.10)", err.strip())
        code, _, err = self.run_main("--candidate", cand, "--baseline", cand, "--max-decrease", "r2=lots")
        self.assertEqual(2, code)
        self.assertIn("threshold of 'r2' is not a number: 'lots'", err)

    def test_unreadable_candidate_and_invalid_json_name_the_file(self):
        missing = os.path.join(self.dir.name, "missing.json")
        code, _, err = self.run_main("--candidate", missing, "--baseline", missing, "--max-increase", "mae=0.1")
        self.assertEqual(2, code)
        self.assertIn(missing + ": cannot read", err)
        broken = self.write("broken.json", '{"metrics": {"mae": }')
        code, _, err = self.run_main("--candidate", broken, "--baseline", broken, "--max-increase", "mae=0.1")
        self.assertEqual(2, code)
        self.assertIn(broken + ": invalid JSON at line 1", err)

    def test_thresholds_on_metrics_the_baseline_lacks_are_an_error(self):
        cand = self.write("c.json", {"metrics": {"mae": 1.0}})
        code, _, err = self.run_main("--candidate", cand, "--baseline", cand, "--max-decrease", "precision=0.05")
        self.assertEqual(2, code)
        self.assertIn("none of the thresholded metrics is in the baseline", err)


if __name__ == "__main__":
    unittest.main()
