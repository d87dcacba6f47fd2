#!/usr/bin/env python3
"""Licence report over the CycloneDX SBOMs the build writes (<module>/target/bom.json, `mvn package`), and the
GPL gate of .ci/check-deploy.

  python3 .ci/licence-report.py [--forbid-gpl MODULE]... [--out target/licence-report.md] MODULE...

For each module: licences by component count, the components that are GPL-only, those that offer GPL
among other licences (dual licensing: we take the other one), and those without licence data. Exits 1 when a
module named with --forbid-gpl has a GPL-only component, or an SBOM is missing.

Hand-written (about 100 lines) rather than a second licence resolver such as license-maven-plugin, so the
report and the gate read the very SBOMs the build ships and cannot disagree with them.
"""
import argparse
import collections
import json
import os
import re
import sys

# GPL and AGPL; not LGPL, and not GPL with the Classpath exception (linking allowed), which are weak copyleft
GPL = re.compile(r"(^|[^L])\bA?GPL|GENERAL PUBLIC LICEN[CS]E")
WEAK = re.compile(r"LGPL|LESSER|LIBRARY GENERAL|CLASSPATH")


def is_gpl(licence_text):
    text = licence_text.upper()
    return bool(GPL.search(text)) and not WEAK.search(text)


def licence_choices(component):
    """The licences a component may be used under (a POM's list of licences is a choice: dual licensing)."""
    choices = []
    for entry in component.get("licenses") or []:
        if "expression" in entry:
            choices.extend(c.strip(" ()") for c in re.split(r"\s+OR\s+", entry["expression"]))
        else:
            lic = entry.get("license", {})
            choices.append(lic.get("id") or lic.get("name") or lic.get("url") or "?")
    return choices


def classify(bom):
    """(licence -> count, GPL-only names, dual names with a GPL option, names without licence data)."""
    counts, gpl_only, dual, unknown = collections.Counter(), [], [], []
    for c in bom.get("components") or []:
        name = f"{c.get('group', '')}:{c.get('name')}:{c.get('version', '')}"
        choices = licence_choices(c)
        if not choices:
            unknown.append(name)
            counts["(none declared)"] += 1
            continue
        counts[" OR ".join(choices)] += 1
        gpl = [is_gpl(x) for x in choices]
        if all(gpl):
            gpl_only.append(f"{name} ({' OR '.join(choices)})")
        elif any(gpl):
            dual.append(f"{name} ({' OR '.join(choices)})")
    return counts, gpl_only, dual, unknown


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("modules", nargs="+")
    ap.add_argument("--forbid-gpl", action="append", default=[], metavar="MODULE")
    ap.add_argument("--out", default=None, help="also write the report (markdown) here")
    args = ap.parse_args(argv[1:])
    lines, failures = ["# Third-party licences by module (from the CycloneDX SBOMs)", ""], []
    for module in args.modules:
        path = os.path.join(module, "target", "bom.json")
        if not os.path.isfile(path):
            failures.append(f"{path} missing: build first (mvn -B package -DskipTests)")
            continue
        with open(path, encoding="utf-8") as f:
            counts, gpl_only, dual, unknown = classify(json.load(f))
        lines += [f"## {module}: {sum(counts.values())} components", "", "| licence | components |", "|---|---|"]
        lines += [f"| {lic} | {n} |" for lic, n in counts.most_common()]
        lines += ["", f"- GPL-only: {', '.join(gpl_only) or 'none'}",
                  f"- GPL offered beside another licence (we use the other): {', '.join(dual) or 'none'}",
                  f"- no licence declared: {', '.join(unknown) or 'none'}", ""]
        if module in args.forbid_gpl and gpl_only:
            failures.append(f"{module}: GPL-licensed component(s) in its SBOM: {', '.join(gpl_only)}")
    report = "\n".join(lines)
    print(report)
    if args.out:
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(report + "\n")
    for failure in failures:
        print(f"licence-report: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
