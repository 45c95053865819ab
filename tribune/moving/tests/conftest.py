"""Fixtures of the moving app: the shared WordPress exports and an uploads copy."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

# Real exports kept outside the project (../shared/data/wordpress/README.md).
DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "wordpress"
if not DATA.is_dir():
    DATA = Path("/work/shared/data/wordpress")


def wordpress_file(name: str) -> Path:
    path = DATA / name
    if not path.is_file():
        pytest.skip(f"WordPress test data not found: {path}")
    return path


def write_picture(path: Path, colour: tuple[int, int, int] = (40, 90, 140)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    """A copy of wp-content/uploads holding a few of the theme data's pictures
    (made here: plain colour fields at the exported paths)."""
    root = tmp_path / "uploads"
    for n, name in enumerate(
        [
            "2008/06/canola2.jpg",
            "2013/03/image-alignment-580x300.jpg",
            "2013/03/image-alignment-150x150.jpg",
            "2013/09/dsc20040724_152504_532.jpg",
        ]
    ):
        write_picture(root / name, (40 * n, 90, 140))
    return root


@pytest.fixture
def home_page(home: Any) -> Any:
    return home


# The WordPress importer's edge-case fixtures that are readable WXR (the others are
# refused with a message): the reader and the import both take every one.
READABLE_EDGE_CASES = [
    "authors-multiline.xml",
    "backslashes.xml",
    "blank-lines.xml",
    "cdata-edge.xml",
    "chunked-meta.xml",
    "crazy-cdata-escaped.xml",
    "large-authors.xml",
    "missing-tags.xml",
    "multiple-cdata.xml",
    "namespace-edge-cases.xml",
    "post-content-blank-lines.xml",
    "small-export.xml",
    "term-formats.xml",
    "term-meta.xml",
    "test-serialized-comment-meta.xml",
    "test-serialized-postmeta-no-cdata.xml",
    "test-serialized-postmeta-with-cdata.xml",
    "test-serialized-term-meta.xml",
    "test-utw-post-meta-import.xml",
    "valid-wxr-1.1.xml",
    "wxr-css-urls.xml",
    "wxr-flat-attachment-different-site.xml",
    "wxr-flat-attachment-same-site.xml",
    "wxr-simple.xml",
    "wxr-with-sub-data.xml",
]
