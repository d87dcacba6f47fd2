#!/usr/bin/env python3
"""Fails (exit 1) when a candidate model's metrics regress past thresholds compared with a baseline.

The candidate is the metrics.json that `training-runner train` writes ({"metrics": {"mae": ...}}). The
baseline is either another metrics.json (--baseline) or the text printed by `training-runner evaluate`
(--baseline-text, lines "  name value"). Thresholds are relative for --max-increase (mae=0.10: at most 10 %
worse) and absolute for --max-decrease (precision=0.05: at most 0.05 lower). Stdlib only.
"""
import argparse
import json
import sys


def parse_thresholds(text):
    out = {}
    for part in filter(None, (text or "").split(",")):
        name, _, value = part.partition("=")
        out[name.strip()] = float(value)
    return out


def read_metrics_json(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return data.get("metrics", data)


def read_evaluate_text(path):
    metrics = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and line.startswith("  "):
                try:
                    metrics[parts[0]] = float(parts[1])
                except ValueError:
                    pass
    return metrics


def regressions(candidate, baseline, max_increase, max_decrease):
    problems = []
    for name, allowed in max_increase.items():
        if name in candidate and name in baseline:
            limit = baseline[name] * (1 + allowed)
            if candidate[name] > limit:
                problems.append(f"{name} {candidate[name]:.4f} > {limit:.4f} (baseline {baseline[name]:.4f} + {allowed:.0%})")
    for name, allowed in max_decrease.items():
        if name in candidate and name in baseline:
            limit = baseline[name] - allowed
            if candidate[name] < limit:
                problems.append(f"{name} {candidate[name]:.4f} < {limit:.4f} (baseline {baseline[name]:.4f} - {allowed})")
    return problems


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--candidate", required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--baseline")
    g.add_argument("--baseline-text")
    p.add_argument("--max-increase", default="")
    p.add_argument("--max-decrease", default="")
    a = p.parse_args(argv)
    candidate = read_metrics_json(a.candidate)
    baseline = read_metrics_json(a.baseline) if a.baseline else read_evaluate_text(a.baseline_text)
    problems = regressions(candidate, baseline, parse_thresholds(a.max_increase), parse_thresholds(a.max_decrease))
    if problems:
        print("metric regression: " + "; ".join(problems), file=sys.stderr)
        return 1
    print("no regression: " + ", ".join(f"{k}={v:.4f}" for k, v in sorted(candidate.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
