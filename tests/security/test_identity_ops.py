"""Red-team findings on identity and operations: login throttling, grant references, the loader's helpers,
file permissions of the home, and rosters that go back in time."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from edubrain.catalog import Catalog
from edubrain.cli import main
from edubrain.config import Settings
from edubrain.exchange.ingest import ingest_file
from edubrain.governance import identity
from edubrain.governance.identity import AccountError, AuthError
from edubrain.home import Home
from edubrain.store import db
from edubrain.store.orgs import seed_organisations
from edubrain.synth.config import SynthConfig
from edubrain.synth.generate import generate
from edubrain.synth.load import load_city
from tests.api.conftest import OTHER_CLASS, ApiCity
from tests.conftest import CLASS, OTHER_SCHOOL, SCHOOL, home_with_schools, student_rows, write_csv

PASSWORD = "correct horse battery staple"


# 1. login throttling: the lockout is checked before the hash, and counting is atomic


@pytest.fixture
def account(home: Home) -> Home:
    with db.session_scope(home.engine) as session:
        identity.add_user(session, "zhang", PASSWORD, "110108")
        identity.grant(session, "zhang", "district_admin", "110108")
    return home


def _count_verifies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count the password-hash checks (each made slow, like Argon2 on a busy server, to widen any race)."""
    calls: list[str] = []
    lock = threading.Lock()
    real = identity._verify

    def counted(password_hash: str, password: str) -> bool:
        with lock:
            calls.append(password)
        time.sleep(0.05)
        return real(password_hash, password)

    monkeypatch.setattr(identity, "_verify", counted)
    return calls


def _try_login(home: Home, username: str, password: str) -> str:
    try:
        with db.session_scope(home.engine) as session:
            identity.authenticate(session, home.settings, username, password)
    except AuthError as exc:
        return "locked" if exc.details.get("locked") else "refused"
    return "ok"


@pytest.mark.parametrize("username", ["zhang", "nobody"])
def test_parallel_wrong_logins_check_at_most_max_failures_passwords(
    account: Home, monkeypatch: pytest.MonkeyPatch, username: str
) -> None:
    calls = _count_verifies(monkeypatch)
    limit = account.settings.login_max_failures
    with ThreadPoolExecutor(30) as pool:
        outcomes = list(pool.map(lambda i: _try_login(account, username, f"wrong password {i}"), range(30)))
    assert "ok" not in outcomes
    assert len(calls) <= limit, f"{len(calls)} password checks past a limit of {limit}"
    assert outcomes.count("locked") >= 30 - limit
    before = len(calls)
    assert _try_login(account, username, PASSWORD) == "locked"
    assert len(calls) == before, "a locked account's password is not even checked"


def test_an_unknown_user_costs_one_hash_check_like_a_known_one(account: Home, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_verifies(monkeypatch)
    assert _try_login(account, "nobody", "wrong password!") == "refused"
    assert _try_login(account, "zhang", "wrong password!") == "refused"
    assert len(calls) == 2, "no user enumeration by timing: an unknown name runs a dummy hash"
    assert _try_login(account, "zhang", PASSWORD) == "ok"


# 2. grant references must lie inside the grant's organisation


def _cli(
    home: Home, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    for name in [k for k in os.environ if k.startswith("EDUBRAIN_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("EDUBRAIN_HOME", str(home.settings.home))
    monkeypatch.setenv("EDUBRAIN_DATABASE_URL", home.settings.resolved_database_url)
    monkeypatch.setattr(sys, "argv", ["edubrain", *args])
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        main()
    out, err = capsys.readouterr()
    return int(stopped.value.code or 0), out + err


def _pupils(school: str, start: int, n: int) -> list[str]:
    return [str(row[0]) for row in student_rows(n, school, CLASS, start)[1:]]


def test_cli_refuses_a_teacher_grant_naming_a_class_of_another_school(
    fresh: ApiCity, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _cli(fresh.home, monkeypatch, capsys, "users", "grant", "citizen", "teacher", "--org", SCHOOL,
                      "--refs", OTHER_CLASS)  # fmt: skip
    assert code != 0 and OTHER_CLASS in text, text
    code, text = _cli(fresh.home, monkeypatch, capsys, "--lang", "en", "users", "grant", "citizen", "teacher",
                      "--org", SCHOOL, "--refs", f"{CLASS},NOSUCHCLASS")  # fmt: skip
    assert code != 0 and "NOSUCHCLASS" in text and "Traceback" not in text, text
    with db.session_scope(fresh.home.engine) as session:
        grants = identity.principal_of(session, identity.get_user(session, "citizen")).grants
    assert [g.role for g in grants] == ["public"], "nothing was granted"
    code, text = _cli(fresh.home, monkeypatch, capsys, "users", "grant", "citizen", "teacher", "--org", SCHOOL,
                      "--refs", CLASS)  # fmt: skip
    assert code == 0, text


@pytest.mark.parametrize("role", ["parent", "student"])
def test_parent_and_student_refs_must_be_pupils_of_the_school(fresh: ApiCity, role: str) -> None:
    own, other = _pupils(SCHOOL, 0, 1)[0], _pupils(OTHER_SCHOOL, 10, 1)[0]
    with db.session_scope(fresh.home.engine) as session:
        with pytest.raises(AccountError) as refused:
            identity.grant_checked(fresh.home, session, "citizen", role, SCHOOL, [other])
        assert other in refused.value.en and refused.value.zh != refused.value.en
        with pytest.raises(AccountError):
            identity.grant_checked(fresh.home, session, "citizen", role, SCHOOL, [own, "G000000000000000000"])
        identity.grant_checked(fresh.home, session, "citizen", role, SCHOOL, [own])
    with db.session_scope(fresh.home.engine) as session:
        grants = identity.principal_of(session, identity.get_user(session, "citizen")).grants
    assert [(g.role, g.refs) for g in grants if g.role == role] == [(role, (own,))]


def test_a_district_parent_grant_may_name_pupils_of_the_district_schools(fresh: ApiCity) -> None:
    pupils = [_pupils(SCHOOL, 0, 1)[0], _pupils(OTHER_SCHOOL, 10, 1)[0]]
    with db.session_scope(fresh.home.engine) as session:
        identity.grant_checked(fresh.home, session, "citizen", "parent", "110108", pupils)
        with pytest.raises(AccountError):
            identity.grant_checked(fresh.home, session, "citizen", "parent", "110105", pupils[:1])


# 3. the loader's helpers die with it, and its scratch files do not outlive it

LOADER = """
import sys, time
from pathlib import Path
from edubrain.config import Settings
from edubrain.home import Home
from edubrain.synth import load

real_bundle = load._bundle

def slow_bundle(*args):
    # a big district's bundle: the helper is busy when the loader is killed
    time.sleep(60)
    return real_bundle(*args)

def step(entry, status, n):
    print("step", flush=True)
    time.sleep(0.3)

if __name__ == "__main__":
    load._bundle = slow_bundle
    load.load_city(Home(Settings(home=Path(sys.argv[1]))), Path(sys.argv[2]), "bulk", step=step)
"""


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (by parent id, from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[0] != "Z":
                parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def tiny_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config = SynthConfig(scale=0.002, seed=2, years=2, out=tmp_path_factory.mktemp("tiny"), districts=("110119",))
    generate(config)
    return config.out


def _initialised(folder: Path, database_url: str | None = None) -> Home:
    home = Home(Settings(home=folder, database_url=database_url))
    db.upgrade(home.settings.resolved_database_url)
    with db.session_scope(home.engine) as session:
        seed_organisations(session, home.catalog)
    return home


def test_killed_loader_leaves_no_helper_and_no_scratch(tmp_path: Path, tiny_city: Path) -> None:
    home = _initialised(tmp_path / "home")
    script = tmp_path / "loader.py"
    script.write_text(LOADER, encoding="utf-8")
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch_root)}
    loader = subprocess.Popen(
        [sys.executable, str(script), str(home.settings.home), str(tiny_city)],
        stdout=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )  # fmt: skip
    try:
        assert loader.stdout is not None and loader.stdout.readline().strip() == "step"
        helpers = _descendants(loader.pid)
        assert helpers, "the bulk load runs a helper process"
        loader.send_signal(signal.SIGKILL)
        loader.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in helpers):
            time.sleep(0.1)
        survivors = [p for p in helpers if _alive(p)]
    finally:
        for pid in _descendants(loader.pid) | ({loader.pid} if loader.poll() is None else set()):
            os.kill(pid, signal.SIGKILL)
    assert survivors == [], "helper processes outlived the killed loader"
    load_city(home, tiny_city, "bulk")  # the next run sweeps what the killed one left
    leftovers = [*scratch_root.iterdir(), *(home.settings.home / "tmp").glob("*")]
    assert leftovers == [], leftovers


# 4. the home is private to its owner


def _loose(root: Path) -> list[str]:
    return [
        f"{p} {stat.filemode(p.stat().st_mode)}"
        for p in [root, *root.rglob("*")]
        if not p.is_symlink() and p.stat().st_mode & 0o077
    ]


def test_home_database_and_lake_are_private_after_init_and_ingest(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    previous = os.umask(0o022)
    try:
        home = Home(Settings(home=tmp_path / "home"), catalog)
        code, text = _cli(home, monkeypatch, capsys, "init")
        assert code == 0, text
        built = home_with_schools(tmp_path, catalog)  # init again, then ingest schools and classes
        assert (
            ingest_file(built, write_csv(tmp_path / "st.csv", student_rows(3)), "students", SCHOOL).report.status
            == "committed"
        )
        built.engine.dispose()
        assert os.umask(0o022) == 0o022, "EduBrain's own umask does not leak into the process"
    finally:
        os.umask(previous)
    assert _loose(tmp_path / "home") == []


# 5. a re-load changes nothing, and a roster never goes back in time


@pytest.mark.parametrize("mode", ["per-school", "bulk"])
def test_reloading_an_unchanged_city_makes_no_new_versions(
    tmp_path: Path, tiny_city: Path, database_url: str, mode: str
) -> None:
    home = _initialised(tmp_path / "home", database_url)
    first = load_city(home, tiny_city, mode)  # type: ignore[arg-type]
    assert first.rejected == []
    versions = {d: home.lake.version(d) for d in home.catalog.datasets}
    again = load_city(home, tiny_city, mode)  # type: ignore[arg-type]
    assert again.rejected == [] and again.by_status.get("committed", 0) == 0, again.by_status
    assert {d: home.lake.version(d) for d in home.catalog.datasets} == versions
    home.engine.dispose()


def _roster(path: Path, year: int, n: int = 3) -> Path:
    rows = student_rows(n)
    year_column = rows[0].index("学年")
    for row in rows[1:]:
        row[year_column] = year
    return write_csv(path, rows)


@pytest.fixture
def schools(tmp_path: Path, catalog: Catalog) -> Iterator[Home]:
    home = home_with_schools(tmp_path, catalog)
    yield home
    home.engine.dispose()


def test_a_roster_replacement_of_an_older_school_year_is_refused(schools: Home, tmp_path: Path) -> None:
    newer = ingest_file(schools, _roster(tmp_path / "2025.csv", 2025), "students", SCHOOL, mode="replace-scope")
    assert newer.report.status == "committed"
    older = ingest_file(schools, _roster(tmp_path / "2024.csv", 2024, 2), "students", SCHOOL, mode="replace-scope")
    assert older.report.status == "rejected"
    assert "roster_older" in older.problems.get_column("rule").to_list()
    problem = older.problems.filter(older.problems["rule"] == "roster_older").row(0, named=True)
    assert "2024" in problem["message_zh"] and "2025" in problem["message_en"]
    assert schools.lake.version("students") == newer.report.version, "nothing was stored"
    assert schools.lake.count("students") == 3
    same_year = ingest_file(schools, _roster(tmp_path / "again.csv", 2025, 2), "students", SCHOOL, mode="replace-scope")
    assert same_year.report.status == "committed" and same_year.report.rows_retired == 1
