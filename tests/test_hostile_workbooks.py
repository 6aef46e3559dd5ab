"""Workbooks the reader would need gigabytes for: refused from their ZIP directory and their
sheet's XML before being read, and read in a child process whose memory is capped, so that a
native abort of the reader is the refusal of that one file, never the end of the command."""

from __future__ import annotations

import time

from autodiag.ingest import workbook
from tests.data import make_broken
from tests.ingest_helpers import count, dump, invoke_cli, message_lines

BROKEN = make_broken.OUT


def test_a_workbook_that_inflates_past_the_limit_is_refused_from_its_directory(db, tmp_path, monkeypatch):
    monkeypatch.setattr(workbook, "MAX_UNCOMPRESSED_BYTES", 8 * 1024 * 1024)
    bomb = tmp_path / "bombe.xlsx"
    bomb.write_bytes(make_broken.inflating_xlsx(10 * 1024 * 1024))
    assert bomb.stat().st_size < 64 * 1024
    before = dump(db)
    result = invoke_cli("ingest", bomb, "--db", db)
    assert result.exit_code == 1
    lines = message_lines(result.stderr)
    assert any(
        line.startswith(f"{bomb} : classeur trop volumineux une fois décompressé (")
        and line.endswith("limite 8 388 608 octets) : enregistrez l'export en CSV ou découpez-le")
        for line in lines
    ), result.stderr
    assert dump(db) == before


def test_a_stray_cell_is_refused_in_seconds(db):
    for name in ("stray_cell_last_column.xlsx", "stray_cell_far_row.xlsx"):
        start = time.monotonic()
        result = invoke_cli("ingest", BROKEN / name, "--db", db)
        assert result.exit_code == 1 and "fichier refusé" in result.stderr
        assert time.monotonic() - start < 10


def test_an_abort_of_the_reader_refuses_that_file_only(db, monkeypatch):
    """The checks bypassed: the reader itself is handed a value at XFD1048576 (17 billion
    cells) and aborts in its child; the CSV before it is loaded, and the summary printed."""
    monkeypatch.setattr(workbook, "_check_extent", lambda *args: None)
    monkeypatch.setattr(workbook, "CHILD_BASE_MEMORY", 512 * 1024 * 1024)
    good, bad = BROKEN / "same_content_a.csv", BROKEN / "stray_cell_last_column.xlsx"
    result = invoke_cli("ingest", good, bad, "--db", db)
    assert result.exit_code == 1
    assert f"✓ {good} : 1 ligne(s), 1 nouvelle(s) soumission(s)" in result.stdout
    assert f"{bad} : classeur illisible dans la mémoire permise (" in result.stderr
    assert "1 chargé(s), 0 déjà chargé(s), 1 refusé(s)" in result.stdout
    assert "memory allocation" not in result.output and "Traceback" not in result.output
    assert count(db, "select count(*) from submissions where code_structure = 'STR-200'") == 1


def test_a_failure_of_the_child_is_a_refusal(db, monkeypatch, tmp_path):
    monkeypatch.setattr(workbook, "_CHILD", "import sys; sys.stderr.write('ValueError: boom'); sys.exit(2)")
    result = invoke_cli("ingest", BROKEN / "xlsx_unknown_label.xlsx", "--db", db)
    assert result.exit_code == 1
    assert "classeur XLSX illisible (ValueError: boom)" in result.stderr


def test_cells_are_read_as_before():
    scan = workbook.check_workbook("x.xlsx", (BROKEN / "invisible_in_xlsx.xlsx").read_bytes(), 2000)
    assert (scan.rows, scan.columns, scan.uncalculated) == (2, 108, [])
    rows = workbook.read_rows("x.xlsx", (BROKEN / "invisible_in_xlsx.xlsx").read_bytes(), scan)
    assert rows[0][:2] == ["code_structure", "nom_structure"] and len(rows) == 2


def test_column_letters():
    assert [workbook.column_number(s) for s in ("A", "Z", "AA", "DD", "XFD")] == [1, 26, 27, 108, 16384]
    assert [workbook.column_letters(n) for n in (1, 26, 27, 108, 16384)] == ["A", "Z", "AA", "DD", "XFD"]
