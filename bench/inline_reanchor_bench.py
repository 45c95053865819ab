"""Time re-anchoring a report's 500 inline comments when an editor publishes a revision.

Goes through the real services and database: the comments are posted with
services.post_comment (a Submission with a quote), the revision is published with
Wagtail, and inline.reanchor_article reads, re-anchors and writes the 500 comments.
Runs on a throw-away test database (SQLite unless DATABASE_URL says otherwise).

Run: .venv/bin/python bench/inline_reanchor_bench.py
"""

import os
import random
import statistics
import time
from collections import Counter

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribune.config.settings.test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from wagtail.signals import page_published  # noqa: E402

from tribune.discussion import passages, policies, services  # noqa: E402
from tribune.discussion.identity import Viewer  # noqa: E402
from tribune.discussion.models import Comment, ModerationPolicy  # noqa: E402
from tribune.discussion.selectors import get_settings  # noqa: E402
from tribune.discussion.services import inline  # noqa: E402
from tribune.discussion.submission import Guest, Quote, Submission  # noqa: E402
from tribune.newsroom.tests import factories  # noqa: E402

SAMPLE = (
    "the council said on Tuesday that a new budget for schools and roads would "
    "be approved after months of debate between members of the opposition and "
    "the mayor who wants more money for housing energy transport health care "
    "while residents complain about rents prices and the closure of the library "
    "in the north of the city where a bridge has been shut since last spring"
)
WORDS = SAMPLE.split(" ")
COMMENTS = 500
PARAGRAPHS = 60


def paragraph(rng: random.Random, size: int = 600) -> str:
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < size:
        words.append(rng.choice(WORDS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def revise(body: list[dict], rng: random.Random) -> list[dict]:
    """Insertions, word changes, a deleted paragraph, a moved one, a new one."""
    new = [dict(b) for b in body]
    for i in range(0, len(new), 5):
        new[i]["value"] = new[i]["value"].replace("<p>", "<p>An update was added. ", 1)
    for i in (7, 17, 27, 37):
        text = new[i]["value"]
        mid = text.index(" ", len(text) // 2)
        new[i]["value"] = text[:mid] + " notably" + text[mid:]
    del new[40]
    new.append(new.pop(3))
    new.insert(10, {"type": "paragraph", "value": f"<p>{paragraph(rng)}</p>"})
    return new


def main() -> None:
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def run() -> None:
    rng = random.Random(6)
    page = factories.article(
        title="Benchmark report",
        paragraphs=tuple(paragraph(rng) for _ in range(PARAGRAPHS)),
    )
    rules = get_settings(None)
    rules.moderation = ModerationPolicy.PUBLISH
    rules.save()
    thread = services.get_or_create_thread(article=page)
    blocks = passages.blocks_of(page.body)
    began = time.perf_counter()
    for n in range(COMMENTS):
        block = rng.choice(blocks)
        start = rng.randrange(0, len(block.text) - 100)
        end = start + rng.randint(15, 90)
        services.post_comment(
            Submission(
                quote=Quote(
                    block.id,
                    block.text[start:end],
                    block.text[max(0, start - 32) : start],
                    block.text[end : end + 32],
                ),
                thread=thread,
                state=policies.OPEN,
                rules=rules,
                viewer=Viewer(guest_token=f"bench{n}"),
                body=f"Inline comment {n}.",
                guest=Guest(name=f"Reader {n}", email=f"r{n}@example.org"),
                throttle=False,
            )
        )
    posting = time.perf_counter() - began
    print(
        f"{connection.vendor}: posted {COMMENTS} inline comments on "
        f"{PARAGRAPHS} paragraphs in {posting:.1f} s "
        f"({posting / COMMENTS * 1000:.1f} ms each)"
    )

    # The service alone, on a revised body: publish without the receiver.
    page_published.disconnect(dispatch_uid="discussion_reanchor")
    page.body = revise(list(page.body.raw_data), rng)
    page.save_revision().publish()
    page.refresh_from_db()
    began = time.perf_counter()
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profile = cProfile.Profile()
        result = profile.runcall(inline.reanchor_article, page=page)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(18)
    else:
        result = inline.reanchor_article(article=page)
    first = time.perf_counter() - began
    methods = Counter(Comment.objects.values_list("passage_method", flat=True))
    print(
        f"re-anchor after a heavy revision: {first * 1000:.0f} ms "
        f"(moved {result.moved}, orphaned {result.orphaned}); "
        f"methods {dict(sorted(methods.items()))}"
    )
    timings = []
    for _ in range(5):
        began = time.perf_counter()
        inline.reanchor_article(article=page)
        timings.append(time.perf_counter() - began)
    print(
        f"re-anchor, body unchanged since: median "
        f"{statistics.median(timings) * 1000:.0f} ms over {len(timings)} runs"
    )
    page_published.connect(inline.on_page_published, dispatch_uid="discussion_reanchor")

    # The whole editor's publish, with the receiver re-anchoring inside it.
    page.body = revise(list(page.body.raw_data), rng)
    began = time.perf_counter()
    page.save_revision().publish()
    whole = time.perf_counter() - began
    print(
        f"Wagtail publish of another revision, re-anchoring included: "
        f"{whole * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
