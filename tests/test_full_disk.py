"""A full disk, or any other error of the system on writing: one French line naming the file
and the cause, exit code 1, no traceback, nothing partial left."""

from __future__ import annotations

import errno
import os

import duckdb
import pytest

from autodiag import safe_files
from autodiag.cli.os_errors import os_error_line
from tests.ingest_helpers import invoke_cli

FULL = "plus de place sur le disque"


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_a_full_disk_on_export_is_one_line_and_leaves_nothing(db, tmp_path, monkeypatch, suffix):
    out = tmp_path / f"scores.{suffix}"

    def full(source, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(source))

    monkeypatch.setattr(safe_files.os, "replace", full)
    result = invoke_cli("export", "scores", "--db", db, "--out", out)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"Erreur : écriture ou lecture impossible : {out} : {FULL}" in result.stderr
    assert not out.exists() and not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]


def test_duckdb_io_errors_name_the_file_not_its_temporary():
    error = duckdb.IOException(
        'IO Error: Async write failed for range [offset=0, size=191]: {"exception_type":"IO","exception_message":'
        '"Could not write file \\"/data/.scores.csv.1234.tmp\\": No space left on device","errno":"28"}'
    )
    assert os_error_line(error) == f"écriture ou lecture impossible : /data/scores.csv : {FULL}"
    denied = OSError(errno.EACCES, "Permission denied", "/data/.pq.77.tmp/scores/x.parquet")
    assert (
        os_error_line(denied)
        == "écriture ou lecture impossible : /data/pq/scores/x.parquet : permission refusée"
    )


def test_a_write_that_fails_without_a_file_name_is_told_its_file(tmp_path):
    """A write() on a full disk raises without a file name: the atomic writer names the file it
    was writing, so the line never reads « écriture impossible » alone."""
    page = tmp_path / "2024" / "structures" / "str-24.html"

    def chunks():
        yield b"<!doctype html>"
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OSError) as raised:
        safe_files.write_atomic(page, chunks())
    assert raised.value.filename == str(page)
    assert os_error_line(raised.value) == f"écriture ou lecture impossible : {page} : {FULL}"
    assert not page.exists() and [p.name for p in page.parent.iterdir()] == []


def test_build_on_a_full_disk_lists_its_failed_pages_and_the_next_build_completes(tmp_path, monkeypatch):
    """The disk fills while pages are written: each page that could not be written is listed,
    the write that stopped the build is one line naming its file, nothing partial is left, and
    the next build, with room again, writes what is missing."""
    from tests.data import make_broken as mb

    exports = tmp_path / "exports"
    exports.mkdir()
    body = [mb.row(f"STR-{100 + i}", reseau="Réseau plein") for i in range(3)]
    (exports / "plein.csv").write_bytes(mb.csv_bytes(mb.HEADER, body))
    db, out = tmp_path / "a.duckdb", tmp_path / "outputs"
    replace = os.replace

    def full(source, target):
        if str(target).endswith(("str-101.html", "index.html")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(source))
        return replace(source, target)

    monkeypatch.setattr(safe_files.os, "replace", full)
    result = invoke_cli("build", "--base", db, "--exports", exports, "--sortie", out, "--sans-carnets")
    assert result.exit_code == 1
    said = " ".join(result.stderr.split())
    assert (
        "1 rapport(s) en échec" in said and f"{out / '2024' / 'structures' / 'str-101.html'} : {FULL}" in said
    )
    assert f"Erreur : écriture ou lecture impossible : {out / 'index.html'} : {FULL}" in said
    assert "Traceback" not in result.output and "OSError" not in result.output
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert not (out / "index.html").exists() and not (out / "2024" / "structures" / "str-101.html").exists()

    monkeypatch.setattr(safe_files.os, "replace", replace)
    again = invoke_cli("build", "--base", db, "--sortie", out, "--sans-carnets")
    assert again.exit_code == 0, again.output
    assert (out / "index.html").exists() and (out / "2024" / "structures" / "str-101.html").exists()
