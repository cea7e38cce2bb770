"""Identity resolution of student records (学籍身份识别): which two records are the same child.

A pure function, :func:`score_pairs`: a frame of student records in, scored candidate pairs out. Rules first,
then a probabilistic model (Fellegi-Sunter, trained and scored by Splink on DuckDB) for the rest:

1. **Same 身份证号** (both present, equal): the same child, whatever else differs (``rule = 'id_number'``,
   probability 1). A re-registration at a new school under a new 学籍号 keeps the 身份证号.
2. **Different 身份证号** (both present, not equal): never the same child, whatever else agrees — twins share a
   birth date, surname, address and guardian phone; namesakes share a name and birth date. Such pairs are
   dropped, whatever the model says.
3. **Otherwise** (at least one record without a 身份证号) the model decides (``rule = 'model'``): comparisons on
   the name (exact / one character different / Jaro-Winkler >= 0.7 / surname only), the birth date (exact /
   one digit wrong or two transposed (Damerau-Levenshtein 1 on ``YYYYMMDD``) / within 31 days), sex, hukou
   district, address (exact / Jaro-Winkler >= 0.9), guardian phone (exact / one digit), 身份证号 (exact).

Candidate pairs come from blocking rules (only pairs agreeing on one of them are scored): the same birth
date; the same 身份证号; the same name and sex; the same guardian phone.

Training is unsupervised and uses the records only (never a truth file): the prior (probability that two
random records match) from deterministic rules (same name, birth date and guardian phone; same 身份证号) with an
assumed recall of 0.8 (:func:`prior`); u probabilities by random sampling (seeded); m probabilities by expectation
maximisation on two blocking passes (same birth date; same name and sex; a pass with no pair is skipped and
its m values keep Splink's defaults). DuckDB runs on one thread with a
fixed seed, so the same records give the same scores.

:data:`MATCH_THRESHOLD` (0.9) is the documented decision threshold: pairs at or above it are proposed as
duplicates; :func:`score_pairs` returns every pair at or above ``floor`` so that a reviewer can see near
misses too. See docs/identity-resolution.md for the measured precision and recall.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

COLUMNS = (
    "student_id",
    "name",
    "sex",
    "birth_date",
    "id_number",
    "hukou_district_code",
    "address",
    "guardian_phone",
    "school_code",
)
"""Columns :func:`score_pairs` reads (``school_code`` is carried to the output, not compared)."""

MATCH_THRESHOLD = 0.9
"""Match probability at or above which a pair is proposed as the same child."""

PAIR_SCHEMA = {
    "left_id": pl.String,
    "right_id": pl.String,
    "left_school": pl.String,
    "right_school": pl.String,
    "match_probability": pl.Float64,
    "match_weight": pl.Float64,
    "rule": pl.String,
}
"""Columns of the result: ``left_id`` < ``right_id``; ``rule`` is ``id_number`` or ``model``."""


class LinkageInputError(ValueError):
    """The records cannot be linked (a column is missing or the student numbers repeat)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class LinkageSettings:
    """Parameters of the model.

    Attributes:
        seed: Seed of the u sampling.
        max_pairs: Pairs sampled to estimate u.
        prior_recall: Assumed recall of the deterministic rules that estimate the prior.
        floor: Pairs scored below this probability are not returned.
    """

    seed: int = 20251201
    max_pairs: float = 2e6
    prior_recall: float = 0.8
    floor: float = 0.5


def _prepared(records: pl.DataFrame) -> pl.DataFrame:
    """The records as Splink compares them: text columns, blanks as nulls, the name split, the date as digits."""
    missing = [c for c in COLUMNS if c not in records.columns]
    if missing:
        raise LinkageInputError(f"学生记录缺少列：{', '.join(missing)}", f"student records lack: {', '.join(missing)}")
    frame = records.select(
        [pl.col(c).cast(pl.String).str.strip_chars().replace("", None).alias(c) for c in COLUMNS]
    ).with_columns(
        pl.col("name").str.slice(0, 1).alias("surname"),
        pl.col("birth_date").str.replace_all("-", "").alias("birth_digits"),
    )
    if frame.get_column("student_id").null_count() or frame.get_column("student_id").n_unique() != frame.height:
        raise LinkageInputError("学籍号为空或重复", "student numbers are empty or repeated")
    return frame.sort("student_id")


def _settings(prior: float | None = None) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name = cl.CustomComparison(
        [
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name"),
            cll.LevenshteinLevel("name", 1),
            cll.JaroWinklerLevel("name", 0.7),
            cll.ExactMatchLevel("surname"),
            cll.ElseLevel(),
        ],
        output_column_name="name",
    )
    birth = cl.CustomComparison(
        [
            cll.NullLevel("birth_digits"),
            cll.ExactMatchLevel("birth_digits"),
            cll.DamerauLevenshteinLevel("birth_digits", 1),
            cll.AbsoluteDateDifferenceLevel("birth_date", input_is_string=True, threshold=31, metric="day"),
            cll.ElseLevel(),
        ],
        output_column_name="birth_date",
    )
    address = cl.CustomComparison(
        [
            cll.NullLevel("address"),
            cll.ExactMatchLevel("address"),
            cll.JaroWinklerLevel("address", 0.9),
            cll.ElseLevel(),
        ],
        output_column_name="address",
    )
    phone = cl.CustomComparison(
        [
            cll.NullLevel("guardian_phone"),
            cll.ExactMatchLevel("guardian_phone"),
            cll.LevenshteinLevel("guardian_phone", 1),
            cll.ElseLevel(),
        ],
        output_column_name="guardian_phone",
    )
    extra: dict[str, Any] = {} if prior is None else {"probability_two_random_records_match": prior}
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="student_id",
        comparisons=[
            name,
            birth,
            cl.ExactMatch("id_number"),
            cl.ExactMatch("sex"),
            cl.ExactMatch("hukou_district_code"),
            address,
            phone,
        ],
        blocking_rules_to_generate_predictions=[
            block_on("birth_date"),
            block_on("id_number"),
            block_on("name", "sex"),
            block_on("guardian_phone"),
        ],
        retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["school_code"],
        **extra,
    )


def prior(frame: pl.DataFrame, recall: float) -> float:
    """Probability that two random records are the same child, from deterministic rules (no truth used).

    Pairs agreeing on name, birth date and guardian phone, plus pairs sharing a 身份证号, divided by the assumed
    ``recall`` of those rules and by the number of pairs; at least one pair, at most a half.
    """
    n = frame.height
    total = n * (n - 1) / 2

    def pairs(*keys: str) -> float:
        groups = frame.drop_nulls(list(keys)).group_by(list(keys)).len()
        return float(groups.select((pl.col("len") * (pl.col("len") - 1) / 2).sum()).item() or 0)

    found = pairs("name", "birth_date", "guardian_phone") + pairs("id_number")
    return min(0.5, max(found / recall, 1.0) / total)


def _empty() -> pl.DataFrame:
    return pl.DataFrame(schema=PAIR_SCHEMA)


def score_pairs(records: pl.DataFrame, settings: LinkageSettings | None = None) -> pl.DataFrame:
    """Candidate pairs of ``records`` that may be the same child, scored (see the module docstring).

    Args:
        records: One row per student record, with the :data:`COLUMNS` (unmasked: this function is pure and
            is handed the records by the governed caller).
        settings: Model parameters (default :class:`LinkageSettings`).

    Returns:
        Pairs with :data:`PAIR_SCHEMA` columns, probability at or above ``settings.floor``, sorted by
        ``left_id``, ``right_id``. Pairs with two different 身份证号 are never returned; pairs with the same one
        always are (probability 1, rule ``id_number``).

    Raises:
        LinkageInputError: a column is missing, or a student number is empty or repeated.
    """
    from splink import DuckDBAPI, Linker, block_on
    from splink.internals.exceptions import SplinkException

    params = settings or LinkageSettings()
    frame = _prepared(records)
    if frame.height < 2:
        return _empty()
    con = duckdb.connect(":memory:")
    con.execute("SET threads = 1")
    logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        api = DuckDBAPI(connection=con)
        table = api.register(frame.to_arrow(), dataset_display_name="students")
        linker = Linker(table, _settings(prior(frame, params.prior_recall)), log_level=None)
        training = linker.training
        training.estimate_u_using_random_sampling(max_pairs=params.max_pairs, seed=params.seed)
        for rule in (block_on("birth_date"), block_on("name", "sex")):
            try:
                training.estimate_parameters_using_expectation_maximisation(rule)
            except SplinkException:  # no pair agrees on the rule (a tiny roster): keep the default m values
                continue
        scored = linker.inference.predict(threshold_match_probability=0.0, warning_mode="never")
        pairs = pl.from_arrow(
            scored.as_duckdbpyrelation()
            .select("student_id_l, student_id_r, school_code_l, school_code_r, match_probability, match_weight")
            .to_arrow_table()
        )
    finally:
        con.close()
    assert isinstance(pairs, pl.DataFrame)
    return _with_rules(frame, pairs, params.floor)


def _with_rules(frame: pl.DataFrame, pairs: pl.DataFrame, floor: float) -> pl.DataFrame:
    """Apply the 身份证号 rules to the model's pairs; keep those at or above ``floor``; put them in order."""
    ids = frame.select("student_id", "id_number")
    left, right = pl.col("student_id_l"), pl.col("student_id_r")
    ordered = pairs.select(
        pl.min_horizontal(left, right).alias("left_id"),
        pl.max_horizontal(left, right).alias("right_id"),
        pl.when(left < right).then(pl.col("school_code_l")).otherwise(pl.col("school_code_r")).alias("left_school"),
        pl.when(left < right).then(pl.col("school_code_r")).otherwise(pl.col("school_code_l")).alias("right_school"),
        pl.col("match_probability").cast(pl.Float64),
        pl.col("match_weight").cast(pl.Float64),
    )
    joined = ordered.join(ids.rename({"student_id": "left_id", "id_number": "_lid"}), on="left_id").join(
        ids.rename({"student_id": "right_id", "id_number": "_rid"}), on="right_id"
    )
    both = pl.col("_lid").is_not_null() & pl.col("_rid").is_not_null()
    same = both & (pl.col("_lid") == pl.col("_rid"))
    out = (
        joined.filter(~both | same)
        .with_columns(
            pl.when(same).then(pl.lit("id_number")).otherwise(pl.lit("model")).alias("rule"),
            pl.when(same).then(pl.lit(1.0)).otherwise(pl.col("match_probability")).alias("match_probability"),
        )
        .filter(pl.col("match_probability") >= floor)
        .unique(["left_id", "right_id"], keep="first")
        .select(list(PAIR_SCHEMA))
        .sort("left_id", "right_id")
    )
    return out.cast(PAIR_SCHEMA)  # type: ignore[arg-type]
