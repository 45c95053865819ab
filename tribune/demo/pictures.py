"""Pictures the demo draws itself, so every image is licence-clean and needs no download."""

from __future__ import annotations

import io
import random

from PIL import Image as PILImage
from PIL import ImageDraw


def portrait(seed: int, size: int = 400) -> bytes:
    """An abstract head-and-shoulders silhouette on a coloured ground, as PNG."""
    rng = random.Random(seed)
    ground = tuple(rng.randint(120, 200) for _ in range(3))
    figure = tuple(max(0, c - 90) for c in ground)
    img = PILImage.new("RGB", (size, size), ground)
    draw = ImageDraw.Draw(img)
    head = size * rng.uniform(0.17, 0.21)
    cx, cy = size / 2, size * 0.40
    draw.ellipse(
        (cx - head, cy - head * 1.15, cx + head, cy + head * 1.15), fill=figure
    )
    draw.ellipse((size * 0.18, size * 0.66, size * 0.82, size * 1.25), fill=figure)
    return _png(img)


def landscape(seed: int, width: int = 1600, height: int = 900) -> bytes:
    """A layered valley: sky gradient, hills and a river, as PNG."""
    rng = random.Random(seed)
    img = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(img)
    top = (rng.randint(90, 140), rng.randint(140, 180), rng.randint(190, 230))
    low = (rng.randint(220, 250), rng.randint(200, 230), rng.randint(170, 210))
    for y in range(height):
        t = y / height
        draw.line(
            [(0, y), (width, y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, low, strict=True)),
        )
    for layer in range(4):
        base = height * (0.45 + layer * 0.12)
        shade = 40 + layer * 25
        colour = (shade, 90 + layer * 20 + rng.randint(0, 20), shade + 10)
        points: list[tuple[float, float]] = [(0, height)]
        for x in range(0, width + 100, 100):
            points.append((x, base - rng.uniform(0, height * 0.12)))
        points.append((width, height))
        draw.polygon(points, fill=colour)
    river = [
        (width * 0.45, height),
        (width * 0.52, height * 0.72),
        (width * 0.58, height * 0.62),
        (width * 0.61, height * 0.63),
        (width * 0.6, height * 0.74),
        (width * 0.66, height),
    ]
    draw.polygon(river, fill=(150, 185, 210))
    return _png(img)


def _png(img: PILImage.Image) -> bytes:
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()
