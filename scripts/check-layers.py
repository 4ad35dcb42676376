#!/usr/bin/env python3
"""What may import what (ARCHITECTURE.md, "Invariants"), checked on the sources.

- api: nothing outside `http` reaches into it, except the `threshold` commands (`cli`) and
  their settings, which start the server;
- api: a resource under `http/v1` imports no other resource, only `http/v1/common`;
  the rest of `http` imports no resource, except `app` and `openapi`, which register them;
- persistence: the modules' imports of each other form no cycle.

Prints each broken rule with its file and line, and exits 1 when there is one.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRATE_PATH = re.compile(r"\bcrate::([a-z_0-9]+(?:::[a-z_0-9]+)*)")
GROUP = re.compile(r"\buse crate::\{([^}]*)\}")
SUPER_SUPER = re.compile(r"\bsuper::super\b")


def references(path):
    """(line number, module path) for every `crate::...` path in a file, comments aside."""
    found = []
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        code = line.split("//", 1)[0]
        for match in CRATE_PATH.finditer(code):
            found.append((number, match.group(1)))
        for match in GROUP.finditer(code):
            for name in match.group(1).split(","):
                name = name.strip()
                if name:
                    found.append((number, name))
        if SUPER_SUPER.search(code):
            found.append((number, "super::super"))
    return found


def module_of(src, path):
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "mod":
        parts.pop()
    return parts


def check_api(problems):
    src = ROOT / "api" / "src"
    for path in sorted(src.rglob("*.rs")):
        module = module_of(src, path)
        for number, target in references(path):
            where = f"{path.relative_to(ROOT)}:{number}"
            if target == "super::super":
                problems.append(f"{where}: `super::super` reaches above its module; name the path")
                continue
            target = target.split("::")
            if module[0] not in ("http", "cli", "settings", "main", "lib") and target[0] == "http":
                problems.append(f"{where}: `{module[0]}` imports the HTTP layer ({'::'.join(target)})")
            if module[:2] == ["http", "v1"] and len(module) > 2 and target[:2] == ["http", "v1"]:
                own = module[2]
                other = target[2] if len(target) > 2 else None
                if other not in (own, "common"):
                    problems.append(f"{where}: resource `{own}` imports resource `{other}`")
            if (module[0] == "http" and module[1:2] != ["v1"] and module[1:2] not in (["app"], ["openapi"])
                    and target[:2] == ["http", "v1"] and target[2:3] != ["common"]):
                problems.append(f"{where}: `http::{module[1]}` imports a resource ({'::'.join(target)})")


def check_persistence(problems):
    src = ROOT / "persistence" / "src"
    graph = {}
    for path in sorted(src.rglob("*.rs")):
        module = module_of(src, path)
        if module == ["lib"]:
            continue
        top = module[0]
        for _, target in references(path):
            other = target.split("::")[0]
            if other != top:
                graph.setdefault(top, set()).add(other)
    state = {}

    def visit(node, trail):
        if state.get(node) == "done":
            return
        if state.get(node) == "open":
            cycle = trail[trail.index(node):] + [node]
            problems.append("persistence modules import each other in a circle: " + " -> ".join(cycle))
            return
        state[node] = "open"
        for other in sorted(graph.get(node, ())):
            visit(other, trail + [node])
        state[node] = "done"

    for node in sorted(graph):
        visit(node, [])


def main():
    problems = []
    check_api(problems)
    check_persistence(problems)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import(s) break ARCHITECTURE.md's invariants")
        return 1
    print("imports keep ARCHITECTURE.md's invariants")
    return 0


if __name__ == "__main__":
    sys.exit(main())
