"""Each monitoring formula said in words, in Chinese and English, from the declaration and the catalog's titles.

The words are generated from the same formula the expression is compiled
from (:mod:`edubrain.analytics.monitoring.compute`), so the page and the
documentation cannot say one thing while the computation does another.
Pure: needs only the declarations and the catalog.
"""

from __future__ import annotations

from edubrain.analytics.monitoring.definitions import OP_WORDS, Condition, Count, Indicator, Mean, Measure, Ratio
from edubrain.catalog.registry import Catalog, get_catalog

ROLL_UP = (
    "按学校、学年计算；区、全市的值由所辖学校的分子之和与分母之和算出（只计分子、分母都有值且分母大于 0 的学校）。",
    "Computed per school and school year; a district's and the city's value uses the sums of their schools' "
    "numerators and denominators (schools with both, and a denominator above 0).",
)


def _field(catalog: Catalog, dataset: str, name: str, lang: str) -> str:
    spec = catalog.dataset(dataset).field(name)
    return spec.title_en if lang == "en" else spec.title_zh


def _table(catalog: Catalog, dataset: str, lang: str) -> str:
    ds = catalog.dataset(dataset)
    return f"{ds.title_en} ({dataset})" if lang == "en" else f"{ds.title_zh}（{dataset}）"


def _units(catalog: Catalog, dataset: str, lang: str) -> str:
    """What a row of ``dataset`` is: a school, for a dataset keyed by school and school year."""
    if list(catalog.dataset(dataset).primary_key) == ["school_code", "school_year"]:
        return "schools" if lang == "en" else "学校数"
    return "rows" if lang == "en" else "行数"


def _condition(catalog: Catalog, dataset: str, cond: Condition, lang: str) -> str:
    name = _field(catalog, dataset, cond.field, lang)
    if cond.op == "in":
        return f"{name} ∈ {{{', '.join(cond.values or ())}}}"
    unit = catalog.dataset(dataset).field(cond.field).unit or ""
    value = f"{cond.value:g}"
    return f"{name} {OP_WORDS[cond.op]} {value}{' ' + unit if unit and unit != '%' else unit}"


def _measure(catalog: Catalog, m: Measure, lang: str) -> str:
    table = _table(catalog, m.dataset, lang)
    if m.sum is not None:
        text = (
            f"sum of {_field(catalog, m.dataset, m.sum, 'en')} in {table}"
            if lang == "en"
            else (f"{table}的{_field(catalog, m.dataset, m.sum, 'zh')}之和")
        )
    elif m.count_distinct is not None:
        name = _field(catalog, m.dataset, m.count_distinct, lang)
        text = f"distinct {name} in {table}" if lang == "en" else f"{table}中不同{name}的个数"
    else:
        text = f"rows of {table}" if lang == "en" else f"{table}的行数"
    if m.where is not None:
        cond = _condition(catalog, m.dataset, m.where, lang)
        text += f" where {cond}" if lang == "en" else f"（{cond}）"
    if m.history:
        text += ", over every stored version" if lang == "en" else "（按该数据集的全部历史版本）"
    return text


def formula_words(item: Indicator, lang: str = "zh", catalog: Catalog | None = None) -> str:
    """How ``item`` is computed, in ``lang`` (``zh`` or ``en``): numerator, denominator, value, roll-up."""
    cat = catalog or get_catalog()
    en = lang == "en"
    f = item.formula
    if isinstance(f, Ratio):
        per = f"{f.per:g} × " if f.per != 1 else ""
        num, den = _measure(cat, f.numerator, lang), _measure(cat, f.denominator, lang)
        text = (
            f"Numerator: {num}. Denominator: {den}. Value = {per}numerator / denominator."
            if en
            else f"分子：{num}；分母：{den}；值 = {per}分子 ÷ 分母。"
        )
    elif isinstance(f, Mean):
        name, table, units = (
            _field(cat, f.dataset, f.field, lang),
            _table(cat, f.dataset, lang),
            _units(cat, f.dataset, lang),
        )
        text = (
            f"Numerator: sum of {name} in {table}. Denominator: {units} reporting it. Value = numerator / denominator."
            if en
            else f"分子：{table}的{name}之和；分母：报送了{name}的{units}；值 = 分子 ÷ 分母。"
        )
    elif isinstance(f, Count):
        table, cond, units = (
            _table(cat, f.dataset, lang),
            _condition(cat, f.dataset, f.where, lang),
            _units(cat, f.dataset, lang),
        )
        text = (
            f"Value: the number of {units} in {table} with {cond}; a district and the city add up their schools' "
            "counts, and the target is the city's only."
            if en
            else f"值：{table}中{cond} 的{units}数；区和全市为所辖学校之和，目标只针对全市。"
        )
        return text
    else:
        table, cond, units = (
            _table(cat, f.dataset, lang),
            _condition(cat, f.dataset, f.where, lang),
            _units(cat, f.dataset, lang),
        )
        reported = _field(cat, f.dataset, f.where.field, lang)
        weight = "" if f.weight is None else _measure(cat, f.weight, lang)
        if en:
            each = f", each weighted by the {weight}" if weight else ""
            text = (
                f"Numerator: {units} in {table} with {cond}{each}. Denominator: {units} reporting {reported}{each}. "
                "Value = 100 × numerator / denominator (%)."
            )
        else:
            each = f"（每校按{weight}加权）" if weight else ""
            text = f"分子：{table}中{cond} 的{units}{each}；分母：报送了{reported}的{units}{each}；值 = 100 × 分子 ÷ 分母（%）。"
    return f"{text} {ROLL_UP[1]}" if en else f"{text}{ROLL_UP[0]}"
