import numpy as np
import pytest

from tribune.discussion.spamfilter import corpus, model
from tribune.discussion.spamfilter.features import Sample
from tribune.discussion.tests.spamdata import write_small_seed


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    seed = corpus.read_seed(write_small_seed(tmp_path_factory.mktemp("seed")))
    return model.train(seed.samples, seed.labels, groups=seed.groups)


def test_threshold_keeps_false_positives_at_the_rate():
    scores = np.array([0.1, 0.2, 0.3, 0.9, 0.95, 0.5, 0.6, 0.7, 0.8, 0.85])
    labels = np.array([0, 0, 0, 0, 0, 1, 1, 1, 1, 1])
    threshold = model.threshold_for(scores, labels, 0.2)
    assert ((scores >= threshold) & (labels == 0)).sum() == 1
    assert model.threshold_for(scores, labels, 0.0) > 0.95


def test_spam_threshold_is_halfway_to_the_strictest_large_group():
    # Groups of 300 and 100 good comments; group "b"'s score higher, so its
    # own 1% threshold is the strictest.
    good_a = np.linspace(0.0, 0.50, 300)
    good_b = np.linspace(0.1, 0.80, 100)
    spam = np.full(20, 0.95)
    scores = np.concatenate([good_a, good_b, spam])
    labels = np.array([0] * 400 + [1] * 20)
    groups = ["a"] * 300 + ["b"] * 100 + ["a"] * 10 + ["b"] * 10
    pooled = model.threshold_for(scores, labels, 0.01 * model.THRESHOLD_MARGIN)
    strictest = model.threshold_for(scores[300:400], labels[300:400], 0.01)
    assert strictest > pooled
    found = model.spam_threshold_for(scores, labels, groups, 0.01)
    assert found == pytest.approx((pooled + strictest) / 2)
    # A group with fewer than 1 / rate good comments does not count.
    small = ["a"] * 300 + ["b"] * 50 + ["c"] * 50 + ["a"] * 10 + ["b"] * 10
    assert model.spam_threshold_for(scores, labels, small, 0.01) == pooled
    assert model.spam_threshold_for(scores, labels, None, 0.01) == pooled


def test_too_few_examples_of_a_class_is_refused():
    samples = [Sample(text=f"comment {i}") for i in range(60)]
    with pytest.raises(model.NotEnoughDataError):
        model.train(samples, [1] * 5 + [0] * 55)


def test_spam_scores_above_good_comments_and_thresholds_are_ordered(trained):
    spam = Sample(text="CHECK OUT MY CHANNEL!!! subscribe http://bit.ly/free-money")
    good = Sample(text="I still remember hearing this song for the first time.")
    assert trained.score(spam) > trained.spam_threshold > trained.score(good)
    assert 0 < trained.hold_threshold <= trained.spam_threshold < 1


def test_explain_names_the_features_that_raised_the_score(trained):
    spam = Sample(text="Please subscribe to my channel http://bit.ly/x")
    found = trained.explain(spam, 5)
    assert found
    assert all(r.weight > 0 for r in found)
    assert [r.weight for r in found] == sorted((r.weight for r in found), reverse=True)
    assert {r.kind for r in found} <= {"word", "char", "meta"}


def test_the_fast_single_score_equals_the_matrix_path(trained, tmp_path):
    seed = corpus.read_seed(write_small_seed(tmp_path, per_class=30))
    fast = [trained.score(s) for s in seed.samples]
    assert fast == pytest.approx(list(trained.score_many(seed.samples)), abs=1e-9)


def test_a_stored_model_scores_the_same_after_loading(trained):
    sample = Sample(text="subscribe to me", name="Sub4Sub")
    again = model.SpamModel.loads(trained.dumps())
    assert again.score(sample) == pytest.approx(trained.score(sample))


def test_loading_something_else_is_refused():
    import pickle

    with pytest.raises(TypeError):
        model.SpamModel.loads(pickle.dumps({"not": "a model"}))


def test_a_csv_without_the_class_column_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("CONTENT,AUTHOR\nhello,ann\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match="CLASS"):
        corpus.read_csv(bad)
    bad.write_text("CONTENT,AUTHOR,CLASS\nhello,ann,maybe\n", encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match="line 2"):
        corpus.read_csv(bad)
