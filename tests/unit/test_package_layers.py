"""The packages of app/ depend one way: a pair that imports each other is a cycle to break.

Read from the source with ast (imports inside functions count too), so a new import that closes a
cycle fails here rather than in a review.
"""

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"

# The pairs issue 17 untangled: auth sits on forces (users belong to forces and teams), features
# publish events that metrics subscribes to, and the demo data sits on top of everything.
MUST_NOT_IMPORT = [
    ("forces", "auth"),
    ("auth", "assignments"),
    ("assessments", "metrics"),
    ("certificates", "metrics"),
    ("content", "metrics"),
    ("courses", "metrics"),
    ("metrics", "demo"),
    ("mail", "assignments"),
]


def package_imports() -> dict[str, set[str]]:
    """For each package of app/, the other packages of app/ it imports."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if len(parts) < 2:
            continue
        source = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                names = module.split(".")
                if names[0] == "app" and len(names) > 1 and (APP / names[1]).is_dir():
                    if names[1] != source:
                        edges[source].add(names[1])
    return edges


def test_the_reader_sees_real_imports():
    edges = package_imports()
    assert "forces" in edges["auth"]  # users belong to forces: the way it should go
    assert "events" not in edges  # a module, not a package


def test_untangled_packages_stay_one_way():
    edges = package_imports()
    offending = [(a, b) for a, b in MUST_NOT_IMPORT if b in edges.get(a, set())]
    assert offending == []
