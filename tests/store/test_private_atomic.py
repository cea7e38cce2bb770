"""Atomic private writes: the whole file or the old one, mode 0600, no temporary left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from edubrain.store import private
from edubrain.store.private import write_private_atomic


def test_private_atomic_write_replaces_whole_and_private(tmp_path: Path) -> None:
    path = tmp_path / "sealed.bin"
    path.write_bytes(b"old")
    write_private_atomic(path, b"new bytes")
    assert path.read_bytes() == b"new bytes"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["sealed.bin"]


def test_private_atomic_write_failing_keeps_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sealed.bin"
    path.write_bytes(b"old")

    def crash(fd: int) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(private.os, "fsync", crash)
    with pytest.raises(OSError, match="disk gone"):
        write_private_atomic(path, b"new bytes")
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sealed.bin"]
    assert os.listdir(tmp_path) == ["sealed.bin"]
