"""Crash safety: an ingest killed at any moment leaves the database exactly as before or exactly
as after the file, and a rerun completes; a database in use by another process, or that cannot
be opened, gives a clear French message, never a traceback."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from autodiag.ingest import loader as ingest_module
from autodiag.paths import SEED_EXPORT, sql_text
from tests.conftest import run_cli
from tests.data import make_broken as mb
from tests.ingest_helpers import WIDE, dump, invoke_cli, make_seeded_db

ROWS = 2000
KILLS = 15
KILL_SEED = 20240506
LABELS = ["Oui", "Non", "Partiellement", "Initié", "Non applicable", "", "0,75", "NA"]

# `autodiag ingest …` in a process whose imports are done before it is told to start, so that
# the kill delays spread over the ingest itself rather than over the interpreter's start-up.
PRELOADED_CLI = """
import sys
import autodiag.cli, autodiag.ingest.loader
print("pret", flush=True)
sys.stdin.readline()
autodiag.cli.app(sys.argv[1:], prog_name="autodiag")
"""


def big_export(path: Path) -> Path:
    rng = random.Random(7)
    scale = [i for i, c in enumerate(mb.HEADER) if "_Q" in c and c not in ("E2_Q01", "E7_Q01", "E8_Q01")]
    body = []
    for n in range(ROWS):
        values = mb.row(f"BIG-{n:05d}", date_enregistrement=f"{1 + n % 28:02d}/05/2024 10:{n % 60:02d}:00")
        for i in scale:
            values[i] = rng.choice(LABELS)
        body.append(values)
    path.write_bytes(mb.csv_bytes(mb.HEADER, body))
    return path


# Rates to the last bit: score_submissions.sql adds the engagement rates in one fixed order,
# so two clean loads of this file give the same digits.
SCORES = "select * from scores"


def fingerprint(db: Path) -> dict[str, tuple]:
    """Row count and an order-free hash of every row of every table, and of the retained view
    (files without loaded_at, rates to 1e-9): equal fingerprints, equal contents. file_stats,
    what was last read of each file, only spares reading it again: not content."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
            if r[0] != "file_stats"
        ]
        relations = {t: f'select * from "{t}"' for t in tables}
        relations["files"] = "select * exclude (loaded_at) from files"
        relations["scores"] = SCORES
        relations["retained_submissions"] = "select * from retained_submissions"
        return {
            name: con.execute(f"select count(*), sum(hash(t)::hugeint) from ({query}) as t").fetchone()
            for name, query in relations.items()
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    export = big_export(root / "gros-export.csv")
    before = make_seeded_db(root)
    after = root / "after.duckdb"
    shutil.copyfile(before, after)
    result = run_cli("ingest", export, "--db", after, width=WIDE, timeout=300)
    assert result.returncode == 0, result.stderr
    return {
        "root": root,
        "export": export,
        "before": before,
        "before_state": fingerprint(before),
        "after_state": fingerprint(after),
    }


class Preloaded:
    """A preloaded `autodiag ARGS` process, started ahead so that its imports overlap other work."""

    def __init__(self, *args: str | Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", PRELOADED_CLI, *map(str, args)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def go(self) -> float:
        assert self.process.stdout.readline().strip() == "pret", self.process.stderr.read()
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return time.monotonic()

    def kill(self) -> int | None:
        """SIGKILL it; its exit code if it had finished before, else None."""
        finished = self.process.poll()
        if finished is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.communicate()
        return finished


def Ingest(export: Path, db: Path) -> Preloaded:
    return Preloaded("ingest", export, "--db", db)


def test_ingest_killed_at_random_moments_leaves_before_or_after(scenario):
    rng = random.Random(KILL_SEED)
    root, export = scenario["root"], scenario["export"]
    before_state, after_state = scenario["before_state"], scenario["after_state"]
    assert before_state != after_state

    # the ingest proper, without the interpreter start-up: measured once on a preloaded process
    timing_db = shutil.copyfile(scenario["before"], root / "timing.duckdb")
    timing = Ingest(export, timing_db)
    started = timing.go()
    assert timing.process.wait(timeout=300) == 0
    duration = time.monotonic() - started

    outcomes = []
    dbs = [root / f"kill-{i}.duckdb" for i in range(KILLS)]
    shutil.copyfile(scenario["before"], dbs[0])
    running = Ingest(export, dbs[0])
    for i, db in enumerate(dbs):
        delay = rng.uniform(0, duration * 1.1)
        started = running.go()
        time.sleep(max(0.0, started + delay - time.monotonic()))
        finished = running.kill()
        if i + 1 < KILLS:  # start the next one now: its imports overlap the checks below
            shutil.copyfile(scenario["before"], dbs[i + 1])
            running = Ingest(export, dbs[i + 1])

        state = fingerprint(db)
        assert state in (before_state, after_state), (
            f"kill {i} after {delay:.2f} s: state between before and after"
        )
        outcomes.append("after" if state == after_state else "before")
        if finished is not None:
            assert finished == 0 and state == after_state

        rerun = invoke_cli("ingest", export, "--db", db)
        assert rerun.exit_code == 0, rerun.output
        assert fingerprint(db) == after_state, (
            f"kill {i} after {delay:.2f} s: the rerun did not give the after state"
        )
        db.unlink()
    assert "before" in outcomes  # at least one kill landed inside the ingest


def test_rerun_after_kill_matches_a_clean_load(scenario):
    """Full comparison (every row) between a clean load and a load rerun after a kill."""
    root, export = scenario["root"], scenario["export"]
    clean = shutil.copyfile(scenario["before"], root / "clean.duckdb")
    assert invoke_cli("ingest", export, "--db", clean).exit_code == 0
    killed = shutil.copyfile(scenario["before"], root / "killed.duckdb")
    process = Ingest(export, killed)
    process.go()
    time.sleep(0.3)
    process.kill()
    assert invoke_cli("ingest", export, "--db", killed).exit_code == 0

    def comparable(db):
        state = dump(db)
        state["files"] = [r[:-1] for r in state["files"]]  # loaded_at
        con = duckdb.connect(str(db), read_only=True)
        state["scores"] = con.execute(SCORES + " order by all").fetchall()
        con.close()
        return state

    assert comparable(killed) == comparable(clean)


# --- score killed, readers during an ingest --------------------------------------------------


def test_score_killed_at_random_moments_keeps_the_previous_scores_whole(scenario):
    """`autodiag score` rewrites every score in one transaction: killed at any moment, the
    previous scores stay whole, and a rerun completes."""
    rng = random.Random(KILL_SEED + 1)
    root = scenario["root"]
    # The 'before' scores differ from what score computes: half of them are gone.
    stale = root / "stale-scores.duckdb"
    shutil.copyfile(root / "after.duckdb", stale)
    with duckdb.connect(str(stale)) as con:
        con.execute("delete from score_sets where submission_id % 2 = 0")
    before_state = fingerprint(stale)
    assert before_state != scenario["after_state"]

    timing_db = shutil.copyfile(stale, root / "score-timing.duckdb")
    timing = Preloaded("score", "--db", timing_db)
    started = timing.go()
    assert timing.process.wait(timeout=300) == 0
    duration = time.monotonic() - started
    assert fingerprint(timing_db) == scenario["after_state"]

    outcomes = []
    for i in range(8):
        db = shutil.copyfile(stale, root / f"score-kill-{i}.duckdb")
        running = Preloaded("score", "--db", db)
        delay = rng.uniform(0, duration * 1.1)
        started = running.go()
        time.sleep(max(0.0, started + delay - time.monotonic()))
        finished = running.kill()
        state = fingerprint(db)
        assert state in (before_state, scenario["after_state"]), f"score kill {i} after {delay:.2f} s: a mix"
        outcomes.append(state == before_state)
        if finished is not None:
            assert finished == 0
        assert invoke_cli("score", "--db", db).exit_code == 0
        assert fingerprint(db) == scenario["after_state"], f"score kill {i}: the rerun did not complete"
        db.unlink()
    assert any(outcomes)  # at least one kill landed inside the rescore


READER = """
import sys, time
from autodiag.api import Autodiag
from autodiag.scoring.store import StoreError
seen = set()
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        with Autodiag(sys.argv[1]) as db:
            (submissions,) = db.con.execute("select count(*) from submissions").fetchone()
            (scored,) = db.con.execute("select count(distinct submission_id) from scores").fetchone()
            (answered,) = db.con.execute("select count(*) from answer_sets").fetchone()
        seen.add(f"{submissions} {scored} {answered}")
    except StoreError as error:
        seen.add("refus " + str(error))
    time.sleep(0.01)
print("\\n".join(sorted(seen)))
"""


def test_a_reader_during_an_ingest_sees_before_or_after_or_is_told_to_retry(scenario):
    """The API opened again and again while an ingest runs: each time it sees the whole state
    before or the whole state after, or a clear French « réessayez » message."""
    root, export = scenario["root"], scenario["export"]
    db = shutil.copyfile(scenario["before"], root / "reader.duckdb")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db), "8"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.5)  # let the reader open the base before the ingest takes it
    for _ in range(20):  # the writer, too, is refused while the reader holds the base: it retries
        writer = Ingest(export, db)
        writer.go()
        if writer.process.wait(timeout=300) == 0:
            break
        assert "est utilisée par un autre processus" in " ".join(writer.process.stderr.read().split())
    else:
        pytest.fail("the ingest never got the base")
    out, errors = reader.communicate(timeout=60)
    assert reader.returncode == 0 and "Traceback" not in errors, errors
    seen = set(out.splitlines())
    states = {line for line in seen if not line.startswith("refus ")}
    refusals = seen - states
    assert states <= {"1 1 1", f"{1 + ROWS} {1 + ROWS} {1 + ROWS}"}, seen
    assert "1 1 1" in states  # the reader ran before the ingest took the base
    for message in refusals:
        assert message == (
            f"refus La base {db} est utilisée par un autre processus (processus {writer.process.pid}) "
            "qui l'écrit (ingest, score ou build en cours) : réessayez quand il aura fini."
        )


# --- a database in use by another process --------------------------------------------------

HOLDER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == "lecture")
print("tenue", flush=True)
sys.stdin.readline()
"""


def hold(db: Path, mode: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "tenue"
    return process


def release(process: subprocess.Popen) -> None:
    process.stdin.write("\n")
    process.stdin.flush()
    process.wait(timeout=30)


def assert_refused(result: subprocess.CompletedProcess, db: Path, pid: int, doing: str) -> None:
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    expected = f"Erreur : La base {db} est utilisée par un autre processus (processus {pid}) {doing} : réessayez quand il aura fini."
    assert expected in result.stderr, result.stderr


def test_writer_and_readers_refused_while_another_process_writes(db, tmp_path):
    before = dump(db)
    holder = hold(db, "écriture")
    try:
        writing = "qui l'écrit ou la lit (ingest, score, build, notebook, rapport ou export en cours)"
        reading = "qui l'écrit (ingest, score ou build en cours)"
        assert_refused(
            run_cli("ingest", mb.OUT / "same_content_a.csv", "--db", db, width=WIDE), db, holder.pid, writing
        )
        assert_refused(run_cli("quarantine", "list", "--db", db, width=WIDE), db, holder.pid, reading)
        assert_refused(
            run_cli("export", "scores", "--db", db, "--out", tmp_path / "s.csv", width=WIDE),
            db,
            holder.pid,
            reading,
        )
        assert not (tmp_path / "s.csv").exists()
    finally:
        release(holder)
    assert dump(db) == before


def test_writer_refused_while_another_process_reads_and_readers_share(db, tmp_path):
    holder = hold(db, "lecture")
    try:
        writing = "qui l'écrit ou la lit (ingest, score, build, notebook, rapport ou export en cours)"
        assert_refused(
            run_cli("ingest", mb.OUT / "same_content_a.csv", "--db", db, width=WIDE), db, holder.pid, writing
        )
        listed = run_cli("quarantine", "list", "--db", db, width=WIDE)
        assert listed.returncode == 0 and "Aucune ligne en quarantaine." in listed.stdout
    finally:
        release(holder)
    assert run_cli("ingest", mb.OUT / "same_content_a.csv", "--db", db, width=WIDE).returncode == 0


# --- failures inside the transaction, and databases that cannot be used -------------------


@pytest.mark.parametrize(
    "failing", ["ingest/insert_answers", "scoring/score_submissions", "ingest/quarantine_rows"]
)
def test_failure_inside_the_transaction_rolls_back_and_goes_on(failing, db, monkeypatch, tmp_path):
    """A database error half-way through a file's writes: that file refused, nothing of it kept,
    the next files loaded, no traceback."""
    before = dump(db)

    def broken_sql(name: str) -> str:
        return "select * from table_qui_n_existe_pas" if name == failing else sql_text(name)

    monkeypatch.setattr(ingest_module, "sql_text", broken_sql)
    # Lenient: a valid row to write and score, and a row to quarantine.
    bad = tmp_path / "valid_and_invalid.csv"
    bad.write_bytes(mb.csv_bytes(mb.HEADER, mb.rows({}, {"E1_Q01": "Bof"}, first=900)))
    good = mb.OUT / "same_content_a.csv"
    result = invoke_cli("ingest", bad, "--db", db, "--lenient")
    assert result.exit_code == 1
    assert f"{bad} : erreur inattendue de la base, fichier non chargé : Catalog Error" in result.stderr
    assert dump(db) == before
    monkeypatch.setattr(ingest_module, "sql_text", sql_text)
    result = invoke_cli("ingest", bad, good, "--db", db, "--lenient")
    assert result.exit_code == 0, result.output


def test_interrupted_ingest_keeps_the_database_and_says_so(db, monkeypatch):
    before = dump(db)

    def interrupted(name: str) -> str:
        if name == "scoring/score_submissions":
            raise KeyboardInterrupt
        return sql_text(name)

    monkeypatch.setattr(ingest_module, "sql_text", interrupted)
    result = invoke_cli("ingest", mb.OUT / "same_content_a.csv", "--db", db)
    assert result.exit_code == 130
    assert (
        "interrompu : les fichiers déjà chargés le restent, ceux du lot en cours n'ont pas été chargés."
        in result.stderr
    )
    assert dump(db) == before


def test_damaged_database(tmp_path, db):
    damaged = tmp_path / "abimee.duckdb"
    data = db.read_bytes()
    damaged.write_bytes(data[: len(data) // 2])
    result = run_cli("ingest", SEED_EXPORT, "--db", damaged, width=WIDE)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Erreur : Impossible de préparer la base {damaged}" in result.stderr
    assert "restaurez-en une copie ou reconstruisez-la" in result.stderr


@pytest.mark.parametrize("kind", ["not_duckdb", "folder"])
def test_not_a_database(tmp_path, kind):
    db = tmp_path / "base.duckdb"
    if kind == "folder":
        db.mkdir()
    else:
        shutil.copyfile(SEED_EXPORT, db)
    for args in (["ingest", SEED_EXPORT], ["quarantine", "list"]):
        result = invoke_cli(*args, "--db", db)
        assert result.exit_code == 1
        assert f"Erreur : Impossible d'ouvrir la base {db}" in result.stderr


def test_database_folder_cannot_be_created(tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("")
    result = invoke_cli("ingest", SEED_EXPORT, "--db", blocker / "sous-dossier" / "base.duckdb")
    assert result.exit_code == 1
    assert f"Erreur : Impossible de créer le dossier de la base {blocker / 'sous-dossier'}" in result.stderr


def test_database_of_another_layout_is_refused_not_misread(tmp_path, db):
    """A database written by an older autodiag (answers stored one row per answer) is refused
    by writers and readers alike, with what to do, and left as it was."""
    old = tmp_path / "ancienne.duckdb"
    con = duckdb.connect(str(old))
    con.execute("create table submissions (submission_id integer)")
    con.execute("create table answers (submission_id integer, question_id varchar)")
    con.close()
    before = old.read_bytes()
    for args in (
        ["ingest", SEED_EXPORT],
        ["show", "STR-24"],
        ["export", "scores", "--out", tmp_path / "s.csv"],
    ):
        result = run_cli(*args, "--db", old, width=WIDE)
        assert result.returncode == 1 and "Traceback" not in result.stderr, args
        assert (
            f"La base {old} a été créée par une autre version d'autodiag (format 1, attendu 2)"
            in result.stderr
        )
        assert "rechargeant les exports" in result.stderr
    assert old.read_bytes() == before
