"""Keeping the home private: folders 0700 and files 0600, for EduBrain's own writes only.

The operational database, the lake, the key index and the keys hold
children's personal data; nobody but the account running EduBrain may read
them. Folders are made with mode 0700 and existing ones tightened; files
are created under a umask of 077 while EduBrain writes (the lake's Parquet
and log files are written by pyarrow and delta-rs, which honour the umask).

The umask belongs to the process, so :func:`private_umask` is counted: the
first of overlapping writers (threads of the API server, say) sets it and
the last restores the previous one. While it is held, other files the
process creates are private too, which errs on the safe side.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_UMASK = 0o077
_lock = threading.Lock()
_holders = 0
_previous = 0o022


@contextmanager
def private_umask() -> Iterator[None]:
    """Create files 0600 and folders 0700 inside the block (re-entrant and thread-safe)."""
    global _holders, _previous
    with _lock:
        if _holders == 0:
            _previous = os.umask(PRIVATE_UMASK)
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0:
                os.umask(_previous)


def private_dir(path: Path) -> Path:
    """Make ``path`` (and missing parents) a folder only its owner may enter; an existing one is tightened."""
    with private_umask():
        path.mkdir(parents=True, exist_ok=True)
    _tighten(path, 0o700)
    return path


def write_private_atomic(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` whole or not at all (a crash leaves the old file or none, never part of one).

    The bytes go to a 0600 temporary file in the same folder, are flushed to disk, and the file is renamed over
    ``path``.
    """
    with private_umask():
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if it is missing; an existing file is tightened to 0600."""
    with private_umask():
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        _tighten(path, 0o600)
    return path


def _tighten(path: Path, mode: int) -> None:
    """Remove group and other permission bits (only on what the process owns; others' files are left as they are)."""
    current = path.stat()
    if current.st_mode & 0o077 and current.st_uid == os.getuid():
        os.chmod(path, mode)
