"""Load run of the web app: 100 concurrent users browse the cockpit and dataset pages for 60 s on loopback.

Builds (or reuses, with ``--reuse``) a synthetic city at ``--scale`` in
``--home``, creates one benchmark account per district, per sampled school
and for the city, starts the real server (uvicorn) on a free loopback port,
runs locust headless against it and prints one JSON object: throughput,
p50, p99, errors and the load average. Run it with ``make bench`` or::

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/load.py --scale 0.1 --users 100 --seconds 60 [--reuse]

Every account logs in once before the run (the login time is reported
apart: Argon2id is slow on purpose); the users then browse with those
sessions. They start over 10 s and the statistics are reset when all have
started, so the figures are the steady state over ``--seconds``. The same file is the locustfile (locust imports it; then only the user class below is used).
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
PASSWORD = "bench-load-password-1"
ACCOUNTS_ENV = "EDUBRAIN_BENCH_ACCOUNTS"
WAIT_ENV = "EDUBRAIN_BENCH_WAIT"
KEEP_ALIVE_SECONDS = 75
"""Server keep-alive, longer than any think time: with uvicorn's default 5 s a client reusing a connection just as
the server closes it gets a reset (seen once in 1,698 requests with think times up to 5 s)."""
RAMP_SECONDS = 10
"""Users start over this many seconds; statistics are reset when all have started."""

if __name__ != "__main__":  # imported by locust as its locustfile
    from locust import HttpUser, between, task

    class CockpitBrowser(HttpUser):
        """A city, district or school user looking at the cockpit and paging through datasets."""

        wait_time = between(*(float(x) for x in os.environ.get(WAIT_ENV, "1,5").split(",")))

        def on_start(self) -> None:
            self.account = random.choice(json.loads(os.environ[ACCOUNTS_ENV]))
            self.client.cookies.update(self.account["cookies"])  # a session opened by logging in before the run

        def page(self, path: str, name: str) -> None:
            with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} (a logged-in page must answer 200)")

        @task(4)
        def cockpit(self) -> None:
            self.page("/", "/ (cockpit)")

        @task(1)
        def district(self) -> None:
            if self.account["district"]:
                self.page(f"/district/{self.account['district']}", "/district/[code]")

        @task(2)
        def students(self) -> None:
            self.page(f"/data/students?page={random.randint(1, 5)}", "/data/students")

        @task(1)
        def teachers(self) -> None:
            self.page(f"/data/teachers?page={random.randint(1, 3)}", "/data/teachers")

        @task(1)
        def schools(self) -> None:
            self.page("/data/schools", "/data/schools")


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, env=env, check=False, stdout=subprocess.DEVNULL)


def prepare_city(home: Path, scale: float, reuse: bool) -> None:
    """Generate and load the synthetic city into ``home`` unless ``--reuse`` and it is there."""
    if reuse and (home / "lake" / "students").exists():
        return
    env = {**os.environ, "EDUBRAIN_HOME": str(home)}
    edubrain = str(Path(sys.executable).parent / "edubrain")
    shutil.rmtree(home, ignore_errors=True)
    subprocess.run([edubrain, "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    city = home / "city"
    subprocess.run([edubrain, "synth", "--scale", str(scale), "--seed", "7", "-o", str(city)], env=env, check=True)
    _run([edubrain, "synth", "--load", str(city), "--bulk"], env)


def create_accounts(home: Path, schools_per_district: int = 2) -> list[dict[str, Any]]:
    """The city analyst, a district analyst per district and school administrators of sampled schools."""
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
            accounts.append({"username": username, "district": district})
    h.engine.dispose()
    return accounts


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
    env = {**os.environ, ACCOUNTS_ENV: json.dumps(accounts), WAIT_ENV: wait}
    locust = str(Path(sys.executable).parent / "locust")
    command = [locust, "-f", __file__, "--headless", "-u", str(users), "-r", str(max(1, users // 10))]
    command += [
        "-t",
        f"{seconds}s",
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
    return {
        "requests": int(total["Request Count"]),
        "errors": int(total["Failure Count"]),
        "throughput_rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "max_ms": float(total["100%"]),
        "pages": pages,
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
    prepare_city(args.home, args.scale, args.reuse)
    accounts = create_accounts(args.home)
    port = _free_port()
    server = start_server(args.home, port, args.workers)
    url = f"http://127.0.0.1:{port}"
    try:
        logins = sorted(open_sessions(url, accounts))
        before = os.getloadavg()
        with tempfile.TemporaryDirectory() as out:
            result = run_locust(url, args.users, args.seconds, accounts, Path(out), args.wait)
    finally:
        server.terminate()
        server.wait(timeout=20)
    result.update(
        scale=args.scale,
        users=args.users,
        seconds=args.seconds,
        workers=args.workers,
        think_time_s=args.wait,
        accounts=len(accounts),
        login_ms_median=round(logins[len(logins) // 2], 1),
        load_average_before=[round(x, 2) for x in before],
        load_average_after=[round(x, 2) for x in os.getloadavg()],
        cpus=os.cpu_count(),
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
