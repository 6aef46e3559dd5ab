"""Answer-quality flags (autodiag.analysis.quality, sql/marts/quality_*.sql): each rule fires on a
hand-made case and stays silent on its near miss; the CLI (`check --qualite`) and the network
report show them. The demo holds no straight-lining and no unusual share (its generator
draws neither), so those two rules are tested on the hand-made exports below only."""

from __future__ import annotations

import csv
import re
import statistics
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from autodiag.analysis import quality
from autodiag.api import Autodiag, NativeAutodiag
from autodiag.ingest.columns import IDENTITY_COLUMNS, text_columns
from autodiag.ingest.loader import ingest
from autodiag.paths import sql_text
from autodiag.referentiel.questionnaires import ReferentielError, load_all
from autodiag.reports import network

from .ingest_helpers import invoke_cli
from .report_html import tables

QUESTIONNAIRES = load_all()
Q2024 = QUESTIONNAIRES["2024"]
Q2021 = QUESTIONNAIRES["2021"]
SCALE_2024 = [q.question_id for q in Q2024 if q.kind == "scale"]
NET, SMALL = "Réseau qualité", "Petit réseau qualité"
# Multiple choices ticked so that no contradiction pair fires on the base answers.
MULTI = {
    "E2_Q01": "Accueil physique|Téléphone|Courriel",
    "E7_Q01": "Enquête de satisfaction",
    "E8_Q01": "Réduction des consommations d'énergie|Tri et réduction des déchets|Achats durables",
    "E9_Q01": "Réduction des consommations d'énergie|Tri et réduction des déchets|Achats durables",
}


def answers(questions, **overrides) -> dict[str, str]:
    """Varied answers (Partiellement / Initié in turn: no straight-lining, no pair with « Oui »,
    no N/A, nothing empty), then ``overrides``."""
    out = {}
    for i, q in enumerate(questions):
        out[q.question_id] = MULTI[q.question_id] if q.kind == "multi" else ("Partiellement", "Initié")[i % 2]
    out.update(overrides)
    return out


def engagement(questions, e: int, *labels: str) -> dict[str, str]:
    """The scale questions of engagement ``e``, answered ``labels`` in turn."""
    ids = [q.question_id for q in questions if q.engagement == e and q.kind == "scale"]
    return {qid: labels[i % len(labels)] for i, qid in enumerate(ids)}


def row(code: str, network: str, campaign: int, answered: dict[str, str]) -> dict[str, str]:
    return {
        "code_structure": code,
        "nom_structure": f"Structure {code}",
        "reseau": network,
        "typologie": "Essai",
        "localisation": "75000",
        "campagne": str(campaign),
        "date_enregistrement": f"02/05/{campaign} 10:00:00",
        "nb_agents_contributeurs": "3",
        "nb_agents_interaction": "20",
        **answered,
    }


def write(path: Path, questions, rows: list[dict]) -> Path:
    engagements = sorted({q.engagement for q in questions})
    header = [*IDENTITY_COLUMNS, *(q.question_id for q in questions), *text_columns(engagements)]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, delimiter=";", restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def na(n: int) -> dict[str, str]:
    return {qid: "Non applicable" for qid in SCALE_2024[:n]}


def empty(n: int) -> dict[str, str]:
    return {qid: "" for qid in SCALE_2024[-n:]}


ALL_YES = {qid: "Oui" for qid in SCALE_2024}
CASES_2024 = {
    "Q-01": answers(Q2024, **ALL_YES),  # straight-lining: 80 × « Oui »
    "Q-02": answers(Q2024, **{**ALL_YES, "E5_Q03": "Partiellement"}),  # near miss: one answer differs
    "Q-03": answers(Q2024, **na(20)),  # 20 N/A of 83: 24,1 %, over the network's fence
    "Q-04": answers(Q2024, **na(9)),  # 9 N/A: 10,8 %, over median + 10 but under Q3 + 1,5 IQR
    "Q-05": answers(Q2024, **empty(15), **engagement(Q2024, 4, "Partiellement")),  # 15 empty: 18,1 %; E4 jump
    "Q-06": answers(
        Q2024,
        **empty(8),
        E6_Q02="Oui",
        E6_Q01="Non",
        E2_Q03="Oui",
        E2_Q01="Accueil physique|Courriel",
        E7_Q02="Oui",
        E7_Q01="Aucun",
    ),  # 8 empty (9,6 %: near miss); three contradictions
    "Q-07": answers(
        Q2024,
        E6_Q02="Oui",
        E6_Q01="Initié",
        E2_Q04="Oui",
        E2_Q01="Formulaire en ligne",
        E7_Q02="Oui",
        E7_Q01="",
        **engagement(
            Q2024,
            4,
            "Partiellement",
            "Partiellement",
            "Partiellement",
            "Partiellement",
            "Partiellement",
            "Non",
        ),
    ),  # near misses
}
CASES_2023 = {
    "Q-05": answers(Q2024, **engagement(Q2024, 4, "Non")),  # E4 0 % -> 75 % in 2024: +75 pts
    "Q-07": answers(Q2024, **engagement(Q2024, 4, "Initié")),  # E4 25 % -> 62,5 %: +37,5 pts, a near miss
    **{code: CASES_2024[code] for code in ("Q-02", "Q-03", "Q-04", "Q-06")},  # unchanged: no jump
}


@pytest.fixture(scope="module")
def quality_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quality")
    exports = folder / "exports"
    exports.mkdir()
    write(
        exports / "q-2024.csv",
        Q2024,
        [row(c, NET, 2024, a) for c, a in CASES_2024.items()]
        + [row("Q-21", SMALL, 2024, answers(Q2024, **na(30))), row("Q-22", SMALL, 2024, answers(Q2024))],
    )
    write(
        exports / "q-2023.csv",
        Q2024,
        [row(c, NET, 2023, a) for c, a in CASES_2023.items()]
        # across questionnaires: E6 (2021 E6, identique) 0 -> 100 %; E8 continues 2021 E9 (proche), not 2021 E8
        + [
            row(
                "Q-31",
                NET,
                2023,
                answers(Q2024, **engagement(Q2024, 6, "Oui"), **engagement(Q2024, 8, "Oui")),
            )
        ],
    )
    write(
        exports / "q-2022.csv",
        Q2021,
        [
            row(
                "Q-31",
                NET,
                2022,
                answers(
                    Q2021,
                    **engagement(Q2021, 6, "Non"),
                    **engagement(Q2021, 8, "Non"),
                    **engagement(Q2021, 9, "Oui", "Partiellement"),
                ),
            )
        ],
    )
    db = folder / "quality.duckdb"
    report = ingest(db, [exports])
    assert report.ok, [o.problems for o in report.outcomes]
    return db


def _flags(db: Path, campaign: int | None = None, network_name: str | None = None):
    with NativeAutodiag(db) as reader:
        return reader.answer_flags(campaign, network_name)


def _of(frame, kind: str) -> dict:
    rows = frame[frame["flag"] == kind]
    return {
        (r.code_structure, None if pd.isna(r.engagement) else int(r.engagement)): r
        for r in rows.itertuples(index=False)
    }


def test_straight_lining_fires_on_one_answer_everywhere_only(quality_db):
    found = _of(_flags(quality_db, 2024), "straight_lining")
    assert set(found) == {("Q-01", None)}  # one answer of 80 differs
    flag = found[("Q-01", None)]
    assert (flag.value, flag.threshold) == (80, quality.MIN_ANSWERED)
    assert flag.detail == "les 80 questions à échelle répondues ont toutes la réponse « Oui »"


def test_straight_lining_needs_enough_answered_questions(quality_db):
    con = duckdb.connect(str(quality_db), read_only=True)
    query = sql_text("marts/quality_straight_lining")
    codes = [
        r[2] for r in con.execute(query, {"campagne": 2024, "reseau": NET, "min_answered": 80}).fetchall()
    ]
    fewer = [
        r[2] for r in con.execute(query, {"campagne": 2024, "reseau": NET, "min_answered": 81}).fetchall()
    ]
    con.close()
    assert codes == ["Q-01"] and fewer == []


def test_jumps_over_40_points_within_a_questionnaire(quality_db):
    found = _of(_flags(quality_db, 2024, NET), "jump")
    assert set(found) == {("Q-05", 4)}  # +37,5 pts
    flag = found[("Q-05", 4)]
    assert flag.value == pytest.approx(75.0) and flag.threshold == quality.MAX_JUMP
    assert flag.detail == "E4 : 0,0 % en 2023, 75,0 % en 2024"


def test_jumps_across_questionnaires_follow_the_crosswalk(quality_db):
    found = _of(_flags(quality_db, 2023, NET), "jump")
    # E6 is linked « identique »: 0 -> 100 %. E8 (environment) continues 2021's E9 (87,5 %), not
    # 2021's E8 (agents' skills, 0 %): +12,5 pts, no flag.
    assert set(found) == {("Q-31", 6)}
    assert found[("Q-31", 6)].value == pytest.approx(100.0)
    assert found[("Q-31", 6)].detail == "E6 : 0,0 % en 2022, 100,0 % en 2023"


def _threshold(shares: list[float], gap: float = quality.MIN_GAP) -> float:
    """max(Q3 + 1,5 × IQR, median + gap), quartiles interpolated like DuckDB's quantile_cont."""
    q1, median, q3 = statistics.quantiles(shares, n=4, method="inclusive")
    return max(q3 + 1.5 * (q3 - q1), median + gap)


def test_unusual_shares_against_the_network_fence(quality_db):
    frame = _flags(quality_db, 2024)
    na_flags, empty_flags = _of(frame, "not_applicable_share"), _of(frame, "missing_share")
    # The network's shares of N/A: 0 (×5), 9 and 20 of 83 -> median 0, fence 13,6 %.
    assert set(na_flags) == {("Q-03", None), ("Q-21", None)}  # not Q-04 (10,8 %)
    assert na_flags[("Q-03", None)].value == pytest.approx(100 * 20 / 83)
    assert na_flags[("Q-03", None)].threshold == pytest.approx(
        _threshold([0, 0, 0, 0, 0, 900 / 83, 2000 / 83])
    )
    assert "médiane du réseau : 0,0 %" in na_flags[("Q-03", None)].detail
    # Empty answers: 0 (×4), 1 (Q-07's empty multiple choice), 8 and 15 of 83.
    assert set(empty_flags) == {("Q-05", None)}  # not Q-06 (9,6 %)
    assert empty_flags[("Q-05", None)].threshold == pytest.approx(
        _threshold([0, 0, 0, 0, 100 / 83, 800 / 83, 1500 / 83])
    )
    assert empty_flags[("Q-05", None)].detail.startswith("15 réponse(s) vide(s) sur 83 questions")


def test_unusual_shares_need_a_gap_over_the_median(quality_db):
    """Q-05's 18,1 % empty answers: over median + 15 points, not over median + 20."""
    con = duckdb.connect(str(quality_db), read_only=True)
    query = sql_text("marts/quality_shares")

    def flagged(gap: float) -> list[tuple]:
        rows = con.execute(
            query, {"campagne": 2024, "reseau": NET, "min_gap": gap, "min_network": 5}
        ).fetchall()
        return [(r[2], r[4], round(r[7], 6)) for r in rows if r[4] == "missing_share"]

    assert flagged(15.0) == [("Q-05", "missing_share", 15.0)]
    assert flagged(20.0) == []
    con.close()


def test_a_small_network_is_compared_with_the_whole_campaign(quality_db):
    flag = _of(_flags(quality_db, 2024, SMALL), "not_applicable_share")[("Q-21", None)]
    # 9 submissions in 2024: 0 (×6), 10,8, 24,1, 36,1 % -> Q3 10,8, fence 10,8 + 1,5 × 10,8.
    assert flag.threshold == pytest.approx(2.5 * 100 * 9 / 83)
    assert "médiane nationale (réseau de moins de 5 soumissions)" in flag.detail


def test_contradictions_fire_on_the_pairs_only(quality_db):
    found = _flags(quality_db, 2024)
    found = found[found["flag"] == "contradiction"]
    assert sorted(found["code_structure"]) == ["Q-06"] * 3  # near misses only
    assert sorted(found["detail"]) == [
        "E2_Q03 « Oui », E2_Q01 « Accueil physique, Courriel » : joignable par téléphone, mais le téléphone n'est "
        "pas coché parmi les canaux proposés",
        "E6_Q02 « Oui », E6_Q01 « Non » : des indicateurs mesurés à la fréquence prévue sont des indicateurs mesurés",
        "E7_Q02 « Oui », E7_Q01 « Aucun » : avis et réclamations analysés régulièrement, mais aucun dispositif "
        "d'écoute coché",
    ]
    assert sorted(found["engagement"]) == [2, 6, 7]


def test_the_pairs_file_is_checked_against_the_questionnaires(tmp_path):
    pairs = quality.load_pairs(QUESTIONNAIRES)
    assert {p.version for p in pairs} == {"2021", "2024"} and len(pairs) >= 10
    header = "version;question;reponse;question_liee;reponse_liee;raison;source\n"
    for bad, words in [
        ("2024;E6_Q02;Oui;E6_Q99;Non;r;s", "E6_Q99"),
        ("2024;E6_Q02;Toujours;E6_Q01;Non;r;s", "reponse"),
        ("2024;E2_Q03;Oui;E2_Q01;non coché : Pigeon voyageur;r;s", "Pigeon voyageur"),
        ("2024;E6_Q02;Oui;E6_Q01;Non;;s", "raison"),
    ]:
        path = tmp_path / "contradictions.csv"
        path.write_text(header + bad + "\n", encoding="utf-8")
        with pytest.raises(ReferentielError, match=re.escape(words)):
            quality.load_pairs(QUESTIONNAIRES, path)


def test_api_names_columns_in_english_and_checks_filters(quality_db):
    with Autodiag(quality_db) as db:
        frame = db.answer_flags(2024, NET)
        assert list(frame.columns) == [
            "campaign",
            "network",
            "code",
            "name",
            "flag",
            "engagement",
            "value",
            "threshold",
            "detail",
        ]
        assert set(frame["network"]) == {NET}
        with pytest.raises(LookupError, match="vouliez-vous dire"):
            db.answer_flags(2024, "Reseau qualite")


def test_check_quality_lists_flags_as_warnings(quality_db, tmp_path):
    out = tmp_path / "qualite.csv"
    result = invoke_cli("check", "--base", quality_db, "--qualite", "--campagne", "2024", "--rapport", out)
    assert result.exit_code == 0, result.output  # warnings, not integrity failures
    text = result.stdout
    assert "Qualité des réponses (campagne 2024) : 8 réponse(s) à revoir" in text
    assert "! Réponses identiques : 1 —" in text and "! Contradiction : 3 —" in text
    assert (
        "2024 Q-05 (Structure Q-05, Réseau qualité) : E4 : 0,0 % en 2023, 75,0 % en 2024 — +75,0 pts (seuil ± 40 pts)"
        in text
    )
    assert f"Liste complète (8 réponse(s) à revoir) : {out}" in text
    with out.open(encoding="utf-8-sig") as f:
        lines = list(csv.DictReader(f, delimiter=";"))
    assert (
        len(lines) == 8 and lines[0]["signalement"] == "Réponses identiques" and lines[0]["valeur"] == "80,0"
    )


def test_check_quality_output_is_bounded_and_writes_the_full_list(demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    result = invoke_cli("check", "--base", db, "--quality")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Qualité des réponses"))
    shown = lines[start:]
    assert len(shown) <= 50
    total = int(re.search(r"Qualité des réponses : (\d+) réponse", shown[0])[1])
    listed = sum(1 for line in shown if line.startswith("    ") and not line.strip().startswith("…"))
    assert total > listed  # the terminal shows part of them...
    path = db.with_name("demo-qualite.csv")
    assert (
        f"Liste complète ({total} réponse(s) à revoir) : {path}" in result.stdout
    )  # ...the file all of them
    with path.open(encoding="utf-8-sig") as f:
        assert sum(1 for _ in csv.DictReader(f, delimiter=";")) == total


def test_check_filters_need_the_quality_option(quality_db):
    result = invoke_cli("check", "--base", quality_db, "--campagne", "2024")
    assert result.exit_code == 1 and "ne s'emploient qu'avec --qualite" in result.stderr


def test_network_report_section_matches_the_flags(quality_db):
    with NativeAutodiag(quality_db) as db:
        page = network.build(db, 2024, NET).to_html()
        small = network.build(db, 2024, SMALL).to_html()
    assert "<h3>Qualité des réponses : structures à revoir</h3>" in page
    found = tables(page)
    summary = next(t for t in found if t[0][:3] == ["Signalement", "Réponses à revoir", "Structures"])
    assert [r[:3] for r in summary[1:]] == [
        ["Réponses identiques", "1", "1"],
        ["Saut improbable", "1", "1"],
        ["Part inhabituelle de « non applicable »", "1", "1"],
        ["Part inhabituelle de réponses vides", "1", "1"],
        ["Contradiction", "3", "1"],
    ]
    detail = next(t for t in found if t[0][:4] == ["Code", "Structure", "Signalement", "Engagement"])
    assert [r[0] for r in detail[1:]] == ["Q-01", "Q-05", "Q-03", "Q-05", "Q-06", "Q-06", "Q-06"]
    jump = next(r for r in detail[1:] if r[2] == "Saut improbable")
    assert jump[3:6] == ["E4", "+75,0 pts", "± 40 pts"]
    assert "Q-21" not in page and "Q-21" in small  # only the network's own structures


def test_network_report_section_on_the_demo_matches_the_sql(demo_db):
    campaign, name = 2024, "Universités et écoles"
    with NativeAutodiag(demo_db) as db:
        flags = db.answer_flags(campaign, name)
        page = network.build(db, campaign, name).to_html()
        others = db.answer_flags(campaign)
    assert len(flags) > 0 and set(flags["reseau"]) == {name}
    summary = next(t for t in tables(page) if t[0][:3] == ["Signalement", "Réponses à revoir", "Structures"])
    counts = quality.counts(flags)
    assert [int(r[1]) for r in summary[1:]] == [counts[k] for k in quality.KINDS]
    detail = next(t for t in tables(page) if t[0][:4] == ["Code", "Structure", "Signalement", "Engagement"])
    assert sorted(r[0] for r in detail[1:]) == sorted(flags["code_structure"])
    for code in set(others["code_structure"]) - set(flags["code_structure"]):
        assert f">{code}<" not in page  # another network's flagged structure


def test_network_page_key_covers_every_earlier_campaign():
    """A jump compares with the structure's most recent earlier campaign, whichever year: a
    change two campaigns back changes the network page's key."""
    from autodiag.reports.provenance import Inputs, Source, network_page

    def source(campaign, code, sha):
        return Source(campaign, "A", code, code, "2024", sha, f"{sha}.csv")

    def key(sources):
        inputs = Inputs(sources, {"2024": "q"})
        return network_page(inputs, 2024, "A").key(inputs, {})

    base = [source(2024, "S1", "a"), source(2023, "S2", "b"), source(2022, "S1", "c")]
    assert key([*base[:2], source(2022, "S1", "c-bis")]) != key(base)


def test_the_seed_structure_is_not_flagged_for_results_without_the_common_indicators(seeded):
    # STR-24 (2024, real export) analyses its results in team (E6_Q05 « Oui ») without measuring
    # the programme's common indicators (E6_Q01 « Non »): other indicators exist, no contradiction.
    with Autodiag(seeded) as db:
        flags = db.answer_flags()
    assert flags.empty or not (flags["code"] == "STR-24").any()
    pairs = {(p.question, p.other) for p in quality.load_pairs(load_all()) if p.version == "2024"}
    assert ("E6_Q02", "E6_Q01") in pairs and not {("E6_Q03", "E6_Q01"), ("E6_Q05", "E6_Q01")} & pairs


def test_only_network_pages_depend_on_the_contradiction_pairs(monkeypatch):
    # Network pages alone show the flags: editing the pairs re-renders them, not the whole site.
    from autodiag.reports import provenance
    from autodiag.reports.provenance import (
        Inputs,
        Source,
        dashboard_page,
        network_page,
        structure_page,
        trends_page,
    )

    inputs = Inputs([Source(2024, "A", "S1", "S1", "2024", "a", "a.csv")], {"2024": "q"})
    pages = [
        network_page(inputs, 2024, "A"),
        structure_page(inputs, 2024, "S1"),
        trends_page(inputs, "A"),
        dashboard_page(inputs),
    ]
    before = [p.key(inputs, {}) for p in pages]
    monkeypatch.setattr(provenance, "contradictions_digest", lambda: "other pairs")
    after = [p.key(inputs, {}) for p in pages]
    assert before[0] != after[0] and before[1:] == after[1:]


def test_the_build_reads_the_flags_once_per_campaign_and_each_network_keeps_its_own(demo_db):
    from autodiag.reports.build import shared_reader

    shared = shared_reader(demo_db)
    try:
        with NativeAutodiag(demo_db) as db:
            campaigns = db.campaigns()
            for campaign in campaigns:
                for name in db.networks():
                    own = db.answer_flags(campaign=campaign, network=name)
                    pd.testing.assert_frame_equal(
                        shared.answer_flags(campaign=campaign, network=name), own, check_dtype=False
                    )  # an empty frame has no string dtype
        assert set(shared.flags) == set(campaigns) and any(not f.empty for f in shared.flags.values())
    finally:
        shared.close()
