import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tribune.discussion.models import Action, ModerationAction, Status
from tribune.discussion.spamfilter import selectors
from tribune.discussion.spamfilter import services as spamfilter
from tribune.discussion.tests import factories
from tribune.discussion.tests.spamdata import write_small_seed

pytestmark = pytest.mark.django_db

SPAM = "CHECK OUT MY CHANNEL!!! subscribe please http://bit.ly/free-money"
GOOD = "I still remember hearing this song for the first time."


@pytest.fixture(scope="module")
def seed_dir(tmp_path_factory):
    return write_small_seed(tmp_path_factory.mktemp("seed"))


@pytest.fixture(autouse=True)
def _trained(settings, seed_dir, monkeypatch):
    settings.DISCUSSION_SPAM_SEED_DIR = str(seed_dir)
    monkeypatch.setattr(selectors, "_loaded", None)
    spamfilter.train_spam_model()


@pytest.fixture
def moderator(client):
    user = factories.user(is_staff=True)
    group, _ = Group.objects.get_or_create(name="Comment moderators")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            codename="change_comment", content_type__app_label="discussion"
        ),
    )
    user.groups.add(group)
    client.force_login(user)
    return user


def test_queue_shows_score_and_reasons_in_words(client, moderator):
    filed = factories.comment(body=SPAM)
    assert filed.status == Status.SPAM
    page = client.get(reverse("discussion_moderation:queue") + "?status=spam")
    html = page.content.decode()
    assert f"Spam score {filed.spam_score:.2f}" in html
    assert "why:" in html
    assert "Not spam" in html


def test_queue_sorts_by_spam_score_on_request(client, moderator):
    rules = factories.rules(moderation="hold_all", spam_likely="hold")
    spam = factories.comment(body=SPAM, settings=rules)
    good = factories.comment(body=GOOD, settings=rules)
    assert spam.spam_score > good.spam_score
    url = reverse("discussion_moderation:queue")

    def position(html, comment):
        return html.index(f'Select comment {comment.pk}"')

    newest_first = client.get(url).content.decode()
    assert position(newest_first, good) < position(newest_first, spam)
    by_score = client.get(url + "?sort=score").content.decode()
    assert position(by_score, spam) < position(by_score, good)


def test_not_spam_from_the_queue_is_a_labelled_decision(client, moderator):
    filed = factories.comment(body=SPAM)
    client.post(
        reverse("discussion_moderation:act"),
        {"ids": [filed.pk], "action": Action.APPROVE},
    )
    filed.refresh_from_db()
    assert filed.status == Status.APPROVED
    assert ModerationAction.objects.filter(comment=filed, moderator=moderator).exists()
    decisions, _newest = selectors.list_decisions()
    assert [(d.comment.pk, d.label) for d in decisions] == [(filed.pk, 0)]
