"""The offline case router: jieba words, TF-IDF, a multinomial logistic regression (scikit-learn).

Trained on first use from the packaged synthetic corpus (:func:`~edubrain.analytics.routing.corpus.synthetic_corpus`);
the corpus, the split and the solver are deterministic, so the same version routes the same text the same way.
Nothing is downloaded: jieba's dictionary ships with the package. A prediction below the taxonomy's
``min_confidence`` is not routed but sent to manual triage.

Method: Salton & Buckley (1988), "Term-weighting approaches in automatic text retrieval" (TF-IDF, sublinear tf);
the linear model is scikit-learn's ``LogisticRegression`` (lbfgs). Segmentation: jieba 0.42 (precise mode).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from edubrain.analytics.routing.corpus import synthetic_corpus
from edubrain.analytics.routing.taxonomy import load_taxonomy

_PUNCT = re.compile(r"^[\s\W\d_]+$")


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def tokens(text: str) -> list[str]:
    """Jieba's words of ``text`` (precise mode), punctuation, digits and spaces dropped."""
    return [w for w in _tokenizer().lcut(text) if not _PUNCT.match(w)]


@dataclass(frozen=True)
class Routing:
    """Where the router sends one text.

    Attributes:
        category: The most likely category.
        confidence: Its predicted probability (0–1).
        office: The office that answers the category, or the triage office when not confident.
        triage: True when the confidence is below the taxonomy's ``min_confidence``.
    """

    category: str
    confidence: float
    office: str
    triage: bool


@dataclass(frozen=True)
class Evaluation:
    """Held-out quality of the router: accuracy, macro-F1, per-category F1, and the triage share."""

    train_size: int
    test_size: int
    accuracy: float
    macro_f1: float
    per_category_f1: dict[str, float]
    triage_share: float
    accuracy_when_routed: float


def build_pipeline() -> Pipeline:
    """TF-IDF over jieba words (unigrams and bigrams, sublinear tf) and a logistic regression."""
    vectorizer = TfidfVectorizer(tokenizer=tokens, token_pattern=None, lowercase=False, ngram_range=(1, 2),
                                 sublinear_tf=True, min_df=1)  # fmt: skip
    return Pipeline([("tfidf", vectorizer), ("model", LogisticRegression(C=10.0, max_iter=2000))])


class CaseRouter:
    """A trained router; :func:`default_router` gives the one trained on the packaged corpus."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.taxonomy = load_taxonomy()

    @classmethod
    def train(cls, texts: list[str], labels: list[str]) -> CaseRouter:
        """Fit a router on labelled texts."""
        return cls(build_pipeline().fit(texts, labels))

    def route(self, texts: list[str]) -> list[Routing]:
        """The routing of each text (one vectorised prediction for all)."""
        if not texts:
            return []
        proba = self.pipeline.predict_proba(texts)
        classes = self.pipeline.classes_
        best = proba.argmax(axis=1)
        out = []
        for i, j in enumerate(best):
            category, confidence = str(classes[j]), float(proba[i, j])
            triage = confidence < self.taxonomy.min_confidence
            office = self.taxonomy.triage_office if triage else self.taxonomy.office_of(category)
            out.append(Routing(category, round(confidence, 4), office, triage))
        return out


@lru_cache(maxsize=1)
def default_router() -> CaseRouter:
    """The router trained on the whole packaged corpus (trained once per process, in about a second)."""
    texts, labels = synthetic_corpus()
    return CaseRouter.train(texts, labels)


def evaluate(per_category: int = 160, seed: int = 18, test_share: float = 0.25, noise: float = 0.2) -> Evaluation:
    """Train on a stratified split of the synthetic corpus and measure on the held-out part."""
    texts, labels = synthetic_corpus(per_category, seed, noise)
    x_train, x_test, y_train, y_test = train_test_split(
        texts, labels, test_size=test_share, random_state=seed, stratify=labels
    )
    router = CaseRouter.train(x_train, y_train)
    found = router.route(x_test)
    predicted = [r.category for r in found]
    routed = np.array([not r.triage for r in found])
    hits = np.array(predicted) == np.array(y_test)
    names = sorted(set(labels))
    per = f1_score(y_test, predicted, labels=names, average=None)
    return Evaluation(
        train_size=len(x_train),
        test_size=len(x_test),
        accuracy=round(float(accuracy_score(y_test, predicted)), 4),
        macro_f1=round(float(f1_score(y_test, predicted, average="macro")), 4),
        per_category_f1={n: round(float(v), 4) for n, v in zip(names, per, strict=True)},
        triage_share=round(float(1 - routed.mean()), 4),
        accuracy_when_routed=round(float(hits[routed].mean()) if routed.any() else 0.0, 4),
    )
