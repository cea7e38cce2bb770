"""Adaptive learning (自适应学习): the knowledge-point catalog, statements mapped to points, mastery, recommendations.

Pure: lists of statements and tables in, tables and plain objects out. Mastery uses the shared BKT forward pass
(:func:`edubrain.analytics.kt.bkt.forward`). The governed facade is :mod:`edubrain.learning`.
"""
