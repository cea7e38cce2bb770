"""The LRS throughput benchmark's statements (benchmarks/lrs_throughput.py) are valid xAPI for our validator.

The benchmark compares EduBrain with another LRS on the same statements; if the generator drifted into statements
our validator refuses (or that name pupils outside the roster it loads), the comparison would time errors. No
server is started here.
"""

from __future__ import annotations

import importlib.util
import sys
import uuid
from pathlib import Path
from types import ModuleType

import pytest

from edubrain.exchange.fields import gb11643_check_char
from edubrain.lrs import agents
from edubrain.lrs.errors import StatementInvalid
from edubrain.lrs.validation import validate_statement

ROOT = Path(__file__).resolve().parents[2]


def bench() -> ModuleType:
    name = "edubrain_benchmark_lrs_throughput"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / "lrs_throughput.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_pupil_numbers_are_unique_well_formed_roster_numbers() -> None:
    numbers = bench().pupil_numbers(500)
    assert len(set(numbers)) == 500
    for number in numbers:
        assert number[0] == "G" and len(number) == 19
        assert number[-1] == gb11643_check_char(number[1:18])  # GB 11643 check character
        assert number[17] in "13579"  # the roster row says male ("1")


def test_every_statement_is_valid_xapi_and_names_only_roster_pupils() -> None:
    module = bench()
    pupils = module.pupil_numbers(40)
    statements = module.make_statements(2000, pupils)
    for i, statement in enumerate(statements):
        validate_statement(statement, f"statement[{i}]")
    named = set().union(*(agents.learner_ids(s) for s in statements))
    assert named <= set(pupils) and len(named) > 1
    assert all(s["actor"]["account"]["homePage"] == agents.LEARNER_HOMEPAGE for s in statements)
    assert len({s["id"] for s in statements}) == 2000 and all(uuid.UUID(s["id"]).version == 4 for s in statements)
    assert {s["verb"]["id"] for s in statements} == {module.ADL + v for v, *_ in module.VERBS}
    assert sum("result" in s for s in statements) > 500  # results on answered, completed, passed


def test_statements_are_deterministic_for_a_seed() -> None:
    module = bench()
    pupils = module.pupil_numbers(10)
    assert module.make_statements(50, pupils) == module.make_statements(50, pupils)
    assert module.make_statements(50, pupils) != module.make_statements(50, pupils, seed=17)


def test_the_validator_would_refuse_a_broken_generated_statement() -> None:
    """The check above can fail: a generated statement with its verb id spoiled is refused."""
    module = bench()
    statement = module.make_statements(1, module.pupil_numbers(2))[0]
    statement["verb"]["id"] = "not an IRI"
    with pytest.raises(StatementInvalid):
        validate_statement(statement)


def test_queries_cover_agent_verb_activity_and_since() -> None:
    queries = bench().make_queries(bench().pupil_numbers(60))
    assert {key for q in queries for key in q} == {"agent", "verb", "activity", "since"}
    assert any(set(q) == {"agent", "verb", "since"} for q in queries)
