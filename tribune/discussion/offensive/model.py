"""The English offensive-language model that alt-profanity-check ships (decision
0021), loaded once per process.

The package's model is a TF-IDF vectorizer and scikit-learn's
CalibratedClassifierCV over five linear SVMs with sigmoid calibration.  Its own
`predict_prob` spends about 3 ms per call in scikit-learn's input checks; the
same numbers come from one sparse product with the five SVMs' weights stacked
and the five sigmoids averaged, which `_Calibrated` computes (tested against
`predict_proba` on a corpus).  scikit-learn's `TfidfVectorizer.transform`
spends most of its 2 to 3 ms per comment in the same kind of checks; `_Tfidf`
counts the words and weights them as it does, without building a sparse
matrix.  A model of another shape is asked through `predict_proba` instead.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import expit

logger = logging.getLogger(__name__)


# One text's features: its vocabulary columns (ascending, as scikit-learn sorts
# them) and their weights.
Row = tuple[Any, Any]


class _Tfidf:
    """TfidfVectorizer.transform(texts) as rows, for a fitted word vectorizer
    with idf weights and l2 norm (the shipped one)."""

    def __init__(self, vectorizer: Any) -> None:
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary = vectorizer.vocabulary_
        self.idf = vectorizer.idf_.tolist()
        self.sublinear = vectorizer.sublinear_tf
        self.findall = _plain_words(vectorizer)

    @staticmethod
    def fits(vectorizer: Any) -> bool:
        return (
            type(vectorizer).__name__ == "TfidfVectorizer"
            and vectorizer.analyzer == "word"
            and not vectorizer.binary
            and vectorizer.use_idf
            and vectorizer.norm == "l2"
            and vectorizer.dtype == np.float64
            and hasattr(vectorizer, "idf_")
        )

    def rows(self, texts: Sequence[str]) -> list[Row]:
        found = []
        vocabulary, idf = self.vocabulary, self.idf
        for text in texts:
            counts: dict[int, int] = {}
            words = self.findall(text.lower()) if self.findall else self.analyze(text)
            for word in words:
                column = vocabulary.get(word)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            columns = sorted(counts)
            if self.sublinear:
                data = [(math.log(counts[c]) + 1.0) * idf[c] for c in columns]
            else:
                data = [counts[c] * idf[c] for c in columns]
            norm = math.sqrt(sum(v * v for v in data))
            if norm > 0:
                data = [v / norm for v in data]
            found.append((np.array(columns, np.intp), np.array(data, np.float64)))
        return found


def _plain_words(vectorizer: Any) -> Callable[[str], list[str]] | None:
    """The analyzer as one regular expression over the lower-cased text, when
    that is all it does: scikit-learn's analyzer chain (decoder, preprocessor,
    tokenizer, n-grams, stop words) costs more calls than the words it finds.
    Stop words need no filter when none is in the vocabulary (fitting drops
    them), so a lookup misses them either way."""
    stop_words = vectorizer.get_stop_words() or frozenset()
    plain = (
        vectorizer.input == "content"
        and vectorizer.preprocessor is None
        and vectorizer.tokenizer is None
        and vectorizer.lowercase
        and vectorizer.strip_accents is None
        and tuple(vectorizer.ngram_range) == (1, 1)
        and isinstance(vectorizer.token_pattern, str)
        and not any(word in vectorizer.vocabulary_ for word in stop_words)
    )
    return re.compile(vectorizer.token_pattern).findall if plain else None


def _rows(features: Any) -> list[Row]:
    """The rows of a CSR matrix as (columns, weights)."""
    return [
        (
            features.indices[features.indptr[i] : features.indptr[i + 1]],
            features.data[features.indptr[i] : features.indptr[i + 1]],
        )
        for i in range(features.shape[0])
    ]


class _Calibrated:
    """predict_proba(...)[:, 1] of a binary sigmoid CalibratedClassifierCV."""

    def __init__(self, model: Any) -> None:
        fitted = model.calibrated_classifiers_
        # One row per SVM, contiguous: a text's few columns are read together.
        self.weights = np.vstack([c.estimator.coef_[0] for c in fitted])
        self.intercepts = np.array([c.estimator.intercept_[0] for c in fitted])
        self.slopes = np.array([c.calibrators[0].a_ for c in fitted])
        self.offsets = np.array([c.calibrators[0].b_ for c in fitted])

    @staticmethod
    def fits(model: Any) -> bool:
        fitted = getattr(model, "calibrated_classifiers_", None) or []
        return bool(fitted) and all(
            c.method == "sigmoid"
            and len(c.classes) == 2
            and len(c.calibrators) == 1
            and hasattr(c.estimator, "coef_")
            for c in fitted
        )

    def probabilities(self, rows: Sequence[Row]) -> list[float]:
        """Row by row: scipy's sparse-times-dense product costs more than
        reading the few columns a short text has."""
        found = []
        for columns, data in rows:
            decisions = self.weights[:, columns] @ data
            scores = expit(
                -(self.slopes * (decisions + self.intercepts) + self.offsets)
            )
            found.append(float(scores.mean()))
        return found


class OffensiveModel:
    """The shipped vectorizer and classifier, with a fast path when possible."""

    def __init__(self, vectorizer: Any, model: Any) -> None:
        self.vectorizer = vectorizer
        self.model = model
        self.fast = _Calibrated(model) if _Calibrated.fits(model) else None
        if self.fast is None:
            logger.info("offensive model: no fast path for %s", type(model).__name__)
        self.words = _Tfidf(vectorizer) if _Tfidf.fits(vectorizer) else None

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """The probability that each text is offensive, 0 to 1."""
        if not texts:
            return []
        if self.fast is not None and self.words is not None:
            return self.fast.probabilities(self.words.rows(texts))
        features = self.vectorizer.transform(texts)
        if self.fast is not None:
            return self.fast.probabilities(_rows(features))
        return [float(p) for p in self.model.predict_proba(features)[:, 1]]


@functools.cache
def get_model() -> OffensiveModel:
    """The process's model, loaded from the installed package on first use
    (about 1.5 s; `warm_up` at start-up pays it before the first comment)."""
    from profanity_check import profanity_check  # loads the files on import

    return OffensiveModel(profanity_check.vectorizer, profanity_check.model)


def warm_up() -> None:
    """Load the model and score one text, so the first comment does not wait."""
    get_model().probabilities(["warm up"])
