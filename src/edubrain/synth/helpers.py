"""What keeps the loader's helper processes and scratch files from outliving it.

A helper process is started with :func:`die_with_parent` as its
initializer: on Linux the kernel sends it ``SIGKILL`` when the loader dies
(``prctl(PR_SET_PDEATHSIG)``), and on any platform a watchdog thread ends it
once its parent is gone. Scratch files go in a folder of their own under
``EDUBRAIN_HOME/tmp`` named for the loader's process id
(:func:`scratch_folder`): removed when the load ends, and swept by the next
load when the process that made it is dead (killed with ``SIGKILL``, say).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PR_SET_PDEATHSIG = 1
"""``prctl`` option: the signal a process gets when its parent dies (``linux/prctl.h``)."""
WATCH_SECONDS = 1.0
"""How often the watchdog looks for the parent."""
PREFIX = "load-"


def die_with_parent(parent: int) -> None:
    """Initializer of a helper process: make it die when ``parent`` dies, even by ``SIGKILL``.

    Args:
        parent: The loader's process id (``os.getpid()`` in the loader).
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watchdog still works
            pass
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="parent-watchdog", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process has the id now
        return True
    return True


def sweep(root: Path) -> list[Path]:
    """Remove the scratch folders in ``root`` whose process is dead; returns those removed."""
    removed = []
    for folder in root.glob(f"{PREFIX}*") if root.is_dir() else []:
        pid = folder.name.removeprefix(PREFIX).split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


@contextmanager
def scratch_folder(root: Path) -> Iterator[Path]:
    """A private scratch folder in ``root`` (made 0700), removed on exit; dead loaders' folders are swept first."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    sweep(root)
    folder = root / f"{PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
