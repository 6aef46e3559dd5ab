"""`export scores|answers|verbatims|codebook` in CSV, XLSX and Parquet: each read back with
pandas (XLSX through calamine) or DuckDB gives the database's figures; a format that
contradicts the file's extension is refused and nothing is written; text cells are inert in
CSV and XLSX."""

from __future__ import annotations

import csv
import re
import zipfile

import duckdb
import pandas as pd
import pytest

from autodiag.api import Autodiag
from tests.data import make_broken as mb

from .ingest_helpers import invoke_cli
from .report_fixtures import BIG, XSS_TEXT

DATASETS = ("scores", "answers", "verbatims", "codebook")


def export(db, dataset: str, out, *extra) -> str:
    result = invoke_cli("export", dataset, "--db", db, "--out", out, *extra)
    assert result.exit_code == 0, result.output
    return result.stdout


def read_back(path, text_columns: list[str] | None = None) -> pd.DataFrame:
    """The file as pandas reads it (``text_columns`` read as text, not guessed)."""
    dtype = {c: str for c in text_columns or []}
    if path.suffix == ".xlsx":
        return pd.read_excel(path, engine="calamine", dtype=dtype)
    if path.suffix == ".parquet":
        return duckdb.sql(f"select * from read_parquet('{path}')").df()
    return pd.read_csv(path, dtype=dtype)


@pytest.fixture(scope="module")
def exported(report_db, tmp_path_factory) -> dict[tuple[str, str], object]:
    out = tmp_path_factory.mktemp("research")
    files = {}
    for dataset in DATASETS:
        for ext in ("csv", "xlsx", "parquet"):
            files[dataset, ext] = out / f"{dataset}.{ext}"
            said = export(report_db, dataset, files[dataset, ext])
            assert re.fullmatch(rf"\d[\d\s]* ligne\(s\) écrite\(s\) dans .*{dataset}\.{ext}\n", said), said
    return files


@pytest.mark.parametrize("dataset", DATASETS)
def test_the_three_formats_hold_the_same_rows(exported, dataset):
    parquet = read_back(exported[dataset, "parquet"])
    texts = [c for c in parquet.columns if pd.api.types.is_string_dtype(parquet[c])]
    frames = {
        "parquet": parquet,
        **{ext: read_back(exported[dataset, ext], texts) for ext in ("csv", "xlsx")},
    }
    columns = list(frames["parquet"].columns)
    assert list(frames["csv"].columns) == columns and list(frames["xlsx"].columns) == columns
    assert len(frames["csv"]) == len(frames["xlsx"]) == len(frames["parquet"]) > 0
    for ext in ("csv", "xlsx"):
        for column in columns:
            a, b = frames["parquet"][column], frames[ext][column]
            if pd.api.types.is_numeric_dtype(a) and not pd.api.types.is_bool_dtype(a):
                assert (a.isna() == b.isna()).all() and ((a - b).abs().fillna(0) < 1e-9).all(), (ext, column)
            else:
                assert (
                    a.fillna("").astype(str).str.lstrip("'").tolist()
                    == b.fillna("").astype(str).str.lstrip("'").tolist()
                ), (ext, column)


def test_scores_csv_keeps_its_contract(exported, report_db):
    with exported["scores", "csv"].open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == [
        "campagne",
        "code_structure",
        "level",
        "unit",
        "points",
        "applicable",
        "missing",
        "rate",
        "version",
    ]
    scores = read_back(exported["scores", "csv"])
    str24 = scores[
        (scores.campagne == 2024) & (scores.code_structure == "STR-24") & (scores.level == "global")
    ]
    assert str24["rate"].tolist() == [pytest.approx(55.63725490196079, abs=1e-12)]
    with Autodiag(report_db) as db:
        assert len(scores) == len(db.scores())


def test_scores_xlsx_has_french_number_formats(exported):
    """Rates keep full precision and show one decimal and « % » (« 55,6 % » in a French Excel)."""
    book = zipfile.ZipFile(exported["scores", "xlsx"])
    styles = book.read("xl/styles.xml").decode()
    assert 'formatCode="0.0&quot; %&quot;"' in styles and 'formatCode="0.00"' in styles
    frame = read_back(exported["scores", "xlsx"])
    rate = frame[(frame.code_structure == "STR-24") & (frame.level == "global") & (frame.campagne == 2024)][
        "rate"
    ]
    assert rate.tolist() == [pytest.approx(55.63725490196079, abs=1e-12)]


def test_answers_one_row_per_submission_and_question(exported, report_db):
    answers = read_back(exported["answers", "parquet"])
    assert list(answers.columns) == [
        "campaign",
        "network",
        "code",
        "version",
        "submission_id",
        "engagement",
        "theme",
        "question_id",
        "question",
        "status",
        "answer",
        "points",
        "applicable",
    ]
    with Autodiag(report_db) as db:
        n_submissions = len(db.submissions().query("retained"))
        questions = len(db.referentiel("2024"))
    assert len(answers) == n_submissions * questions
    assert not answers.duplicated(["campaign", "code", "question_id"]).any()
    seed = answers[(answers.code == "STR-24") & (answers.campaign == 2024)]
    # The rates come back from the answers: points over applicable answers, per engagement.
    e1 = seed[seed.engagement == 1]
    assert e1["points"].sum() == 5.5 and e1["applicable"].sum() == 9
    assert set(seed["answer"].dropna()) >= {"Oui", "Non applicable"}
    assert seed[seed.status == "not_applicable"]["answer"].eq("Non applicable").all()
    assert (
        seed[seed.status == "missing"]["answer"].isna().all()
        and not seed[seed.status == "missing"]["applicable"].any()
    )
    assert seed[seed.question_id == "E1_Q01"]["question"].tolist() == [
        "Les agents saluent chaque usager et se présentent lorsque la situation s'y prête."
    ]


def test_verbatims_and_codebook(exported, report_db):
    verbatims = read_back(exported["verbatims", "csv"])
    assert set(verbatims["field"]) == {"points_forts", "besoin_appui"}
    assert "Formations régulières à mettre en place sur l'accueil" in " ".join(verbatims["text"])
    assert XSS_TEXT in verbatims["text"].tolist()  # text kept as typed (escaping is the pages' job)
    codebook = read_back(exported["codebook", "xlsx"])
    columns = codebook[codebook.entry == "colonne"]
    answers = read_back(exported["answers", "csv"])
    assert set(columns[columns.dataset == "answers"]["name"]) == set(answers.columns)
    assert set(columns[columns.dataset == "verbatims"]["name"]) == set(verbatims.columns)
    assert set(columns[columns.dataset == "scores"]["name"]) == set(
        read_back(exported["scores", "csv"]).columns
    )
    assert columns[columns.dataset == "codebook"]["name"].tolist() == list(codebook.columns)
    questions = codebook[
        (codebook.entry == "question") & (codebook.version.astype(str).isin(["2024", "2024.0"]))
    ]
    assert len(questions) == 83 and set(questions["name"]) == set(answers["question_id"])
    assert len(codebook[codebook.entry == "question"]) == 83 + 83  # and the 9-engagement version's
    e1q01 = questions[questions.name == "E1_Q01"].iloc[0]
    assert e1q01["answers"] == "Oui | Partiellement | Initié | Non | Non applicable"
    assert e1q01["points"] == "Oui = 1 | Partiellement = 0,75 | Initié = 0,25 | Non = 0"
    assert questions[questions.type == "multi"]["points"].str.startswith("au moins 1 choix = ").all()


def test_filters_restrict_the_rows(report_db, tmp_path):
    out = tmp_path / "a.parquet"
    export(report_db, "answers", out, "--campagne", "2024", "--reseau", BIG)
    answers = read_back(out)
    assert set(answers["campaign"]) == {2024} and set(answers["network"]) == {BIG}


@pytest.mark.parametrize(
    ("out", "extra", "message"),
    [
        ("x.xlsx", ["--format", "csv"], "--format csv contredit l'extension « .xlsx » de"),
        ("x.csv", ["--format", "parquet"], "--format parquet contredit l'extension « .csv » de"),
        (
            "x.xls",
            [],
            "extension « .xls » inconnue ; nommez-le en .csv, .xlsx ou .parquet, ou précisez --format",
        ),
        ("x", [], "fichier sans extension"),
        ("x.csv", ["--format", "json"], "format « json » inconnu : csv, xlsx ou parquet"),
    ],
)
def test_a_format_that_contradicts_the_extension_is_refused(report_db, tmp_path, out, extra, message):
    target = tmp_path / out
    result = invoke_cli("export", "scores", "--db", report_db, "--out", target, *extra)
    assert result.exit_code == 1
    assert message in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written, no partial file


def test_format_option_with_a_neutral_extension(report_db, tmp_path):
    out = tmp_path / "scores.txt"
    export(report_db, "scores", out, "--format", "csv")
    assert out.read_text(encoding="utf-8").startswith("campagne,code_structure,level")


def test_unknown_network_names_the_close_match(report_db, tmp_path):
    result = invoke_cli(
        "export",
        "answers",
        "--db",
        report_db,
        "--out",
        tmp_path / "a.csv",
        "--network",
        "Universites et ecoles",
    )
    assert result.exit_code == 1
    assert (
        "réseau « Universites et ecoles » absent de la base (vouliez-vous dire « Universités et écoles » ?)"
        in result.stderr
    )
    assert list(tmp_path.iterdir()) == []


FORMULAS = ['=HYPERLINK("http://x")', "@SUM(A1)", "+33 6", "-2", "\t=1", "\r=1"]


@pytest.fixture(scope="module")
def formula_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formulas")
    rows = [
        mb.row(code, E1_points_forts=f"=1+{i}", nom_structure=code) for i, code in enumerate(FORMULAS[:4])
    ]
    export_file = folder / "codes.csv"
    export_file.write_bytes(mb.csv_bytes(mb.HEADER, [*rows, mb.row("STR-24")]))
    db = folder / "autodiag.duckdb"
    assert invoke_cli("ingest", export_file, "--db", db).exit_code == 0
    return db


@pytest.mark.parametrize("dataset", ["scores", "answers", "verbatims"])
@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_text_cells_are_neutralised_in_csv_and_xlsx(formula_db, tmp_path, dataset, ext):
    out = tmp_path / f"{dataset}.{ext}"
    export(formula_db, dataset, out)
    frame = (
        pd.read_excel(out, engine="calamine", dtype=str)
        if ext == "xlsx"
        else pd.read_csv(out, dtype=str, keep_default_na=False)
    )
    texts = [v for column in frame.columns for v in frame[column].dropna() if isinstance(v, str)]
    assert texts and all(not v or v[0] not in "=+-@\t\r" for v in texts)
    code_column = "code_structure" if dataset == "scores" else "code"
    assert {"'" + c for c in FORMULAS[:4]} <= set(frame[code_column])
    if dataset == "verbatims":
        assert "'=1+0" in set(frame["text"])
    if ext == "xlsx":
        sheet = zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet  # no formula cell at all


def test_parquet_keeps_values_as_typed(formula_db, tmp_path):
    out = tmp_path / "verbatims.parquet"
    export(formula_db, "verbatims", out)
    assert "=1+0" in set(read_back(out)["text"])


def test_xlsx_refuses_more_rows_than_a_sheet_holds(report_db, tmp_path, monkeypatch):
    from autodiag.exports import files as export_files

    monkeypatch.setattr(export_files, "XLSX_MAX_ROWS", 100)
    result = invoke_cli("export", "answers", "--db", report_db, "--out", tmp_path / "a.xlsx")
    assert result.exit_code == 1
    assert (
        "lignes : plus qu'une feuille XLSX n'en contient (99 au plus). Restreignez l'export (--campagne, --reseau)"
        in result.stderr
    )
    assert "écrivez en CSV ou Parquet" in result.stderr
    assert list(tmp_path.iterdir()) == []
