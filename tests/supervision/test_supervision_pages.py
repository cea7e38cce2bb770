"""The 信用分级分类监管 pages: the district's board, one provider explained, the public list (red team)."""

from __future__ import annotations

import re

import polars as pl

from tests.api.conftest import PASSWORD
from tests.web.conftest import login, make_app

City = tuple[object, pl.DataFrame]


def _client(city: City, user: str):  # type: ignore[no-untyped-def]
    api, _ = city
    return login(make_app(api.home), user, PASSWORD)  # type: ignore[attr-defined]


def test_supervision_pages_district_board_lists_its_providers(city: City) -> None:
    _, truth = city
    page = _client(city, "haidian").get("/supervision")
    assert page.status_code == 200 and "校外培训机构信用分级分类监管" in page.text
    listed = set(re.findall(r'<tr data-provider="([^"]+)"', page.text))
    assert listed == set(truth.filter(pl.col("district_code") == "110108")["provider_code"])
    assert "style=" not in page.text
    english = _client(city, "haidian").get("/supervision", params={"lang": "en"})
    assert "Graded supervision of training providers" in english.text


def test_supervision_pages_provider_explained_and_other_district_unknown(city: City) -> None:
    _, truth = city
    client = _client(city, "haidian")
    mine = truth.filter((pl.col("district_code") == "110108") & (pl.col("planted") == "serious"))["provider_code"][0]
    theirs = truth.filter((pl.col("district_code") == "110105") & (pl.col("planted") == "serious"))["provider_code"][0]
    page = client.get(f"/supervision/providers/{mine}")
    assert page.status_code == 200 and "逾期未整改" in page.text and 'data-item="' in page.text
    other, unknown = (
        client.get(f"/supervision/providers/{theirs}"),
        client.get("/supervision/providers/91110108MA0000000X"),
    )
    assert other.status_code == unknown.status_code == 404
    assert "data-item" not in other.text and "逾期未整改" not in other.text


def test_supervision_pages_public_list_has_no_scores(city: City) -> None:
    client = _client(city, "citizen")
    assert client.get("/supervision").status_code == 403
    page = client.get("/supervision/public")
    assert page.status_code == 200 and 'id="public-grades"' in page.text
    assert "信用分" not in page.text
