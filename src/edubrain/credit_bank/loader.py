"""Read rule files (YAML or JSON) and pick the version of a programme's rules that applies to a year.

A file that does not fit the schema is refused with a message in Chinese and English naming the file, the path
inside it (``rules[2].max_credits``) and what is allowed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from edubrain.credit_bank.errors import CreditRuleError
from edubrain.credit_bank.schema import RULE_TYPES, RuleSet

DATA = Path(__file__).parent / "data"
"""The rule sets shipped with EduBrain."""

_ZH = {
    "missing": "缺少必填项",
    "extra_forbidden": "不允许的字段",
    "literal_error": "取值不在允许范围内",
    "greater_than": "必须大于下限",
    "greater_than_equal": "不得小于下限",
    "less_than_equal": "不得大于上限",
    "string_pattern_mismatch": "格式不符（小写字母、数字和连字符）",
    "string_too_short": "不能为空",
    "too_short": "至少需要一项",
    "int_parsing": "必须是整数",
    "int_from_float": "必须是整数",
    "float_parsing": "必须是数字",
    "union_tag_invalid": "未知的规则类型",
    "union_tag_not_found": "缺少规则类型 type",
    "value_error": "取值不合规",
    "list_type": "必须是列表",
    "dict_type": "必须是映射",
    "model_type": "必须是映射",
}


def _path(loc: tuple[Any, ...]) -> str:
    """``('rules', 2, 'cap', 'max_credits')`` → ``rules[2].max_credits`` (the union tag dropped)."""
    out = ""
    previous: Any = None
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(previous, int) and part in RULE_TYPES:
            pass
        else:
            out += f".{part}" if out else str(part)
        previous = part
    return out or "(rule set)"


def _refusal(source: str, error: ValidationError) -> CreditRuleError:
    problems = []
    for item in error.errors():
        path = _path(tuple(item["loc"]))
        problems.append({"path": path, "type": item["type"], "message": item["msg"]})
    first = problems[0]
    zh = _ZH.get(first["type"], "不合规")
    more = len(problems) - 1
    return CreditRuleError(
        f"学分规则文件 {source} 不合规：{first['path']} {zh}（{first['message']}）"
        + (f"；另有 {more} 处问题" if more else ""),
        f"Credit rule file {source} is invalid: {first['path']}: {first['message']}"
        + (f"; {more} more problem(s)" if more else ""),
        file=source,
        problems=problems,
    )


def parse_ruleset(document: Any, source: str = "<memory>") -> RuleSet:
    """Validate an already-parsed rule document (a mapping) against the schema.

    Raises:
        CreditRuleError: naming ``source`` and the path of the first problem; all problems in ``details``.
    """
    if not isinstance(document, dict):
        raise CreditRuleError(
            f"学分规则文件 {source} 不合规：顶层必须是映射（键: 值）",
            f"Credit rule file {source} is invalid: the top level must be a mapping",
            file=source,
            problems=[{"path": "(rule set)", "type": "model_type", "message": "not a mapping"}],
        )
    try:
        return RuleSet.model_validate(document)
    except ValidationError as error:
        raise _refusal(source, error) from None


def load_ruleset(path: Path) -> RuleSet:
    """Read one rule file (``.yaml``, ``.yml`` or ``.json``)."""
    try:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, json.JSONDecodeError) as error:
        raise CreditRuleError(
            f"无法读取学分规则文件 {path}：{error}（须为 UTF-8 编码的 YAML 或 JSON）",
            f"Cannot read credit rule file {path}: {error} (UTF-8 YAML or JSON expected)",
            file=str(path),
        ) from None
    return parse_ruleset(document, str(path))


def rulesets(directory: Path | None = None) -> list[RuleSet]:
    """Every rule set in ``directory`` (default: the shipped ones), sorted by programme and first year."""
    folder = directory or DATA
    files = sorted([*folder.glob("*.yaml"), *folder.glob("*.yml"), *folder.glob("*.json")])
    found = [load_ruleset(f) for f in files if not f.name.endswith(".schema.json")]
    return sorted(found, key=lambda r: (r.id, r.valid_from_year))


def select_ruleset(programme: str, year: int, directory: Path | None = None) -> RuleSet:
    """The version of ``programme``'s rules that covers ``year``.

    Raises:
        CreditRuleError: when no version, or more than one, covers that year.
    """
    versions = [r for r in rulesets(directory) if r.id == programme]
    matching = [r for r in versions if r.covers(year)]
    if len(matching) == 1:
        return matching[0]
    spans = ", ".join(f"{r.version} ({r.valid_from_year}–{r.valid_to_year or '…'})" for r in versions) or "无 / none"
    if not matching:
        raise CreditRuleError(
            f"学分规则 {programme} 没有适用于 {year} 年的版本；已有版本：{spans}",
            f"Credit rules {programme} have no version for {year}; versions: {spans}",
            programme=programme,
            year=year,
        )
    raise CreditRuleError(
        f"学分规则 {programme} 有多个版本适用于 {year} 年（{spans}），有效年份不得重叠",
        f"Credit rules {programme} have several versions for {year} ({spans}); their years must not overlap",
        programme=programme,
        year=year,
    )
