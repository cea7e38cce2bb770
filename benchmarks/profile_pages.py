"""Service time of each profile page: one request at a time against the real server, first visit and again.

The load run (``load.py``) measures the pages under 100 concurrent users, where the tail is mostly queueing
for the CPU (and on a shared machine, for other work's CPU). This run asks each page alone, so its times are
what one request costs the server: every benchmark account of ``load.py`` (same city, accounts and profile
subjects) opens, in turn, its profile entry page, two of its pupils' profiles (school accounts, for the
purpose ``teaching``), two school and two teacher profiles (district accounts; teachers where the role may
open them) and three evidence pages, with one uvicorn worker. ``--rounds`` rounds: round 0 is the first visit
of each page since the server started, the later rounds are the same pages again. Within a round the pages
are asked kind by kind (entry, student, school, teacher, evidence), and the server's CPU time (user + system,
all its threads) is read before and after each kind: ``server_cpu_ms`` is that CPU per request, the cost of a
page that the other work on a shared machine changes least (wall times wait for the CPU it holds). It prints
one JSON object: per page and round the count, median, p90 and max in ms, the server CPU ms per request, the
load average before and after. Run::

    .venv/bin/python benchmarks/profile_pages.py --home /work/bench-load --rounds 2   # a city load.py built
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load  # noqa: E402  (the benchmark beside this file)


def pages_of(account: dict[str, Any]) -> list[tuple[str, str]]:
    """(name, path) of the profile pages one account opens in a round."""
    purpose = account["purpose"]
    out = [("profile entry (/profiles)", "/profiles" + (f"?purpose={purpose}" if purpose else ""))]
    out += [("profile student", f"/profiles/students/{p}?purpose={purpose}") for p in account["pupils"][:2]]
    out += [("profile school", f"/profiles/schools/{s}") for s in account["schools"][:2]]
    out += [("profile teacher", f"/profiles/teachers/{t}") for t in account["teachers"][:2]]
    out += [("profile evidence", e) for e in account["evidence"][:3]]
    return out


KINDS = ("profile entry (/profiles)", "profile student", "profile school", "profile teacher", "profile evidence")
"""The order in which a round asks the kinds of page."""


def run(url: str, accounts: list[dict[str, Any]], rounds: int, pid: int) -> dict[str, dict[str, dict[str, float]]]:
    """Open every account's pages ``rounds`` times, one request at a time, kind by kind.

    Returns, by round and page, the wall times in ms (median, p90, max) and the server's CPU ms per request.
    """
    import httpx

    clients = {a["username"]: httpx.Client(base_url=url, cookies=a["cookies"], timeout=60) for a in accounts}
    out: dict[str, dict[str, dict[str, float]]] = {}
    try:
        for round_no in range(rounds):
            for kind in KINDS:
                times: list[float] = []
                cpu_before = load.server_cpu_seconds(pid)
                for account in accounts:
                    client = clients[account["username"]]
                    for path in (path for name, path in pages_of(account) if name == kind):
                        started = time.perf_counter()
                        response = client.get(path)
                        times.append((time.perf_counter() - started) * 1000)
                        if response.status_code != 200:
                            raise SystemExit(f"{path} answered {response.status_code} to {account['username']}")
                cpu_ms = (load.server_cpu_seconds(pid) - cpu_before) * 1000
                if times:
                    out.setdefault(f"round {round_no}", {})[kind] = {
                        "requests": len(times),
                        "median_ms": round(statistics.median(times), 1),
                        "p90_ms": round(sorted(times)[int(len(times) * 0.9)], 1),
                        "max_ms": round(max(times), 1),
                        "server_cpu_ms": round(cpu_ms / len(times), 1),
                    }
    finally:
        for client in clients.values():
            client.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--home", type=Path, default=load.ROOT / "var" / "bench-load")
    parser.add_argument("--scale", type=float, default=0.1, help="scale of the city to build if --home has none")
    parser.add_argument("--rounds", type=int, default=2, help="round 0: first visits; later rounds: again")
    args = parser.parse_args()
    scale = load.prepare_city(args.home, args.scale, reuse=True)
    accounts = load.create_accounts(args.home)
    load.add_profile_subjects(args.home, accounts)
    port = load._free_port()
    server = load.start_server(args.home, port, 1)
    url = f"http://127.0.0.1:{port}"
    try:
        load.open_sessions(url, accounts)
        before = os.getloadavg()
        result: dict[str, Any] = {"rounds": run(url, accounts, args.rounds, server.pid)}
    finally:
        server.terminate()
        server.wait(timeout=20)
    result.update(
        scale=scale,
        accounts=len(accounts),
        load_average_before=[round(x, 2) for x in before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        cpus=os.cpu_count(),
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
