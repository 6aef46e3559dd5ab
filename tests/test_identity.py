"""One structure or network is stored once, however its code or name is spelt: names and codes
in NFC, codes without regard to case (stored as first seen, a later spelling warned about), a
BOM or zero-width character at their edges removed, and a network whose name differs from
another one only by case, accents or spacing warned about, naming both."""

from __future__ import annotations

import unicodedata

from tests.data.make_broken import HEADER, csv_bytes, row, xlsx_bytes
from tests.ingest_helpers import count, invoke_cli, message_lines

NETWORK = "Universités et écoles"


def write(path, *rows, xlsx=False):
    path.write_bytes(xlsx_bytes(HEADER, list(rows)) if xlsx else csv_bytes(HEADER, list(rows)))
    return path


def test_nfc_and_nfd_names_are_one_network(db, tmp_path):
    nfd = unicodedata.normalize("NFD", NETWORK)
    assert nfd != NETWORK
    a = write(tmp_path / "a.csv", row("STR-NFC-1", reseau=NETWORK, nom_structure="Bibliothèque"))
    b = write(
        tmp_path / "b.xlsx",
        row("STR-NFC-2", reseau=nfd, nom_structure=unicodedata.normalize("NFD", "Bibliothèque")),
        xlsx=True,
    )
    result = invoke_cli("ingest", a, b, "--db", db)
    assert result.exit_code == 0, result.output
    assert count(db, "select list(distinct reseau) from submissions") == [NETWORK]
    assert count(db, "select count(*) from submissions where nom_structure = 'Bibliothèque'") == 2
    assert "réseau proche" not in result.stderr


def test_a_code_in_another_case_is_the_same_structure(db, tmp_path):
    first = write(tmp_path / "first.csv", row("STR-CASE-1", date_enregistrement="06/05/2024 10:00:00"))
    later = write(tmp_path / "later.csv", row("str-case-1", date_enregistrement="07/05/2024 10:00:00"))
    assert invoke_cli("ingest", first, "--db", db).exit_code == 0
    result = invoke_cli("ingest", later, "--db", db)
    assert result.exit_code == 0, result.output
    assert (
        f"{later}, ligne 2, colonne « code_structure » : code enregistré sous la forme « STR-CASE-1 » "
        "(même structure : les codes ne tiennent pas compte des majuscules) (valeur lue : « str-case-1 »)"
    ) in message_lines(result.stderr)
    assert count(
        db, "select list(distinct code_structure) from submissions where upper(code_structure) = 'STR-CASE-1'"
    ) == ["STR-CASE-1"]
    assert count(db, "select count(*) from retained_submissions where code_structure = 'STR-CASE-1'") == 1
    assert (
        count(
            db, "select date_enregistrement from retained_submissions where code_structure = 'STR-CASE-1'"
        ).day
        == 7
    )


def test_two_spellings_in_one_run_keep_the_first(db, tmp_path):
    a = write(tmp_path / "a.csv", row("Str-Mixed", date_enregistrement="06/05/2024 10:00:00"))
    b = write(tmp_path / "b.csv", row("STR-MIXED", date_enregistrement="07/05/2024 10:00:00"))
    result = invoke_cli("ingest", a, b, "--db", db)
    assert result.exit_code == 0, result.output
    assert count(
        db, "select list(distinct code_structure) from submissions where upper(code_structure) = 'STR-MIXED'"
    ) == ["Str-Mixed"]
    assert "code enregistré sous la forme « Str-Mixed »" in result.stderr


def test_a_bom_at_the_edge_of_a_code_is_removed_with_a_warning(db, tmp_path):
    path = write(
        tmp_path / "bom.csv",
        row("\ufeffSTR-24", date_enregistrement="07/05/2024 10:00:00", reseau="\u200b" + NETWORK),
    )
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 0, result.output
    assert "caractère invisible U+FEFF (espace insécable sans chasse)" in result.stderr
    assert count(db, "select list(distinct code_structure) from submissions") == ["STR-24"]
    assert count(db, "select list(distinct reseau) from submissions") == [NETWORK]
    assert count(db, "select count(*) from retained_submissions where code_structure = 'STR-24'") == 1


def test_networks_that_differ_by_case_accents_or_spacing_are_warned_about(db, tmp_path):
    path = write(tmp_path / "near.csv", row("STR-NEAR", reseau="universites  et Écoles"))
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 0, result.output
    assert (
        f"{path}, ligne 2, colonne « reseau » : réseau proche de « {NETWORK} » (seuls majuscules, accents ou espaces "
        "diffèrent) : ce sont deux réseaux distincts ; pour les réunir, écrivez le même nom dans les exports "
        "(voir docs/donnees-incorrectes.md) (valeur lue : « universites et Écoles »)"
    ) in message_lines(result.stderr)
    assert count(db, "select count(distinct reseau) from submissions") == 2  # merging is the user's choice


def test_networks_the_user_merges_in_reseaux_csv_are_stored_as_one(db, tmp_path, monkeypatch):
    from autodiag import paths

    names = tmp_path / "reseaux.csv"
    names.write_text(
        "reseau_dans_les_exports;reseau_retenu\nUniversites  et ecoles;Universités et écoles\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "NETWORK_NAMES_FILE", names)
    a = write(tmp_path / "a.csv", row("STR-MERGE-1", reseau=NETWORK))
    b = write(tmp_path / "b.csv", row("STR-MERGE-2", reseau="Universites et ecoles"))
    result = invoke_cli("ingest", a, b, "--db", db)
    assert result.exit_code == 0, result.output
    assert count(
        db, "select list(distinct reseau) from submissions where code_structure like 'STR-MERGE-%'"
    ) == [NETWORK]
    assert "réseau proche" not in result.stderr


def test_a_network_renamed_twice_is_refused_with_its_line(db, tmp_path, monkeypatch):
    from autodiag import paths

    names = tmp_path / "reseaux.csv"
    names.write_text("reseau_dans_les_exports;reseau_retenu\nA;B\nB;C\n", encoding="utf-8")
    monkeypatch.setattr(paths, "NETWORK_NAMES_FILE", names)
    result = invoke_cli("ingest", write(tmp_path / "a.csv", row("STR-MERGE-3")), "--db", db)
    assert result.exit_code != 0
    assert "reseaux.csv : « A » devient « B », qui devient à son tour « C »" in result.output
    assert "Traceback" not in result.output
