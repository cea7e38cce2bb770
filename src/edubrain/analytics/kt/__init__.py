"""Knowledge tracing (知识追踪): models of a learner's mastery of knowledge points from their answers.

`bkt` holds the Bayesian Knowledge Tracing forward pass every caller shares (mastery pages, evaluation).
"""
