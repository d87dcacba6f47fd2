#!/usr/bin/env python3
"""Fails (exit 1) when a candidate model's metrics regress past thresholds compared with a baseline.

Either file may be the metrics.json that `training-runner train` writes ({"metrics": {"mae": ...}}) or the
text `training-runner evaluate` prints (a header line, then lines "  name value"); the format is detected.
A missing baseline file means there is no production model yet (first run): nothing to compare, exit 0.

Thresholds: --max-increase is relative (mae=0.10: candidate at most 10 % above the baseline), for metrics
where lower is better; --max-decrease is absolute (precision=0.05: at most 0.05 below), for metrics where
higher is better. A thresholded metric the baseline has but the candidate lacks is an error, so a renamed
metric cannot silently switch the gate off. Exit codes: 0 ok, 1 regression, 2 bad input.
Stdlib only: CI runs it before anything is installed.
"""
import argparse
import json
import math
import os
import sys


class InputError(Exception):
    """Bad arguments or unreadable files: reported as one line, exit 2."""


def parse_thresholds(text, option):
    out = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, sep, value = part.partition("=")
        if not sep or not name.strip():
            raise InputError(f"{option}: '{part}' is not name=value (e.g. mae=0.10)")
        try:
            limit = float(value)
        except ValueError:
            raise InputError(f"{option}: threshold of '{name.strip()}' is not a number: '{value}'") from None
        if not math.isfinite(limit) or limit < 0:
            raise InputError(f"{option}: threshold of '{name.strip()}' must be a finite number >= 0, got {value}")
        out[name.strip()] = limit
    return out


def read_metrics(path):
    """Metrics from a metrics.json or from `evaluate` output, as {name: float}."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror})") from None
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"{path}: invalid JSON at line {e.lineno}: {e.msg}") from None
        metrics = data.get("metrics", data)
        if not isinstance(metrics, dict):
            raise InputError(f"{path}: 'metrics' is not an object")
        out = {}
        for name, value in metrics.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                out[name] = float(value)
    else:
        out = {}
        for line in text.splitlines():
            parts = line.split()
            if line.startswith("  ") and len(parts) == 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    pass
    if not out:
        raise InputError(f"{path}: no metrics found (expected metrics.json or `training-runner evaluate` output)")
    return out


def regressions(candidate, baseline, max_increase, max_decrease):
    """One message per metric that is worse than its threshold allows."""
    problems = []
    for name, allowed in max_increase.items():
        if name not in baseline:
            continue
        if name not in candidate:
            problems.append(f"{name} missing from the candidate (baseline has {baseline[name]:.4f})")
            continue
        limit = baseline[name] * (1 + allowed)
        if candidate[name] > limit:
            problems.append(f"{name} {candidate[name]:.4f} > {limit:.4f} (baseline {baseline[name]:.4f} + {allowed:.0%})")
    for name, allowed in max_decrease.items():
        if name not in baseline:
            continue
        if name not in candidate:
            problems.append(f"{name} missing from the candidate (baseline has {baseline[name]:.4f})")
            continue
        limit = baseline[name] - allowed
        if candidate[name] < limit:
            problems.append(f"{name} {candidate[name]:.4f} < {limit:.4f} (baseline {baseline[name]:.4f} - {allowed})")
    return problems


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--candidate", required=True, help="metrics.json or evaluate output of the new model")
    p.add_argument("--baseline", required=True, help="same for the production model; absent = first run")
    p.add_argument("--max-increase", default="", help="relative, lower-is-better metrics: mae=0.10,rmse=0.10")
    p.add_argument("--max-decrease", default="", help="absolute, higher-is-better metrics: precision=0.05,r2=0.02")
    a = p.parse_args(argv)
    try:
        max_increase = parse_thresholds(a.max_increase, "--max-increase")
        max_decrease = parse_thresholds(a.max_decrease, "--max-decrease")
        if not max_increase and not max_decrease:
            raise InputError("no thresholds: give --max-increase and/or --max-decrease")
        candidate = read_metrics(a.candidate)
        if not os.path.exists(a.baseline):
            print(f"no baseline at {a.baseline} (no production model yet): nothing to compare")
            return 0
        baseline = read_metrics(a.baseline)
    except InputError as e:
        print(f"compare-metrics: {e}", file=sys.stderr)
        return 2
    compared = sorted(n for n in {**max_increase, **max_decrease} if n in baseline)
    if not compared:
        print(f"compare-metrics: none of the thresholded metrics is in the baseline {a.baseline} "
              f"(it has {', '.join(sorted(baseline))})", file=sys.stderr)
        return 2
    problems = regressions(candidate, baseline, max_increase, max_decrease)
    if problems:
        print(f"metric regression against {a.baseline}: " + "; ".join(problems), file=sys.stderr)
        return 1
    print("no regression: " + ", ".join(f"{n} {candidate[n]:.4f} (baseline {baseline[n]:.4f})" for n in compared))
    return 0


if __name__ == "__main__":
    sys.exit(main())
