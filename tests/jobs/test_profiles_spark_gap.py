"""The profiles job refuses the Spark engine with a clear message until its transforms run there (docs/engines.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from edubrain.config import Settings
from edubrain.errors import ConfigurationError
from edubrain.home import Home
from edubrain.jobs.profiles import run_profiles


def test_the_profiles_job_refuses_spark_before_opening_it(tmp_path: Path) -> None:
    home = Home(Settings(home=tmp_path / "home", engine="spark"))
    with pytest.raises(ConfigurationError) as caught:
        run_profiles(home)
    assert "Spark" in caught.value.en and "DuckDB" in caught.value.en and "EDUBRAIN_ENGINE=duckdb" in caught.value.zh
