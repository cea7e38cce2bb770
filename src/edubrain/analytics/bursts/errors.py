"""Errors of burst detection, in the platform's one hierarchy (zh/en message, details)."""

from __future__ import annotations

from edubrain.errors import EduBrainError


class BurstInputError(EduBrainError):
    """Count series or detector settings that cannot be used as given."""

    code = "burst_input_error"
