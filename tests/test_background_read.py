"""A big CSV's cells are read by DuckDB in a worker thread while its shape is checked
(reading.BACKGROUND_READ_BYTES): the same export or the same refusal as the read after the
check, and the connection is left free and without the refused file's cells."""

from __future__ import annotations

import os
import signal
import threading
from pathlib import Path

import duckdb
import pytest

from autodiag.ingest import csv_shape, reading
from autodiag.ingest.problems import Problem, RefusedExport
from autodiag.paths import SEED_EXPORT
from autodiag.referentiel.questionnaires import load_all
from tests.data import make_broken

QUESTION_IDS = {q.question_id for questions in load_all().values() for q in questions}
CSV_FILES = sorted(p.name for p in make_broken.OUT.iterdir() if p.suffix in (".csv", ".tsv")) + [
    SEED_EXPORT.name
]


def outcome(path: Path, background: bool, monkeypatch, data: bytes | None = None):
    """What read_export gives (export and rows, or problems), and the temp tables left."""
    monkeypatch.setattr(reading, "BACKGROUND_READ_BYTES", 0 if background else 1 << 40)
    con = duckdb.connect()
    try:
        export = reading.read_export(con, path, path.read_bytes() if data is None else data, QUESTION_IDS)
        rows = con.execute("select * from raw_rows order by row_no").fetchall()
        result = (
            export.header,
            export.encoding,
            export.delimiter,
            export.rows,
            [str(w) for w in export.warnings],
            rows,
        )
    except RefusedExport as error:
        result = [str(p) for p in error.problems]
    tables = con.execute("select table_name from duckdb_tables() where temporary order by 1").fetchall()
    return result, tables


@pytest.mark.parametrize("name", CSV_FILES)
def test_the_background_read_gives_what_the_read_after_the_check_gives(name, monkeypatch):
    path = make_broken.OUT / name if name != SEED_EXPORT.name else SEED_EXPORT
    assert outcome(path, True, monkeypatch) == outcome(path, False, monkeypatch)
    assert threading.active_count() == 1


def test_a_file_read_from_its_bytes_alone_is_read_in_the_background(monkeypatch, tmp_path):
    """(the transcoded copy that DuckDB reads is made and removed by the worker)"""
    data = (make_broken.OUT / "cp1252_unknown_label.csv").read_bytes()
    gone = tmp_path / "gone.csv"
    assert outcome(gone, True, monkeypatch, data) == outcome(gone, False, monkeypatch, data)


def test_a_read_that_fails_after_a_clean_check_is_refused_as_such(monkeypatch, tmp_path):
    """DuckDB's error in the worker is the file's refusal (here: the path is a folder)."""
    data = SEED_EXPORT.read_bytes()
    background, tables = outcome(tmp_path, True, monkeypatch, data)
    assert (background, tables) == outcome(tmp_path, False, monkeypatch, data)
    assert len(background) == 1 and background[0].startswith(f"{tmp_path} : lecture CSV impossible : ")


def test_the_check_s_problems_win_over_the_read_s(monkeypatch):
    path = make_broken.OUT / "too_many_fields.csv"
    expected, _ = outcome(path, False, monkeypatch)

    def failing(con, name, *args):
        raise RefusedExport(name, [Problem(name, "lecture CSV impossible : test")])

    monkeypatch.setattr(reading, "_load_cells", failing)
    assert outcome(path, True, monkeypatch) == (expected, [])


def test_the_worker_is_stopped_when_the_check_fails_unexpectedly(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("check")

    monkeypatch.setattr(reading, "BACKGROUND_READ_BYTES", 0)
    monkeypatch.setattr(csv_shape, "scan_rows", broken)
    read_raises_and_leaves_nothing(RuntimeError)


def test_ctrl_c_while_waiting_for_the_read_stops_it_and_frees_the_connection(monkeypatch):
    """Ctrl-C while the main thread waits for the worker: the read is interrupted, the worker
    ends, and the KeyboardInterrupt (not a 'connection busy' error) reaches the caller."""
    monkeypatch.setattr(reading, "BACKGROUND_READ_BYTES", 0)

    def endless_read(con, *args):
        con.execute("select count(*) from range(1000000000000)")  # only an interrupt ends it

    checked = reading._checked_shape

    def check_then_ctrl_c(*args):
        shape = checked(*args)
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
        return shape

    monkeypatch.setattr(reading, "_load_cells", endless_read)
    monkeypatch.setattr(reading, "_checked_shape", check_then_ctrl_c)
    read_raises_and_leaves_nothing(KeyboardInterrupt)


def read_raises_and_leaves_nothing(expected: type[BaseException]) -> None:
    """read_export of the seed raises ``expected``; the worker has ended and raw_cells is gone."""
    con = duckdb.connect()
    with pytest.raises(expected):
        reading.read_export(con, SEED_EXPORT, SEED_EXPORT.read_bytes(), QUESTION_IDS)
    assert threading.active_count() == 1
    assert con.execute("select count(*) from duckdb_tables() where table_name = 'raw_cells'").fetchone() == (
        0,
    )
