"""`ingest --lenient`: valid rows loaded, each invalid row quarantined whole with its problems,
never a partial row; `quarantine list` and `quarantine export` show them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autodiag.ingest import quarantine
from tests.data import make_broken as mb
from tests.ingest_helpers import count, dump, invoke_cli, message_lines

SCALE = "réponse non reconnue ; réponses acceptées : Oui, Partiellement, Initié, Non, Non applicable (ou 1 ; 0,75 ; 0,25 ; 0 ; NA), ou cellule vide"
INTEGER = "nombre entier positif ou nul attendu"
HEADER = [*mb.HEADER, "remarque"]
CHANGES = [
    {},  # row 2: valid
    {"E1_Q01": "=1+1", "localisation": "@SUM(A1)", "E1_points_forts": "\t=cmd"},  # row 3: bad label
    {},  # row 4: valid
    {
        "nom_structure": "+33 6 12 34 56 78",
        "nb_agents_contributeurs": "-2",
        "E2_besoin_appui": "\r=2",
    },  # row 5
    {"E2_Q01": "Pigeon", "E3_Q01": "Bof"},  # row 6: two problems
]


@pytest.fixture
def export(tmp_path) -> Path:
    body = [r + [f"note {i}"] for i, r in enumerate(mb.rows(*CHANGES), start=2)]
    path = tmp_path / "mixte.csv"
    path.write_bytes(mb.csv_bytes(HEADER, body))
    return path


def file_rows(path: Path) -> dict[int, dict[str, str | None]]:
    """The file's rows as read by csv, by file row number; empty cells as None."""
    with path.open(encoding="utf-8", newline="") as f:
        return {
            n: {k: v or None for k, v in r.items()}
            for n, r in enumerate(csv.DictReader(f, delimiter=";"), start=2)
        }


def problems_of(path: Path) -> dict[int, list[str]]:
    name = str(path)
    return {
        3: [f"{name}, ligne 3, colonne « E1_Q01 » : {SCALE} (valeur lue : « =1+1 »)"],
        5: [f"{name}, ligne 5, colonne « nb_agents_contributeurs » : {INTEGER} (valeur lue : « -2 »)"],
        6: [
            f"{name}, ligne 6, colonne « E2_Q01 » : option inconnue : « Pigeon » ; options acceptées, séparées par | : "
            "Accueil physique | Téléphone | Courriel | Formulaire en ligne | Messagerie instantanée | "
            "Visioconférence | Courrier postal ; ou « Aucun », « Non applicable » (valeur lue : « Pigeon »)",
            f"{name}, ligne 6, colonne « E3_Q01 » : {SCALE} (valeur lue : « Bof »)",
        ],
    }


def test_lenient_loads_valid_rows_and_quarantines_invalid_rows_whole(db, export):
    result = invoke_cli("ingest", export, "--db", db, "--lenient")
    assert result.exit_code == 0, result.output
    assert f"✓ {export} : 5 ligne(s), 2 nouvelle(s) soumission(s), 3 en quarantaine" in result.stdout
    lines = message_lines(result.stderr)
    for messages in problems_of(export).values():
        assert all(m in lines for m in messages)

    stored_rows = count(
        db,
        "select list({'row_no': row_no, 'problems': problems, 'row_values': row_values} order by row_no) from quarantine",
    )
    rows = file_rows(export)
    assert [r["row_no"] for r in stored_rows] == [3, 5, 6]
    for stored in stored_rows:
        assert stored["problems"] == problems_of(export)[stored["row_no"]]
        assert dict(stored["row_values"]) == rows[stored["row_no"]]  # every value, unknown column too
    assert count(db, "select list(distinct file_name) from quarantine") == ["mixte.csv"]


def test_no_partial_row_lands_in_the_database(db, export):
    invoke_cli("ingest", export, "--db", db, "--lenient")
    assert count(db, "select list(code_structure order by code_structure) from submissions") == [
        "STR-100",
        "STR-102",
        "STR-24",
    ]
    assert count(
        db, "select list(row_no order by row_no) from submissions where code_structure <> 'STR-24'"
    ) == [2, 4]
    # every retained submission has all its answers, and nothing belongs to a quarantined row
    assert (
        count(
            db, "select count(*) from (select submission_id from answers group by all having count(*) <> 83)"
        )
        == 0
    )
    assert count(db, "select count(distinct submission_id) from answers") == 3
    for table in ("answer_sets", "free_texts", "score_sets"):
        assert count(db, f"select count(*) from {table} anti join submissions using (submission_id)") == 0
    # no invalid cell was stored as an answer
    assert (
        count(db, "select count(*) from answer_sets, unnest(codes) as cells (code) where code is null") == 0
    )


def test_strict_mode_loads_nothing_of_the_same_file(db, export):
    before = dump(db)
    result = invoke_cli("ingest", export, "--db", db)
    assert result.exit_code == 1
    assert dump(db) == before


def test_lenient_still_refuses_a_file_it_cannot_read(db):
    before = dump(db)
    path = mb.OUT / "missing_question_column.csv"
    result = invoke_cli("ingest", path, "--db", db, "--lenient")
    assert result.exit_code == 1
    assert f"✗ {path} : fichier refusé, base inchangée" in result.stderr
    assert dump(db) == before


def test_lenient_with_every_row_invalid(db, tmp_path):
    path = tmp_path / "tout-faux.csv"
    path.write_bytes(mb.csv_bytes(mb.HEADER, mb.rows({"E1_Q01": "Bof"}, {"campagne": "24"})))
    result = invoke_cli("ingest", path, "--db", db, "--lenient")
    assert result.exit_code == 0
    assert f"✓ {path} : 2 ligne(s), 0 nouvelle(s) soumission(s), 2 en quarantaine" in result.stdout
    assert count(db, "select count(*) from submissions") == 1
    assert count(db, "select count(*) from quarantine") == 2


def test_quarantine_list(db, export):
    assert invoke_cli("quarantine", "list", "--db", db).stdout.strip() == "Aucune ligne en quarantaine."
    invoke_cli("ingest", export, "--db", db, "--lenient")
    result = invoke_cli("quarantine", "list", "--db", db)
    assert result.exit_code == 0
    expected = []
    for row_no, code in ((3, "STR-101"), (5, "STR-103"), (6, "STR-104")):
        expected.append(f"mixte.csv ligne {row_no} ({code})")
        expected.extend(f"  - {m}" for m in problems_of(export)[row_no])
    expected.append("3 ligne(s) en quarantaine.")
    assert result.stdout.splitlines() == expected


def test_quarantine_export(db, export, tmp_path):
    invoke_cli("ingest", export, "--db", db, "--lenient")
    out = tmp_path / "sortie" / "quarantaine.csv"
    result = invoke_cli("quarantine", "export", "--db", db, "--out", out)
    assert result.exit_code == 0
    assert result.stdout.strip() == f"3 ligne(s) écrite(s) dans {out}"
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the accents right
    with out.open(encoding="utf-8-sig", newline="") as f:
        header, *rows = list(csv.reader(f, delimiter=";"))
    questions = [c for c in mb.HEADER if "_Q" in c]
    assert header == [
        "fichier",
        "ligne",
        "problemes",
        *mb.HEADER[:9],
        *questions,
        *mb.HEADER[9 + len(questions) :],
        "remarque",
    ]
    assert [r[:2] for r in rows] == [["mixte.csv", "3"], ["mixte.csv", "5"], ["mixte.csv", "6"]]
    assert rows[2][2] == " | ".join(problems_of(export)[6])
    values = [dict(zip(header, r)) for r in rows]
    # spreadsheet formulas neutralised, every other value as in the file
    assert values[0]["E1_Q01"] == "'=1+1"
    assert values[0]["localisation"] == "'@SUM(A1)"
    assert values[0]["E1_points_forts"] == "'\t=cmd"
    assert values[1]["nom_structure"] == "'+33 6 12 34 56 78"
    assert values[1]["nb_agents_contributeurs"] == "'-2"
    assert values[1]["E2_besoin_appui"] == "'\r=2"
    assert values[2]["remarque"] == "note 6"
    original = file_rows(export)[6]
    assert {k: values[2][k] for k in original} == {k: v or "" for k, v in original.items()}


def test_quarantine_export_of_nothing(db, tmp_path):
    out = tmp_path / "q.csv"
    result = invoke_cli("quarantine", "export", "--db", db, "--out", out)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8-sig").splitlines() == ["fichier;ligne;problemes"]


def test_quarantine_export_is_atomic(db, export, tmp_path, monkeypatch):
    """A failure while writing leaves the previous file as it was, and no partial file."""
    invoke_cli("ingest", export, "--db", db, "--lenient")
    out = tmp_path / "q.csv"
    out.write_text("ancien contenu", encoding="utf-8")
    calls = []

    def failing(value):
        calls.append(value)
        if len(calls) > 50:
            raise OSError("disque plein")
        return str(value)

    monkeypatch.setattr(quarantine, "safe_text", failing)
    with pytest.raises(OSError):
        quarantine.export_quarantine(db, out)
    assert out.read_text(encoding="utf-8") == "ancien contenu"


def test_quarantine_commands_on_a_missing_database(tmp_path):
    for args in (["list"], ["export", "--out", tmp_path / "q.csv"]):
        result = invoke_cli("quarantine", *args, "--db", tmp_path / "absente.duckdb")
        assert result.exit_code == 1
        assert "Base introuvable" in result.stderr
