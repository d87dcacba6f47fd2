#!/usr/bin/env python3
"""Static check of docker-compose.yml (no Docker engine in CI): it parses, every service has an image or a
build context whose directory and Dockerfile exist, bind-mounted local paths exist, and depends_on names
existing services with a valid condition. Prints every problem (service + reason) and exits 1 if any.

YAML comes from PyYAML when installed; otherwise from the npm package `yaml` (installed into .ci/node_modules
by .ci/check-deploy) converted to JSON by node, so the checks below exist once.
"""
import json
import os
import subprocess
import sys

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


def load_yaml(path):
    try:
        import yaml
    except ImportError:
        script = "const fs=require('fs');const Y=require('yaml');" \
                 "const d=Y.parseDocument(fs.readFileSync(process.argv[1],'utf8'));" \
                 "if(d.errors.length){console.error(String(d.errors[0]));process.exit(1)}" \
                 "process.stdout.write(JSON.stringify(d.toJS({maxAliasCount:-1})))"
        env = dict(os.environ, NODE_PATH=os.path.join(os.path.dirname(__file__), "node_modules"))
        r = subprocess.run(["node", "-e", script, path], capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise ValueError(r.stderr.strip())
        return json.loads(r.stdout)
    with open(path, encoding="utf-8") as f:
        try:
            return yaml.safe_load(f)
        except yaml.YAMLError as e:
            raise ValueError(str(e).replace("\n", " ")) from None


def problems_in(compose, root):
    if not isinstance(compose, dict) or not isinstance(compose.get("services"), dict) or not compose["services"]:
        return ["no 'services' mapping"]
    services = compose["services"]
    problems = []
    for name, s in services.items():
        s = s or {}
        build = s.get("build")
        if build is not None:
            context = build if isinstance(build, str) else build.get("context", ".")
            dockerfile = "Dockerfile" if isinstance(build, str) else build.get("dockerfile", "Dockerfile")
            ctx = os.path.normpath(os.path.join(root, context))
            if not os.path.isdir(ctx):
                problems.append(f"{name}: build context '{context}' is not a directory")
            elif not os.path.isfile(os.path.join(ctx, dockerfile)):
                problems.append(f"{name}: Dockerfile '{dockerfile}' not found in build context '{context}'")
        elif not str(s.get("image") or "").strip():
            problems.append(f"{name}: neither 'image' nor 'build'")
        for v in s.get("volumes") or []:
            src = v.get("source", "") if isinstance(v, dict) else str(v).split(":")[0]
            if src.startswith((".", "/")) and not os.path.exists(os.path.join(root, src)):
                problems.append(f"{name}: mounted path '{src}' does not exist")
        deps = s.get("depends_on") or []
        for dep, spec in (deps.items() if isinstance(deps, dict) else ((d, None) for d in deps)):
            if dep not in services:
                problems.append(f"{name}: depends_on unknown service '{dep}'")
            condition = (spec or {}).get("condition")
            if condition is not None and condition not in CONDITIONS:
                problems.append(f"{name}: depends_on '{dep}' has unknown condition '{condition}'")
    return problems


def main(argv):
    path = argv[1] if len(argv) > 1 else "docker-compose.yml"
    try:
        compose = load_yaml(path)
    except (OSError, ValueError) as e:
        print(f"{path}: does not parse: {e}", file=sys.stderr)
        return 1
    problems = problems_in(compose, os.path.dirname(os.path.abspath(path)))
    for p in problems:
        print(f"{path}: {p}", file=sys.stderr)
    if problems:
        return 1
    print(f"{path}: {len(compose['services'])} services, each with an image or an existing build context")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
