"""Training, scoring and explaining the spam model (scikit-learn; no ORM)."""

from __future__ import annotations

import math
import pickle
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.sparse import spmatrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold, StratifiedKFold
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion

from tribune.discussion.spamfilter.features import (
    Sample,
    meta_tokens,
    text_for_chars,
    text_for_words,
)

# Out-of-fold scores for choosing thresholds; five folds is the usual choice.
FOLDS = 5
# Below this many examples of either class the model is not trained.
MIN_PER_CLASS = 20
# The "likely spam" threshold is chosen where out-of-fold false positives are at
# most this share of the target rate: a discussion the model has not seen shifts
# the scores, and at the full rate two of four unseen seed files let 1.1-2.3% of
# good comments through (decision 0023).
THRESHOLD_MARGIN = 0.5
# The meta block (links, shape, calls to act) counts this many times its
# TF-IDF value: its tokens carry from one discussion to the next, where the
# n-grams of a new discussion are mostly unseen (decision 0030).
META_WEIGHT = 2.0
# Naive Bayes smoothing (additive counts per feature).  0.2 until decision
# 0033; at 0.05 leave-one-file-out recall rose on Psy, KatyPerry and LMFAO and
# stayed on Eminem, at the same false positives (0.1 and 0.02 read about the
# same, 1.0 worse).
NB_ALPHA = 0.05


def _features() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    preprocessor=text_for_words,
                    ngram_range=(1, 2),
                    min_df=1,
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+\b",  # noqa: S106 (a regex, not a secret)
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    preprocessor=text_for_chars,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    min_df=2,
                    sublinear_tf=True,
                ),
            ),
            ("meta", TfidfVectorizer(analyzer=meta_tokens, sublinear_tf=True)),
        ],
        transformer_weights={"meta": META_WEIGHT},
    )


@dataclass
class Ensemble:
    """Logistic regression plus multinomial naive Bayes, summed on one scale.

    Each part's log-odds is divided by its spread on the training data, so
    neither dominates; the sum goes through the logistic function.  In
    leave-one-file-out on the seed corpus the pair beats either alone
    (docs/decisions/0012-spam-filter.md).
    """

    linear: LogisticRegression
    bayes: MultinomialNB
    linear_scale: float
    bayes_scale: float

    @classmethod
    def fit(cls, matrix: spmatrix, labels: np.ndarray) -> Ensemble:
        linear = LogisticRegression(
            C=10.0, solver="liblinear", class_weight="balanced", max_iter=2000
        ).fit(matrix, labels)
        bayes = MultinomialNB(alpha=NB_ALPHA).fit(matrix, labels)
        linear_scale = float(np.std(linear.decision_function(matrix))) or 1.0
        bayes_scale = float(np.std(_bayes_log_odds(bayes, matrix))) or 1.0
        return cls(linear, bayes, linear_scale, bayes_scale)

    def intercept(self) -> float:
        """The summed log-odds of a comment with no features."""
        prior = self.bayes.class_log_prior_
        return float(
            self.linear.intercept_[0] / self.linear_scale
            + (prior[1] - prior[0]) / self.bayes_scale
        )

    def weights(self) -> np.ndarray:
        """Each feature's weight in the summed log-odds (per unit of its value)."""
        bayes = self.bayes.feature_log_prob_[1] - self.bayes.feature_log_prob_[0]
        return self.linear.coef_[0] / self.linear_scale + bayes / self.bayes_scale

    def spam_probability(self, matrix: spmatrix) -> np.ndarray:
        log_odds = (
            self.linear.decision_function(matrix) / self.linear_scale
            + _bayes_log_odds(self.bayes, matrix) / self.bayes_scale
        )
        return 1.0 / (1.0 + np.exp(-log_odds))


def _bayes_log_odds(bayes: MultinomialNB, matrix: spmatrix) -> np.ndarray:
    joint = bayes.predict_joint_log_proba(matrix)
    return joint[:, 1] - joint[:, 0]


@dataclass(frozen=True)
class Reason:
    """One feature that pushed a score up: its kind and what it matched."""

    kind: str
    value: str
    weight: float


@dataclass
class SpamModel:
    """A trained model with the thresholds chosen on its own training data.

    `hold_threshold` and `spam_threshold` are scores in 0..1; the spam one
    keeps out-of-fold false positives at or below the target rate.
    """

    features: FeatureUnion
    classifier: Ensemble
    spam_threshold: float
    hold_threshold: float
    trained_on: int
    names: list[str] = field(default_factory=list)
    _weights: list[float] = field(init=False, repr=False)
    _intercept: float = field(init=False, repr=False)
    _blocks: list[_Block] | None = field(init=False, repr=False, default=None)

    def __post_init__(self) -> None:
        self._weights = self.classifier.weights().tolist()
        self._intercept = self.classifier.intercept()

    def __getstate__(self) -> dict[str, object]:
        # The analyzers are rebuilt after loading; they hold bound methods.
        return {**self.__dict__, "_blocks": None}

    def score(self, sample: Sample) -> float:
        """The probability-like spam score of one comment, 0..1.

        Equal to score_many([sample]) (a test holds them together) but computed
        from the vocabularies directly: sklearn's checks on a one-row sparse
        matrix cost several milliseconds, more than the posting path may add.
        """
        log_odds = self._intercept + sum(
            value * self._weights[i] for i, value in self._vector(sample)
        )
        return 1.0 / (1.0 + math.exp(-log_odds))

    def _vector(self, sample: Sample) -> list[tuple[int, float]]:
        """The sample's non-zero features (index, tf-idf value), as transform()
        computes them: sublinear tf times idf, L2-normalised per block, times
        the block's weight."""
        if self._blocks is None:
            self._blocks = _blocks(self.features)
        vector = []
        for block in self._blocks:
            counts = Counter(block.analyze(sample))
            found = []
            for token, count in counts.items():
                column = block.vocabulary.get(token)
                if column is not None:
                    found.append((column, (1.0 + math.log(count)) * block.idf[column]))
            norm = math.sqrt(sum(v * v for _c, v in found)) or 1.0
            scale = block.weight / norm
            vector += [(block.offset + c, v * scale) for c, v in found]
        return vector

    def score_many(self, samples: Sequence[Sample]) -> np.ndarray:
        matrix = self.features.transform(list(samples))
        return self.classifier.spam_probability(matrix)

    def explain(self, sample: Sample, limit: int = 5) -> list[Reason]:
        """The features that added most to this comment's spam score."""
        weighed = sorted(
            ((value * self._weights[i], i) for i, value in self._vector(sample)),
            reverse=True,
        )
        reasons = []
        for weight, i in weighed[:limit]:
            if weight <= 0:
                break
            kind, _sep, value = self.names[i].partition("__")
            reasons.append(Reason(kind=kind, value=value, weight=weight))
        return reasons

    def dumps(self) -> bytes:
        return pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def loads(data: bytes) -> SpamModel:
        # The bytes come from this site's own database, written by train().
        model = pickle.loads(data)  # noqa: S301
        if not isinstance(model, SpamModel):
            raise TypeError("not a spam model")
        return model


@dataclass(frozen=True)
class _Block:
    analyze: Callable[[Sample], list[str]]
    vocabulary: dict[str, int]
    idf: list[float]
    offset: int
    weight: float


def _blocks(features: FeatureUnion) -> list[_Block]:
    blocks, offset = [], 0
    weights = features.transformer_weights or {}
    for name, vectorizer in features.transformer_list:
        vocabulary = {str(k): int(v) for k, v in vectorizer.vocabulary_.items()}
        blocks.append(
            _Block(
                analyze=vectorizer.build_analyzer(),
                vocabulary=vocabulary,
                idf=vectorizer.idf_.tolist(),
                offset=offset,
                weight=float(weights.get(name, 1.0)),
            )
        )
        offset += len(vocabulary)
    return blocks


class NotEnoughDataError(ValueError):
    """Too few examples of spam or of good comments to train on."""


def _fit(
    samples: Sequence[Sample], labels: np.ndarray
) -> tuple[FeatureUnion, Ensemble]:
    features = _features()
    matrix = features.fit_transform(list(samples))
    return features, Ensemble.fit(matrix, labels)


def threshold_for(scores: np.ndarray, labels: np.ndarray, max_fpr: float) -> float:
    """The lowest threshold whose false-positive rate on `scores` is <= max_fpr.

    A comment scores as spam when its score is >= the threshold.
    """
    ham = np.sort(scores[labels == 0])[::-1]
    allowed = int(np.floor(max_fpr * len(ham)))
    if allowed >= len(ham):
        return 0.0
    # Just above the (allowed+1)-th highest good comment.
    return float(np.nextafter(ham[allowed], 1.0))


def spam_threshold_for(
    scores: np.ndarray,
    labels: np.ndarray,
    groups: Sequence[str] | None,
    max_fpr: float,
) -> float:
    """The "likely spam" threshold from out-of-fold scores.

    Halfway between the pooled threshold at THRESHOLD_MARGIN of max_fpr (the
    next discussion as the average one) and the strictest threshold that keeps
    one group's own false positives at max_fpr (the next discussion as the
    hardest one seen).  Only groups with at least 1 / max_fpr good comments
    count: a smaller one's rate rests on one or two comments.  Without such
    groups, the pooled threshold (decision 0030).
    """
    pooled = threshold_for(scores, labels, max_fpr * THRESHOLD_MARGIN)
    if groups is None:
        return pooled
    names = np.asarray(groups)
    enough = math.ceil(1 / max_fpr) if max_fpr > 0 else len(labels) + 1
    strictest = [
        threshold_for(scores[names == g], labels[names == g], max_fpr)
        for g in sorted(set(groups))
        if ((names == g) & (labels == 0)).sum() >= enough
    ]
    if len(strictest) < 2:
        return pooled
    return (pooled + max(strictest)) / 2


def _folds(
    y: np.ndarray, groups: Sequence[str] | None, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    distinct = len(set(groups)) if groups is not None else 0
    if distinct >= 3:
        grouped = GroupKFold(n_splits=min(FOLDS, distinct))
        return list(grouped.split(np.zeros(len(y)), y, groups=list(groups or [])))
    folds = StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=seed)
    return list(folds.split(np.zeros(len(y)), y))


def train(
    samples: Sequence[Sample],
    labels: Sequence[int],
    *,
    groups: Sequence[str] | None = None,
    max_fpr: float = 0.01,
    hold_fpr: float = 0.05,
    seed: int = 0,
) -> SpamModel:
    """Fit a model on labelled comments (1 = spam) and choose its thresholds.

    The thresholds come from out-of-fold scores, so they describe comments the
    model has not seen.  `groups` names where each example comes from (a seed
    file, a report); folds then keep a group whole, so the thresholds allow for
    the shift to a discussion the model has not seen, which is what a new
    report is; the spam threshold allows for it further
    (spam_threshold_for).  Raises
    NotEnoughDataError below MIN_PER_CLASS of either class.
    """
    y = np.asarray(labels, dtype=int)
    if min((y == 1).sum(), (y == 0).sum()) < MIN_PER_CLASS:
        raise NotEnoughDataError("too few examples of spam or of good comments")
    oof = np.zeros(len(y))
    for fit_index, test_index in _folds(y, groups, seed):
        features, classifier = _fit([samples[i] for i in fit_index], y[fit_index])
        matrix = features.transform([samples[i] for i in test_index])
        oof[test_index] = classifier.spam_probability(matrix)
    spam_threshold = spam_threshold_for(oof, y, groups, max_fpr)
    hold_threshold = min(threshold_for(oof, y, hold_fpr), spam_threshold)
    features, classifier = _fit(samples, y)
    return SpamModel(
        features=features,
        classifier=classifier,
        spam_threshold=spam_threshold,
        hold_threshold=hold_threshold,
        trained_on=len(y),
        names=list(features.get_feature_names_out()),
    )
