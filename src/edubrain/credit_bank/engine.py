"""The credit-rule engine: decide every outcome (认定), then accumulate (积累) and check the programme (转换).

The whole table of outcomes, for any number of learners, is evaluated as one polars query: each rule is a column
expression, caps are cumulative sums over windows (``learner × year × term``, ``learner × institution`` ...) and
de-duplication is a rank over ``learner × subject``. There is no Python loop over learners or rows; the only loop is
over the rules of the rule set, in their declared order.

Decision of an outcome (``decision``):

- ``accepted``: every claimed credit is granted; ``rule_id`` names the last rule that admitted it (an ``admit``
  rule, or the ``convert`` rule whose table gave a certificate its credits), or the rule set when none did.
- ``reduced``: some credits are granted; ``rule_id`` names the last rule that cut them.
- ``refused``: none are granted; ``rule_id`` names the last rule that cut them.

``trail`` lists, in order, every rule that changed the outcome's credits (``kr-term-cap>kr-year-cap``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from edubrain.credit_bank.outcomes import SCHEMA, prepare
from edubrain.credit_bank.schema import (
    AdmitRule,
    CapRule,
    ConvertRule,
    DeduplicateRule,
    Order,
    OutcomeFilter,
    RuleSet,
)

_LAST_YEAR = 2100


@dataclass(frozen=True)
class Evaluation:
    """What the engine decided.

    Attributes:
        ruleset: The rule set version applied.
        decisions: One row per outcome: the input columns plus ``claimed``, ``granted``, ``decision``,
            ``rule_id``, ``reason_zh``, ``reason_en`` and ``trail``.
        accumulation: One row per learner and requirement: ``required``, ``earned``, ``missing``, ``met``.
        progress: One row per learner: ``accepted_credits``, credits per category (``credits_<category>``),
            ``degree_met`` and ``missing_requirements`` (ids of the requirements not yet met).
    """

    ruleset: RuleSet
    decisions: pl.DataFrame
    accumulation: pl.DataFrame
    progress: pl.DataFrame


def matches(applies_to: OutcomeFilter) -> pl.Expr:
    """A boolean expression: the outcome is one ``applies_to`` describes (a missing field matches all)."""
    expr = pl.lit(True)
    for column, allowed in (
        ("kind", applies_to.kinds),
        ("education", applies_to.education),
        ("provider", applies_to.provider),
        ("category", applies_to.categories),
    ):
        if allowed is not None:
            expr = expr & pl.col(column).is_in(allowed).fill_null(False)
    return expr


_CANONICAL = {"year": "year", "term": "_term", "institution": "institution"}


def _sorted(frame: pl.LazyFrame, keys: list[str], order: Order) -> pl.LazyFrame:
    """``frame`` sorted so each group of ``keys`` is contiguous and in the order a rule keeps outcomes.

    ``_seq`` numbers the outcomes once by (learner, year, term, outcome id), so the chronological order of groups
    that are a prefix of that order is a sort on one integer column.
    """
    if order == "largest_first":
        return frame.sort([*keys, "_granted", "_seq"], descending=[*(False for _ in keys), True, False])
    if keys == ["_learner", "year", "_term"][: len(keys)]:
        return frame.sort("_seq")
    return frame.sort([*keys, "_seq"])


def _running(keys: list[str], value: pl.Expr) -> pl.Expr:
    """Running sum of ``value`` within each contiguous group of ``keys`` (inclusive), without hashing the groups."""
    boundary = pl.int_range(pl.len()) == 0
    for key in keys:
        boundary = boundary | pl.col(key).ne_missing(pl.col(key).shift(1))
    total = value.cum_sum()
    return total - pl.when(boundary).then(total - value).forward_fill()


def _cut(frame: pl.LazyFrame, applies: pl.Expr, new: pl.Expr, index: int, refuse: bool = False) -> pl.LazyFrame:
    """Lower ``_granted`` to ``new`` where ``applies``; record rule ``index`` where credits fell.

    With ``refuse`` the rule is recorded everywhere in ``applies``: a certificate claimed with no credits is still
    refused by name.
    """
    changed = applies if refuse else applies & (new < pl.col("_granted"))
    return frame.with_columns(
        pl.when(changed).then(new).otherwise(pl.col("_granted")).alias("_granted"),
        pl.when(changed).then(pl.lit(index, dtype=pl.Int16)).otherwise(pl.col("_rule")).alias("_rule"),
        pl.when(changed).then(pl.col("_trail") | pl.lit(1 << index, dtype=pl.Int64)).otherwise(pl.col("_trail")),
    )


def _admitted(frame: pl.LazyFrame, applies: pl.Expr, index: int) -> pl.LazyFrame:
    """Name rule ``index`` as the one that admitted the outcomes in ``applies`` (a later, more specific rule wins)."""
    return frame.with_columns(
        pl.when(applies).then(pl.lit(index, dtype=pl.Int16)).otherwise(pl.col("_admit")).alias("_admit")
    )


def _apply_admit(frame: pl.LazyFrame, rule: AdmitRule, index: int) -> pl.LazyFrame:
    inside = matches(rule.applies_to)
    return _admitted(_cut(frame, ~inside, pl.lit(0.0), index, refuse=True), inside, index)


def _conversion_table(rule: ConvertRule) -> pl.LazyFrame:
    """The table expanded to one row per (code, year): a plain equi-join then finds the entry for an award year."""
    rows = [
        (e.code, year, e.category, e.credits)
        for e in rule.table
        for year in range(e.from_year, (e.to_year or _LAST_YEAR) + 1)
    ]
    return pl.LazyFrame(
        rows, schema={"code": pl.String, "year": pl.Int32, "_t_cat": pl.String, "_t_credits": pl.Float64}, orient="row"
    )


def _apply_convert(frame: pl.LazyFrame, rule: ConvertRule, index: int) -> pl.LazyFrame:
    applies = matches(rule.applies_to)
    joined = frame.join(_conversion_table(rule), on=["code", "year"], how="left")
    listed = applies & pl.col("_t_credits").is_not_null()
    from_table = listed & pl.col("credits").is_null()
    joined = joined.with_columns(
        pl.when(from_table).then(pl.col("_t_credits")).otherwise(pl.col("claimed")).alias("claimed"),
        pl.when(from_table).then(pl.col("_t_credits")).otherwise(pl.col("_granted")).alias("_granted"),
        pl.when(listed).then(pl.col("_t_cat")).otherwise(pl.col("category")).alias("category"),
    )
    joined = _cut(joined, applies & ~listed, pl.lit(0.0), index, refuse=True)
    joined = _cut(joined, listed, pl.min_horizontal("_granted", "_t_credits"), index)
    return _admitted(joined, listed, index).drop("_t_cat", "_t_credits")


def _apply_deduplicate(frame: pl.LazyFrame, rule: DeduplicateRule, index: int) -> pl.LazyFrame:
    groups = {code: f"\x00group{g}" for g, group in enumerate(rule.equivalence_groups) for code in group}
    applies = matches(rule.applies_to) & (pl.col("_granted") > 0)
    subject = pl.col("code").replace(groups) if groups else pl.col("code")
    keys = ["_learner", "_subject"]
    ranked = _sorted(frame.with_columns(subject.alias("_subject"), applies.alias("_applies")), keys, rule.order)
    ranked = ranked.with_columns(_running(keys, pl.col("_applies").cast(pl.Int32)).alias("_rank"))
    cut = _cut(ranked, pl.col("_applies") & (pl.col("_rank") > 1), pl.lit(0.0), index)
    return cut.drop("_subject", "_applies", "_rank")


def _apply_cap(frame: pl.LazyFrame, rule: CapRule, index: int) -> pl.LazyFrame:
    keys = ["_learner", *(_CANONICAL[g] for g in ("year", "term", "institution") if g in rule.per)]
    applies = matches(rule.applies_to) & (pl.col("_granted") > 0)
    ordered = _sorted(frame.with_columns(applies.alias("_applies")), keys, rule.order)
    if rule.max_count is not None:
        ranked = ordered.with_columns(_running(keys, pl.col("_applies").cast(pl.Int32)).alias("_seen"))
        cut = _cut(ranked, pl.col("_applies") & (pl.col("_seen") > rule.max_count), pl.lit(0.0), index)
        return cut.drop("_applies", "_seen")
    contribution = pl.when(pl.col("_applies")).then(pl.col("_granted")).otherwise(0.0)
    summed = ordered.with_columns((_running(keys, contribution) - contribution).alias("_before"))
    room = pl.max_horizontal(pl.lit(rule.max_credits) - pl.col("_before"), pl.lit(0.0))
    cut = _cut(summed, pl.col("_applies"), pl.min_horizontal(room, pl.col("_granted")), index)
    return cut.drop("_applies", "_before")


_APPLY: dict[type, Any] = {
    AdmitRule: _apply_admit,
    ConvertRule: _apply_convert,
    DeduplicateRule: _apply_deduplicate,
    CapRule: _apply_cap,
}


def _texts(ruleset: RuleSet) -> dict[str, dict[int, str]]:
    """Rule index → id, reason when cutting, reason when admitting (Chinese and English)."""
    rules = list(enumerate(ruleset.rules))
    admitting = [(i, r) for i, r in rules if isinstance(r, AdmitRule | ConvertRule)]
    return {
        "id": {i: r.id for i, r in rules},
        "cut_zh": {i: r.reason_zh for i, r in rules},
        "cut_en": {i: r.reason_en for i, r in rules},
        "ok_zh": {i: r.accepted_zh for i, r in admitting},
        "ok_en": {i: r.accepted_en for i, r in admitting},
    }


def _name(column: str, mapping: dict[int, str]) -> pl.Expr:
    return pl.col(column).replace_strict(mapping, default=None, return_dtype=pl.String)


def decide(outcomes: pl.DataFrame, ruleset: RuleSet) -> pl.DataFrame:
    """One decision per outcome (see the module docstring), in the order of the input rows."""
    frame = (
        prepare(outcomes, ruleset.calendar)
        .lazy()
        .with_row_index("_row")
        .sort("learner_id", "year", pl.col("term").fill_null(0), "outcome_id")
        .with_row_index("_seq")
        .with_columns(
            pl.col("learner_id").ne_missing(pl.col("learner_id").shift(1)).cum_sum().alias("_learner"),
            pl.col("credits").fill_null(0.0).alias("claimed"),
            pl.col("credits").fill_null(0.0).alias("_granted"),
            pl.col("term").fill_null(0).alias("_term"),
            pl.lit(0, dtype=pl.Int64).alias("_trail"),
            pl.lit(None, dtype=pl.Int16).alias("_rule"),
            pl.lit(None, dtype=pl.Int16).alias("_admit"),
        )
    )
    for index, rule in enumerate(ruleset.rules):
        frame = _APPLY[type(rule)](frame, rule, index)
    decided = frame.sort("_row").collect()
    texts = _texts(ruleset)
    trails = {
        mask: ">".join(r.id for i, r in enumerate(ruleset.rules) if mask >> i & 1)
        for mask in decided["_trail"].unique().to_list()
    }
    granted = pl.col("_granted").round(4)
    cut = pl.col("_rule").is_not_null()
    return decided.select(
        *SCHEMA,
        "claimed",
        granted.alias("granted"),
        pl.when(granted <= 0)
        .then(pl.lit("refused"))
        .when(granted < pl.col("claimed"))
        .then(pl.lit("reduced"))
        .otherwise(pl.lit("accepted"))
        .alias("decision"),
        pl.when(cut)
        .then(_name("_rule", texts["id"]))
        .otherwise(_name("_admit", texts["id"]).fill_null(ruleset.id))
        .alias("rule_id"),
        pl.when(cut)
        .then(_name("_rule", texts["cut_zh"]))
        .otherwise(
            _name("_admit", texts["ok_zh"]).fill_null(f"符合《{ruleset.name_zh}》（{ruleset.version}），全部认定")
        )
        .alias("reason_zh"),
        pl.when(cut)
        .then(_name("_rule", texts["cut_en"]))
        .otherwise(
            _name("_admit", texts["ok_en"]).fill_null(
                f"Meets {ruleset.name_en} ({ruleset.version}); all credits granted"
            )
        )
        .alias("reason_en"),
        pl.col("_trail").replace_strict(trails, return_dtype=pl.String).alias("trail"),
    )


def accumulate(decisions: pl.DataFrame, ruleset: RuleSet) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per learner: accepted credits against each requirement (long), and progress to the degree (wide)."""
    earned = decisions.group_by("learner_id").agg(
        pl.col("granted").sum().alias("accepted_credits"),
        *(
            pl.when(pl.col("category") == c).then(pl.col("granted")).otherwise(0.0).sum().alias(f"credits_{c}")
            for c in ruleset.categories
        ),
        *(
            pl.when(matches(q.applies_to)).then(pl.col("granted")).otherwise(0.0).sum().alias(f"\x00{q.id}")
            for q in ruleset.requirements
        ),
    )
    required = pl.DataFrame(
        {
            "requirement_id": [q.id for q in ruleset.requirements],
            "name_zh": [q.name_zh for q in ruleset.requirements],
            "name_en": [q.name_en for q in ruleset.requirements],
            "required": [float(q.min_credits) for q in ruleset.requirements],
        },
        schema={"requirement_id": pl.String, "name_zh": pl.String, "name_en": pl.String, "required": pl.Float64},
    )
    accumulation = (
        earned.select("learner_id", *(f"\x00{q.id}" for q in ruleset.requirements))
        .unpivot(index="learner_id", variable_name="requirement_id", value_name="earned")
        .with_columns(pl.col("requirement_id").str.strip_chars_start("\x00"), pl.col("earned").round(4))
        .join(required, on="requirement_id", how="left")
        .with_columns((pl.col("required") - pl.col("earned")).clip(lower_bound=0).alias("missing"))
        .with_columns((pl.col("missing") <= 0).alias("met"))
        .select("learner_id", "requirement_id", "name_zh", "name_en", "required", "earned", "missing", "met")
        .sort("learner_id", "requirement_id")
    )
    unmet = (
        accumulation.group_by("learner_id")
        .agg(
            pl.col("met").all().alias("degree_met"),
            pl.col("requirement_id").filter(~pl.col("met")).sort().alias("missing_requirements"),
        )
        .lazy()
    )
    progress = (
        earned.lazy()
        .select("learner_id", "accepted_credits", *(f"credits_{c}" for c in ruleset.categories))
        .join(unmet, on="learner_id", how="left")
        .with_columns(
            pl.col("degree_met").fill_null(len(ruleset.requirements) == 0),
            pl.col("missing_requirements").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        )
        .sort("learner_id")
        .collect()
    )
    return accumulation, progress


def evaluate(outcomes: pl.DataFrame, ruleset: RuleSet) -> Evaluation:
    """Decide every outcome of every learner in ``outcomes`` under ``ruleset``, then accumulate.

    Args:
        outcomes: The outcome table (columns in :mod:`edubrain.credit_bank.outcomes`), any number of learners.
        ruleset: The rule set version to apply (see :func:`edubrain.credit_bank.loader.select_ruleset`).
    """
    decisions = decide(outcomes, ruleset)
    accumulation, progress = accumulate(decisions, ruleset)
    return Evaluation(ruleset, decisions, accumulation, progress)
