import importlib.util
import json
import os
import tempfile
import unittest

spec = importlib.util.spec_from_file_location("compare_metrics", os.path.join(os.path.dirname(__file__), "compare-metrics.py"))
cm = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cm)


class CompareMetricsTest(unittest.TestCase):
    def write(self, content, suffix=".json"):
        f = tempfile.NamedTemporaryFile("w", suffix=suffix, delete=False)
        f.write(content)
        f.close()
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_passes_within_thresholds(self):
        cand = self.write(json.dumps({"metrics": {"mae": 10.5, "r2": 0.80}}))
        base = self.write(json.dumps({"metrics": {"mae": 10.0, "r2": 0.81}}))
        self.assertEqual(0, cm.main(["--candidate", cand, "--baseline", base, "--max-increase", "mae=0.10", "--max-decrease", "r2=0.02"]))

    def test_fails_when_mae_grows_past_the_relative_threshold(self):
        cand = self.write(json.dumps({"metrics": {"mae": 11.5}}))
        base = self.write(json.dumps({"metrics": {"mae": 10.0}}))
        self.assertEqual(1, cm.main(["--candidate", cand, "--baseline", base, "--max-increase", "mae=0.10"]))

    def test_fails_when_precision_drops_past_the_absolute_threshold_read_from_evaluate_output(self):
        cand = self.write(json.dumps({"metrics": {"precision": 0.80, "recall": 0.9}}))
        base = self.write("order-anomaly v1 on orders.csv\n  precision        0.900000\n  recall           0.900000\n", ".txt")
        self.assertEqual(1, cm.main(["--candidate", cand, "--baseline-text", base, "--max-decrease", "precision=0.05"]))
        self.assertEqual(0, cm.main(["--candidate", cand, "--baseline-text", base, "--max-decrease", "recall=0.05"]))


if __name__ == "__main__":
    unittest.main()
