"""Malformed exports (tests/data/broken/, written by tests/data/make_broken.py): each is refused
with a message naming the file, and the row and column where one applies, and leaves the
database exactly as it was; or, for the harmless defects, loads with the stated warning."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from autodiag.ingest import csv_shape, reading
from autodiag.ingest.loader import ingest
from autodiag.paths import SEED_EXPORT
from tests.data import make_broken
from tests.ingest_helpers import count, dump, invoke_cli, message_lines

BROKEN = make_broken.OUT

SCALE = "réponse non reconnue ; réponses acceptées : Oui, Partiellement, Initié, Non, Non applicable (ou 1 ; 0,75 ; 0,25 ; 0 ; NA), ou cellule vide"
DATE = "date absente ou impossible (attendu jj/mm/aaaa HH:MM:SS, ex. 06/05/2024 12:22:58, ou ISO 8601)"
INTEGER = "nombre entier positif ou nul attendu"
XLSX_BROKEN = "classeur XLSX illisible"
UNPROTECTED = "un « ; » non protégé par des guillemets ?"
INVISIBLE = (
    "caractère invisible {} : la valeur s'affiche autrement qu'elle n'est enregistrée, vérifiez la cellule"
)
MISSING = "cellule manquante, ou retour à la ligne non protégé par des guillemets ?"


SEPARATOR_TYPED = [
    "sep_in_code_last_empty.csv",
    "sep_in_code_last_filled.csv",
    "sep_at_row_start.csv",
    "sep_in_name_last_empty.csv",
    "sep_in_answer_last_empty.csv",
    "sep_in_answer_last_filled.csv",
    "sep_in_verbatim_last_empty.csv",
    "sep_in_verbatim_last_filled.csv",
    "sep_in_last_cell.csv",
    "sep_at_row_end.csv",
]
SHAPE_ONLY = [
    *SEPARATOR_TYPED,
    "two_seps_at_row_end.csv",
    "comma_in_verbatim_last_empty.csv",
    "tab_in_verbatim_last_empty.tsv",
    "missing_separator_last_empty.csv",
]


def control(char: str) -> str:
    return f"caractère de contrôle {char} interdit dans une cellule : supprimez-le (ou réexportez le fichier)"


def cell(row: int, column: str, message: str, value: str | None = None) -> str:
    text = f"ligne {row}, colonne « {column} » : {message}"
    return text + (f" (valeur lue : « {value} »)" if value is not None else "")


def row(number: int, message: str) -> str:
    return f"ligne {number} : {message}"


# file -> every message expected after "<path>, " (cell or row) or "<path> : " (whole file)
REJECTED = {
    # cells
    "unknown_scale_label.csv": [cell(3, "E1_Q03", SCALE, "Peut-être")],
    "unknown_option.csv": [
        cell(
            2,
            "E2_Q01",
            "option inconnue : « Pigeon voyageur » ; options acceptées, séparées par | : Accueil physique | "
            "Téléphone | Courriel | Formulaire en ligne | Messagerie instantanée | Visioconférence | "
            "Courrier postal ; ou « Aucun », « Non applicable »",
            "Accueil physique|Pigeon voyageur",
        )
    ],
    "campaign_not_year.csv": [cell(3, "campagne", "campagne attendue sur 4 chiffres (ex. 2024)", "24")],
    "campaign_unknown_year.csv": [
        cell(
            2,
            "campagne",
            "aucun questionnaire déclaré pour cette campagne (data/referentiels/campagnes.csv)",
            "1999",
        )
    ],
    "impossible_date.csv": [cell(4, "date_enregistrement", DATE, "31/02/2024 10:00:00")],
    "not_dates.csv": [
        cell(2, "date_enregistrement", DATE, "infinity"),
        cell(3, "date_enregistrement", DATE, "06/05/24 12:22:58"),
    ],
    "empty_code.csv": [
        cell(3, "code_structure", "code de structure vide (attendu : le code Services Publics +, ex. STR-24)")
    ],
    "negative_agents.csv": [cell(2, "nb_agents_contributeurs", INTEGER, "-3")],
    "non_integer_agents.csv": [cell(3, "nb_agents_interaction", INTEGER, "12,5")],
    "xlsx_unknown_label.xlsx": [cell(4, "E4_Q02", SCALE, "Bof")],
    "cp1252_unknown_label.csv": [cell(2, "E5_Q01", SCALE, "Très peu")],
    "markup_in_cell.csv": [cell(2, "E1_Q01", SCALE, "[/]"), cell(3, "E1_Q02", SCALE, "[bold red]Oui")],
    "several_problems.csv": [
        cell(2, "E1_Q01", SCALE, "Bof"),
        cell(3, "campagne", "campagne attendue sur 4 chiffres (ex. 2024)", "24"),
        cell(4, "E8_Q01", "option inconnue : « Vélo » ; options acceptées", None).split(" ; options")[0],
        cell(5, "date_enregistrement", DATE, "2024-02-30"),
        cell(5, "nb_agents_interaction", INTEGER, "beaucoup"),
    ],
    "empty_lines_then_bad.csv": [cell(6, "E1_Q01", SCALE, "Bof")],
    # header
    "missing_required_column.csv": [cell(1, "nom_structure", "colonne obligatoire absente de l'en-tête")],
    "missing_question_column.csv": [
        cell(1, "E3_Q05", "colonne obligatoire absente (question de la campagne 2024)")
    ],
    "duplicated_column.csv": [
        cell(1, "Campagne", "colonne en double : « campagne » (colonne 6) et « Campagne » (colonne 7)")
    ],
    "blank_first_line.csv": [
        row(1, "ligne vide : l'en-tête (code_structure, nom_structure, …) doit être sur la première ligne")
    ],
    "single_column.csv": [
        "en-tête sur une seule colonne : séparateur introuvable (attendu ; , ou tabulation)"
    ],
    # row shape
    "too_many_fields.csv": [row(3, f"109 champs au lieu de 108 ({UNPROTECTED})")],
    "too_few_fields.csv": [row(4, f"106 champs au lieu de 108 ({MISSING})")],
    "too_many_fields_tab.tsv": [
        row(2, "110 champs au lieu de 108 (une tabulation non protégée par des guillemets ?)")
    ],
    "unterminated_quote.csv": [row(3, "guillemet non fermé ou fichier tronqué")],
    **{name: [row(3, f"109 champs au lieu de 108 ({UNPROTECTED})")] for name in SEPARATOR_TYPED},
    "two_seps_at_row_end.csv": [row(3, f"110 champs au lieu de 108 ({UNPROTECTED})")],
    "comma_in_verbatim_last_empty.csv": [
        row(3, "109 champs au lieu de 108 (une « , » non protégée par des guillemets ?)")
    ],
    "tab_in_verbatim_last_empty.tsv": [
        row(3, "109 champs au lieu de 108 (une tabulation non protégée par des guillemets ?)")
    ],
    "missing_separator_last_empty.csv": [row(3, f"107 champs au lieu de 108 ({MISSING})")],
    # control characters
    "nul_after_4k.csv": [cell(4, "reseau", control("U+0000 (NUL)"), "Universités␀ et écoles")],
    "nul_in_first_4k.csv": [cell(2, "reseau", control("U+0000 (NUL)"), "Universités␀ et écoles")],
    "escape_in_verbatim.csv": [cell(3, "E2_points_forts", control("U+001B"), "Accueil ␛[31mrouge")],
    "control_in_header.csv": [cell(1, "E1_points␇_forts", control("U+0007"), "E1_points␇_forts")],
    "control_in_xlsx.xlsx": [cell(3, "nom_structure", control("U+0000 (NUL)"), "BU␀ Clermont")],
    "truncated.csv": [row(4, "guillemet non fermé ou fichier tronqué")],
    # whole file
    "empty.csv": ["fichier vide"],
    "blank_lines.csv": ["fichier vide"],
    "header_only.csv": ["aucune ligne de données sous l'en-tête"],
    "binary_junk.csv": ["fichier binaire, pas un export CSV ou XLSX"],
    "pdf_renamed.csv": ["document PDF, pas un export CSV ou XLSX"],
    "zip_renamed.xlsx": ["archive ZIP qui n'est pas un classeur XLSX : enregistrez l'export en CSV ou XLSX"],
    "truncated.xlsx": [XLSX_BROKEN],
    "corrupt_sheet.xlsx": [XLSX_BROKEN],
    "utf16.csv": ["encodage UTF-16 non pris en charge : réenregistrez le fichier en CSV UTF-8"],
    "utf16le_no_bom.csv": ["encodage UTF-16 non pris en charge : réenregistrez le fichier en CSV UTF-8"],
    "not_cp1252.csv": ["encodage non reconnu (ni UTF-8 ni Windows-1252, octet 0x81 en position"],
    "bom_then_cp1252.csv": ["marque UTF-8 en tête mais contenu non UTF-8"],
}


def test_corpus_is_what_the_generator_writes(tmp_path):
    written = {p.name: p.read_bytes() for p in make_broken.write_broken(tmp_path)}
    committed = {p.name: p.read_bytes() for p in BROKEN.iterdir()}
    assert written == committed
    assert set(REJECTED) | set(LOADED_WITH_WARNING) | {"same_content_a.csv", "same_content_b.csv"} == set(
        committed
    )


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_broken_file_is_refused_and_database_unchanged(name, db):
    path = BROKEN / name
    before = dump(db)
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"✗ {path} : fichier refusé, base inchangée" in result.stderr
    lines = message_lines(result.stderr)
    for expected in REJECTED[name]:
        separator = ", " if expected.startswith("ligne ") else " : "
        assert any(line.startswith(f"{path}{separator}{expected}") for line in lines), (
            expected,
            result.stderr,
        )
    assert dump(db) == before


@pytest.mark.parametrize("name", SHAPE_ONLY)
def test_a_row_of_the_wrong_shape_gets_no_column_message(name, db):
    """The row's field count is the only message, whatever its last cells hold: nothing is
    read from the cells of a row whose fields are not where the header says."""
    path = BROKEN / name
    result = invoke_cli("ingest", path, "--db", db)
    problems = [
        line
        for line in message_lines(result.stderr)
        if line.startswith(f"{path}, ") or line.startswith(f"{path} : ")
    ]
    assert problems == [f"{path}, {expected}" for expected in REJECTED[name]], result.stderr


def test_rows_ending_with_empty_cells_load_unshifted(db):
    """The right count with empty last cells is not a separator in excess: loaded, each free
    text under its own column."""
    path = BROKEN / "trailing_empty_cells.csv"
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 0, result.output
    texts = count(
        db,
        """
        select list((s.code_structure, f.engagement, f.field, f.text) order by s.code_structure, f.engagement, f.field) from free_texts f
        join submissions s using (submission_id) where s.code_structure in ('STR-100', 'STR-101', 'STR-102')
        and f.engagement >= 7
        """,
    )
    seed = dict(zip(make_broken.HEADER, make_broken.SEED_ROW))
    e7 = ("points_forts", seed["E7_points_forts"].strip())
    assert texts == [
        ("STR-100", 7, *e7),
        ("STR-101", 7, "besoin_appui", seed["E7_besoin_appui"].strip()),
        ("STR-101", 7, *e7),
        ("STR-101", 8, "besoin_appui", "Formation des agents"),
        ("STR-101", 8, "points_forts", seed["E8_points_forts"].strip()),
        ("STR-102", 7, *e7),
    ]


def test_every_problem_of_a_file_is_listed_in_file_order(db):
    path = BROKEN / "several_problems.csv"
    result = invoke_cli("ingest", path, "--db", db)
    problems = [line for line in message_lines(result.stderr) if line.startswith(f"{path}, ligne")]
    assert [p.split(" : ")[0] for p in problems] == [
        f"{path}, ligne 2, colonne « E1_Q01 »",
        f"{path}, ligne 3, colonne « campagne »",
        f"{path}, ligne 4, colonne « E8_Q01 »",
        f"{path}, ligne 5, colonne « date_enregistrement »",
        f"{path}, ligne 5, colonne « nb_agents_interaction »",
    ]


# file -> (warning after "<path>, ", submissions added)
LOADED_WITH_WARNING = {
    "unknown_extra_column.csv": ("ligne 1, colonne « commentaire_interne » : colonne inconnue, ignorée", 1),
    "unnamed_column_with_value.csv": ("ligne 1 : colonne 109 sans nom d'en-tête : 1 valeur(s) ignorée(s)", 2),
    "duplicate_row.csv": ("ligne 4 : même soumission que la ligne 2 : doublon ignoré", 2),
    "zero_width_in_code.csv": (
        cell(2, "code_structure", INVISIBLE.format("U+200B (espace sans chasse)"), "STR-<U+200B>100"),
        1,
    ),
    "bidi_in_name.csv": (
        cell(
            3,
            "nom_structure",
            INVISIBLE.format("U+202E (contrôle de direction du texte)"),
            "<U+202E>BU Clermont",
        ),
        2,
    ),
    "invisible_in_xlsx.xlsx": (
        cell(2, "reseau", INVISIBLE.format("U+2060 (gluon de mots)"), "Universités<U+2060> et écoles"),
        1,
    ),
    "trailing_empty_cells.csv": (None, 3),
}


@pytest.mark.parametrize("name", sorted(LOADED_WITH_WARNING))
def test_harmless_defect_loads_with_a_warning(name, db):
    path = BROKEN / name
    warning, added = LOADED_WITH_WARNING[name]
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 0, result.output
    assert count(db, "select count(*) from submissions") == 1 + added
    if warning is None:  # no defect at all
        assert "avertissement" not in result.stderr and count(db, "select count(*) from ingest_warnings") == 0
        return
    assert f"{path}, {warning}" in message_lines(result.stderr)
    message = warning.split(" : ", 1)[1].split(" (valeur lue")[0]
    assert count(db, "select count(*) from ingest_warnings where message = $m", {"m": message}) == 1


def test_same_content_under_two_names_in_one_run_is_loaded_once(db):
    a, b = BROKEN / "same_content_a.csv", BROKEN / "same_content_b.csv"
    result = invoke_cli("ingest", a, b, "--db", db)
    assert result.exit_code == 0, result.output
    assert f"✓ {a} : 1 ligne(s), 1 nouvelle(s) soumission(s)" in result.stdout
    assert f"= {b} : déjà chargé (même contenu), ignoré" in result.stdout
    assert count(db, "select count(*) from submissions") == 2
    assert count(db, "select count(*) from files") == 2  # the seed, and a once


def test_reloading_a_file_changes_nothing(db):
    before = dump(db)
    result = invoke_cli("ingest", SEED_EXPORT, "--db", db)
    assert result.exit_code == 0
    assert "déjà chargé (même contenu), ignoré" in result.stdout
    assert dump(db) == before


def test_one_bad_file_among_good_ones(db):
    good_1, bad, good_2 = (
        BROKEN / "same_content_a.csv",
        BROKEN / "impossible_date.csv",
        BROKEN / "unknown_extra_column.csv",
    )
    result = invoke_cli("ingest", good_1, bad, good_2, "--db", db)
    assert result.exit_code == 1
    assert f"✗ {bad} : fichier refusé, base inchangée" in result.stderr
    assert f"{bad}, {cell(4, 'date_enregistrement', DATE, '31/02/2024 10:00:00')}" in message_lines(
        result.stderr
    )
    assert f"✓ {good_1}" in result.stdout and f"✓ {good_2}" in result.stdout
    assert "2 chargé(s), 0 déjà chargé(s), 1 refusé(s)" in result.stdout
    codes = count(db, "select list(code_structure order by code_structure) from submissions")
    assert codes == ["STR-100", "STR-200", "STR-24"]  # nothing of the bad file (STR-100..102 there)
    assert count(db, "select count(*) from files where name = 'impossible_date.csv'") == 0


def test_missing_path_is_a_usage_error(db, tmp_path):
    result = invoke_cli("ingest", tmp_path / "absent.csv", "--db", db)
    assert result.exit_code == 2
    assert "absent.csv" in result.output


# --- size limits ----------------------------------------------------------------------


def test_size_limits_are_stated():
    assert reading.MAX_FILE_BYTES == 512 * 1024 * 1024
    assert reading.MAX_COLUMNS == 2000


def test_file_over_the_size_limit_is_refused_before_being_read(db, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 1000)
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    before = dump(db)
    path = BROKEN / "same_content_a.csv"
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert (
        f"{path} : fichier trop volumineux (3 371 octets, limite 1 000 octets) : découpez-le en plusieurs fichiers"
        in message_lines(result.stderr)
    )
    assert path not in read
    assert dump(db) == before


def test_file_at_the_size_limit_loads(db, monkeypatch):
    path = BROKEN / "same_content_a.csv"
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size)
    assert invoke_cli("ingest", path, "--db", db).exit_code == 0


@pytest.mark.parametrize("name", ["same_content_a.csv", "xlsx_unknown_label.xlsx"])
def test_too_many_columns_is_refused(name, db, monkeypatch):
    monkeypatch.setattr(reading, "MAX_COLUMNS", 100)
    before = dump(db)
    path = BROKEN / name
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert f"{path} : 108 colonnes : au-delà de la limite de 100" in message_lines(result.stderr)
    assert dump(db) == before


def test_line_limit_is_stated():
    assert csv_shape.MAX_LINE_BYTES == 1024 * 1024


def test_header_over_the_line_limit_is_refused_before_being_split(db, monkeypatch):
    monkeypatch.setattr(csv_shape, "MAX_LINE_BYTES", 500)
    monkeypatch.setattr(csv_shape, "field_spans", lambda *a: pytest.fail("header split"))
    before = dump(db)
    path = BROKEN / "same_content_a.csv"
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert (
        f"{path}, ligne 1 : en-tête de plus de 500 octets (limite par ligne) : ce n'est sans doute pas un export d'auto-diagnostic"
        in message_lines(result.stderr)
    )
    assert dump(db) == before


def test_data_row_over_the_line_limit_is_refused(db, monkeypatch):
    monkeypatch.setattr(csv_shape, "MAX_LINE_BYTES", 2000)  # the header is shorter, a row longer
    path = BROKEN / "same_content_a.csv"
    result = invoke_cli("ingest", path, "--db", db)
    assert result.exit_code == 1
    assert (
        f"{path}, ligne 2 : plus de 2 000 octets sur une seule ligne (limite par ligne ; guillemet non fermé ?)"
        in message_lines(result.stderr)
    )


def test_too_many_columns_are_counted_before_the_header_is_split(db, monkeypatch):
    monkeypatch.setattr(reading, "MAX_COLUMNS", 100)
    monkeypatch.setattr(csv_shape, "field_spans", lambda *a: pytest.fail("header split"))
    path = BROKEN / "same_content_a.csv"
    result = invoke_cli("ingest", path, "--db", db)
    assert f"{path} : 108 colonnes : au-delà de la limite de 100" in message_lines(result.stderr)


def test_listing_of_rows_of_the_wrong_shape_stops(db, monkeypatch, tmp_path):
    monkeypatch.setattr(reading, "MAX_LISTED", 3)
    path = tmp_path / "many.csv"
    path.write_bytes(make_broken.csv_bytes(make_broken.HEADER, []) + b"x\r\n" * 10)
    result = invoke_cli("ingest", path, "--db", db)
    problems = [line for line in message_lines(result.stderr) if line.startswith(str(path))]
    assert problems == [f"{path}, ligne {r} : 1 champ au lieu de 108 ({MISSING})" for r in (2, 3, 4)] + [
        f"{path} : lecture arrêtée après 3 lignes dont le nombre de champs diffère de l'en-tête (108)"
    ]


def test_ingest_api_reports_the_same_problems(seeded, tmp_path):
    """autodiag.ingest.loader.ingest (the API under the CLI) returns the problems without printing them."""
    db = tmp_path / "api.duckdb"
    shutil.copyfile(seeded, db)
    report = ingest(db, [BROKEN / "impossible_date.csv"])
    (outcome,) = report.outcomes
    assert outcome.status == "rejected" and not report.ok
    assert [(p.row, p.column, p.value) for p in outcome.problems] == [
        (4, "date_enregistrement", "31/02/2024 10:00:00")
    ]
