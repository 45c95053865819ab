"""Fail when the code breaks one of the measures `make lint` enforces.

- no function or method above cyclomatic complexity 15 (radon's count), tests
  aside: radon counts every `assert` as a branch, so a thorough test scores
  high without a single `if`;
- no Python module over 500 lines (migrations excepted: Django writes them);
- no import cycle between modules, counting imports inside functions and
  excluding only `if TYPE_CHECKING:` blocks, which never run (grimp builds
  the graph, the same one import-linter checks its contracts on).

Usage: python scripts/check_code_measures.py [package ...]   (default: tribune)
Prints every offence, one a line, and exits 1 when there is any.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp
from radon.complexity import cc_visit
from radon.visitors import Function

MAX_COMPLEXITY = 15
MAX_LINES = 500
ROOT = Path(__file__).resolve().parent.parent


def python_files(package: str) -> Iterator[Path]:
    for path in sorted((ROOT / package.replace(".", "/")).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def complexity_offences(paths: Iterable[Path]) -> Iterator[str]:
    for path in paths:
        if "tests" in path.parts:
            continue
        # radon lists every function and method once as a Function (and each
        # class again with its methods summed, which is not a measure here).
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if isinstance(block, Function) and block.complexity > MAX_COMPLEXITY:
                yield (
                    f"{path.relative_to(ROOT)}:{block.lineno}: {block.fullname} has "
                    f"cyclomatic complexity {block.complexity} "
                    f"(at most {MAX_COMPLEXITY})"
                )


def length_offences(paths: Iterable[Path]) -> Iterator[str]:
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            yield (
                f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_LINES}); "
                "split it by what its parts are about"
            )


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a deep package would overflow recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def cycle_offences(packages: list[str]) -> Iterator[str]:
    graph = grimp.build_graph(
        *packages, cache_dir=None, exclude_type_checking_imports=True
    )
    edges = {
        module: set(graph.find_modules_directly_imported_by(module))
        for module in graph.modules
    }
    for component in strongly_connected(edges):
        members = set(component)
        lines = []
        for importer in component:
            for imported in sorted(edges[importer] & members):
                for detail in graph.get_import_details(
                    importer=importer, imported=imported
                ):
                    lines.append(
                        f"    {importer}:{detail['line_number']} imports {imported}"
                    )
        yield "import cycle between " + ", ".join(component) + "\n" + "\n".join(lines)


def main(argv: list[str]) -> int:
    packages = argv or ["tribune"]
    sys.path.insert(0, str(ROOT))
    paths = [path for package in packages for path in python_files(package)]
    offences = [
        *complexity_offences(paths),
        *length_offences(paths),
        *cycle_offences(packages),
    ]
    for offence in offences:
        print(offence)
    if offences:
        print(f"{len(offences)} offence(s) against the code measures", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
