"""The demo subscriptions: loaded once, already confirmed, no mail."""

from __future__ import annotations

import pytest

from tribune.demo import subscriptions_content
from tribune.discussion.tests import factories as discussion_factories
from tribune.mailing.models import OutboundEmail
from tribune.newsroom.tests import factories as newsroom
from tribune.subscriptions.models import Subscription

pytestmark = pytest.mark.django_db


def test_demo_subscriptions_load_once_and_send_nothing():
    discussion_factories.rules()
    newsroom.article()
    newsroom.article()
    assert subscriptions_content.load().subscriptions == 3
    assert subscriptions_content.load().subscriptions == 3
    assert all(s.is_confirmed for s in Subscription.objects.all())
    assert not OutboundEmail.objects.exists()
