"""A refused file's problems on the terminal stay readable whatever their number: at most
about 50 lines per file, grouped by kind with counts, and the complete list in a CSV report
(beside the database, or --rapport FILE) named in the message. The base is unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

from autodiag.formatting import number
from tests.exports import seed_row
from tests.ingest_helpers import dump, invoke_cli, make_seeded_db

UNDECLARED = "aucun questionnaire déclaré pour cette campagne (data/referentiels/campagnes.csv)"
DATE = "date absente ou impossible (attendu jj/mm/aaaa HH:MM:SS, ex. 06/05/2024 12:22:58, ou ISO 8601)"


def write_rows(path: Path, n: int, cells) -> Path:
    """N rows shaped like the seed export; ``cells(i)`` gives row i's non-empty identity cells
    (answers left empty, which is valid)."""
    header = list(seed_row())
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        for i in range(n):
            row = cells(i)
            writer.writerow([row.get(column, "") for column in header])
    return path


def identity(i: int, **cells: str) -> dict[str, str]:
    return {
        "code_structure": f"S-{i}",
        "nom_structure": f"Site {i}",
        "reseau": "Réseau",
        "campagne": "2024",
        "date_enregistrement": "06/05/2024 12:22:58",
        **cells,
    }


def report_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def test_undeclared_campaigns_in_100000_rows_are_one_line(tmp_path):
    db = make_seeded_db(tmp_path)
    before = dump(db)
    export = write_rows(
        tmp_path / "campagnes.csv", 100_000, lambda i: identity(i, campagne=str(2017 + i % 3))
    )
    result = invoke_cli("ingest", export, "--db", db)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line]  # (the progress bar leaves an empty line)
    assert len(lines) < 60, len(lines)
    assert lines[0] == f"✗ {export} : fichier refusé, base inchangée"
    report = db.with_name("seeded-rapport-ingest.csv")
    assert lines[1:] == [
        f"  - {number(100_000)} lignes (dès la ligne 2), colonne « campagne » : {UNDECLARED} "
        "(valeurs lues : « 2017 », « 2018 », « 2019 ») — voir le rapport complet",
        f"Rapport complet ({number(100_000)} problème(s) et avertissement(s)) : {report}",
    ]
    rows = report_rows(report)
    assert len(rows) == 100_000
    assert rows[0] == {
        "fichier": str(export),
        "statut": "refusé",
        "ligne": "2",
        "colonne": "campagne",
        "valeur": "2017",
        "probleme": UNDECLARED,
    }
    assert [r["ligne"] for r in rows[-2:]] == ["100000", "100001"]
    assert dump(db) == before


def test_200000_invalid_rows_stay_under_60_lines(tmp_path):
    db = make_seeded_db(tmp_path)
    before = dump(db)
    # every row wrong three times: its date, one of 80 unknown scale answers (one message),
    # one of 80 unknown options (the option is in the message: 80 kinds)
    export = write_rows(
        tmp_path / "invalides.csv",
        200_000,
        lambda i: identity(i, date_enregistrement="hier", E1_Q01=f"Bof {i % 80}", E2_Q01=f"Pigeon {i % 80}"),
    )
    out = tmp_path / "rapports" / "complet.csv"
    result = invoke_cli("ingest", export, "--db", db, "--rapport", out)
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line]  # (the progress bar leaves an empty line)
    assert len(lines) < 60, len(lines)
    assert lines[1] == (
        f"  - {number(200_000)} lignes (dès la ligne 2), colonne « date_enregistrement » : {DATE} "
        "(valeurs lues : « hier ») — voir le rapport complet"
    )
    assert lines[2].startswith(
        f"  - {number(200_000)} lignes (dès la ligne 2), colonne « E1_Q01 » : réponse non reconnue"
    )
    assert lines[2].endswith(
        "(valeurs lues : « Bof 0 », « Bof 1 », « Bof 2 » et 77 autres) — voir le rapport complet"
    )
    assert lines[3].startswith(
        f"  - {number(2_500)} lignes (dès la ligne 2), colonne « E2_Q01 » : option inconnue : « Pigeon 0 »"
    )
    assert sum("colonne « E2_Q01 »" in line for line in lines) == 48
    assert (
        f"  - … et 32 autre(s) sorte(s) de problème ({number(80_000)} problème(s)) — voir le rapport complet"
        in lines
    )
    assert lines[-1] == f"Rapport complet ({number(600_000)} problème(s) et avertissement(s)) : {out}"
    rows = report_rows(out)
    assert len(rows) == 600_000
    assert {r["colonne"] for r in rows} == {"date_enregistrement", "E1_Q01", "E2_Q01"}
    assert dump(db) == before


def test_a_few_problems_are_each_shown_and_no_report_is_written(tmp_path):
    db = make_seeded_db(tmp_path)
    export = write_rows(tmp_path / "deux.csv", 2, lambda i: identity(i, campagne="1999"))
    result = invoke_cli("ingest", export, "--db", db)
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line][1:] == [
        f"  - {export}, ligne 2, colonne « campagne » : {UNDECLARED} (valeur lue : « 1999 »)",
        f"  - {export}, ligne 3, colonne « campagne » : {UNDECLARED} (valeur lue : « 1999 »)",
    ]
    assert not db.with_name("seeded-rapport-ingest.csv").exists()


def test_lenient_keeps_every_row_and_bounds_the_warnings(tmp_path):
    db = make_seeded_db(tmp_path)
    export = write_rows(
        tmp_path / "mixte.csv", 300, lambda i: identity(i, campagne="1999" if i % 3 else "2024")
    )
    result = invoke_cli("ingest", export, "--db", db, "--lenient")
    assert result.exit_code == 0, result.output
    assert len(result.stderr.splitlines()) < 60
    assert f"{number(200)} lignes (dès la ligne 3), colonne « campagne »" in result.stderr
    assert f"✓ {export} : 300 ligne(s), 100 nouvelle(s) soumission(s), 200 en quarantaine" in result.stdout
    quarantined = invoke_cli("quarantine", "export", "--out", tmp_path / "q.csv", "--db", db)
    assert "200 ligne(s) écrite(s)" in quarantined.stdout
    assert len(report_rows(db.with_name("seeded-rapport-ingest.csv"))) == 200
