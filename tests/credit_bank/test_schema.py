"""Rule files: the schema refuses bad ones in Chinese and English naming file and path; versions by year."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from edubrain.credit_bank import CreditRuleError, load_ruleset, ruleset_json_schema, rulesets, select_ruleset
from edubrain.credit_bank.loader import DATA

KOREAN = yaml.safe_load((DATA / "kr_acbs_bachelor_2024.yaml").read_text(encoding="utf-8"))


def _write(tmp_path: Path, document: dict, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


def _refusal(tmp_path: Path, document: dict) -> CreditRuleError:
    path = _write(tmp_path, document)
    with pytest.raises(CreditRuleError) as caught:
        load_ruleset(path)
    assert str(path) in caught.value.zh and str(path) in caught.value.en
    return caught.value


def _cap(document: dict, rule_id: str) -> dict:
    return next(r for r in document["rules"] if r["id"] == rule_id)


def test_schema_refuses_a_negative_cap_naming_the_path(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    _cap(document, "kr-year-cap")["max_credits"] = -42
    error = _refusal(tmp_path, document)
    index = [r["id"] for r in document["rules"]].index("kr-year-cap")
    assert f"rules[{index}].max_credits" in error.zh and f"rules[{index}].max_credits" in error.en
    assert "不合规" in error.zh and error.details["problems"][0]["type"] == "greater_than"


def test_schema_refuses_an_unknown_rule_type(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    document["rules"][0]["type"] = "bonus"
    error = _refusal(tmp_path, document)
    assert "rules[0]" in error.en and "未知的规则类型" in error.zh


def test_schema_refuses_a_cap_with_two_limits_and_an_unknown_field(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    _cap(document, "kr-term-cap")["max_count"] = 3
    assert "exactly one of max_credits and max_count" in _refusal(tmp_path, document).en
    document = copy.deepcopy(KOREAN)
    _cap(document, "kr-term-cap")["maximum"] = 3
    assert ".maximum" in _refusal(tmp_path, document).en


def test_schema_refuses_a_term_cap_without_the_year(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    _cap(document, "kr-term-cap")["per"] = ["term"]
    assert "needs year" in _refusal(tmp_path, document).en


def test_schema_refuses_confirmed_with_one_source_and_unknown_sources(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    _cap(document, "kr-year-cap")["sources"] = ["dit-cyber"]
    assert "two distinct sources" in _refusal(tmp_path, document).en
    document = copy.deepcopy(KOREAN)
    document["requirements"][0]["sources"] = ["ajou-cll", "nowhere"]
    assert "unknown source id 'nowhere'" in _refusal(tmp_path, document).en


def test_schema_refuses_overlapping_conversion_years_and_unknown_categories(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    convert = _cap(document, "kr-certificate-credits")
    convert["table"].append(dict(convert["table"][0], from_year=2025))
    assert "overlap" in _refusal(tmp_path, document).en
    document = copy.deepcopy(KOREAN)
    document["requirements"][1]["applies_to"]["categories"] = ["majors"]
    assert "unknown category 'majors'" in _refusal(tmp_path, document).en


def test_schema_refuses_repeated_rule_ids_and_unreadable_files(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    document["requirements"][0]["id"] = "kr-year-cap"
    assert "repeated: kr-year-cap" in _refusal(tmp_path, document).en
    bad = tmp_path / "broken.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CreditRuleError) as caught:
        load_ruleset(bad)
    assert "broken.yaml" in caught.value.zh and "UTF-8" in caught.value.en


def test_json_schema_export_accepts_the_shipped_files_and_rejects_a_bad_one() -> None:
    schema = ruleset_json_schema()
    validator = jsonschema.Draft202012Validator(schema)
    for path in sorted(DATA.glob("*.yaml")):
        validator.validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    document = copy.deepcopy(KOREAN)
    document["rules"][0]["type"] = "bonus"
    assert not validator.is_valid(document)


def test_the_shipped_json_schema_file_is_the_exported_schema() -> None:
    shipped = json.loads((DATA / "ruleset.schema.json").read_text(encoding="utf-8"))
    assert shipped == ruleset_json_schema(), "regenerate with edubrain.credit_bank.schema.write_json_schema()"


def _version(document: dict, version: str, start: int, end: int | None) -> dict:
    return dict(copy.deepcopy(document), version=version, valid_from_year=start, valid_to_year=end)


def test_version_selection_by_year(tmp_path: Path) -> None:
    _write(tmp_path, _version(KOREAN, "2019", 2019, 2023), "kr_2019.yaml")
    _write(tmp_path, _version(KOREAN, "2024", 2024, None), "kr_2024.yaml")
    assert select_ruleset("kr-acbs-bachelor", 2019, tmp_path).version == "2019"
    assert select_ruleset("kr-acbs-bachelor", 2023, tmp_path).version == "2019"
    assert select_ruleset("kr-acbs-bachelor", 2030, tmp_path).version == "2024"
    with pytest.raises(CreditRuleError) as caught:
        select_ruleset("kr-acbs-bachelor", 2018, tmp_path)
    assert "2018" in caught.value.zh and "没有适用" in caught.value.zh and "no version" in caught.value.en


def test_overlapping_versions_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, _version(KOREAN, "a", 2019, 2024), "a.yaml")
    _write(tmp_path, _version(KOREAN, "b", 2024, None), "b.yaml")
    with pytest.raises(CreditRuleError, match="must not overlap"):
        select_ruleset("kr-acbs-bachelor", 2024, tmp_path)


def test_shipped_rule_sets_load_and_the_korean_numbers_are_confirmed_by_two_sources() -> None:
    assert {r.id for r in rulesets()} == {"kr-acbs-bachelor", "cn-city-credit-bank"}
    korean = select_ruleset("kr-acbs-bachelor", 2026)
    for rule_id, number in [("kr-total", 140), ("kr-major", 60), ("kr-general", 30)]:
        assert korean.rule(rule_id).min_credits == number and korean.rule(rule_id).confirmed_by_two_sources
    for rule_id, number in [("kr-year-cap", 42), ("kr-term-cap", 24)]:
        assert korean.rule(rule_id).max_credits == number and korean.rule(rule_id).confirmed_by_two_sources
    assert korean.rule("kr-subject-once").confirmed_by_two_sources
    # the certificate table has one source only, and says so
    assert not korean.rule("kr-certificate-credits").confirmed_by_two_sources


def test_schema_refuses_a_calendar_whose_first_term_does_not_start_the_year(tmp_path: Path) -> None:
    document = copy.deepcopy(KOREAN)
    document["calendar"] = {"year_starts_month": 3, "term_starts_months": [9, 3]}
    error = _refusal(tmp_path, document)
    assert "calendar" in error.en and "year_starts_month" in error.en
