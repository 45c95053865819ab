"""Where the shared import fixtures live: `../shared/data/` beside the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest


def shared_data(*parts: str) -> Path:
    """A file under the nearest `shared/data/` above this checkout; skips without it."""
    here = Path(__file__).resolve()
    for folder in here.parents:
        candidate = folder / "shared" / "data"
        if candidate.is_dir():
            return candidate.joinpath(*parts)
    pytest.skip("the shared import fixtures (../shared/data/) are not here")
