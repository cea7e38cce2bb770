"""Routing public-service cases (接诉即办) to the responsible office: an offline Chinese text classifier.

jieba segmentation, TF-IDF and a logistic regression, trained on a packaged synthetic corpus; categories, offices and
response limits are data (``data/categories.yaml``). See docs/public-service.md.
"""

from edubrain.analytics.routing.classifier import CaseRouter, Evaluation, Routing, default_router, evaluate, tokens
from edubrain.analytics.routing.corpus import synthetic_corpus
from edubrain.analytics.routing.taxonomy import Category, Office, Taxonomy, load_taxonomy

__all__ = [
    "CaseRouter",
    "Category",
    "Evaluation",
    "Office",
    "Routing",
    "Taxonomy",
    "default_router",
    "evaluate",
    "load_taxonomy",
    "synthetic_corpus",
    "tokens",
]
