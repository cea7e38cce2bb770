"""Engines for the parity suite: DuckDB always; Spark in local mode when PySpark and Java are present.

Under CI (``CI=true``) a missing Spark is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from edubrain.config import Settings
from edubrain.jobs.engine import DuckDBEngine, LakeEngine, SparkEngine


def _spark_missing() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime (Spark needs Java 17)"
    return None


@pytest.fixture(scope="session")
def spark_engine() -> Iterator[LakeEngine]:
    reason = _spark_missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"parity suite needs Spark under CI: {reason}")
        pytest.skip(reason)
    yield SparkEngine(Settings(engine="spark", spark_driver_memory="1g"))


@pytest.fixture
def duckdb_engine() -> Iterator[LakeEngine]:
    engine = DuckDBEngine()
    yield engine
    engine.close()
