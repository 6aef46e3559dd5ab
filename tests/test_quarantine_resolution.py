"""A quarantined row is shown as resolved once a later file brings that submission."""

from __future__ import annotations

from autodiag.ingest.loader import ingest

from .conftest import run_cli
from .exports import seed_row, write_csv


def test_a_corrected_file_resolves_the_quarantined_row(tmp_path, db_path):
    bad = seed_row()
    bad["E3_Q05"] = "Peut-être"
    report = ingest(db_path, [write_csv(tmp_path / "bad.csv", [bad])], lenient=True)
    assert report.total("quarantined") == 1

    listed = run_cli("quarantine", "list", "--db", db_path, check=True).stdout
    assert "bad.csv ligne 2 (STR-24)" in listed and "Peut-être" in listed and "résolue" not in listed

    assert ingest(db_path, [write_csv(tmp_path / "fixed.csv", [seed_row()])]).ok
    listed = run_cli("quarantine", "list", "--db", db_path, check=True).stdout
    assert "Aucune ligne en quarantaine non résolue (1 résolue(s)" in listed
    everything = run_cli("quarantine", "list", "--db", db_path, "--toutes", check=True).stdout
    assert "bad.csv ligne 2 (STR-24) — résolue par un chargement ultérieur" in everything
