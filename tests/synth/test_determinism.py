"""The same seed gives the same bytes; another seed gives another city."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from edubrain.synth.config import SynthConfig
from edubrain.synth.generate import generate


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _city(tmp_path: Path, name: str, seed: int, workers: int = 1) -> dict[str, str]:
    config = SynthConfig(scale=0.01, seed=seed, years=2, out=tmp_path / name, districts=("110109", "110116"), dirty=0.2)
    generate(config, workers=workers)
    return _digest(config.out)


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = _city(tmp_path, "a", 7)
    assert first == _city(tmp_path, "b", 7)
    other = _city(tmp_path, "c", 8)
    assert first.keys() & other.keys()
    assert any(first[k] != other[k] for k in first.keys() & other.keys())


@pytest.mark.slow
def test_parallel_generation_gives_the_same_bytes(tmp_path: Path) -> None:
    assert _city(tmp_path, "one", 3, workers=1) == _city(tmp_path, "two", 3, workers=2)
