"""Derivations found through the entry-point group ``edubrain.derivations``: the exchange's hook knows no job."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points

import pytest

from edubrain.errors import ConfigurationError, EduBrainError
from edubrain.exchange import derive
from edubrain.home import Home
from edubrain.jobs import fitness


@dataclass
class Probe:
    """A derivation that records its calls."""

    stale: bool = True
    fail: bool = False
    runs: list[Home] = field(default_factory=list)

    def is_stale(self, home: Home) -> bool:
        return self.stale

    def run(self, home: Home) -> list[str]:
        self.runs.append(home)
        if self.fail:
            raise EduBrainError("探针失败", "probe failed")
        return ["probe_output"]


@dataclass(frozen=True)
class FakePoint:
    """Stands in for an installed entry point naming ``target``."""

    name: str
    target: object
    value: str = "tests.jobs.test_derivations:probe"

    def load(self) -> object:
        return self.target


def test_fitness_derivation_is_found_through_its_entry_point() -> None:
    points = {p.name: p for p in entry_points(group=derive.GROUP)}
    assert points["fitness"].value == "edubrain.jobs.fitness:DERIVATION"
    found = derive.derivations()
    assert found["fitness"] is fitness.DERIVATION
    assert isinstance(found["fitness"], derive.Derivation)


def test_fitness_derivation_is_stale_and_runs_through_the_job(home: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Home] = []
    monkeypatch.setattr(fitness, "is_stale", lambda h: h is home)
    monkeypatch.setattr(
        fitness,
        "run_fitness",
        lambda h: calls.append(h) or fitness.FitnessRun({"fitness_scores": 1, "fitness_warnings": 1}, {}, {}),
    )
    assert derive.after_session(home) == ["fitness_scores", "fitness_warnings"]
    assert calls == [home]


def test_no_registered_derivation_is_a_warning_not_silence(
    home: Home, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(derive, "entry_points", lambda group: [])
    with caplog.at_level(logging.WARNING, logger=derive.__name__):
        assert derive.after_session(home) == []
    assert "no derivation is registered" in caplog.text and derive.GROUP in caplog.text


def test_a_broken_or_failing_derivation_is_logged_and_the_others_still_run(
    home: Home, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = EntryPoint(name="a_broken", value="edubrain.no_such_module:DERIVATION", group=derive.GROUP)
    failing, good, fresh = Probe(fail=True), Probe(), Probe(stale=False)
    points = [broken, FakePoint("b_failing", failing), FakePoint("c_good", good), FakePoint("d_fresh", fresh)]
    monkeypatch.setattr(derive, "_points", lambda: points)
    with caplog.at_level(logging.WARNING, logger=derive.__name__):
        assert derive.after_session(home) == ["probe_output"]
    assert "a_broken" in caplog.text and "cannot be loaded" in caplog.text
    assert "b_failing" in caplog.text and "probe failed" in caplog.text
    assert failing.runs == [home] and good.runs == [home] and fresh.runs == []


def test_an_entry_point_naming_no_derivation_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(derive, "_points", lambda: [FakePoint("odd", fitness.JOB)])
    with pytest.raises(ConfigurationError, match="has no is_stale") as caught:
        derive.derivations()
    assert "缺少" in caught.value.zh and caught.value.details == {"entry_point": "odd"}


def test_a_named_derivation_is_found_even_where_the_tests_gate_it_off() -> None:
    """A workflow step recomputes its own dataset on purpose: the lookup by name ignores the session hook's list."""
    found = derive.derivation("smart_campus")
    assert callable(found.run) and callable(found.is_stale)
    assert "smart_campus" not in {p.name for p in derive._points()}  # this file's name does not let it through
    with pytest.raises(ConfigurationError) as caught:
        derive.derivation("no_such_derivation")
    assert "no_such_derivation" in caught.value.en


def test_a_derivation_runs_after_the_derivations_whose_output_it_reads(
    home: Home, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``monitoring`` reads ``smart_campus_scores``: it must not run first just because its name sorts first."""
    order: list[str] = []

    @dataclass
    class Named(Probe):
        name: str = ""
        after: tuple[str, ...] = ()

        def run(self, home: Home) -> list[str]:
            order.append(self.name)
            return [self.name]

    points = [
        FakePoint("a_indicators", Named(name="a_indicators", after=("c_scores",))),
        FakePoint("b_other", Named(name="b_other")),
        FakePoint("c_scores", Named(name="c_scores", after=("d_training", "not_installed"))),
        FakePoint("d_training", Named(name="d_training")),
    ]
    monkeypatch.setattr(derive, "_points", lambda: points)
    assert derive.after_session(home) == ["a_indicators", "b_other", "c_scores", "d_training"]
    assert order == ["b_other", "d_training", "c_scores", "a_indicators"]


def test_the_registered_derivations_run_inputs_first() -> None:
    names = derive.ordered({p.name: p.load() for p in entry_points(group=derive.GROUP)})
    assert names.index("training") < names.index("smart_campus") < names.index("monitoring")
    assert names.index("facilities") < names.index("smart_campus")
