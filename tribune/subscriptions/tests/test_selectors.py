"""Who may be told about a comment: the quick answer agrees with the exact one."""

from __future__ import annotations

import pytest

from tribune.discussion.tests import factories as discussion_factories
from tribune.subscriptions import selectors, services
from tribune.subscriptions.models import Scope
from tribune.subscriptions.tests import factories

pytestmark = pytest.mark.django_db


def _subscribe(case, *, thread, other_thread, parent, other, author):
    if case == "thread":
        factories.confirmed(email="fan@example.org", thread=thread)
    elif case == "other thread":
        factories.confirmed(email="fan@example.org", thread=other_thread)
    elif case == "parent":
        factories.confirmed(
            email="fan@example.org", scope=Scope.COMMENT, comment=parent
        )
    elif case == "another comment":
        factories.confirmed(email="fan@example.org", scope=Scope.COMMENT, comment=other)
    elif case == "parent's author":
        factories.confirmed(email=parent.author_email, scope=Scope.MY_REPLIES)
    elif case == "parent's author's account":
        user = discussion_factories.user(email="account@example.org")
        parent.author = user
        parent.save(update_fields=["author"])
        services.subscribe(email="other@example.org", scope=Scope.MY_REPLIES, user=user)
    elif case == "someone else's replies":
        factories.confirmed(email="fan@example.org", scope=Scope.MY_REPLIES)
    elif case == "only the reply's author":
        factories.confirmed(email=author, thread=thread)
    elif case == "unconfirmed":
        services.subscribe(email="fan@example.org", scope=Scope.THREAD, thread=thread)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("nobody", False),
        ("thread", True),
        ("other thread", False),
        ("parent", True),
        ("another comment", False),
        ("parent's author", True),
        ("parent's author's account", True),
        ("someone else's replies", False),
        ("only the reply's author", False),
        ("unconfirmed", False),
    ],
)
def test_a_reply_has_recipients_exactly_when_a_subscription_matches(case, expected):
    discussion_factories.rules()
    thread, other_thread = discussion_factories.thread(), discussion_factories.thread()
    parent = factories.post(thread=thread, email="first@example.org")
    other = factories.post(thread=thread, email="second@example.org")
    author = "replier@example.org"
    _subscribe(
        case,
        thread=thread,
        other_thread=other_thread,
        parent=parent,
        other=other,
        author=author,
    )
    reply = factories.post(thread=thread, parent=parent, email=author)
    assert selectors.has_recipients(reply) is expected
    assert selectors._matching(reply).exists() is expected
