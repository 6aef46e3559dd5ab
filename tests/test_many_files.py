"""Loading many files in one run (files read, checked and written in batches): each file is
still all or nothing, a bad file is refused alone with all its messages, a file already
loaded is recognised, supersession holds across the files of a batch, and a batch gives the
same database as the same files loaded one at a time."""

from __future__ import annotations

from pathlib import Path

from autodiag.ingest import loader as ingest_module
from autodiag.ingest.loader import ingest, ingest_file
from autodiag.scoring.store import open_writer
from tests.exports import seed_row, write_csv
from tests.ingest_helpers import count, dump, invoke_cli, message_lines

UNDECLARED = "aucun questionnaire déclaré pour cette campagne (data/referentiels/campagnes.csv)"
SCALE = "réponse non reconnue ; réponses acceptées"


def site_row(i: int, **cells: str) -> dict[str, str]:
    row = seed_row()
    row.update(
        code_structure=f"SITE-{i:04d}",
        nom_structure=f"Site n° {i}",
        date_enregistrement=f"{i % 28 + 1:02d}/05/2024 10:00:00",
    )
    row.update(cells)
    return row


def site_files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(folder / f"site-{i:04d}.csv", [site_row(i)]) for i in range(n)]


def codes(db: Path) -> list[str]:
    con_rows = dump(db)["submissions"]
    return sorted(r[4] for r in con_rows)


def test_one_bad_file_among_200_good_ones(tmp_path):
    folder = tmp_path / "exports"
    good = site_files(folder, 200)
    # the bad one sits in the middle of a batch: row 3 has an unknown answer, row 2 is valid
    bad = write_csv(folder / "site-0100b.csv", [site_row(900), site_row(901, E1_Q02="Bof")])
    db = tmp_path / "base.duckdb"
    result = invoke_cli("ingest", folder, "--db", db)
    assert result.exit_code == 1
    assert f"✗ {bad} : fichier refusé, base inchangée" in result.stderr
    lines = message_lines(result.stderr)
    assert any(line.startswith(f"{bad}, ligne 3, colonne « E1_Q02 » : {SCALE}") for line in lines), (
        result.stderr
    )
    assert "201 fichier(s) — 200 chargé(s), 0 déjà chargé(s), 1 refusé(s)" in result.stdout
    # exactly the good ones, nothing of the bad file (its valid row 2 included)
    assert codes(db) == sorted(f"SITE-{i:04d}" for i in range(200))
    assert count(db, "select count(*) from files") == 200
    assert count(db, "select count(*) from score_sets") == 200
    assert count(db, "select count(*) from files where name = $n", {"n": bad.name}) == 0
    # a summary of bounded size: loaded files are counted, not named, past 20 files
    assert len(result.stdout.splitlines()) < 10
    assert not any(str(p) in result.stdout for p in good)
    # everything recognised on a second run; the bad file is refused again
    again = invoke_cli("ingest", folder, "--db", db)
    assert "201 fichier(s) — 0 chargé(s), 200 déjà chargé(s), 1 refusé(s)" in again.stdout


def test_a_batch_gives_the_database_of_one_file_at_a_time(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    files = site_files(folder, 30)
    # a cp1252 file (read alone, inside the batch), the same structure twice (later date in
    # the earlier file), a row repeated inside a file, and a blank record
    write_csv(folder / "site-0005-old.csv", [site_row(5, date_enregistrement="01/04/2024 09:00:00")])
    write_csv(folder / "site-0031.csv", [site_row(31, nom_structure="Médiathèque œuvre")], encoding="cp1252")
    write_csv(folder / "site-0032.csv", [site_row(32), site_row(33), site_row(32), {"code_structure": ""}])
    batched, alone = tmp_path / "batched.duckdb", tmp_path / "alone.duckdb"
    report = ingest(batched, [folder])
    assert report.ok and report.count("loaded") == len(files) + 3
    assert [(s[0], s[1]) for s in report.superseded] == [("SITE-0005", 2024)]
    (repeated,) = [o for o in report.outcomes if o.path.name == "site-0032.csv"]
    assert (repeated.rows, repeated.new, repeated.duplicates) == (3, 2, 1)
    assert [(w.row, w.message) for w in repeated.warnings] == [
        (4, "même soumission que la ligne 2 : doublon ignoré")
    ]
    with open_writer(alone) as con:
        question_ids = ingest_module._question_ids(con)
        for path in ingest_module.expand_paths([folder]):
            assert ingest_file(con, path, question_ids).status == "loaded"
    one, other = dump(batched), dump(alone)
    for state in (one, other):
        # load times and resolved paths aside, every row must be the same
        state["files"] = [row[1:6] + row[6:7] for row in state["files"]]
    assert one == other
    retained = count(
        batched, "select date_enregistrement from retained_submissions where code_structure = 'SITE-0005'"
    )
    assert retained.strftime("%d/%m/%Y") == "06/05/2024"


def test_batches_split_and_each_file_stays_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest_module, "BATCH_FILES", 7)
    folder = tmp_path / "exports"
    site_files(folder, 20)
    # three rows, one bad: the file is refused whole, the others of its batch load
    write_csv(folder / "site-0003b.csv", [site_row(700), site_row(701), site_row(702, campagne="2019")])
    write_csv(folder / "site-0004b.csv", [site_row(3)], sep=",")  # other bytes, same content as site-0003.csv
    report = ingest(tmp_path / "base.duckdb", [folder])
    by_name = {o.path.name: o for o in report.outcomes}
    assert by_name["site-0003b.csv"].status == "rejected"
    assert [(p.row, p.column, p.value, p.message) for p in by_name["site-0003b.csv"].problems] == [
        (4, "campagne", "2019", UNDECLARED)
    ]
    assert (
        by_name["site-0004b.csv"].status,
        by_name["site-0004b.csv"].new,
        by_name["site-0004b.csv"].unchanged,
    ) == ("loaded", 0, 1)
    assert report.count("loaded") == 21
    assert codes(tmp_path / "base.duckdb") == sorted(f"SITE-{i:04d}" for i in range(20))


def test_same_content_twice_in_one_run(tmp_path):
    folder = tmp_path / "exports"
    (first,) = site_files(folder, 1)
    (folder / "copy.csv").write_bytes(first.read_bytes())
    report = ingest(tmp_path / "base.duckdb", [first, folder / "copy.csv"])
    assert [o.status for o in report.outcomes] == ["loaded", "skipped"]


def test_lenient_in_a_batch_quarantines_the_bad_rows_only(tmp_path):
    folder = tmp_path / "exports"
    site_files(folder, 10)
    write_csv(folder / "site-0005b.csv", [site_row(500), site_row(501, E1_Q02="Bof")])
    db = tmp_path / "base.duckdb"
    report = ingest(db, [folder], lenient=True)
    assert report.ok
    (lenient,) = [o for o in report.outcomes if o.path.name == "site-0005b.csv"]
    assert (lenient.status, lenient.new, lenient.quarantined) == ("loaded", 1, 1)
    assert count(db, "select count(*) from submissions") == 11
    assert count(db, "select list(row_no) from quarantine") == [3]
    assert count(db, "select row_values['code_structure'] from quarantine") == "SITE-0501"


def test_every_broken_file_is_judged_in_a_batch_as_alone(tmp_path):
    """The corpus of broken files (tests/data/broken) mixed with good files in one batch: each
    broken file gets the outcome and messages it gets alone, and the good files all load."""
    from tests.data import make_broken

    broken = sorted(p for p in make_broken.OUT.iterdir() if p.suffix in {".csv", ".xlsx", ".txt", ".tsv"})
    good = site_files(tmp_path / "good", 20)
    mixed = [p for pair in zip(good, broken) for p in pair] + broken[len(good) :]
    batched = {o.path: o for o in ingest(tmp_path / "batched.duckdb", mixed).outcomes}
    alone_db = tmp_path / "alone.duckdb"
    seen = set()
    for path in broken:
        (alone,) = ingest(alone_db, [path]).outcomes
        alone_db.unlink()
        together = batched[path]
        content = path.read_bytes()
        if content in seen and alone.status == "loaded":
            assert together.status == "skipped", path  # the same bytes as an earlier file of the run
            continue
        seen.add(content)
        assert together.status == alone.status, path
        assert [str(p) for p in together.problems] == [str(p) for p in alone.problems], path
        if alone.status == "loaded":
            assert [str(w) for w in together.warnings] == [str(w) for w in alone.warnings], path
    assert all(batched[p].status == "loaded" and batched[p].new == 1 for p in good)
