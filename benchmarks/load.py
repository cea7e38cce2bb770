"""Load run of the web app: 100 concurrent users browse the cockpit, dataset and profile pages for 60 s on loopback.

Builds (or reuses, with ``--reuse``) a synthetic city at ``--scale`` in
``--home``, creates benchmark accounts (the city analyst, a district analyst
and a district administrator per district, administrators of two schools per
district), picks the profiles each account opens through the governed
profile facade (a school its own school and its pupils, for the purpose
``teaching``; a district the schools and teachers of its district; each with
the evidence of some values), starts the real server (uvicorn) on a free
loopback port, runs locust headless against it and prints one JSON object:
throughput, p50, p99, errors and the load average, and per page (each
profile page under its own name: ``profile student``, ``profile school``,
``profile teacher``, ``profile evidence``, ``profile entry (/profiles)``)
p50 / p95 / p99 / max, and the CPU the server used (``server_cpu_cores_busy``).
Run it with ``make bench`` or::

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/load.py --scale 0.1 --users 100 --seconds 60 [--reuse]

Every account logs in once before the run (the login time is reported
apart: Argon2id is slow on purpose); the users then browse with those
sessions. They start over 10 s and the statistics are reset when all have
started (``--reset-stats``), so the figures are the steady state over ``--seconds``. The locust user is in
``load_users.py`` beside this file (the locustfile); this module imports no locust, so other benchmarks
(``profile_pages.py``) may import it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).with_name("load_users.py")
"""The locustfile: the user class locust runs (reads the accounts from ``ACCOUNTS_ENV``)."""
PASSWORD = "bench-load-password-1"
ACCOUNTS_ENV = "EDUBRAIN_BENCH_ACCOUNTS"
"""The path of a JSON file of the accounts (their sessions and the profile pages they open) for the locust users."""
WAIT_ENV = "EDUBRAIN_BENCH_WAIT"
KEEP_ALIVE_SECONDS = 75
"""Server keep-alive, longer than any think time: with uvicorn's default 5 s a client reusing a connection just as
the server closes it gets a reset (seen once in 1,698 requests with think times up to 5 s)."""
STAFF_PURPOSE = "teaching"
"""The purpose school staff declare to open a pupil's profile (a student profile is sensitive personal information)."""
PROFILE_SUBJECTS = 30
"""Pupils, schools and teachers whose profiles one account opens at most."""
PROFILE_P99_GOAL_MS = 200.0
"""Issue 14: one profile page's p99 under this under the load benchmark."""
EVIDENCE_LINKS = 20
"""Evidence links (of values on the profiles above) one account opens at most."""
SCALE_FILE = "bench-load-scale.txt"
"""Beside the city in ``--home``: the scale it was built with (what a ``--reuse`` run reports)."""
RAMP_SECONDS = 10
"""Users start over this many seconds; statistics are reset when all have started."""


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=False, stdout=subprocess.DEVNULL)


def prepare_city(home: Path, scale: float, reuse: bool) -> float:
    """Generate and load the synthetic city into ``home`` unless ``--reuse`` and it is there; returns its scale.

    The scale of a reused city is the one it was built with (kept beside it), else ``scale`` as given.
    """
    marker = home / SCALE_FILE
    if reuse and (home / "lake" / "students").exists():
        return float(marker.read_text(encoding="utf-8")) if marker.exists() else scale
    env = {**os.environ, "EDUBRAIN_HOME": str(home)}
    edubrain = str(Path(sys.executable).parent / "edubrain")
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([edubrain, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    city = home / "city"
    subprocess.run([edubrain, "synth", "--scale", str(scale), "--seed", "7", "-o", str(city)], env=env, check=True)
    _run([edubrain, "synth", "--load", str(city), "--bulk"], env)
    marker.write_text(str(scale), encoding="utf-8")
    return scale


def create_accounts(home: Path, schools_per_district: int = 2) -> list[dict[str, Any]]:
    """The city analyst, a district analyst and a district administrator per district, and school administrators.

    The analysts' clearance (L2) does not reach a teacher's id, so only the district administrators open teacher
    profiles; the school administrators are those of ``schools_per_district`` schools of each district.
    """
    from sqlalchemy import select

    from edubrain.config import Settings
    from edubrain.governance import identity
    from edubrain.governance.models import User
    from edubrain.home import Home
    from edubrain.store.db import session_scope

    h = Home(Settings(home=home))
    schools = h.lake.read(h.catalog.dataset("schools"), columns=["school_code", "district_code"]).to_pylist()
    wanted: list[tuple[str, str, str, str | None]] = [("bench_city", "110000", "city_analyst", None)]
    taken: dict[str, int] = {}
    for row in sorted(schools, key=lambda r: r["school_code"]):
        district = row["district_code"]
        if district not in taken:
            wanted.append((f"bench_d{district}", district, "district_analyst", district))
            wanted.append((f"bench_a{district}", district, "district_admin", district))  # may open teacher profiles
            taken[district] = 0
        if taken[district] < schools_per_district:
            wanted.append((f"bench_s{row['school_code']}", row["school_code"], "school_admin", None))
            taken[district] += 1
    accounts = []
    from edubrain.store.orgs import resolve_organisation

    with session_scope(h.engine) as session, h.key_index() as index:
        for _, org, role, _ in wanted:
            if role == "school_admin":
                resolve_organisation(session, index, org)  # a school enters the organisation tree when first seen
        existing = {u.username for u in session.scalars(select(User))}
        for username, org, role, district in wanted:
            if username not in existing:
                identity.add_user(session, username, PASSWORD, org)
                identity.grant(session, username, role, org)
            accounts.append({"username": username, "org": org, "role": role, "district": district})
    h.engine.dispose()
    return accounts


def _linked(kinds: str, subject: str, years: Any, query: str) -> list[str]:
    """The evidence links a profile page shows: values that rest on lake rows and are neither empty nor masked."""
    return [
        f"/profiles/{kinds}/{subject}/evidence/{v.id}?year={y.school_year}{query}"
        for y in years
        for v in y.indicators
        if v.source.dataset is not None and v.value is not None and not v.masked
    ]


def add_profile_subjects(home: Path, accounts: list[dict[str, Any]]) -> None:
    """Pick, through the governed profile facade, the profile pages each account opens (adds them to it).

    A school administrator opens its school's profile and, for the purpose ``teaching``, pupils of its school
    (from the picker's list) and the evidence of their values; a district account the profiles of schools of its
    district (the city analyst: of the city) and their evidence, and, where its clearance reaches a teacher's id
    (the district administrators), the profiles of teachers of its district and their evidence. Seeded.
    """
    from edubrain.config import Settings
    from edubrain.governance import identity
    from edubrain.home import Home
    from edubrain.store.db import session_scope

    h = Home(Settings(home=home))
    rng = random.Random(7)
    with session_scope(h.engine) as session:
        principals = {
            a["username"]: identity.principal_of(session, identity.get_user(session, a["username"])) for a in accounts
        }
    for account in accounts:
        account.update(purpose=None, pupils=[], schools=[], teachers=[], evidence=[])
        if account["role"] == "school_admin":
            _school_subjects(h, principals[account["username"]], account, rng)
        else:
            _district_subjects(h, principals[account["username"]], account, rng)
        account["evidence"] = rng.sample(account["evidence"], min(EVIDENCE_LINKS, len(account["evidence"])))
    h.engine.dispose()


def _school_subjects(h: Any, principal: Any, account: dict[str, Any], rng: random.Random) -> None:
    """A school administrator's: its school, pupils from its picker (for ``teaching``) and their evidence."""
    from edubrain.profiles import student_choices, student_profile

    account["purpose"], account["schools"] = STAFF_PURPOSE, [account["org"]]
    pupils = sorted({c.pseudonym for c in student_choices(h, principal, purpose=STAFF_PURPOSE, limit=500).items})
    account["pupils"] = rng.sample(pupils, min(PROFILE_SUBJECTS, len(pupils)))
    for pupil in account["pupils"][:2]:
        found = student_profile(h, principal, pupil, purpose=STAFF_PURPOSE)
        account["evidence"] += _linked("students", pupil, found.years, f"&purpose={STAFF_PURPOSE}")


def _district_subjects(h: Any, principal: Any, account: dict[str, Any], rng: random.Random) -> None:
    """A district's or the city's: profiled schools (and teachers) in its scope, and their evidence."""
    from edubrain.governance.readpath import read_dataset
    from edubrain.governance.scope import AccessDenied
    from edubrain.profiles import school_profile, teacher_profile

    where = {"district_code": account["district"]} if account["district"] else {}
    schools = sorted(set(read_dataset(h, principal, "school_profiles", filters=where).table["school_code"].to_pylist()))
    account["schools"] = rng.sample(schools, min(PROFILE_SUBJECTS, len(schools)))
    for school in account["schools"][:1]:
        account["evidence"] += _linked("schools", school, school_profile(h, principal, school).years, "")
    teachers = read_dataset(h, principal, "teacher_profiles", filters=where, limit=2000).table
    ids = sorted({str(t) for t in teachers["teacher_id"].to_pylist() if t})
    chosen = rng.sample(ids, min(PROFILE_SUBJECTS, len(ids)))
    try:
        found = teacher_profile(h, principal, chosen[0]) if chosen else None
    except AccessDenied:  # an analyst: its clearance (L2) does not reach a teacher's id; the page refuses it too
        return
    account["teachers"] = chosen
    if found is not None:
        account["evidence"] += _linked("teachers", chosen[0], found.years, "")


def server_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds used so far by the server process and its workers (psutil comes with locust)."""
    import psutil

    root = psutil.Process(pid)
    return sum(sum(p.cpu_times()[:2]) for p in [root, *root.children(recursive=True)])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    """The real app under uvicorn on loopback; returns once it answers."""
    import httpx

    env = {**os.environ, "EDUBRAIN_HOME": str(home)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "edubrain.api.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    command += ["--timeout-keep-alive", str(KEEP_ALIVE_SECONDS)]
    process = subprocess.Popen(command, env=env)
    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/login", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start")


def open_sessions(url: str, accounts: list[dict[str, Any]]) -> list[float]:
    """Log every account in (adds its session cookies to it); returns the login times in ms."""
    import httpx

    times = []
    for account in accounts:
        started = time.perf_counter()
        response = httpx.post(
            f"{url}/login", data={"username": account["username"], "password": PASSWORD, "next": "/"}, timeout=60
        )
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 303:
            raise SystemExit(f"login of {account['username']} failed: {response.status_code}")
        account["cookies"] = dict(response.cookies)
    return times


def run_locust(
    url: str, users: int, seconds: int, accounts: list[dict[str, Any]], out: Path, wait: str
) -> dict[str, object]:
    """Run locust headless and read its aggregated statistics."""
    (out / "accounts.json").write_text(json.dumps(accounts), encoding="utf-8")  # too long for one variable
    env = {**os.environ, ACCOUNTS_ENV: str(out / "accounts.json"), WAIT_ENV: wait}
    locust = str(Path(sys.executable).parent / "locust")
    rate = max(1.0, users / RAMP_SECONDS)
    command = [locust, "-f", str(LOCUSTFILE), "--headless", "-u", str(users), "-r", str(rate), "--reset-stats"]
    command += [
        "-t",
        f"{seconds + RAMP_SECONDS}s",  # the run time counts the ramp: ``seconds`` of statistics after it
        "--host",
        url,
        "--csv",
        str(out / "load"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    subprocess.run(command, env=env, check=False)
    with open(out / "load_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_name = {r["Name"]: r for r in rows}
    total = by_name["Aggregated"]
    pages = {
        name: {
            "requests": int(r["Request Count"]),
            "p50_ms": float(r["50%"]),
            "p95_ms": float(r["95%"]),
            "p99_ms": float(r["99%"]),
            "max_ms": float(r["100%"]),
        }
        for name, r in by_name.items()
        if name != "Aggregated"
    }
    failed = []
    if (out / "load_failures.csv").exists():
        with open(out / "load_failures.csv", encoding="utf-8") as handle:
            failed = [
                {"name": r["Name"], "error": r["Error"], "occurrences": int(r["Occurrences"])}
                for r in csv.DictReader(handle)
            ]
    profile_pages = {name: page for name, page in pages.items() if name.startswith("profile")}
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "throughput_rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "max_ms": float(total["100%"]),
        "pages": pages,
        "profile_pages_p50_p99_ms": {name: [page["p50_ms"], page["p99_ms"]] for name, page in profile_pages.items()},
        "profile_p99_goal_ms": PROFILE_P99_GOAL_MS,
        "profile_p99_goal_met": {name: page["p99_ms"] < PROFILE_P99_GOAL_MS for name, page in profile_pages.items()},
        "failures": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--home", type=Path, default=ROOT / "var" / "bench-load")
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--wait", default="1,5", help="think time between a user's pages: MIN,MAX seconds")
    parser.add_argument("--reuse", action="store_true", help="reuse the city already loaded in --home")
    args = parser.parse_args()
    scale = prepare_city(args.home, args.scale, args.reuse)
    accounts = create_accounts(args.home)
    add_profile_subjects(args.home, accounts)
    port = _free_port()
    server = start_server(args.home, port, args.workers)
    url = f"http://127.0.0.1:{port}"
    try:
        logins = sorted(open_sessions(url, accounts))
        before = os.getloadavg()
        cpu_before, started = server_cpu_seconds(server.pid), time.perf_counter()
        with tempfile.TemporaryDirectory() as out:
            result = run_locust(url, args.users, args.seconds, accounts, Path(out), args.wait)
        busy = (server_cpu_seconds(server.pid) - cpu_before) / (time.perf_counter() - started)
    finally:
        server.terminate()
        server.wait(timeout=20)
    result.update(
        scale=scale,
        users=args.users,
        seconds=args.seconds,
        workers=args.workers,
        think_time_s=args.wait,
        accounts=len(accounts),
        server_cpu_cores_busy=round(busy, 2),
        login_ms_median=round(logins[len(logins) // 2], 1),
        load_average_before=[round(x, 2) for x in before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        cpus=os.cpu_count(),
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
