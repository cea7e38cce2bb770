"""The governed reads' DuckDB connections: one per thread, views private to it, reused after a thread ends."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pyarrow as pa

from edubrain.governance import duck


def _in_thread(work: Callable[[], Any]) -> Any:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join()
    return out[0]


def test_a_thread_never_sees_another_threads_view() -> None:
    """Two live threads each create ``t``; each reads its own rows (temporary views are per connection)."""
    ready, done = threading.Barrier(2), threading.Barrier(2)
    seen: dict[int, list[tuple[int]]] = {}

    def reader(n: int) -> None:
        con = duck.connection()
        con.register(f"rows_{n}", pa.table({"x": [n]}))
        con.execute(f"create or replace temp view t as select x from rows_{n}")
        ready.wait()  # both views exist now
        seen[n] = con.sql("select x from t").fetchall()
        done.wait()  # both threads alive while reading

    threads = [threading.Thread(target=reader, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {1: [(1,)], 2: [(2,)]}


def test_a_connection_is_used_by_one_live_thread_and_handed_on_when_it_ends() -> None:
    """A new thread gets the connection of a thread that has ended, not a new database each time."""
    first = _in_thread(duck.connection)
    second = _in_thread(duck.connection)
    assert second is first  # the ended thread's connection, not a newly opened one
    hold, release = threading.Event(), threading.Event()
    held: list[Any] = []

    def holder() -> None:
        held.append(duck.connection())
        hold.set()
        release.wait()

    thread = threading.Thread(target=holder)
    thread.start()
    hold.wait()
    try:
        other = _in_thread(duck.connection)
        assert other is not held[0]  # a live thread's connection is never handed to another thread
    finally:
        release.set()
        thread.join()


def test_a_handed_on_connection_has_no_unfinished_result() -> None:
    """A thread that ended with a result pending leaves a connection the next thread can use at once."""

    def leave_pending() -> Any:
        con = duck.connection()
        con.execute("select * from range(10)").fetchone()  # not read to its end
        return con

    first = _in_thread(leave_pending)

    def use() -> tuple[Any, list[tuple[int]]]:
        con = duck.connection()
        return con, con.execute("select 42").fetchall()

    second, rows = _in_thread(use)
    assert second is first
    assert rows == [(42,)]


def test_a_dropped_connection_is_closed_not_handed_on() -> None:
    """After an error the thread's connection is closed; no other thread ever gets it."""

    def drop() -> Any:
        con = duck.connection()
        duck.drop_connection()
        return con

    dropped = _in_thread(drop)
    assert _in_thread(duck.connection) is not dropped
