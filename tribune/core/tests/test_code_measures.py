"""scripts/check_code_measures.py (run by `make lint`) finds each kind of offence."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "check_code_measures.py"


@pytest.fixture(scope="module")
def measures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_code_measures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _branchy(n: int) -> str:
    lines = ["def branchy(x):"]
    lines += [f"    if x == {i}:\n        return {i}" for i in range(n)]
    lines.append("    return -1\n")
    return "\n".join(lines)


def test_a_function_above_fifteen_is_reported_and_fifteen_is_not(
    measures: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(measures, "ROOT", tmp_path)
    (tmp_path / "ok.py").write_text(_branchy(14))  # 1 + 14 branches = 15
    (tmp_path / "tangled.py").write_text(_branchy(15))
    offences = list(measures.complexity_offences(sorted(tmp_path.glob("*.py"))))
    assert offences == [
        "tangled.py:1: branchy has cyclomatic complexity 16 (at most 15)"
    ]


def test_a_module_over_five_hundred_lines_is_reported(
    measures: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(measures, "ROOT", tmp_path)
    (tmp_path / "short.py").write_text("x = 1\n" * 500)
    (tmp_path / "long.py").write_text("x = 1\n" * 501)
    offences = list(measures.length_offences(sorted(tmp_path.glob("*.py"))))
    assert len(offences) == 1
    assert offences[0].startswith("long.py: 501 lines")


def test_a_cycle_hidden_inside_a_function_is_found_and_type_checking_is_not(
    measures: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "measured_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text(
        "def context():\n    from measured_pkg import selectors\n\n"
        "    return selectors\n"
    )
    (package / "selectors.py").write_text("from measured_pkg import models\n")
    (package / "typed.py").write_text(
        "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
        "    from measured_pkg import annotated\n"
    )
    (package / "annotated.py").write_text("from measured_pkg import typed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    offences = list(measures.cycle_offences(["measured_pkg"]))
    sys.modules.pop("measured_pkg", None)
    assert len(offences) == 1
    assert offences[0].splitlines() == [
        "import cycle between measured_pkg.models, measured_pkg.selectors",
        "    measured_pkg.models:2 imports measured_pkg.selectors",
        "    measured_pkg.selectors:1 imports measured_pkg.models",
    ]


def test_strongly_connected_components(measures: ModuleType) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e"}}
    assert measures.strongly_connected(graph) == [["a", "b", "c"]]
