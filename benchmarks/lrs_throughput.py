"""xAPI LRS throughput: EduBrain's /xAPI against Ralph (``ralph-malph``) on the same machine and statements (issue 16).

Generates N valid xAPI statements deterministically (pupil accounts of one school, as docs/lrs.md describes; a
handful of verbs and activities; results and context), then, for each server in turn (never two at once), in a
fresh temporary home: starts it, warms it up, POSTs the statements in batches of the same size and times the
statements stored per second, then runs the same list of queries (GET /xAPI/statements with agent, verb,
activity and since filters, following every ``more`` link) and times statements returned per second and
requests per second. One client (httpx, keep-alive, bodies encoded before the clock starts), one request at a
time. Prints one JSON object with the load average before each server's run.

- EduBrain: ``edubrain init``, the school, its class and pupils ingested, a node key of the school (HTTP Basic,
  the key as password), then ``edubrain serve``; on SQLite (default) and/or PostgreSQL (``--edubrain``).
- Ralph: installed by this script into its own venv (``--ralph-venv``, default ``benchmarks/.venvs/ralph``, git-
  ignored), ``ralph auth`` credentials, served by uvicorn as ``ralph runserver`` would, with the ``fs`` LRS
  backend (the only one that needs no server we lack: its others are Elasticsearch, MongoDB and ClickHouse).

Usage::

    .venv/bin/python benchmarks/lrs_throughput.py --statements 5000 --batch 100 [--edubrain sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
RALPH_SPEC = ["ralph-malph[cli,lrs]==5.1.0", "requests"]
"""Ralph's LRS server and CLI; the ``fs`` backend needs no extra (``backend-es``/``-mongo``/``-clickhouse`` do).
``requests``: Ralph 5.1's API imports it (OIDC) without declaring it in the ``lrs`` extra."""
RALPH_USER, RALPH_PASSWORD = "lrs-bench", "lrs-bench-password-1"
RALPH_SERVE = """import sys, uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend
FSLRSBackend.default_operation_type = BaseOperationType.APPEND
verb, activity = FSLRSBackend._add_filter_by_verb, FSLRSBackend._add_filter_by_activity
FSLRSBackend._add_filter_by_verb = staticmethod(lambda f, v: verb(f, v and str(v)))
FSLRSBackend._add_filter_by_activity = staticmethod(lambda f, a, r: activity(f, a and str(a), r))
uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""
"""``ralph runserver`` without its ``reload=True`` and debug logging, and with two fixes to Ralph 5.1's fs LRS backend:
it writes with ``create``, so every POST after the first fails (500, "already exists"): here it appends; and it
compares ``verb``/``activity`` (parsed into pydantic ``IRI`` objects) with strings, so they never match: here as
strings. Nothing else is changed."""
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DISTRICT, SCHOOL, CLASS = "110108", "1101089901", "LRSBENCH1"
LEARNERS = "https://edubrain.example/learners"
"""The pupils' account homePage (edubrain.lrs.agents.LEARNER_HOMEPAGE)."""
VERSION = {"X-Experience-API-Version": "1.0.3"}
SINCE = "2026-08-01T00:00:00Z"
"""Before every statement's timestamp and every run: EduBrain compares ``since`` with ``stored`` (as xAPI says),
Ralph's fs backend with ``timestamp``; a ``since`` before both selects the same statements on both."""
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = [("experienced", "浏览", 30), ("attempted", "尝试", 20), ("answered", "作答", 30), ("completed", "完成", 15),
         ("passed", "通过", 5)]  # fmt: skip
SUBJECTS = [("math", "数学"), ("chinese", "语文"), ("english", "英语"), ("science", "科学")]
UNITS = 6
ACTIVITY_BASE = "https://apps.edubrain.example/activities/"


def pupil_numbers(count: int) -> list[str]:
    """全国学籍号 (G + a well-formed 身份证号 of a Haidian child born in 2019) of ``count`` pupils."""
    from edubrain.exchange.fields import gb11643_check_char

    numbers = []
    for i in range(count):
        birth = f"2019{i // 28 % 8 + 1:02d}{i % 28 + 1:02d}"  # 224 birthdays, then the next sequence number
        first17 = f"{DISTRICT}{birth}{i // 224 % 100:02d}{(i % 5) * 2 + 1}"
        numbers.append("G" + first17 + gb11643_check_char(first17))
    return numbers


def activities() -> list[tuple[str, str, str]]:
    """(IRI, Chinese name, English name) of every unit of every subject."""
    return [(f"{ACTIVITY_BASE}{s}/unit-{u}", f"{zh}第{u}单元", f"{s.title()} unit {u}") for s, zh in SUBJECTS
            for u in range(1, UNITS + 1)]  # fmt: skip


def make_statements(count: int, pupils: list[str], seed: int = 16) -> list[dict[str, Any]]:
    """``count`` statements of ``pupils`` (deterministic for a seed): ids, timestamps, results, context."""
    rng = random.Random(seed)
    units, start = activities(), datetime(2026, 9, 1, 8, tzinfo=UTC)
    out = []
    for i in range(count):
        name, zh, _ = rng.choices(VERBS, weights=[w for *_, w in VERBS])[0]
        iri, unit_zh, unit_en = rng.choice(units)
        subject = iri.split("/")[-2]
        when = start + timedelta(seconds=i * 97 + rng.randint(0, 60), milliseconds=rng.randint(0, 999))
        statement: dict[str, Any] = {
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "actor": {"objectType": "Agent", "account": {"homePage": LEARNERS, "name": rng.choice(pupils)}},
            "verb": {"id": ADL + name, "display": {"zh-CN": zh, "en-US": name}},
            "object": {"objectType": "Activity", "id": iri, "definition": {
                "name": {"zh-CN": unit_zh, "en-US": unit_en},
                "type": "http://adlnet.gov/expapi/activities/lesson"}},
            "context": {"platform": "课堂互动", "language": "zh-CN", "registration": str(
                uuid.UUID(int=rng.getrandbits(128), version=4)), "contextActivities": {
                "parent": [{"objectType": "Activity", "id": f"{ACTIVITY_BASE}{subject}"}],
                "grouping": [{"objectType": "Activity", "id": f"https://edubrain.example/schools/{SCHOOL}"}]}},
            "timestamp": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }  # fmt: skip
        if name in ("answered", "completed", "passed"):
            raw = rng.randint(40, 100) if name != "passed" else rng.randint(60, 100)
            result: dict[str, Any] = {"score": {"raw": raw, "min": 0, "max": 100, "scaled": raw / 100}}
            result |= {"success": raw >= 60, "completion": name != "answered"}
            result["duration"] = f"PT{rng.randint(1, 40)}M{rng.randint(0, 59)}S"
            if name == "answered":
                result["response"] = rng.choice("ABCD")
            statement["result"] = result
        out.append(statement)
    return out


def make_queries(pupils: list[str], agents: int = 12) -> list[dict[str, str]]:
    """The query mix: single pupils, every verb, some activities, and combinations with ``since``."""
    units = [iri for iri, *_ in activities()]

    def agent(number: str) -> str:
        return json.dumps({"objectType": "Agent", "account": {"homePage": LEARNERS, "name": number}})

    step = max(1, len(pupils) // agents)
    chosen = pupils[::step][:agents]
    queries = [{"agent": agent(p)} for p in chosen]
    queries += [{"verb": ADL + name} for name, *_ in VERBS]
    queries += [{"activity": iri} for iri in units[::4]]
    queries += [{"agent": agent(p), "verb": ADL + "answered", "since": SINCE} for p in chosen]
    queries += [{"activity": iri, "verb": ADL + "completed", "since": SINCE} for iri in units[1::4]]
    return queries


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}); see {log}:\n{log.read_text()[-2000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"the server at {url} did not answer")


@contextmanager
def _serving(command: list[str], env: dict[str, str], folder: Path, probe: str) -> Iterator[tuple[str, int]]:
    """Run ``command`` (a server on a free loopback port, ``{port}`` in it) until the block ends."""
    port = _free_port()
    log = folder / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([c.format(port=port) for c in command], env=env, stdout=out, stderr=out)
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(process, base + probe, log)
            yield base, process.pid
        finally:
            process.terminate()
            process.wait(timeout=30)
            if os.environ.get("LRS_BENCH_KEEP_LOG"):
                print(log.read_text(errors="replace")[-6000:], file=sys.stderr)


def _write_csv(path: Path, rows: list[list[object]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return path


def prepare_edubrain(folder: Path, database_url: str | None, pupils: list[str]) -> tuple[dict[str, str], str]:
    """A fresh home with the school, its class and pupils; returns the server's environment and a node key."""
    from edubrain.catalog import get_catalog
    from edubrain.config import Settings
    from edubrain.exchange.ingest import ingest_file
    from edubrain.governance import tokens
    from edubrain.home import Home
    from edubrain.store.db import session_scope
    from edubrain.store.orgs import resolve_organisation

    env = {**os.environ, "EDUBRAIN_HOME": str(folder)}
    if database_url:
        env["EDUBRAIN_DATABASE_URL"] = database_url
    else:
        env.pop("EDUBRAIN_DATABASE_URL", None)
    subprocess.run([str(Path(sys.executable).parent / "edubrain"), "init"], env=env, check=True, capture_output=True)
    home = Home(Settings(home=folder, database_url=database_url), get_catalog())
    files = folder / "files"
    files.mkdir()
    school: list[list[object]] = [["学校标识码", "学校名称", "所在区", "办学类型", "是否公办"],
                                  [SCHOOL, "海淀测评小学", DISTRICT, "211", "是"]]  # fmt: skip
    classes: list[list[object]] = [["班级编号", "学校标识码", "学年", "年级", "班级名称"],
                                   [CLASS, SCHOOL, 2025, "11", "一年级1班"]]  # fmt: skip
    roster: list[list[object]] = [["全国学籍号", "姓名", "性别", "出生日期", "身份证号", "民族", "学校标识码", "班级编号",
                                   "学年", "年级", "学籍状态"]]  # fmt: skip
    for i, number in enumerate(pupils):
        born = f"{number[7:11]}-{number[11:13]}-{number[13:15]}"
        roster.append([number, f"测评{i}", "1", born, number[1:], "01", SCHOOL, CLASS, 2025, "11", "01"])
    for name, rows, dataset, org in (("s", school, "schools", DISTRICT), ("c", classes, "classes", SCHOOL),
                                     ("st", roster, "students", SCHOOL)):  # fmt: skip
        report = ingest_file(home, _write_csv(files / f"{name}.csv", rows), dataset, org).report
        if report.status != "committed":
            raise SystemExit(f"{dataset} not committed: {report}")
    with session_scope(home.engine) as session, home.key_index() as index:
        resolve_organisation(session, index, SCHOOL)
        _, key = tokens.create_api_key(session, "lrs-bench", SCHOOL)
    home.engine.dispose()
    return env, key


def ralph_bin(venv: Path) -> Path:
    """Ralph's venv (created and installed on first use; its pins never touch EduBrain's venv)."""
    if not (venv / "bin" / "ralph").exists() or not list(venv.glob("lib/python*/site-packages/requests")):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *RALPH_SPEC], check=True)
    return venv / "bin"


def prepare_ralph(folder: Path, bin_dir: Path) -> dict[str, str]:
    """A fresh Ralph app folder, fs data folder and basic-auth credentials; returns the server's environment."""
    data = folder / "data"
    data.mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
    env |= {"RALPH_APP_DIR": str(folder), "RALPH_AUTH_FILE": str(folder / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs", "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data)}  # fmt: skip
    command = [str(bin_dir / "ralph"), "auth", "-u", RALPH_USER, "-p", RALPH_PASSWORD, "-s", "all"]
    command += ["-M", "mailto:lrs-bench@edubrain.example", "-w"]
    subprocess.run(command, env=env, check=True, capture_output=True)
    return env


def _post(client: httpx.Client, body: bytes, expected: int) -> None:
    response = client.post("/xAPI/statements", content=body, headers={"Content-Type": "application/json"})
    if response.status_code != 200 or len(response.json()) != expected:
        raise SystemExit(f"POST answered {response.status_code}: {response.text[:500]}")


def _query(client: httpx.Client, params: dict[str, str], limit: int) -> tuple[int, int]:
    """Statements returned and requests made for one query, following ``more`` to the end."""
    response = client.get("/xAPI/statements", params={**params, "limit": str(limit)})
    returned = requests = 0
    while True:
        requests += 1
        if response.status_code != 200:
            raise SystemExit(f"GET answered {response.status_code}: {response.text[:500]}")
        body = response.json()
        returned += len(body["statements"])
        if not body.get("more"):
            return returned, requests
        response = client.get(body["more"])


def measure(base: str, auth: tuple[str, str], batches: list[bytes], sizes: list[int], warm: list[bytes],
            queries: list[dict[str, str]], limit: int) -> dict[str, Any]:  # fmt: skip
    """Warm up, store every batch, run every query; the timings and counts."""
    with httpx.Client(base_url=base, auth=auth, headers=VERSION, timeout=600) as client:
        for body in warm:  # warm-up statements of their own pupil and activity
            _post(client, body, len(json.loads(body)))
        for params in queries[:3]:
            _query(client, params, limit)
        load = os.getloadavg()
        started = time.perf_counter()
        for body, size in zip(batches, sizes, strict=True):
            _post(client, body, size)
        store_s = time.perf_counter() - started
        counts, requests = [], 0
        started = time.perf_counter()
        for params in queries:
            returned, made = _query(client, params, limit)
            counts.append(returned)
            requests += made
        query_s = time.perf_counter() - started
    stored = sum(sizes)
    return {
        "load_average_before": [round(x, 2) for x in load],
        "stored": stored,
        "store_seconds": round(store_s, 2),
        "stored_per_s": round(stored / store_s, 1),
        "queries": len(queries),
        "requests": requests,
        "returned": sum(counts),
        "query_seconds": round(query_s, 2),
        "returned_per_s": round(sum(counts) / query_s, 1),
        "requests_per_s": round(requests / query_s, 1),
        "queries_per_s": round(len(queries) / query_s, 2),
        "counts": counts,
    }


def _pg_schema(url: str, schema: str | None = None) -> tuple[str, str]:
    """A new schema in the PostgreSQL database (or, with ``schema``, drop it); returns its URL and name."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        if schema:
            conn.execute(text(f'drop schema "{schema}" cascade'))
        else:
            conn.execute(text(f'create schema "{(schema := f"lrs_bench_{uuid.uuid4().hex[:10]}")}"'))
    engine.dispose()
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}", schema


def run_edubrain(backend: str, args: argparse.Namespace, pupils: list[str], work: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"lrs-edubrain-{backend}-") as tmp:
        url, schema = _pg_schema(args.pg_url) if backend == "postgresql" else (None, None)
        try:
            env, key = prepare_edubrain(Path(tmp) / "home", url, pupils)
            command = [str(Path(sys.executable).parent / "edubrain"), "serve", "--port", "{port}"]
            with _serving(command + ["--workers", str(args.workers)], env, Path(tmp), "/xAPI/about") as (base, pid):
                print(f"edubrain ({backend}) serving as pid {pid}", file=sys.stderr)
                return measure(base, ("lrs-bench", key), **work)
        finally:
            if schema:
                _pg_schema(args.pg_url, schema)


def run_ralph(args: argparse.Namespace, work: dict[str, Any]) -> dict[str, Any]:
    bin_dir = ralph_bin(args.ralph_venv)
    with tempfile.TemporaryDirectory(prefix="lrs-ralph-") as tmp:
        env = prepare_ralph(Path(tmp), bin_dir)
        command = [str(bin_dir / "python"), "-c", RALPH_SERVE, "{port}"]
        with _serving(command, env, Path(tmp), "/__heartbeat__") as (base, pid):
            print(f"ralph (fs) serving as pid {pid}", file=sys.stderr)
            return measure(base, (RALPH_USER, RALPH_PASSWORD), **work)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--statements", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100, help="statements per POST (the same to both)")
    parser.add_argument("--pupils", type=int, default=200)
    parser.add_argument("--limit", type=int, default=100, help="page size asked (Ralph's default maximum is 100)")
    parser.add_argument("--workers", type=int, default=1, help="EduBrain worker processes (Ralph fs: always 1)")
    parser.add_argument("--edubrain", default="sqlite", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--no-ralph", action="store_true")
    parser.add_argument("--ralph-venv", type=Path, default=ROOT / "benchmarks" / ".venvs" / "ralph")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the servers and drop the schema when killed
    pupils = pupil_numbers(args.pupils + 1)
    statements = make_statements(args.statements, pupils[:-1])
    warm_pupil, warm_unit = pupils[-1], activities()[0]
    warm = make_statements(2 * args.batch, [warm_pupil], seed=1)
    for s in warm:
        s["object"] = {"objectType": "Activity", "id": warm_unit[0] + "/warm-up"}
    chunks = [statements[i : i + args.batch] for i in range(0, len(statements), args.batch)]
    work = {
        "batches": [json.dumps(c, ensure_ascii=False).encode() for c in chunks],
        "sizes": [len(c) for c in chunks],
        "warm": [json.dumps(warm[i : i + args.batch]).encode() for i in range(0, len(warm), args.batch)],
        "queries": make_queries(pupils[:-1]),
        "limit": args.limit,
    }
    results: dict[str, Any] = {}
    for backend in [b.strip() for b in args.edubrain.split(",") if b.strip()]:
        results[f"edubrain_{backend}"] = run_edubrain(backend, args, pupils, work)
    if not args.no_ralph:
        results["ralph_fs"] = run_ralph(args, work)
    ratios = {}
    if "ralph_fs" in results:
        ralph = results["ralph_fs"]
        for name, r in results.items():
            if name != "ralph_fs":
                ratios[name] = {
                    "stored_per_s_ratio": round(r["stored_per_s"] / ralph["stored_per_s"], 2),
                    "returned_per_s_ratio": round(r["returned_per_s"] / ralph["returned_per_s"], 2),
                    "queries_per_s_ratio": round(r["queries_per_s"] / ralph["queries_per_s"], 2),
                    "same_counts_per_query": r["counts"] == ralph["counts"],
                }
    print(json.dumps({"statements": args.statements, "batch": args.batch, "pupils": args.pupils,
                      "limit": args.limit, "workers": args.workers, "cpus": os.cpu_count(),
                      "servers": results, "ratios_vs_ralph": ratios}, ensure_ascii=False, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
