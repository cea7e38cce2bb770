"""Planted duplicate student records, with known truth, for measuring identity resolution.

Real rosters hold the same child twice: re-registered at a new school under a new 学籍号 while the old record
stays behind, with a mistyped name, with a wrong birth-date digit, or without the 身份证号 on one of the two
records. They also hold children who look alike and are different: twins (same birth date, surname, address
and guardian phone, another given name and 身份证号) and unrelated children of the same name and birth date.

:func:`plant` adds such records to the last school year's ``students`` table of one district, at the rate
``SynthConfig.duplicates`` (a share of the district's students; 0 plants nothing), and writes the truth
beside the generated data in ``identity-truth/<district>.csv`` (not in the manifest, never loaded): one row
per planted pair, ``kind``, ``left_id`` (the original record), ``right_id`` (the planted one) and ``match``.

Every planted row passes the students' validation rules: a second record of a child cannot repeat the
child's ``G`` + 身份证号 student number (the primary key), so it gets a ``J`` number; a record whose birth date
differs from the date inside the 身份证号 carries no 身份证号; a twin's or namesake's new 身份证号 uses a
sequence number outside every district's block (:func:`edubrain.synth.ids.district_blocks`), so it collides
with no generated person.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from edubrain.synth.facts import District, districts
from edubrain.synth.ids import SEQUENCES, check_chars, district_blocks, padded, phones

TRUTH_FOLDER = "identity-truth"
"""Folder (under the generated city's root) of the truth files, one CSV per district."""

MATCH_KINDS = ("reregistration", "name_typo", "birth_date", "missing_id")
"""Planted pairs that are the same child."""
NON_MATCH_KINDS = ("twins", "namesake")
"""Planted pairs that are different children and must never be merged."""
KINDS = MATCH_KINDS + NON_MATCH_KINDS

TRUTH_SCHEMA = {"kind": pl.String, "left_id": pl.String, "right_id": pl.String, "match": pl.Boolean}

SIMILAR: dict[str, str] = dict(
    zip(
        "晓小子梓欣心怡仪瑞睿嘉佳杰洁俊骏雯文琳林浩皓宇雨轩萱涵寒博搏婷亭静靖思斯雪学晨辰一逸妍研诗时伟玮",
        "小晓梓子心欣仪怡睿瑞佳嘉洁杰骏俊文雯林琳皓浩雨宇萱轩寒涵搏博亭婷靖静斯思学雪辰晨逸一研妍时诗玮伟",
        strict=True,
    )
)
"""Characters commonly confused when a name is typed (same sound or similar shape): 晓/小, 梓/子, 睿/瑞 …"""

_TWIN_GIVEN = np.array(list("安宁乐平嘉怡浩然子涵雨萱一诺梓轩思远欣悦"))
_STREETS = np.array(["朝阳路", "阜成路", "西四环", "通惠河", "永定门", "崇文门"])


def _free_sequence(district: District) -> int:
    """A 身份证 sequence slot no district's block uses, owned by ``district`` (its twins and namesakes)."""
    blocks = district_blocks([d.student_share for d in districts()])
    first_free = blocks[-1][0] + blocks[-1][1]
    slot = first_free + district.index
    if slot >= SEQUENCES:
        raise ValueError("no free 身份证 sequence slot for planted records")
    return slot


def _id_numbers(region: pl.Series, birth: pl.Series, male: pl.Series, slot: int) -> list[str]:
    """身份证号 for new people: region + birth date + the owned slot (odd for boys) + check character."""
    if region.len() == 0:
        return []
    seq = np.where(male.to_numpy(), slot * 2 + 1, slot * 2) % 1000
    ymd = birth.dt.strftime("%Y%m%d").to_numpy().astype(str)
    body = np.char.add(np.char.add(region.cast(pl.String).to_numpy().astype(str), ymd), padded(seq, 3))
    first17 = np.array([list(b) for b in body], dtype=np.int64)
    return [str(v) for v in np.char.add(body, check_chars(first17))]


def _typo(names: pl.Series, rng: np.random.Generator) -> pl.Series:
    """Each name with one given-name character replaced by a similar one (the last one when none is listed)."""
    out = []
    for name in names.to_list():  # a few hundred planted rows at most
        chars = list(name)
        places = [i for i in range(1, len(chars)) if chars[i] in SIMILAR]
        i = places[int(rng.integers(len(places)))] if places else len(chars) - 1
        chars[i] = SIMILAR.get(chars[i], "晓" if chars[i] != "晓" else "小")
        out.append("".join(chars))
    return pl.Series(names.name, out, dtype=pl.String)


def _wrong_digit(birth: pl.Series, rng: np.random.Generator) -> np.ndarray:
    """Days to add to each birth date: its two day digits transposed, or its last day digit off by one.

    Transposed (12 -> 21) where that is another valid day of the month, else one day on or back (the same
    month, so the age for the grade still holds).
    """
    day = birth.dt.day().to_numpy().astype(np.int64)
    swapped = (day % 10) * 10 + day // 10
    month_len = birth.dt.month_end().dt.day().to_numpy().astype(np.int64)
    use_swap = (swapped != day) & (swapped >= 1) & (swapped <= month_len) & (rng.random(len(day)) < 0.6)
    step = np.where(day < month_len, 1, -1)
    return np.where(use_swap, swapped - day, step)


def _j_numbers(district: District, year: int, start: int, n: int) -> pl.Series:
    """Unique ``J`` student numbers (J + district index + year + counter: 18 digits)."""
    counter = np.arange(start, start + n)
    return pl.Series("student_id", [f"J{district.index:02d}{year}{c:012d}" for c in counter], dtype=pl.String)


def truth_path(root: Path, district_code: str) -> Path:
    """Where the truth of one district is written."""
    return root / TRUTH_FOLDER / f"{district_code}.csv"


def read_truth(root: Path) -> pl.DataFrame:
    """All districts' planted pairs of a generated city (empty when nothing was planted)."""
    files = sorted((root / TRUTH_FOLDER).glob("*.csv"))
    if not files:
        return pl.DataFrame(schema=TRUTH_SCHEMA)
    return pl.concat([pl.read_csv(f, schema=TRUTH_SCHEMA) for f in files])


def _other_class(students: pl.DataFrame, picks: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """``picks`` (with ``_src``) joined to a random class of the same grade at another school.

    Adds ``_school`` and ``_class``; picks with no such class are dropped.
    """
    classes = students.select(pl.col("school_code").alias("_school"), pl.col("class_id").alias("_class"), "grade")
    options = picks.select("_src", "school_code", "grade").join(classes.unique(maintain_order=True), on="grade")
    options = options.filter(pl.col("_school") != pl.col("school_code"))
    options = options.with_columns(pl.Series("_r", rng.random(options.height))).sort("_src", "_r")
    chosen = options.group_by("_src", maintain_order=True).first().select("_src", "_school", "_class")
    return picks.join(chosen, on="_src")


def plant(students: pl.DataFrame, district: District, year: int, rate: float, root: Path, seed: int) -> pl.DataFrame:
    """``students`` (catalog columns) with planted duplicates and look-alikes added; the truth written to ``root``.

    Args:
        students: One district's ``students`` table of school year ``year``.
        district: The generating district.
        year: The school year (part of the ``J`` numbers).
        rate: Planted pairs as a share of the students, split evenly among :data:`KINDS`.
        root: The generated city's root folder (the truth goes to :func:`truth_path`).
        seed: The city's seed.
    """
    with_id = students.filter(pl.col("id_number").is_not_null())
    per_kind = min(int(round(rate * students.height / len(KINDS))), with_id.height // len(KINDS))
    if per_kind == 0 or students.select("school_code").n_unique() < 2:
        return students
    rng = np.random.default_rng([seed, district.index, year, 0x1D])
    sources = with_id[rng.permutation(with_id.height)].with_columns(pl.col("student_id").alias("_src"))
    picks = {kind: sources.slice(i * per_kind, per_kind) for i, kind in enumerate(KINDS)}
    no_id = pl.lit(None, pl.String).alias("id_number")
    copies: dict[str, pl.DataFrame] = {}

    # re-registration: the same child at another school of the district (same grade) under a new student
    # number; the family moved (new address); the 身份证号 is kept on both records.
    moved = _other_class(students, picks["reregistration"], rng)
    street = pl.Series(_STREETS[rng.integers(0, len(_STREETS), moved.height)])
    copies["reregistration"] = moved.with_columns(
        pl.col("_school").alias("school_code"),
        pl.col("_class").alias("class_id"),
        (pl.lit(f"北京市{district.name_zh}") + street + pl.lit("1号院")).alias("address"),
    )
    # a second record with one character of the name mistyped, without the 身份证号
    typo = picks["name_typo"]
    copies["name_typo"] = typo.with_columns(_typo(typo.get_column("name"), rng), no_id)
    # a second record with a transposed or wrong birth-date digit (so without the 身份证号, which holds the date)
    wrong = picks["birth_date"]
    shift = pl.lit(pl.Series(_wrong_digit(wrong.get_column("birth_date"), rng)))
    copies["birth_date"] = wrong.with_columns(
        (pl.col("birth_date") + pl.duration(days=shift)).alias("birth_date"), no_id
    )
    # the same record a second time, without the 身份证号
    copies["missing_id"] = picks["missing_id"].with_columns(no_id)

    slot = _free_sequence(district)
    # twins: same birth date, surname, family (address, phone, hukou), school and class; another given name,
    # possibly another sex, another 身份证号
    twins = picks["twins"]
    given = _TWIN_GIVEN[rng.integers(0, len(_TWIN_GIVEN), (twins.height, 2))]
    male = pl.Series(rng.random(twins.height) < 0.5)
    copies["twins"] = twins.with_columns(
        (pl.col("name").str.slice(0, 1) + pl.Series([a + b for a, b in given])).alias("name"),
        pl.when(male).then(pl.lit("1")).otherwise(pl.lit("2")).alias("sex"),
        pl.Series("id_number", _id_numbers(twins["hukou_district_code"], twins["birth_date"], male, slot)),
    ).filter(pl.col("name") != twins.get_column("name"))
    # namesakes: another child of the same name, sex and birth date, at another school, in another family
    named = _other_class(students, picks["namesake"], rng)
    codes = np.array([d.code for d in districts()])
    hukou = pl.Series(codes[rng.integers(0, len(codes), named.height)])
    copies["namesake"] = named.with_columns(
        pl.col("_school").alias("school_code"),
        pl.col("_class").alias("class_id"),
        hukou.alias("hukou_district_code"),
        pl.Series("id_number", _id_numbers(hukou, named["birth_date"], named["sex"] == "1", slot)),
        (pl.lit(f"北京市{district.name_zh}") + pl.Series(_STREETS[rng.integers(0, len(_STREETS), named.height)])
         + pl.lit("8号楼")).alias("address"),
        pl.Series("guardian_phone", phones(rng, named.height)),
    )  # fmt: skip

    # new 身份证号 are unique (one owned slot: drop the rare second look-alike of one region, day and sex)
    for kind in NON_MATCH_KINDS:
        copies[kind] = copies[kind].with_columns(("G" + pl.col("id_number")).alias("student_id"))
    new_ids = pl.concat([copies[k].select("id_number", pl.lit(k).alias("_kind")) for k in NON_MATCH_KINDS])
    keep = new_ids.with_row_index("_i").unique("id_number", keep="first").get_column("_i")
    offset = 0
    for kind in NON_MATCH_KINDS:
        height = copies[kind].height
        mine = keep.filter((keep >= offset) & (keep < offset + height)) - offset
        copies[kind] = copies[kind][mine.sort()]
        offset += height
    j = 0
    for kind in MATCH_KINDS:
        n = copies[kind].height
        numbers = [f"J{district.index:02d}{year}{c:012d}" for c in range(j, j + n)]
        copies[kind] = copies[kind].with_columns(pl.Series("student_id", numbers, dtype=pl.String))
        j += n

    truth = pl.concat(
        [
            copies[k].select(
                pl.lit(k).alias("kind"),
                pl.col("_src").alias("left_id"),
                pl.col("student_id").alias("right_id"),
                pl.lit(k in MATCH_KINDS).alias("match"),
            )
            for k in KINDS
        ]
    )
    path = truth_path(root, district.code)
    path.parent.mkdir(parents=True, exist_ok=True)
    truth.write_csv(path)
    planted = pl.concat([copies[k].select(students.columns) for k in KINDS])
    return pl.concat([students, planted.cast(students.schema)])
