"""Demo inline feedback: readers' comments on passages of three reports, and a prompt."""

from __future__ import annotations

import random
from dataclasses import dataclass

from wagtail.rich_text import RichText

from tribune.discussion import passages, policies, services
from tribune.discussion.identity import Viewer
from tribune.discussion.models import Comment, DiscussionSettings, ModerationPolicy
from tribune.discussion.submission import Guest, Quote, Submission
from tribune.newsroom.models import ArticlePage

REMARKS = [
    "Is there a source for this figure?",
    "This is the part that matters most to people on our street.",
    "I read this differently: the decision was made last year.",
    "Good to see this spelled out so plainly.",
    "Could you say which neighbourhoods this covers?",
    "That matches what we were told at the public meeting.",
]
REPLIES = [
    "The figure is in the council's published budget, page 12.",
    "Agreed, and it was barely mentioned anywhere else.",
    "Same here; the letter came in March.",
]
PROMPT = (
    "Our reporters expect the work to finish on time, because the contractor "
    "has already ordered the materials."
)
NAMES = ["Ada L.", "Bram K.", "Celine M.", "Dario P.", "Edith R.", "Farid S."]


@dataclass(frozen=True)
class DemoInline:
    comments: int


def _phrase(rng: random.Random, text: str) -> str | None:
    words = text.split()
    if len(words) < 8:
        return None
    start = rng.randrange(0, len(words) - 6)
    return " ".join(words[start : start + rng.randint(3, 6)])


def load() -> DemoInline:
    """Add inline feedback to three demo reports once; later runs change nothing."""
    if Comment.objects.exclude(passage_state="").exists():
        return DemoInline(Comment.objects.exclude(passage_state="").count())
    articles = list(ArticlePage.objects.live().order_by("-date", "pk")[1:4])
    if not articles:
        return DemoInline(0)
    rng = random.Random(6)  # fixed seed: the same demo every time
    rules = DiscussionSettings(moderation=ModerationPolicy.PUBLISH, max_links=3)
    _add_prompt(articles[0])
    made = 0
    for article in articles:
        article.refresh_from_db()
        thread = services.get_or_create_thread(article=article)
        paragraphs = [b for b in passages.blocks_of(article.body) if b.text.strip()]
        for n, block in enumerate(paragraphs[:4]):
            exact = PROMPT if block.text == PROMPT else _phrase(rng, block.text)
            if exact is None:
                continue
            at = block.text.index(exact)
            name = NAMES[(n + made) % len(NAMES)]
            comment = services.post_comment(
                Submission(
                    quote=Quote(
                        block.id,
                        exact,
                        block.text[max(0, at - 32) : at],
                        block.text[at + len(exact) : at + len(exact) + 32],
                    ),
                    thread=thread,
                    state=policies.OPEN,
                    rules=rules,
                    viewer=Viewer(guest_token=f"inline{made:027d}"),
                    body=REMARKS[(n + made) % len(REMARKS)],
                    guest=Guest(name, f"inline.{made}@example.org"),
                    throttle=False,
                )
            )
            made += 1
            if n % 2 == 0:
                services.post_comment(
                    Submission(
                        thread=thread,
                        state=policies.OPEN,
                        rules=rules,
                        viewer=Viewer(guest_token=f"reply{made:028d}"),
                        body=REPLIES[n % len(REPLIES)],
                        guest=Guest("Greta H.", f"greta.{made}@example.org"),
                        parent_id=comment.pk,
                        throttle=False,
                    )
                )
                made += 1
    return DemoInline(made)


def _add_prompt(article: ArticlePage) -> None:
    """An editor's "Do you agree?" prompt after the first paragraph, published."""
    data = list(article.body.raw_data)
    prompt = {
        "type": "feedback_prompt",
        "value": {"passage": f"<p>{PROMPT}</p>", "question": "Do you agree?"},
    }
    article.body = [*data[:1], prompt, *data[1:]]
    article.save_revision().publish()
    article.refresh_from_db()
    assert isinstance(article.body[1].value["passage"], RichText)  # noqa: S101
