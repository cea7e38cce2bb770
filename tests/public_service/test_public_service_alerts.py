"""未诉先办: a planted burst of cases in one district and topic becomes an alert; a quiet stream gives none."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import insert

from edubrain import public_service as ps
from edubrain.governance.public_service_models import PublicServiceCase
from edubrain.store.db import session_scope
from tests.api.conftest import ApiCity
from tests.public_service.conftest import principal

TODAY = dt.date(2026, 11, 30)


def _stream(city: ApiCity, burst: bool) -> None:
    """84 days of canteen and fee cases in Haidian and Chaoyang (Poisson 1/day); optionally 6 a day at the end."""
    rng = np.random.default_rng(7)
    rows = []
    start = TODAY - dt.timedelta(days=83)
    for day in range(84):
        for district in ("110108", "110105"):
            for category in ("canteen", "fees"):
                n = int(rng.poisson(1.0)) + (
                    6 if burst and district == "110108" and category == "canteen" and day >= 80 else 0
                )
                for k in range(n):
                    at = dt.datetime.combine(start + dt.timedelta(days=day), dt.time(2, k % 60), dt.UTC)
                    rows.append({"id": f"{len(rows):032x}", "code": f"T{len(rows):08d}", "check_salt": "s",
                                 "check_hash": "h", "channel": "other", "category": category, "text_masked": "…",
                                 "sealed": "", "key_id": "k", "district_code": district, "received_at": at,
                                 "office": "finance", "sla_due": at, "status": "routed", "created_at": at})  # fmt: skip
    with session_scope(city.home.engine) as session:
        session.execute(insert(PublicServiceCase), rows)


def test_public_service_planted_burst_is_alerted_in_its_district_only(pcity: ApiCity) -> None:
    _stream(pcity, burst=True)
    alerts = ps.burst_alerts(pcity.home, principal(pcity.home, "city"), TODAY)
    hits = {(a.district_code, a.category) for a in alerts}
    assert ("110108", "canteen") in hits
    top = alerts[0]
    assert (top.district_code, top.category) == ("110108", "canteen") and top.recent_cases > 2 * top.expected
    assert top.first_alarm >= TODAY - dt.timedelta(days=3)
    chaoyang = ps.burst_alerts(pcity.home, principal(pcity.home, "chaoyang"), TODAY)
    assert all(a.district_code == "110105" for a in chaoyang)
    r = pcity.client.get(f"/api/v1/public-service/alerts?today={TODAY}", headers=pcity.auth("haidian"))
    assert ("110108", "canteen") in {(a["district_code"], a["category"]) for a in r.json()["data"]}


def test_public_service_quiet_stream_gives_no_burst_in_the_planted_series(pcity: ApiCity) -> None:
    _stream(pcity, burst=False)
    alerts = ps.burst_alerts(pcity.home, principal(pcity.home, "city"), TODAY)
    assert ("110108", "canteen") not in {(a.district_code, a.category) for a in alerts}
    counts = ps.daily_counts(pcity.home, principal(pcity.home, "haidian"), TODAY - dt.timedelta(days=6), TODAY)
    assert set(counts["district_code"]) == {"110108"} and counts.height == 2 * 7
