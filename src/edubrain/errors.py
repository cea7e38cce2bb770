"""One error hierarchy for EduBrain.

Every error carries a message in Chinese and in English. The CLI prints one
line in the user's language and exits with ``exit_code``; the API (when it
exists) turns the same error into one JSON body.
"""

from __future__ import annotations

from typing import Any


class EduBrainError(Exception):
    """Base of all errors EduBrain reports to a user.

    Args:
        zh: The message in Chinese.
        en: The message in English.
        details: Machine-readable context (file, row, column, value ...).
    """

    exit_code = 2
    code = "error"

    def __init__(self, zh: str, en: str, **details: Any) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.details = details

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` (``zh`` or ``en``)."""
        return self.zh if lang == "zh" else self.en

    def to_dict(self) -> dict[str, Any]:
        """The error as the one JSON shape used everywhere."""
        return {"code": self.code, "message_zh": self.zh, "message_en": self.en, "details": self.details}


class CatalogError(EduBrainError):
    """A catalog declaration is invalid or a dataset/code table is unknown."""

    code = "catalog_error"


class UnknownDatasetError(CatalogError):
    """A dataset id that the catalog does not declare."""

    code = "unknown_dataset"


class InputFileError(EduBrainError):
    """A submitted file cannot be read at all (format, encoding, empty)."""

    code = "input_file_error"


class ValidationFailed(EduBrainError):
    """A submission was rejected by validation; nothing was stored."""

    exit_code = 1
    code = "validation_failed"


class ScopeError(EduBrainError):
    """An organisation acted outside its scope."""

    code = "scope_error"


class UnknownOrganisationError(EduBrainError):
    """An organisation code that is not in the organisation tree."""

    code = "unknown_organisation"


class NotInitialisedError(EduBrainError):
    """The EduBrain home has not been initialised."""

    code = "not_initialised"


class QueryError(EduBrainError):
    """A query was refused or failed."""

    code = "query_error"


class ConfigurationError(EduBrainError):
    """Settings that are unsafe or incomplete."""

    code = "configuration_error"


class LakeError(EduBrainError):
    """The lake could not read or write a table."""

    code = "lake_error"
