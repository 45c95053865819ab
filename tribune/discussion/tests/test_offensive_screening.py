"""The offensive-language check: the shipped model, the verdict, and the posting
path (asked once, then held with the reason; below the threshold published; off)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from tribune.discussion import policies, services
from tribune.discussion.errors import OffensiveLanguageError
from tribune.discussion.models import Comment, HeldReason, Status
from tribune.discussion.offensive import model, screening
from tribune.discussion.spamfilter.corpus import read_seed
from tribune.discussion.submission import Guest, Submission
from tribune.discussion.tests import factories

CALM = "A fair point about the bridge and the council's budget."
RUDE = "Shut up, you stupid idiot."

SAMPLES = [
    CALM,
    RUDE,
    "fuck off",
    "what a stupid article",
    "I hate this policy",
    "go to hell",
    "Scunthorpe United",
    "",
    "the analysis of the assassination",
    "kill yourself",
    "Danke für den Artikel",
]


def test_fast_path_gives_the_packaged_models_own_probabilities():
    shipped = model.get_model()
    assert shipped.fast is not None
    expected = shipped.model.predict_proba(shipped.vectorizer.transform(SAMPLES))[:, 1]
    assert np.allclose(shipped.probabilities(SAMPLES), expected, rtol=0, atol=1e-12)


def test_fast_words_are_the_packaged_vectorizers_own_features():
    shipped = model.get_model()
    assert shipped.words is not None
    texts = [
        *SAMPLES,
        "the the the THE idiot idiot",
        "\u00e9t\u00e9 caf\u00e9 na\u00efve",
        "x" * 5000,
    ]
    matrix = shipped.vectorizer.transform(texts)
    for (columns, data), i in zip(
        shipped.words.rows(texts), range(len(texts)), strict=True
    ):
        row = matrix[[i]]
        assert columns.tolist() == sorted(row.indices.tolist())
        expected = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        assert np.allclose(
            data, [expected[c] for c in columns.tolist()], rtol=0, atol=1e-12
        )


def test_sentences_split_at_ends_and_line_breaks():
    assert screening.sentences("One. Two!  Three?\n\nFour\u2026 five") == [
        "One.",
        "Two!",
        "Three?",
        "Four\u2026",
        "five",
    ]
    assert len(screening.sentences("a.\n" * 1000)) == screening.MAX_SENTENCES


def test_one_insult_in_a_long_calm_comment_still_scores_high():
    calm = " ".join([CALM] * 12)
    assert screening.model_score(calm) < 50
    assert screening.model_score(f"{calm} Fuck off, you idiot.") >= 80


def test_leetspeak_is_read_before_the_model_scores():
    assert screening.model_score("sh1t") >= 80


pytestmark_db = pytest.mark.django_db


def post(settings, body, *, name="Ada", confirmed=False, user=None):
    return services.post_comment(
        Submission(
            thread=factories.thread(),
            state=policies.OPEN,
            rules=settings,
            viewer=factories.guest_viewer(),
            body=body,
            user=user,
            guest=None if user else Guest(name, "ada@example.org"),
            throttle=False,
            offensive_confirmed=confirmed,
        )
    )


@pytestmark_db
def test_offensive_comment_is_refused_once_and_nothing_is_stored():
    settings = factories.rules()
    with pytest.raises(OffensiveLanguageError) as raised:
        post(settings, RUDE)
    assert raised.value.status == 409
    assert raised.value.confirm == "confirm_offensive"
    assert not Comment.objects.exists()


@pytestmark_db
def test_confirmed_offensive_comment_is_held_with_the_reason():
    settings = factories.rules()
    comment = post(settings, RUDE, confirmed=True)
    comment.refresh_from_db()
    assert (comment.status, comment.held_reason) == (
        Status.PENDING,
        HeldReason.OFFENSIVE,
    )
    assert comment.offensive_score >= 80
    assert comment.get_held_reason_display() == "Offensive language"
    assert comment.thread.comment_count == 0


@pytestmark_db
def test_comment_below_the_threshold_is_published_with_its_score():
    settings = factories.rules()
    comment = post(settings, CALM)
    assert comment.status == Status.APPROVED
    assert comment.offensive_score is not None
    assert comment.offensive_score < 80


@pytestmark_db
def test_threshold_decides_what_is_held():
    strict = factories.rules(offensive_threshold=1)
    with pytest.raises(OffensiveLanguageError):
        post(strict, CALM)
    lenient = factories.rules(offensive_threshold=100)
    assert post(lenient, "I hate this policy").status == Status.APPROVED


@pytest.mark.parametrize(
    "off", [{"offensive_check": False}, {"offensive_threshold": 0}]
)
@pytestmark_db
def test_switched_off_check_neither_asks_nor_holds_nor_scores(off):
    settings = factories.rules(offensive_words="idiot", **off)
    comment = post(settings, RUDE)
    assert comment.status == Status.APPROVED
    assert comment.offensive_score is None


@pytestmark_db
def test_listed_word_in_another_language_is_asked_about_then_held():
    settings = factories.rules(offensive_words="hijo de puta\ndummkopf*")
    with pytest.raises(OffensiveLanguageError):
        post(settings, "Du bist ein Dummköpfchen!")
    comment = post(settings, "Eres un H1JO DE PUTA.", confirmed=True)
    assert comment.held_reason == HeldReason.OFFENSIVE
    assert (comment.offensive_score, comment.offensive_match) == (100, "hijo de puta")


@pytestmark_db
def test_listed_word_in_the_name_is_caught_too():
    settings = factories.rules(offensive_words="dummkopf")
    comment = post(settings, CALM, name="Der Dummkopf", confirmed=True)
    assert comment.held_reason == HeldReason.OFFENSIVE


@pytestmark_db
def test_confirmed_but_calm_comment_is_published():
    # "Edit my comment" keeps the confirmation: a rephrased comment is published.
    settings = factories.rules()
    assert post(settings, CALM, confirmed=True).status == Status.APPROVED


@pytestmark_db
def test_signed_in_authors_are_asked_and_held_too():
    settings = factories.rules()
    author = factories.user()
    with pytest.raises(OffensiveLanguageError):
        post(settings, RUDE, user=author)
    assert post(settings, RUDE, user=author, confirmed=True).status == Status.PENDING


def test_initial_status_holds_offensive_after_held_words_before_first_guest():
    decide = policies.initial_status
    common = {"policy": "hold_first_guest", "is_guest": True, "guest_is_trusted": False}
    assert decide(**common, held_word=None, offensive=True) == (
        Status.PENDING,
        HeldReason.OFFENSIVE,
    )
    assert decide(**common, held_word="casino", offensive=True)[1] == HeldReason.WORDS


@pytestmark_db
def test_editing_a_published_comment_into_offensive_text_holds_it_again():
    settings = factories.rules()
    viewer = factories.guest_viewer()
    comment = factories.comment(settings=settings, viewer=viewer, body=CALM)
    assert comment.status == Status.APPROVED
    assert comment.thread.comment_count == 1
    edited = services.edit_comment(
        comment=comment, viewer=viewer, body=RUDE, rules=settings
    )
    edited.refresh_from_db()
    assert (edited.status, edited.held_reason) == (
        Status.PENDING,
        HeldReason.OFFENSIVE,
    )
    assert edited.thread.comment_count == 0
    assert edited.moderation_actions.filter(action="hold").exists()


@pytestmark_db
def test_a_calm_edit_stays_published_with_its_new_score():
    settings = factories.rules()
    viewer = factories.guest_viewer()
    comment = factories.comment(settings=settings, viewer=viewer, body=CALM)
    edited = services.edit_comment(
        comment=comment, viewer=viewer, body=f"{CALM} Thanks.", rules=settings
    )
    assert edited.status == Status.APPROVED
    assert edited.offensive_score is not None and edited.offensive_score < 80


@pytestmark_db
def test_hostile_long_text_is_scored_without_error():
    settings = factories.rules(offensive_words="fuck*")
    body = ("f*\u202e\u200b" * 1200)[:5000]
    assert post(settings, body, confirmed=True).offensive_score is not None
    with pytest.raises(OffensiveLanguageError):
        post(settings, "f\u200bu\u202ec\ue000k " * 400)


def _seed_sentences():
    texts = [s.text for s in read_seed().samples]
    found = [p for t in texts for p in screening.sentences(t)]
    return found + [screening.decode_for_model(p) for p in found[:300]]


def test_fast_path_equals_the_packaged_model_on_the_seed_corpus():
    shipped = model.get_model()
    assert shipped.words is not None
    assert shipped.words.findall is not None  # the analyzer read as one regex
    sentences = _seed_sentences()
    expected = shipped.model.predict_proba(shipped.vectorizer.transform(sentences))
    got = shipped.probabilities(sentences)
    assert np.allclose(got, expected[:, 1], rtol=0, atol=1e-12)
    matrix = shipped.vectorizer.transform(sentences)
    for i, (columns, data) in enumerate(shipped.words.rows(sentences)):
        row = matrix[[i]]
        assert columns.tolist() == sorted(row.indices.tolist())
        weights = dict(zip(row.indices.tolist(), row.data.tolist(), strict=True))
        assert np.allclose(
            data, [weights[c] for c in columns.tolist()], rtol=0, atol=1e-12
        )


@pytest.mark.parametrize(
    "options",
    [
        {"ngram_range": (1, 2)},
        {"lowercase": False},
        {"strip_accents": "unicode"},
        {"stop_words": None, "sublinear_tf": True},
    ],
)
def test_other_vectorizers_keep_scikit_learns_analyzer(options):
    texts = [s.text for s in read_seed().samples[:400]]
    vectorizer = TfidfVectorizer(**{"stop_words": "english", **options}).fit(texts)
    words = model._Tfidf(vectorizer)
    plain = options == {"stop_words": None, "sublinear_tf": True}
    assert (words.findall is not None) is plain
    matrix = vectorizer.transform(texts)
    for i, (columns, data) in enumerate(words.rows(texts)):
        expected = matrix[[i]].toarray()[0]
        assert np.allclose(expected[columns], data, rtol=0, atol=1e-12)
        assert np.count_nonzero(expected) == len(columns)
