"""What `pip install .` (and so `make demo`) installs is enough to run every module newsgraph ships.

The test suite runs with the dev extras installed, so a runtime import of a package that only a dev
extra (or another package's dependencies) brings in passes every other test and fails on a user's machine:
`make demo` once stopped at the GEXF export because lxml was a dev extra.
"""

from __future__ import annotations

import ast
import importlib.metadata as metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("newsgraph", "ontology", "builder", "queries")


def _name(requirement: str) -> str:
    """The normalised distribution name of a requirement: ``"Foo_Bar[x]==1.0"`` → ``"foo-bar"``."""
    return re.sub(r"[-_.]+", "-", re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0]).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_name(r) for r in project["dependencies"]}


def _imported_top_level() -> dict[str, str]:
    """Top-level modules imported anywhere in the shipped packages → one file importing it."""
    found: dict[str, str] = {}
    for package in SHIPPED:
        for path in sorted((ROOT / package).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_of_the_shipped_code_is_a_declared_dependency() -> None:
    declared = _declared()
    distributions = metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imported_top_level().items()):
        if module in sys.stdlib_module_names or module in SHIPPED or module == "__future__":
            continue
        owners = {_name(d) for d in distributions.get(module, [])}
        assert owners, f"{where} imports {module!r}, which no installed distribution provides"
        if not owners & declared:
            missing.append(f"{module} (from {where}; distribution {' or '.join(sorted(owners))})")
    assert not missing, "imported by shipped code but not in [project] dependencies: " + "; ".join(missing)


def test_the_check_sees_a_dev_only_package() -> None:
    # the test above must be able to fail: pytest is installed (dev extra) but is no runtime dependency
    assert "pytest" in {_name(d) for d in metadata.packages_distributions()["pytest"]}
    assert "pytest" not in _declared()
