import pytest
from django.core.management import call_command

from tribune.discussion import services
from tribune.discussion.models import (
    Action,
    HeldReason,
    SpamAction,
    SpamModelVersion,
    Status,
)
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
def _small_seed(settings, seed_dir, monkeypatch):
    settings.DISCUSSION_SPAM_SEED_DIR = str(seed_dir)
    settings.DISCUSSION_SPAM_RETRAIN_AFTER = 2
    # Row ids repeat between tests (rolled back), so this process's copy goes.
    monkeypatch.setattr(selectors, "_loaded", None)


@pytest.fixture
def moderator():
    return factories.user(is_staff=True)


def test_without_a_model_comments_are_posted_unscored():
    comment = factories.comment(body=SPAM)
    assert comment.status == Status.APPROVED
    assert comment.spam_score is None


def test_first_training_needs_no_decisions_and_a_second_waits_for_them():
    version = spamfilter.train_spam_model()
    assert version is not None
    assert version.decisions == 0
    assert version.examples == 160
    assert spamfilter.train_spam_model() is None
    assert SpamModelVersion.objects.count() == 1


def test_likely_spam_is_filed_as_spam_with_score_and_reasons():
    spamfilter.train_spam_model()
    rules = factories.rules()
    spam = factories.comment(body=SPAM, settings=rules)
    good = factories.comment(body=GOOD, settings=rules)
    assert spam.status == Status.SPAM
    assert spam.held_reason == HeldReason.SPAM_FILTER
    assert spam.spam_score > good.spam_score
    assert spam.spam_reasons
    assert spam.spam_facts["has_account"] is False
    assert good.status == Status.APPROVED
    assert good.spam_reasons == []


def test_the_site_setting_picks_what_each_band_does():
    spamfilter.train_spam_model()
    held = factories.comment(
        body=SPAM, settings=factories.rules(spam_likely=SpamAction.HOLD)
    )
    assert (held.status, held.held_reason) == (Status.PENDING, HeldReason.SPAM_FILTER)
    published = factories.comment(
        body=SPAM, settings=factories.rules(spam_likely=SpamAction.PUBLISH)
    )
    assert published.status == Status.APPROVED
    assert published.spam_score is not None


def test_poster_history_is_counted_and_stored_with_the_comment():
    spamfilter.train_spam_model()
    viewer = factories.guest_viewer()
    first = factories.comment(body=GOOD, viewer=viewer)
    again = factories.comment(body=GOOD + " Again.", viewer=viewer)
    assert first.spam_facts["approved_before"] == 0
    assert again.spam_facts["approved_before"] == 1  # other email, same browser
    assert again.spam_facts["guest_age_days"] >= 0


def test_moderator_decisions_are_labelled_examples_and_the_latest_counts(moderator):
    spamfilter.train_spam_model()
    rules = factories.rules()
    filed = factories.comment(body=SPAM, settings=rules)
    missed = factories.comment(body=GOOD, settings=rules)
    services.moderate_comments(
        comment_ids=[filed.pk], action=Action.APPROVE, moderator=moderator
    )
    services.moderate_comments(
        comment_ids=[missed.pk], action=Action.SPAM, moderator=moderator
    )
    services.moderate_comments(
        comment_ids=[missed.pk], action=Action.APPROVE, moderator=moderator
    )
    decisions, newest = selectors.list_decisions()
    assert {(d.comment.pk, d.label) for d in decisions} == {
        (filed.pk, 0),
        (missed.pk, 0),
    }
    assert newest > 0


def test_enough_decisions_retrain_and_every_process_picks_up_the_new_model(
    moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = spamfilter.train_spam_model()
    assert selectors.get_current_model().version == first.pk
    comments = [factories.comment(body=f"{GOOD} {n}") for n in range(2)]
    services.moderate_comments(
        comment_ids=[c.pk for c in comments], action=Action.SPAM, moderator=moderator
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("spam_train", verbosity=0)
    second = SpamModelVersion.objects.order_by("-id").first()
    assert second.pk != first.pk
    assert second.decisions == 2
    assert second.examples == 162
    assert selectors.get_current_model().version == second.pk


def test_a_broken_stored_model_never_breaks_posting():
    SpamModelVersion.objects.create(
        examples=1, decisions=0, spam_threshold=0.5, hold_threshold=0.4, data=b"junk"
    )
    comment = factories.comment(body=SPAM)
    assert comment.status == Status.APPROVED
    assert comment.spam_score is None
