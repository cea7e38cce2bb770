"""2PL by Bock–Aitkin EM: LSAT6 against the published ltm estimates, girth cross-check, parameter recovery."""

from __future__ import annotations

import numpy as np
import pytest

from edubrain.analytics.items import ItemDataError, eap_abilities, fit_2pl
from tests.analytics.items_fixtures import LTM_LSAT6_2PL, lsat6

TOLERANCE = 0.01  # ltm maximises the same likelihood with BFGS; we reach it by EM, so agreement should be close


@pytest.fixture(scope="module")
def lsat6_fit():  # type: ignore[no-untyped-def]
    patterns, counts = lsat6()
    assert counts.sum() == 1000
    return fit_2pl(patterns, counts)


def test_lsat6_matches_published_ltm_estimates(lsat6_fit) -> None:  # type: ignore[no-untyped-def]
    assert lsat6_fit.converged
    assert lsat6_fit.difficulty == pytest.approx(LTM_LSAT6_2PL["difficulty"], abs=TOLERANCE)
    assert lsat6_fit.discrimination == pytest.approx(LTM_LSAT6_2PL["discrimination"], abs=TOLERANCE)
    assert lsat6_fit.log_likelihood == pytest.approx(LTM_LSAT6_2PL["log_likelihood"], abs=1e-3)


def test_lsat6_agrees_with_girth(lsat6_fit) -> None:  # type: ignore[no-untyped-def]
    girth = pytest.importorskip("girth")
    patterns, counts = lsat6()
    persons = np.repeat(patterns, counts.astype(int), axis=0).astype(int)
    theirs = girth.twopl_mml(persons.T)
    assert lsat6_fit.difficulty == pytest.approx(theirs["Difficulty"], abs=TOLERANCE)
    assert lsat6_fit.discrimination == pytest.approx(theirs["Discrimination"], abs=TOLERANCE)


def test_frequency_weights_equal_repeated_rows(lsat6_fit) -> None:  # type: ignore[no-untyped-def]
    patterns, counts = lsat6()
    persons = np.repeat(patterns, counts.astype(int), axis=0)
    expanded = fit_2pl(persons)
    assert expanded.difficulty == pytest.approx(lsat6_fit.difficulty, abs=1e-6)


def test_recovers_planted_parameters() -> None:
    rng = np.random.default_rng(11)
    slope = np.array([0.6, 0.9, 1.2, 1.5, 0.8, 1.1, 1.4, 1.0])
    location = np.array([-1.5, -0.8, -0.2, 0.0, 0.4, 0.8, 1.2, -0.5])
    theta = rng.normal(size=4000)
    answers = (rng.random((4000, 8)) < 1 / (1 + np.exp(-slope * (theta[:, None] - location)))).astype(float)
    fit = fit_2pl(answers)
    assert fit.discrimination == pytest.approx(slope, abs=0.15)
    assert fit.difficulty == pytest.approx(location, abs=0.15)


def test_eap_orders_patterns_by_ability(lsat6_fit) -> None:  # type: ignore[no-untyped-def]
    mean, spread = eap_abilities(lsat6_fit, [[0, 0, 0, 0, 0], [1, 1, 0, 1, 1], [1, 1, 1, 1, 1]])
    assert mean[0] < mean[1] < mean[2]
    assert ((spread > 0) & (spread < 1)).all()


def test_item_nobody_missed_is_refused() -> None:
    answers = np.array([[1, 0], [1, 1], [1, 0]], dtype=float)
    with pytest.raises(ItemDataError) as caught:
        fit_2pl(answers)
    assert caught.value.details == {"column": 1}
