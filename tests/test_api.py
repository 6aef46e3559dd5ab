"""The researcher's API: one language for column names, rates on one scale, answers and
codebook frames that agree with the scores, filters that match nothing told with close
matches, codes in any case."""

from __future__ import annotations

import pandas as pd
import pytest

from autodiag.api import COLUMN_NAMES, Autodiag, NativeAutodiag

from .ingest_helpers import invoke_cli
from .report_fixtures import BIG, SMALL


@pytest.fixture(scope="module")
def db(report_db):
    with Autodiag(report_db) as reader:
        yield reader


def frames(db: Autodiag) -> dict[str, pd.DataFrame]:
    return {
        "submissions": db.submissions(),
        "referentiel": db.referentiel(),
        "scores": db.scores(),
        "global_scores": db.global_scores(2024),
        "network_summary": db.network_summary(),
        "answers": db.answers(2024),
        "answer_quality": db.answer_quality(),
        "free_texts": db.free_texts(),
        "codebook": db.codebook(),
    }


def test_every_frame_names_its_columns_in_english(db):
    french = set(COLUMN_NAMES)
    for name, frame in frames(db).items():
        assert not frame.empty, name
        assert not french & set(frame.columns), (name, french & set(frame.columns))
    assert {"campaign", "network", "code", "name"} <= set(db.scores().columns)
    assert {"campaign", "network", "code"} <= set(db.answers().columns) & set(db.free_texts().columns)


def test_every_frame_of_units_carries_the_questionnaire_version(db):
    # An engagement number means something else in another questionnaire version.
    for name, frame in frames(db).items():
        if {"engagement", "unit"} & set(frame.columns):
            units = (
                frame[frame["engagement"].notna()] if name == "codebook" else frame
            )  # column entries: no version
            assert "version" in frame.columns and not units.empty and units["version"].notna().all(), name
    summary = db.network_summary()
    assert not summary.duplicated(["campaign", "network", "version", "level", "unit"]).any()


def test_shares_are_percentages_like_the_rates(db):
    summary = db.network_summary(2024)
    row = summary[(summary.network == BIG) & (summary.level == "global")].iloc[0]
    rates = db.global_scores(2024, network=BIG)["rate"].dropna()
    assert row["pct_below_50"] == pytest.approx(100 * (rates < 50).mean())
    assert summary["pct_below_50"].dropna().between(0, 100).all()
    assert (summary["pct_below_50"].dropna() > 1).any()  # not a 0-1 share
    assert "share_below_50" not in summary.columns


def test_answers_give_back_every_engagement_rate(db):
    answers = db.answers()
    applicable = answers[answers.applicable]
    by_engagement = applicable.groupby(["campaign", "code", "engagement"]).agg(
        points=("points", "sum"), n=("points", "size")
    )
    engagements = db.engagement_scores().set_index(["campaign", "code", "engagement"])
    joined = engagements.join(by_engagement, how="left", suffixes=("_x", "_y"))
    assert len(joined) == len(engagements) > 0
    assert (joined["points_x"] - joined["points_y"].fillna(0)).abs().max() < 1e-9
    assert (joined["applicable"] == joined["n"].fillna(0)).all()
    assert answers.loc[~answers.applicable, "points"].isna().all()


def test_codebook_has_every_question_of_every_version(db):
    book = db.codebook()
    questions = book[book.entry == "question"]
    assert len(questions) == len(db.referentiel())
    assert questions["label"].notna().all() and questions["answers"].notna().all()
    only = db.codebook("2024")
    expected = book[(book.entry != "question") | (book.version == "2024")]
    assert only["name"].tolist() == expected["name"].tolist()
    assert set(questions["version"]) == {"2021", "2024"}
    with pytest.raises(LookupError, match="version « 2042 » du questionnaire absente de la base"):
        db.codebook("2042")


def test_codes_match_whatever_their_case(db):
    lower = db.scores(2024, code="str-24")
    assert len(lower) > 0 and set(lower["code"]) == {"STR-24"}
    assert lower.equals(db.scores(2024, code="STR-24"))
    assert len(db.answers(2024, code=" Str-24 ")) == 83


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda db: db.scores(network="Universites et ecoles"),
            "réseau « Universites et ecoles » absent de la base (vouliez-vous dire « Universités et écoles » ?)",
        ),
        (lambda db: db.answers(2024, network="Petit reseau"), "(vouliez-vous dire « Petit réseau » ?)"),
        (
            lambda db: db.scores(code="STR-2A"),
            "structure « STR-2A » absente de la base (vouliez-vous dire « STR-24 »",
        ),
        (
            lambda db: db.free_texts(code="zzz"),
            "structure « zzz » absente de la base (codes : STR-24 ; STR-901",
        ),
        (
            lambda db: db.scores(2023, code="STR-903"),
            "aucune soumission de STR-903 en 2023 (campagnes de STR-903 : 2024)",
        ),
        (
            lambda db: db.global_scores(2031),
            "campagne 2031 absente de la base (campagnes chargées : 2023, 2024)",
        ),
        (lambda db: db.network_summary(2031), "campagne 2031 absente de la base"),
    ],
)
def test_a_filter_that_matches_nothing_is_an_error_naming_close_matches(db, call, message):
    with pytest.raises(LookupError) as raised:
        call(db)
    assert message in str(raised.value)


def test_the_reports_reader_keeps_the_database_names_and_empty_frames(report_db):
    with NativeAutodiag(report_db) as native:
        assert {"campagne", "reseau", "code_structure"} <= set(native.scores(2024).columns)
        assert native.scores(2023, network=SMALL, code="STR-982").empty  # asked by reports, not an error


def test_show_takes_a_code_in_any_case(report_db):
    result = invoke_cli("show", "str-24", "--campagne", "2024", "--db", report_db)
    assert result.exit_code == 0, result.output
    assert "55,6 %" in result.stdout and "STR-24" in result.stdout
    wrong = invoke_cli("show", "STR-2A", "--db", report_db)
    assert wrong.exit_code == 1
    assert "structure « STR-2A » absente de la base (vouliez-vous dire « STR-24 »" in wrong.stderr
