"""The spam-model variants of decision 0033, leave-one-file-out on the seed corpus.

For each variant and each seed file left out, repeats what `model.train` does with
the variant's features or classifier: scores on the three training files from
models that did not see the file (folds keep a file whole), a final fit on all
three, then the held-out file scored with the threshold a rule picks from those
out-of-fold scores.  The "base" variant equals `bench/spam_lofo.py` (the site's
model).  Prints recall/false-positive rate per fold for the site's rule
(`model.spam_threshold_for`), or for every rule with --rules.  Slow: about half a
minute per variant on an idle core.

Run: PYTHONPATH=. .venv/bin/python bench/spam_variants.py [--rules] [variant ...]
"""

from __future__ import annotations

import collections
import re
import sys

import numpy as np
from scipy.sparse import diags
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.model_selection import GroupKFold
from sklearn.naive_bayes import ComplementNB, MultinomialNB
from sklearn.pipeline import FeatureUnion

from tribune.discussion.spamfilter import corpus
from tribune.discussion.spamfilter import model as site
from tribune.discussion.spamfilter.features import (
    clean_text,
    meta_tokens,
    text_for_chars,
    text_for_words,
)

FILES = sorted(corpus.SEED_DIR.glob("*.csv"))


def normalised_chars(sample):
    text = re.sub(r"(.)\1{2,}", r"\1\1", clean_text(sample.text))
    return " ".join(re.sub(r"\d", "0", text).split())


BASE = {"alpha": 0.2}
VARIANTS = {
    "base": {},
    "nb_alpha_1": {"alpha": 1.0},
    "nb_alpha_0.1": {"alpha": 0.1},
    "nb_alpha_0.05 (site)": {"alpha": 0.05},
    "nb_alpha_0.02": {"alpha": 0.02},
    "0.05+C3": {"alpha": 0.05, "C": 3.0},
    "0.05+word_min_df2": {"alpha": 0.05, "word_min_df": 2},
    "0.05+word_1-3": {"alpha": 0.05, "word_ng": (1, 3)},
    "0.05+files_equal": {"alpha": 0.05, "weigh": "group"},
    "0.05+copies_1/n": {"alpha": 0.05, "weigh": "copies"},
    "0.05+meta_1": {"alpha": 0.05, "meta_w": 1.0},
    "0.05+meta_1.5": {"alpha": 0.05, "meta_w": 1.5},
    "0.05+meta_2.5": {"alpha": 0.05, "meta_w": 2.5},
    "C1": {"C": 1.0},
    "C3": {"C": 3.0},
    "no_class_weight": {"class_weight": None},
    "meta_3": {"meta_w": 3.0},
    "meta_4": {"meta_w": 4.0},
    "word_0.5": {"word_w": 0.5},
    "char_0.5": {"char_w": 0.5},
    "word_min_df2": {"word_min_df": 2},
    "char_1-4": {"char_ng": (1, 4)},
    "char_normalised": {"char_text": normalised_chars},
    "ngrams_in_2_files": {"cross_group": ("word", "char")},
    "words_in_2_files": {"cross_group": ("word",)},
    "complement_nb": {"parts": ("lr", "cnb")},
    "+sgd": {"parts": ("lr", "nb", "sgd")},
    "nbsvm+nb": {"parts": ("nbsvm", "nb")},
    "lr+nb+nbsvm": {"parts": ("lr", "nb", "nbsvm")},
    "stacked lr+nb": {"stack": (("lr", "all"), ("nb", "all"))},
    "stacked blocks+nb": {
        "stack": (("lr", "word"), ("lr", "char"), ("lr", "meta"), ("nb", "all"))
    },
    "stacked six": {
        "stack": tuple((k, b) for k in ("lr", "nb") for b in ("word", "char", "meta"))
    },
    "stacked lr+nb+lr_meta": {"stack": (("lr", "all"), ("nb", "all"), ("lr", "meta"))},
}


def features(cfg, samples, groups):
    word = TfidfVectorizer(
        preprocessor=text_for_words,
        ngram_range=cfg.get("word_ng", (1, 2)),
        min_df=cfg.get("word_min_df", 1),
        sublinear_tf=True,
        token_pattern=r"(?u)\b\w+\b",
    )
    char = TfidfVectorizer(
        preprocessor=cfg.get("char_text", text_for_chars),
        analyzer="char_wb",
        ngram_range=cfg.get("char_ng", (2, 5)),
        min_df=2,
        sublinear_tf=True,
    )
    blocks = [("word", word), ("char", char)]
    for i, (name, vectorizer) in enumerate(blocks):
        vectorizer.fit(samples)
        if name in cfg.get("cross_group", ()):
            # Keep only the n-grams seen in at least two training groups.
            present = (vectorizer.transform(samples) > 0).tocsr()
            files = sum(
                np.asarray(present[groups == g].sum(0)).ravel() > 0 for g in set(groups)
            )
            names = vectorizer.get_feature_names_out()
            kept = sorted(names[np.flatnonzero(files >= 2)])
            params = {**vectorizer.get_params(), "vocabulary": kept}
            blocks[i] = (name, TfidfVectorizer(**params).fit(samples))
    meta = TfidfVectorizer(analyzer=meta_tokens, sublinear_tf=True).fit(samples)
    weights = {k: cfg.get(f"{k}_w", 1.0) for k in ("word", "char")}
    weights["meta"] = cfg.get("meta_w", site.META_WEIGHT)
    return FeatureUnion([*blocks, ("meta", meta)], transformer_weights=weights)


def bayes_log_odds(bayes, matrix):
    joint = bayes.predict_joint_log_proba(matrix)
    return joint[:, 1] - joint[:, 0]


def part(cfg, kind, matrix, y, weight):
    """One classifier's log-odds function, fitted on `matrix`."""
    if kind == "lr":
        lr = LogisticRegression(
            C=cfg.get("C", 10.0),
            solver="liblinear",
            class_weight=cfg.get("class_weight", "balanced"),
            max_iter=2000,
        ).fit(matrix, y, sample_weight=weight)
        return lr.decision_function
    if kind in ("nb", "cnb"):
        bayes = (
            MultinomialNB(alpha=cfg.get("alpha", BASE["alpha"]))
            if kind == "nb"
            else ComplementNB(alpha=0.3)
        )
        bayes.fit(matrix, y, sample_weight=weight)
        return lambda m: bayes_log_odds(bayes, m)
    if kind == "sgd":
        sgd = SGDClassifier(
            loss="modified_huber",
            class_weight="balanced",
            random_state=0,
            max_iter=2000,
            tol=None,
        ).fit(matrix, y)
        return sgd.decision_function
    # NB-SVM: logistic regression on features scaled by NB log-count ratios.
    p = np.asarray(matrix[y == 1].sum(0)).ravel() + 1
    q = np.asarray(matrix[y == 0].sum(0)).ravel() + 1
    ratios = diags(np.log((p / p.sum()) / (q / q.sum())))
    lr = LogisticRegression(
        C=10.0, solver="liblinear", class_weight="balanced", max_iter=2000
    ).fit(matrix @ ratios, y)
    return lambda m: lr.decision_function(m @ ratios)


def sample_weights(cfg, samples, groups):
    if cfg.get("weigh") == "group":
        n = collections.Counter(groups)
        return np.array([len(groups) / (len(n) * n[g]) for g in groups])
    if cfg.get("weigh") == "copies":
        texts = [s.text.strip().lower() for s in samples]
        n = collections.Counter(texts)
        return np.array([len(texts) / (len(n) * n[t]) for t in texts])
    return None


def fit_sum(cfg, samples, y, groups):
    """Parts summed, each scaled by its spread (the site's Ensemble)."""
    union = features(cfg, samples, groups)
    matrix = union.transform(samples)
    weight = sample_weights(cfg, samples, groups)
    parts = []
    for kind in cfg.get("parts", ("lr", "nb")):
        fn = part(cfg, kind, matrix, y, weight)
        parts.append((fn, float(np.std(fn(matrix))) or 1.0))

    def score(test):
        m = union.transform(test)
        return 1 / (1 + np.exp(-sum(fn(m) / scale for fn, scale in parts)))

    return score


def fit_blocks(cfg, samples, y, groups):
    union = features(cfg, samples, groups)
    matrix = union.transform(samples)
    spans, start = {}, 0
    for name, vectorizer in union.transformer_list:
        spans[name] = slice(start, start + len(vectorizer.vocabulary_))
        start += len(vectorizer.vocabulary_)
    spans["all"] = slice(0, start)
    fns = [
        (part(cfg, kind, matrix[:, spans[block]], y, None), spans[block])
        for kind, block in cfg["stack"]
    ]
    return lambda test: np.column_stack(
        [fn(union.transform(test)[:, span]) for fn, span in fns]
    )


def fit_stacked(cfg, samples, y, groups):
    """Parts weighed by a logistic regression on their file-out-of-fold scores;
    returns the scorer and the stacked out-of-fold scores."""
    oof = np.zeros((len(y), len(cfg["stack"])))
    for fit_index, test_index in GroupKFold(n_splits=len(set(groups))).split(
        oof, y, groups=groups
    ):
        parts = fit_blocks(
            cfg, [samples[i] for i in fit_index], y[fit_index], groups[fit_index]
        )
        oof[test_index] = parts([samples[i] for i in test_index])
    spread = oof.std(0)
    spread[spread == 0] = 1
    stacker = LogisticRegression(class_weight="balanced").fit(oof / spread, y)
    parts = fit_blocks(cfg, samples, y, groups)
    return (
        lambda test: stacker.predict_proba(parts(test) / spread)[:, 1],
        stacker.predict_proba(oof / spread)[:, 1],
    )


def fold(cfg, held):
    train = corpus.read_files([f for f in FILES if f != held])
    samples, y, groups = (
        train.samples,
        np.asarray(train.labels),
        np.asarray(train.groups),
    )
    test = corpus.read_csv(held)
    if "stack" in cfg:
        score, oof = fit_stacked(cfg, samples, y, groups)
    else:
        oof = np.zeros(len(y))
        for fit_index, test_index in GroupKFold(n_splits=3).split(oof, y, groups):
            scorer = fit_sum(
                cfg, [samples[i] for i in fit_index], y[fit_index], groups[fit_index]
            )
            oof[test_index] = scorer([samples[i] for i in test_index])
        score = fit_sum(cfg, samples, y, groups)
    return oof, y, groups, score(test.samples), np.asarray(test.labels)


def file_thresholds(oof, y, groups):
    return [
        site.threshold_for(oof[groups == g], y[groups == g], 0.01) for g in set(groups)
    ]


RULES = {
    "site (halfway)": lambda o, y, g: site.spam_threshold_for(o, y, list(g), 0.01),
    "pooled 1%": lambda o, y, g: site.threshold_for(o, y, 0.01),
    "pooled 0.5%": lambda o, y, g: site.threshold_for(o, y, 0.005),
    "strictest file": lambda o, y, g: max(file_thresholds(o, y, g)),
    "mean of files": lambda o, y, g: float(np.mean(file_thresholds(o, y, g))),
    "median of files": lambda o, y, g: float(np.median(file_thresholds(o, y, g))),
}


def main(argv):
    every_rule = "--rules" in argv
    names = [a for a in argv if a != "--rules"] or list(VARIANTS)
    rules = list(RULES) if every_rule else ["site (halfway)"]
    print("| variant | rule | " + " | ".join(f.stem for f in FILES) + " | peek |")
    print("|---|---|" + "---|" * len(FILES) + "---:|")
    for name in names:
        folds = [fold(VARIANTS[name], held) for held in FILES]
        peek = np.mean(
            [(s[t == 1] >= site.threshold_for(s, t, 0.01)).mean() for *_, s, t in folds]
        )
        for rule in rules:
            cells = []
            for oof, y, groups, s, t in folds:
                threshold = RULES[rule](oof, y, groups)
                recall = (s[t == 1] >= threshold).mean()
                fpr = (s[t == 0] >= threshold).mean()
                cells.append(f"{recall:.3f}/{fpr:.3f}")
            print(f"| {name} | {rule} | " + " | ".join(cells) + f" | {peek:.3f} |")
            sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
