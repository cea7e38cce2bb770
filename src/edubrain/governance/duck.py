"""Each thread's DuckDB connection for governed reads (temporary views over lake snapshots), from one database.

A connection holds one result of ``execute()`` at a time, and DuckDB refuses
other work on it ("connection has an unfinished result") until that result
is read to its end. ``fetchone()`` of a one-row result does not read to the
end, and a worker thread's connection outlives the request that used it: the
next request on the thread would fail (the ``/fitness`` 500 of issue 13). So
readers fetch every row (``fetchall()``, ``to_arrow_table()``), and
:func:`connection` hands out its connection with no result pending.

Every thread's connection is a cursor of one in-memory database per process
(DuckDB's way to use a database from several threads): opening a database
costs ≈ 15 ms of CPU, a cursor ≈ 0.01 ms, and the database's Parquet
metadata cache is shared by all threads. A reader's views are *temporary*
views (:func:`~edubrain.governance.readpath.register_view`), which DuckDB keeps
per connection, so one thread's view ``t`` is never seen by another thread.
When a thread ends (the server's worker threads end after a while idle), its
connection is handed to the next new thread instead of being left open.
"""

from __future__ import annotations

import atexit
import threading
import weakref

import duckdb

_LOCAL = threading.local()
_OPEN: list[duckdb.DuckDBPyConnection] = []
_FREE: list[duckdb.DuckDBPyConnection] = []
"""Connections of threads that have ended, handed to the next thread that asks (never two threads at once)."""
_OPEN_LOCK = threading.Lock()
_DATABASE: list[duckdb.DuckDBPyConnection] = []
"""The process's in-memory database (its first connection); the threads' connections are its cursors."""


class _Held:
    """A thread's hold on its connection: when the thread ends its locals go, and the connection is freed."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.finalizer = weakref.finalize(self, _free, con)


def _free(con: duckdb.DuckDBPyConnection) -> None:
    with _OPEN_LOCK:
        if con in _OPEN:
            _FREE.append(con)


def _new_connection() -> duckdb.DuckDBPyConnection:
    """A free connection of an ended thread, else a new cursor of the process's database (opened once)."""
    with _OPEN_LOCK:
        if _FREE:
            return _FREE.pop()
        if not _DATABASE:
            database = duckdb.connect(config={"threads": 1})
            database.execute("set global parquet_metadata_cache = true")
            _DATABASE.append(database)
        con = _DATABASE[0].cursor()
        _OPEN.append(con)
        return con


def connection() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection for reads (in memory; Parquet footers cached across reads and threads).

    Each thread has its own connection, and the views a read creates are
    temporary (per connection), so they are never seen by another thread's
    read. A result an earlier read on this thread left unfinished is
    abandoned first (reads never keep a result between calls), so every
    caller starts on a connection ready for work.
    """
    held: _Held | None = getattr(_LOCAL, "held", None)
    if held is None:
        held = _Held(_new_connection())
        _LOCAL.held = held
    held.con.abort()  # no-op when nothing is pending (a freed connection may hold an ended thread's result)
    return held.con


@atexit.register
def _close_connections() -> None:
    """Close every connection and the database before the interpreter tears down its threads.

    A connection still open in an idle worker thread at exit is destroyed during finalisation, after
    Python has stopped that thread, and DuckDB aborts the process ("terminate called ...").
    """
    with _OPEN_LOCK:
        for con in [*_OPEN, *_DATABASE]:
            try:
                con.close()
            except duckdb.Error:
                pass
        _OPEN.clear()
        _FREE.clear()
        _DATABASE.clear()


def drop_connection() -> None:
    """Close this thread's read connection (after an error; the next read opens a fresh one)."""
    held: _Held | None = getattr(_LOCAL, "held", None)
    _LOCAL.held = None
    if held is not None:
        held.finalizer.detach()  # closed, not freed for another thread
        with _OPEN_LOCK:
            if held.con in _OPEN:
                _OPEN.remove(held.con)
        held.con.close()
