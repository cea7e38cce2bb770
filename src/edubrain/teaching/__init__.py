"""The governed teaching-quality facade (教学质量): exam item analysis and school value-added.

Adapters (API, web pages, the CLI) call only these functions; each reads the derived datasets through governance
(:func:`~edubrain.governance.readpath.read_dataset`: row scope by school, audit). Item statistics and value-added
effects are aggregates with no pupil's row; the item-level responses they come from are personal and are never read
here. See docs/item-analysis.md and docs/value-added.md.
"""

from edubrain.teaching.items import exam_items, exams, item_options, may_read_items
from edubrain.teaching.models import (
    ExamItems,
    ExamNotFound,
    ExamSummary,
    ItemOptions,
    ItemRow,
    OptionRow,
    SchoolEffect,
    ValueAddedView,
)
from edubrain.teaching.value_added import may_read_value_added, school_effects, school_names

__all__ = [
    "ExamItems",
    "ExamNotFound",
    "ExamSummary",
    "ItemOptions",
    "ItemRow",
    "OptionRow",
    "SchoolEffect",
    "ValueAddedView",
    "exam_items",
    "exams",
    "item_options",
    "may_read_items",
    "may_read_value_added",
    "school_effects",
    "school_names",
]
