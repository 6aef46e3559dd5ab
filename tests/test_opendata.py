"""ingest-opendata: both spellings of the columns, BOM/CRLF and JSON, refusals that leave the
base unchanged, matching by code and by exact name, the département rule, the API."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from autodiag.api import Autodiag
from autodiag.paths import SQL_DIR
from tests.ingest_helpers import dump, invoke_cli

STRUCTURES_LABELS = (
    "Code SP de la structure;Réseau;Intitulé de la typologie;Intitulé de la structure;Code SP structure parent;"
    "Code postal;Commune;Colonne inconnue\r\n"
    "STR-24;Universités et écoles;BU;BU Clermont Auvergne;UCA-1;63000;Clermont-Ferrand;x\r\n"
    "UCA-1;Universités et écoles;Université;Université Clermont Auvergne;;63000;Clermont-Ferrand;y\r\n"
    "STR-90;Universités et écoles;BU;Bibliothèque du campus;UCA-1;20200;Bastia;z\r\n"
    "STR-91;Universités et écoles;BU;Bibliothèque du campus;;97411;Saint-Denis;z\r\n"
)
RESULTS = [
    {
        "code_sp_du_resultat": "R1",
        "intitule_du_reseau": "Universités et écoles",
        "code_sp_structure": "str-24",
        "titre_original_de_l_indicateur": "Satisfaction",
        "code_sp_de_l_indicateur": "IND-27",
        "valeur": 87.5,
        "date_de_mise_a_jour": "2024-06-30",
        "frequence": "annuelle",
    },
    {
        "code_sp_du_resultat": "R0",
        "intitule_du_reseau": "Universités et écoles",
        "code_sp_structure": "STR-24",
        "titre_original_de_l_indicateur": "Satisfaction",
        "code_sp_de_l_indicateur": "IND-27",
        "valeur": 80,
        "date_de_mise_a_jour": "2023-06-30T00:00:00+00:00",
        "frequence": "annuelle",
    },
    {
        "code_sp_du_resultat": "R2",
        "intitule_du_reseau": "Universités et écoles",
        "code_sp_structure": "STR-90",
        "titre_original_de_l_indicateur": "Satisfaction",
        "code_sp_de_l_indicateur": "IND-27",
        "valeur": "70,5",
        "date_de_mise_a_jour": "2024-05-31",
    },
    {
        "code_sp_du_resultat": "R3",
        "code_sp_structure": "NOPE-1",
        "code_sp_de_l_indicateur": "IND-27",
        "valeur": 1,
        "date_de_mise_a_jour": "2024-05-31",
    },
]
INDICATORS = (
    "reseau;intitule_original_de_l_indicateur;intitule_usager_de_l_indicateur;type_d_unite;unite\n"
    "Universités et écoles;Satisfaction;Usagers satisfaits;Pourcentage;%\n"
)
EXPERIENCES = (
    "id_experience;etat_experience;date_de_publication;ressenti_usager;intitule_structure_1;intitule_reseau_1;"
    "reponse_structure_1;date_action_engagee\n"
    "E1;Publiée;01/03/2024;Positif;BU  clermont auvergne;universites et ecoles;Merci;05/03/2024\n"
    "E2;Publiée;02/03/2024;Négatif;Bibliothèques universitaires de l'université Clermont Auvergne;"
    "Universités et écoles;;\n"
    "E3;Publiée;03/03/2024;Neutre;Bibliothèque du campus;Universités et écoles;;\n"
    "E4;Publiée;04/03/2024;neutre;Ailleurs;Universités et écoles;;\n"
)


def write(folder: Path, name: str, text: str, bom: bool = False) -> Path:
    path = folder / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    return {
        "structures": write(tmp_path, "export-structures.csv", STRUCTURES_LABELS, bom=True),
        "resultats": write(tmp_path, "export-resultats.json", json.dumps(RESULTS, ensure_ascii=False)),
        "indicateurs": write(tmp_path, "export-indicateurs.csv", INDICATORS),
        "experiences": write(
            tmp_path, "export-expa-c-riences.csv", EXPERIENCES.replace("\n", "\r\n"), bom=True
        ),
    }


def test_each_kind_is_recognised_and_loaded(db, files):
    result = invoke_cli("ingest-opendata", *files.values(), "--base", db)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "structures, 4 ligne(s)" in out and "résultats d'indicateurs, 4 ligne(s)" in out
    assert "indicateurs, 1 ligne(s)" in out and "expériences d'usagers, 4 ligne(s)" in out
    assert "« Colonne inconnue »" in result.stderr  # named, not refused
    # what matched and what did not, with examples
    assert "code de structure inconnu : 1" in out and "NOPE-1" in out
    assert "plusieurs structures de ce nom dans ce réseau : 1" in out and "STR-90, STR-91" in out
    assert "aucune structure de ce nom dans ce réseau : 1" in out and "Ailleurs" in out
    again = invoke_cli("ingest-opendata", files["structures"], "--base", db)
    assert "déjà chargé" in again.stdout
    check = invoke_cli("check", "--base", db)
    assert check.exit_code == 0 and "plusieurs structures de ce nom dans ce réseau : 1" in check.stdout


def test_api_reads_the_open_data(db, files):
    assert invoke_cli("ingest-opendata", *files.values(), "--base", db).exit_code == 0
    with Autodiag(db) as reader:
        structures = reader.structures().set_index("code")
        assert structures.loc["STR-24", "parent_code"] == "UCA-1"
        assert structures.loc["STR-24", "parent_name"] == "Université Clermont Auvergne"
        assert structures.loc["STR-90", "departement"] == "2B"
        assert structures.loc["STR-91", "departement"] == "974"
        assert (
            bool(structures.loc["STR-24", "has_self_diagnostic"])
            and not structures.loc["UCA-1", "has_self_diagnostic"]
        )
        results = reader.indicator_results(code="STR-24")
        latest = results[results["latest"]].iloc[0]
        assert (latest["value"], str(latest["updated_on"])[:10], latest["unit"]) == (87.5, "2024-06-30", "%")
        assert (
            latest["network_median"] == pytest.approx((87.5 + 70.5) / 2) and latest["network_structures"] == 2
        )
        experiences = reader.experiences().set_index("id")
        assert experiences.loc["E1", "code"] == "STR-24" and experiences.loc["E2", "code"] == "STR-24"
        assert experiences.loc["E3", "match"] == "plusieurs" and experiences.loc["E4", "match"] == "aucune"
        assert experiences.loc["E1", "days_to_answer"] == 4
        row = reader.declared_vs_observed(2024).set_index("code").loc["STR-24"]
        assert row["e6_rate"] == pytest.approx(31.25) and row["e7_rate"] == pytest.approx(300 / 7)
        assert (row["experiences"], row["share_answered"], row["share_positive"]) == (2, 50.0, 50.0)
        assert row["indicators_published"] == 1 and row["share_indicators_published"] == 100.0
        parents = reader.parent_summary(2024, "Universités et écoles")
        overall = parents[parents["level"] == "global"].iloc[0]
        assert overall["parent_code"] == "UCA-1" and overall["n_rated"] == 1
        assert overall["mean"] == pytest.approx(55.637, abs=1e-3)


def test_technical_names_and_json_records_of_the_portal(db, tmp_path):
    technical = (
        "code_sp_de_la_structure;reseau;intitule_de_la_structure;code_sp_structure_parent;code_postal\n"
        "STR-24;Universités et écoles;BU;;01000\n"
    )
    records = [
        {
            "recordid": "x",
            "fields": {
                "id_experience": 9,
                "ressenti_usager": "Négatif",
                "intitule_structure_1": "BU",
                "intitule_reseau_1": "Universités et écoles",
                "date_de_publication": "2024-02-01",
            },
        }
    ]
    paths = [write(tmp_path, "s.csv", technical), write(tmp_path, "e.json", json.dumps(records))]
    assert invoke_cli("ingest-opendata", *paths, "--base", db).exit_code == 0
    with Autodiag(db) as reader:
        assert reader.structures(code="str-24")["departement"].tolist() == ["01"]
        assert reader.experiences()["code"].tolist() == ["STR-24"]


@pytest.mark.parametrize(
    "text, message",
    [
        (
            STRUCTURES_LABELS + "STR-24;Universités et écoles;BU;Doublon;;63000;Clermont;x\r\n",
            "ligne 6, colonne « Code SP de la structure » : en double : même clé qu'à la ligne 2",
        ),
        (
            "id_experience;ressenti_usager;intitule_structure_1;intitule_reseau_1;date_de_publication\n"
            "1;Ravi;BU;Universités et écoles;31/02/2024\n",
            "ligne 2, colonne « ressenti_usager » : ressenti inconnu",
        ),
        (
            "code_sp_du_resultat;code_sp_structure;code_sp_de_l_indicateur;valeur;date_de_mise_a_jour\n"
            "R1;STR-24;IND-1;beaucoup;2024-01-01\n",
            "ligne 2, colonne « valeur » : nombre illisible",
        ),
        ("code_sp_de_la_structure;intitule_de_la_structure\nSTR-1;BU\n", "type de fichier non reconnu"),
        (
            "code_sp_de_la_structure;Code SP de la structure;reseau;intitule_de_la_structure\n",
            "colonne(s) en double",
        ),
    ],
)
def test_a_broken_file_is_refused_and_the_base_unchanged(db, tmp_path, files, text, message):
    assert invoke_cli("ingest-opendata", files["structures"], "--base", db).exit_code == 0
    before = dump(db)
    result = invoke_cli("ingest-opendata", write(tmp_path, "broken.csv", text), "--base", db)
    assert result.exit_code == 1
    assert "broken.csv : fichier refusé, base inchangée" in result.stderr
    assert message in result.stderr
    assert dump(db) == before


def test_a_bad_date_names_its_row_and_column(db, tmp_path):
    text = (
        "id_experience;ressenti_usager;intitule_structure_1;intitule_reseau_1;date_de_publication\n"
        "1;Positif;BU;Universités et écoles;01/03/2024\n2;Positif;BU;Universités et écoles;31/02/2024\n"
    )
    result = invoke_cli("ingest-opendata", write(tmp_path, "e.csv", text), "--base", db)
    assert "e.csv, ligne 3, colonne « date_de_publication » : date illisible" in result.stderr


def test_a_newer_export_replaces_rows_of_the_same_key(db, tmp_path, files):
    assert invoke_cli("ingest-opendata", files["structures"], "--base", db).exit_code == 0
    newer = STRUCTURES_LABELS.replace("UCA-1;63000", ";63100")
    result = invoke_cli("ingest-opendata", write(tmp_path, "newer.csv", newer), "--base", db)
    assert "dont 4 remplaçant un chargement antérieur" in result.stdout
    with Autodiag(db) as reader:
        structures = reader.structures().set_index("code")
        assert len(structures) == 4 and structures.loc["STR-24", "postal_code"] == "63100"
        assert reader.open_data_files()["name"].tolist() == ["export-structures.csv", "newer.csv"]


@pytest.mark.parametrize(
    "postal, departement",
    [
        ("63000", "63"),
        ("01000", "01"),
        ("1000", "01"),
        ("75015", "75"),
        ("20000", "2A"),
        ("20190", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        ("97110", "971"),
        ("97411", "974"),
        ("97600", "976"),
        ("98800", "988"),
        (" 33000 ", "33"),
        ("20700", None),
        ("00100", None),
        ("Paris", None),
        ("123", None),
        (None, None),
    ],
)
def test_departement_of_a_postal_code(postal, departement):
    con = duckdb.connect()
    con.execute((SQL_DIR / "macros.sql").read_text(encoding="utf-8"))
    assert con.execute("select departement($p)", {"p": postal}).fetchone()[0] == departement


def test_a_base_from_before_the_open_data_reads_empty(db, tmp_path):
    old = tmp_path / "old.duckdb"
    shutil.copyfile(db, old)
    con = duckdb.connect(str(old))
    for name in ("known_structures", "matched_experiences"):
        con.execute(f"drop view if exists {name}")
    for name in (
        "opendata_files",
        "opendata_structures",
        "opendata_results",
        "opendata_indicators",
        "opendata_experiences",
    ):
        con.execute(f"drop table {name}")
    con.close()
    with Autodiag(old) as reader:
        assert reader.indicator_results().empty and reader.experiences().empty
        assert reader.structures()["code"].tolist() == ["STR-24"]


def test_export_structures_carries_the_parent(db, files, tmp_path):
    assert invoke_cli("ingest-opendata", files["structures"], "--base", db).exit_code == 0
    out = tmp_path / "structures.csv"
    result = invoke_cli("export", "structures", "--sortie", out, "--base", db)
    assert result.exit_code == 0 and "4 ligne(s)" in result.stdout
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(
        "code,nom,reseau,typologie,code_parent,nom_parent,code_postal,commune,departement"
    )
    assert any(
        line.startswith("STR-24,") and ",UCA-1,Université Clermont Auvergne,63000," in line for line in lines
    )
