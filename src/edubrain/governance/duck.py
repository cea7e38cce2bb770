"""Each thread's in-memory DuckDB connection for governed reads (views over lake snapshots).

A connection holds one result of ``execute()`` at a time, and DuckDB refuses
other work on it ("connection has an unfinished result") until that result
is read to its end. ``fetchone()`` of a one-row result does not read to the
end, and a worker thread's connection outlives the request that used it: the
next request on the thread would fail (the ``/fitness`` 500 of issue 13). So
readers fetch every row (``fetchall()``, ``to_arrow_table()``), and
:func:`connection` hands out its connection with no result pending.
"""

from __future__ import annotations

import atexit
import threading

import duckdb

_LOCAL = threading.local()
_OPEN: list[duckdb.DuckDBPyConnection] = []
_OPEN_LOCK = threading.Lock()


def connection() -> duckdb.DuckDBPyConnection:
    """This thread's DuckDB connection for reads (in memory; Parquet footers cached across reads).

    Each thread has its own database, so the views one read creates are never
    seen by another thread's read. Opening a connection costs more than a
    small read; it is kept for the thread's life. A result an earlier read on
    this thread left unfinished is abandoned first (reads never keep a result
    between calls), so every caller starts on a connection ready for work.
    """
    con: duckdb.DuckDBPyConnection | None = getattr(_LOCAL, "con", None)
    if con is None:
        con = duckdb.connect(config={"threads": 1})
        con.execute("set parquet_metadata_cache = true")
        _LOCAL.con = con
        with _OPEN_LOCK:
            _OPEN.append(con)
    else:
        con.abort()  # no-op when nothing is pending
    return con


@atexit.register
def _close_connections() -> None:
    """Close every thread's read connection before the interpreter tears down its threads.

    A connection still open in an idle worker thread at exit is destroyed during finalisation, after
    Python has stopped that thread, and DuckDB aborts the process ("terminate called ...").
    """
    with _OPEN_LOCK:
        for con in _OPEN:
            try:
                con.close()
            except duckdb.Error:
                pass
        _OPEN.clear()


def drop_connection() -> None:
    """Close this thread's read connection (after an error; the next read opens a fresh one)."""
    con: duckdb.DuckDBPyConnection | None = getattr(_LOCAL, "con", None)
    _LOCAL.con = None
    if con is not None:
        with _OPEN_LOCK:
            if con in _OPEN:
                _OPEN.remove(con)
        con.close()
