"""Demo discussion: lively threads under several reports, one with over a thousand comments."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace

from tribune.core import clock
from tribune.discussion import policies, services
from tribune.discussion.identity import Viewer
from tribune.discussion.models import (
    Comment,
    DiscussionSettings,
    ModerationPolicy,
    Thread,
)
from tribune.discussion.services import importing
from tribune.discussion.submission import Guest, Submission
from tribune.newsroom.models import ArticlePage

FIRST_NAMES = [
    "Ada",
    "Bram",
    "Celine",
    "Dario",
    "Edith",
    "Farid",
    "Greta",
    "Hollis",
    "Ines",
    "Jonah",
    "Kaia",
    "Leopold",
    "Mina",
    "Nils",
    "Odette",
    "Pavel",
    "Quinn",
    "Rosa",
    "Sami",
    "Tilde",
    "Ugo",
    "Vera",
    "Wim",
    "Xenia",
    "Yusuf",
    "Zora",
]
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTVW"

OPENERS = [
    "Thanks for keeping track of this.",
    "Useful summary, as always.",
    "I live two streets from the gauge, and this matches what we see.",
    "Good to see the numbers laid out plainly.",
    "Small correction from someone who was there:",
    "Honest question:",
    "This is the first report I have read that explains the timeline.",
    "My neighbours and I were talking about exactly this yesterday.",
]
POINTS = [
    "the footbridge at Ash Lane was busy with cyclists by eight this morning",
    "the school bus still takes the long way round the closed road",
    "the council could publish the repair schedule week by week",
    "the sandbags on our street were collected on Tuesday",
    "water pressure in the eastern wards is back to normal",
    "the library is lending dehumidifiers again, which helps a lot",
    "the river path near Hollins Weir is still muddy but passable",
    "the bakery on the high street reopened with a shorter menu",
    "it would help to know who pays for the temporary bridge",
    "the volunteer rota at the community hall needs more evening helpers",
    "the new bus timetable works well for early shifts",
    "the budget table would be clearer with last year's figures beside it",
]
CLOSERS = [
    "Keep it up.",
    "Would be good to hear back from the county on this.",
    "Does anyone know when the next meeting is?",
    "I will check again at the weekend and report back here.",
    "",
    "",
    "Thanks to everyone who helped with the clean-up.",
]
REPLIES = [
    "Agreed, *completely*.",
    "I saw the same on Thursday.",
    "Not quite: the notice on the hall door says the rota changes next week.",
    "The county published the figures here: [budget page](https://example.org/budget).",
    "> it would help to know who pays\n\nThe report says the county covers it until spring.",
    "Good point, I had not thought of the early shifts.",
    "Same experience on our street.",
    "Could the Ledger ask the council about this directly?",
    "Thank you, that clears it up.",
    "Respectfully, I disagree: the old route was faster for most of us.",
]
HELD_WORD = "casino"

# Report index (in ArticlePage order) -> top-level comments; index 0 is the big one.
THREADS = {0: 420, 1: 14, 2: 22, 3: 9, 5: 18, 6: 11}


@dataclass
class DemoDiscussion:
    threads: int
    comments: int


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_INITIALS)}."


def _email(name: str, n: int) -> str:
    handle = name.lower().replace(" ", ".").replace("..", ".").rstrip(".")
    return f"{handle}.{n}@example.org"


def _top_body(rng: random.Random) -> str:
    parts = [rng.choice(OPENERS), f"From what I can tell, {rng.choice(POINTS)}."]
    if rng.random() < 0.4:
        parts.append(f"Also, {rng.choice(POINTS)}.")
    parts.append(rng.choice(CLOSERS))
    return " ".join(p for p in parts if p)


def _thread_items(
    rng: random.Random, tops: int, start: dt.datetime
) -> list[importing.ImportedComment]:
    items: list[importing.ImportedComment] = []
    moment = start
    n = 0
    for t in range(tops):
        moment += dt.timedelta(minutes=rng.randint(3, 40))
        name = _name(rng)
        key = f"t{t}"
        items.append(
            importing.ImportedComment(
                key=key,
                name=name,
                email=_email(name, n),
                body=_top_body(rng),
                created_at=moment,
                upvotes=rng.choice([0, 0, 1, 2, 3, 5, 8, 13]),
                downvotes=rng.choice([0, 0, 0, 1, 2]),
            )
        )
        n += 1
        # Most conversations stay short; a few run long and deep.
        replies = rng.choice([0, 0, 1, 1, 2, 3, 4, 7])
        chain = [key]
        for r in range(replies):
            moment += dt.timedelta(minutes=rng.randint(1, 25))
            parent = rng.choice(chain)
            reply_name = _name(rng)
            reply_key = f"{key}r{r}"
            items.append(
                importing.ImportedComment(
                    key=reply_key,
                    name=reply_name,
                    email=_email(reply_name, n),
                    body=rng.choice(REPLIES),
                    created_at=moment,
                    parent_key=parent,
                    upvotes=rng.choice([0, 1, 1, 2, 4]),
                    downvotes=rng.choice([0, 0, 1]),
                )
            )
            chain.append(reply_key)
            n += 1
    return items


def _fit(
    items: list[importing.ImportedComment], start: dt.datetime, end: dt.datetime
) -> list[importing.ImportedComment]:
    """Stretch or squeeze the conversation's times to lie between `start` and `end`.

    Order is kept, so replies still follow their parents. Squaring the share of
    the way through packs the first comments close to publication and spaces the
    later ones out, the way a real thread quietens after the first hours.
    """
    if not items:
        return items
    first, last = items[0].created_at, items[-1].created_at
    span = (last - first).total_seconds() or 1.0
    window = end - start
    return [
        replace(
            item,
            created_at=start
            + window * (((item.created_at - first).total_seconds() / span) ** 2),
        )
        for item in items
    ]


def _published(article: ArticlePage) -> dt.datetime:
    return article.first_published_at or clock.now() - dt.timedelta(days=1)


def load() -> DemoDiscussion:
    """Fill the demo reports with conversations once; later runs change nothing."""
    articles = list(ArticlePage.objects.live().order_by("-date", "pk"))
    if not articles or Comment.objects.exists():
        return DemoDiscussion(Thread.objects.count(), Comment.objects.count())
    site = articles[0].get_site()
    rules = DiscussionSettings.for_site(site)
    rules.moderation = ModerationPolicy.HOLD_FIRST_GUEST
    rules.held_words = f"{HELD_WORD}\nfree money"
    rules.save()
    rng = random.Random(20240611)  # fixed seed: the same demo every time
    total = 0
    first_thread = None
    for index, tops in THREADS.items():
        if index >= len(articles):
            continue
        article = articles[index]
        thread = services.get_or_create_thread(article=article)
        # Every comment between its report's publication and now.
        start = _published(article) + dt.timedelta(minutes=4)
        end = min(start + dt.timedelta(days=5), clock.now() - dt.timedelta(minutes=2))
        items = _fit(_thread_items(rng, tops, start), start, end)
        made = importing.import_comments(thread=thread, items=items)
        total += len(made)
        first_thread = first_thread or (thread, made)
    if first_thread is not None:
        total += _live_examples(*first_thread, rules=rules)
    return DemoDiscussion(Thread.objects.count(), total)


def _live_examples(
    thread: Thread, made: list[Comment], *, rules: DiscussionSettings
) -> int:
    """A few comments through the normal services: held ones (a held word,
    offensive language), an edit, a deletion."""
    state = policies.OPEN
    guest = Viewer(guest_token="d" * 32)
    services.post_comment(
        Submission(
            thread=thread,
            state=state,
            rules=rules,
            viewer=guest,
            body="First time commenting here. The map of closed roads was really useful.",
            guest=Guest("Nadia F.", "nadia.f@example.org"),
            throttle=False,
        )
    )
    services.post_comment(
        Submission(
            thread=thread,
            state=state,
            rules=rules,
            viewer=Viewer(guest_token="e" * 32),
            body=f"Great article! Visit my {HELD_WORD} for free spins.",
            guest=Guest("Lucky Deals", "deals@example.net"),
            throttle=False,
        )
    )
    # A reader asked whether to rephrase who posted anyway: held with the
    # reason "offensive language" for the moderators.
    services.post_comment(
        Submission(
            thread=thread,
            state=state,
            rules=rules,
            viewer=Viewer(guest_token="c" * 32),
            body="What a stupid plan. Whoever signed this off is an idiot.",
            guest=Guest("Vic R.", "vic.r@example.org"),
            throttle=False,
            offensive_confirmed=True,
        )
    )
    # A comment whose author deleted it after others replied keeps its place,
    # and one whose author fixed a typo says "Edited".
    publish = DiscussionSettings(moderation=ModerationPolicy.PUBLISH, max_links=3)
    regular = Viewer(guest_token="f" * 32)
    gone = services.post_comment(
        Submission(
            thread=thread,
            state=state,
            rules=publish,
            viewer=regular,
            body="I posted this in the wrong thread, sorry.",
            guest=Guest("Olaf K.", "olaf.k@example.org"),
            parent_id=made[0].pk,
            throttle=False,
        )
    )
    answer = services.post_comment(
        Submission(
            thread=thread,
            state=state,
            rules=publish,
            viewer=Viewer(guest_token="a" * 32),
            body="No worries, it was still a fair point.",
            guest=Guest("Rosa P.", "rosa.p@example.org"),
            parent_id=gone.pk,
            throttle=False,
        )
    )
    services.delete_comment(comment=gone, viewer=regular)
    services.edit_comment(
        comment=answer,
        viewer=Viewer(guest_token="a" * 32),
        body="No worries, it was still a *fair* point.",
        rules=publish,
    )
    return 5
