"""Time re-anchoring 500 inline comments after an editor revises a 60-block article.

Run: .venv/bin/python bench/anchoring_bench.py
"""

import random
import statistics
import time
from collections import Counter

from tribune.discussion.anchoring import Anchor, Block, make_anchor, reanchor_many

SAMPLE = (
    "the council said on Tuesday that a new budget for schools and roads would "
    "be approved after months of debate between members of the opposition and "
    "the mayor who wants more money for housing energy transport health care "
    "while residents complain about rents prices and the closure of the library "
    "in the north of the city where a bridge has been shut since last spring"
)


def article(rng: random.Random, blocks: int = 60, size: int = 600) -> list[Block]:
    body = []
    for i in range(blocks):
        words: list[str] = []
        while sum(len(w) + 1 for w in words) < size:
            words.append(rng.choice(SAMPLE.split()))
        text = " ".join(words)[:size].rsplit(" ", 1)[0] + "."
        body.append(Block(f"block-{i:02d}", text[0].upper() + text[1:]))
    return body


def anchors(rng: random.Random, blocks: list[Block], count: int) -> list[Anchor]:
    made = []
    for _ in range(count):
        block = rng.choice(blocks)
        start = rng.randrange(0, len(block.text) - 100)
        made.append(make_anchor(blocks, block.id, start, start + rng.randint(15, 90)))
    return made


def revise(rng: random.Random, blocks: list[Block]) -> list[Block]:
    """A heavy revision: every kind of edit the re-anchoring has to survive."""
    new = list(blocks)
    for i in range(0, 60, 5):  # a sentence added at the top of every fifth block
        new[i] = Block(new[i].id, "An update was added here. " + new[i].text)
    for i in (7, 17, 27, 37):  # a word changed in the middle of a block
        text = new[i].text
        mid = text.index(" ", len(text) // 2)
        new[i] = Block(new[i].id, text[:mid] + " notably" + text[mid:])
    for i in (12, 22):  # whitespace and typography retouched
        new[i] = Block(new[i].id, new[i].text.replace(" the ", " the\u00a0"))
    first, second = new[33].text[:300], new[33].text[300:]  # paragraph split
    new[33:34] = [Block(new[33].id, first), Block("block-33b", second)]
    new[44] = Block("block-44", new[44].text + " " + new[45].text)  # merged
    del new[45]
    new[50] = Block("block-50-recreated", new[50].text)  # id changed
    moved = new.pop(3)  # moved to the end
    new.append(moved)
    del new[40]  # deleted outright
    rng.shuffle(new[55:])  # tail reordered
    return new


def copy_edit(blocks: list[Block]) -> list[Block]:
    """Worst case: a character changed every 40, so nearly every quote is fuzzy."""
    return [
        Block(b.id, "".join(c.upper() if i % 40 == 20 else c for i, c in enumerate(t)))
        for b in blocks
        for t in [b.text]
    ]


def measure(name: str, placed: list[Anchor], revised: list[Block]) -> None:
    timings = []
    for _ in range(7):
        began = time.perf_counter()
        placements = reanchor_many(placed, revised)
        timings.append(time.perf_counter() - began)
    methods = Counter(str(p.method) for p in placements)
    print(f"{name}: methods {dict(sorted(methods.items()))}")
    print(
        f"  reanchor_many: median {statistics.median(timings) * 1000:.1f} ms, "
        f"best {min(timings) * 1000:.1f} ms, worst {max(timings) * 1000:.1f} ms "
        f"over {len(timings)} runs"
    )


def main() -> None:
    rng = random.Random(2024)
    blocks = article(rng)
    placed = anchors(rng, blocks, 500)
    print(f"{len(placed)} anchors on {len(blocks)} blocks of ~600 chars")
    measure("revision with every kind of edit", placed, revise(rng, blocks))
    measure("copy-edit touching every quote", placed, copy_edit(blocks))


if __name__ == "__main__":
    main()
