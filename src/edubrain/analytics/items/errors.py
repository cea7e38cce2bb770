"""Errors of item analysis, in the platform's one hierarchy (zh/en message, details)."""

from __future__ import annotations

from edubrain.errors import EduBrainError


class ItemDataError(EduBrainError):
    """An item-response matrix cannot be analysed as given (shape, missing values, codes)."""

    code = "item_data_error"
