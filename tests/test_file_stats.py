"""Files already loaded are recognised by their size and modification time, without being read
again (table file_stats); any change to a file, or a recorded content the base does not hold,
sends it back to being read; a refused file leaves no trace."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from autodiag.ingest.loader import ingest
from tests.exports import write_csv
from tests.test_many_files import site_files, site_row

OLD = 1_700_000_000_000_000_000  # a modification time long past (a recent one is not recorded)


def aged(paths):
    for path in paths:
        os.utime(path, ns=(OLD, OLD))
    return paths


def reads(monkeypatch, folder) -> list:
    """The export files of ``folder`` that ingest reads from now on."""
    seen = []
    original = Path.read_bytes

    def counting(path):
        if path.parent == folder:
            seen.append(path.name)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    return seen


def stats(db) -> dict:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            os.path.basename(p): sha
            for p, sha in con.execute("select path, sha256 from file_stats").fetchall()
        }


def test_unchanged_files_are_not_read_again(tmp_path, monkeypatch):
    folder, db = tmp_path / "exports", tmp_path / "base.duckdb"
    files = aged(site_files(folder, 30))
    assert ingest(db, [folder]).count("loaded") == 30
    assert sorted(stats(db)) == sorted(p.name for p in files)
    seen = reads(monkeypatch, folder)
    report = ingest(db, [folder])
    assert report.count("skipped") == 30 and seen == []


def test_a_changed_file_is_read_again_even_with_the_same_size(tmp_path, monkeypatch):
    folder, db = tmp_path / "exports", tmp_path / "base.duckdb"
    files = aged(site_files(folder, 3))
    ingest(db, [folder])
    before = files[1].read_bytes()
    # a later answer, same size: "1" -> "X", the 2nd of May -> the 28th
    write_csv(files[1], [site_row(1, nom_structure="Site n° X", date_enregistrement="28/05/2024 10:00:00")])
    assert len(files[1].read_bytes()) == len(before) and files[1].read_bytes() != before
    seen = reads(monkeypatch, folder)
    report = ingest(db, [folder])
    assert seen == [files[1].name]
    assert [o.status for o in report.outcomes] == ["skipped", "loaded", "skipped"]
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute(
            "select nom_structure from retained_submissions order by code_structure"
        ).fetchall()
    assert names[1] == ("Site n° X",)


def test_a_recorded_content_missing_from_the_base_is_read_again(tmp_path, monkeypatch):
    folder, db = tmp_path / "exports", tmp_path / "base.duckdb"
    files = aged(site_files(folder, 2))
    ingest(db, [folder])
    with duckdb.connect(str(db)) as con:  # as if the recorded SHA-256 were wrong
        con.execute("update file_stats set sha256 = repeat('0', 64) where path = $p", {"p": str(files[0])})
    seen = reads(monkeypatch, folder)
    report = ingest(db, [folder])
    assert seen == [files[0].name] and report.count("skipped") == 2
    assert stats(db)[files[0].name] != "0" * 64


def test_a_refused_or_recent_file_is_not_recorded(tmp_path):
    folder, db = tmp_path / "exports", tmp_path / "base.duckdb"
    (good,) = aged(site_files(folder, 1))
    (bad,) = aged([write_csv(folder / "bad.csv", [site_row(7, E1_Q02="Bof")])])
    recent = write_csv(folder / "recent.csv", [site_row(8)])
    report = ingest(db, [folder])
    assert [o.status for o in report.outcomes] == ["rejected", "loaded", "loaded"]
    assert list(stats(db)) == [good.name]  # recent.csv may still change within the same second
    assert recent.exists()


def test_a_file_loaded_alone_is_recorded(tmp_path, monkeypatch):
    folder, db = tmp_path / "exports", tmp_path / "base.duckdb"
    (only,) = aged(site_files(folder, 1))  # a batch of one: its bytes are released once loaded
    assert ingest(db, [folder]).count("loaded") == 1
    assert list(stats(db)) == [only.name]
    seen = reads(monkeypatch, folder)
    assert ingest(db, [folder]).count("skipped") == 1 and seen == []


def test_a_linked_folder_is_not_followed(tmp_path):
    folder, db = tmp_path / "exports", tmp_path / "base.duckdb"
    aged(site_files(folder / "reseau", 2))
    (folder / "reseau" / "boucle").symlink_to(folder, target_is_directory=True)  # a loop
    report = ingest(db, [folder])
    assert report.count("loaded") == 2 and len(report.outcomes) == 2
