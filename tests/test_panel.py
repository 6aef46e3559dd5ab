"""Changes between campaigns on the same structures (balanced panel), on the report fixture
(a structure absent one year) and on the demo."""

from __future__ import annotations

import pytest

from autodiag import formatting as fmt
from autodiag.api import NativeAutodiag as Autodiag  # the database's column names, as the reports read them
from autodiag.reports import network, trends

from .report_fixtures import BIG
from .report_html import tables


def _rate(text: str) -> float:
    return float(text.split(" %")[0].replace(",", "."))


def _change_table(page: str) -> list[list[str]]:
    return next(
        t
        for t in tables(page)
        if t[0][:5] == ["Engagement", "Moyenne 2023", "Moyenne 2024", "Évolution", "Structures comparées"]
    )


def test_a_structure_absent_one_year_is_left_out_of_the_change(report_db):
    # BIG: STR-24, STR-901 and STR-902 answered in 2023 and 2024, STR-903 only in 2024.
    with Autodiag(report_db) as db:
        rows = db.panel_summary([2023, 2024], BIG)
        scores = db.global_scores(network=BIG)
        page = network.build(db, 2024, BIG, min_group_size=3).to_html()
        hidden = network.build(db, 2024, BIG, min_group_size=4).to_html()
    assert set(rows["n_panel"]) == {3}
    panel_global = rows[rows["level"] == "global"].set_index("campagne")["mean"]
    both = scores[scores["code_structure"].isin(["STR-24", "STR-901", "STR-902"])]
    expected = both.groupby("campagne")["rate"].mean()
    assert panel_global[2023] == pytest.approx(expected[2023]) and panel_global[2024] == pytest.approx(
        expected[2024]
    )
    everyone_2024 = scores[scores["campagne"] == 2024]["rate"].mean()
    assert everyone_2024 != pytest.approx(expected[2024])  # STR-903 moves the level, not the change

    assert "sur les 3 structures présentes en 2023 et 2024" in page
    change = _change_table(page)
    glob = next(row for row in change if row[0] == "Global")
    assert _rate(glob[1]) == pytest.approx(expected[2023], abs=0.05)
    assert _rate(glob[2]) == pytest.approx(expected[2024], abs=0.05)
    assert glob[3] == f"{expected[2024] - expected[2023]:+.1f} pts".replace(".", ",")
    assert glob[4] == "3"
    # The all-respondents level is shown as a level beside it (4 structures in 2024).
    assert _rate(glob[6]) == pytest.approx(everyone_2024, abs=0.05)
    # Below the confidentiality threshold the change is masked, the count still said.
    glob = next(row for row in _change_table(hidden) if row[0] == "Global")
    assert glob[1:4] == ["masqué", "masqué", "masqué"]


def test_trends_offer_both_series_with_counts(report_db):
    with Autodiag(report_db) as db:
        page = trends.build(db, BIG, min_group_size=3).to_html()
    found = tables(page)
    participation = found[0]
    assert participation[0][4:] == [
        "Taux global moyen, mêmes structures (3)",
        "Questions applicables, tous répondants",
    ]
    assert all(row[5].endswith("vides") or row[5].endswith("vide") for row in participation[1:])
    assert [row[2] for row in participation[1:]] == ["3", "4"]
    everyone, same = [t for t in found if t[0][0] == "Engagement"][:2]
    assert everyone[1][2].endswith("(3)") and everyone[1][3].endswith("(4)")  # each point: its structures
    assert same[1][2].endswith("(3)") and same[1][3].endswith("(3)")
    assert everyone[0][-1] == same[0][-1] == "Comparabilité"
    assert "mêmes structures à chaque campagne (3)" in page


def test_demo_universities_change_is_read_on_the_same_31_structures(demo_db):
    with Autodiag(demo_db) as db:
        page = network.build(db, 2024, "Universités et écoles").to_html()
    assert "sur les 31 structures présentes en 2023 et 2024" in page
    change = _change_table(page)
    glob = next(row for row in change if row[0] == "Global")
    e1 = next(row for row in change if row[0] == "E1")
    assert glob[3:5] == ["+7,0 pts", "31"]
    assert glob[5:7] == ["50,3 %", "60,9 %"]  # the levels of all respondents (32 and 40 structures)
    assert e1[1:4] == ["76,3 %", "80,6 %", "+4,3 pts"] and e1[5:7] == ["75,1 %", "82,8 %"]


def test_str_185_2025_is_compared_with_its_2023_result(demo_db):
    from autodiag.reports import structure

    with Autodiag(demo_db) as db:
        page = structure.build(db, 2025, "STR-185").to_html()
        history = db.structure_history("STR-185")
        changes = db.rate_changes("STR-185", 2023, 2025)
    assert sorted(set(history["campagne"])) == [2022, 2023, 2025]
    assert dict(history[history["level"] == "global"][["campagne", "version"]].values) == {
        2022: "2021",
        2023: "2024",
        2025: "2024",
    }
    assert "pas de comparaison possible" not in page
    assert (
        "Comparaison avec 2023, la dernière campagne à laquelle la structure a répondu (pas de résultat en 2024)"
        in page
    )
    found = tables(page)
    old, hist = [t for t in found if t[0][:3] == ["Campagne", "Questionnaire", "Global"]]
    assert len(old[0]) == 3 + 9 and [row[:2] for row in old[1:]] == [["2022", "2021"]]
    assert [row[:3] for row in hist[1:]] == [["2023", "2024", "53,6 %"], ["2025", "2024", "57,9 %"]]
    compare = next(t for t in found if t[0][-1] == "Comparabilité" and t[0][0] == "Engagement")
    assert compare[1][:4] == ["Global", "53,6 %", "57,9 %", "+4,3 pts"]
    # The decomposition adds up to the change, and the page shows it with its waterfall.
    parts = changes["answers"] + changes["applicability"] + changes["questionnaire"]
    assert (parts - changes["change"]).abs().max() < 1e-9
    assert list(changes["version_avant"].unique()) == ["2024"] and len(changes) == 8
    # Same questionnaire: the global change is the mean of the engagements' (the waterfall's steps).
    assert (changes["change"].mean() - (57.925712 - 53.644666)) == pytest.approx(0, abs=1e-5)
    assert "Évolution du taux global de 2023 à 2025, en trois parts" in page  # the waterfall
    why = next(t for t in found if t[0][:4] == ["Engagement", "Taux 2023", "Taux 2025", "Évolution"])
    assert why[1][:5] == ["E1", "89,6 %", "85,4 %", "-4,2 pts", "-4,2 pts"]


def test_a_structure_without_an_earlier_campaign_says_so(report_db):
    from autodiag.reports import structure

    with Autodiag(report_db) as db:
        page = structure.build(db, 2024, "STR-903").to_html()
        kept = structure.build(db, 2024, "STR-901").to_html()
    assert "Pas de résultat pour une campagne précédente : pas de comparaison possible." in page
    assert "Pourquoi vos taux ont changé" not in page and "Pourquoi vos taux ont changé" in kept
    hist = next(t for t in tables(page) if t[0][:3] == ["Campagne", "Questionnaire", "Global"])
    assert [row[0] for row in hist[1:]] == ["2024"]


# --- a hand-made version change: STR-24 in 2022 (9-engagement questionnaire), 2024 and 2025 ------
@pytest.fixture(scope="module")
def change_db(tmp_path_factory):
    """STR-24: 2022 on the 9-engagement questionnaire (old E5 « délais » all « Oui », everything
    else « Partiellement »), the seed 2024, and 2025 with E6_Q05 turned « non applicable »."""
    from autodiag.ingest.loader import ingest
    from autodiag.referentiel import questionnaires

    from .test_change import _seed_row, _write

    tmp = tmp_path_factory.mktemp("versions")
    seed = _seed_row()
    later = {
        **seed,
        "campagne": "2025",
        "date_enregistrement": "12/05/2025 10:00:00",
        "E6_Q01": "Oui",
        **{f"E6_Q0{i}": "Non applicable" for i in range(2, 6)},
    }
    older = {
        **{k: seed[k] for k in list(seed)[:9]},
        "campagne": "2022",
        "date_enregistrement": "12/05/2022 10:00:00",
    }
    for q in questionnaires.load_all()["2021"]:
        older[q.question_id] = (
            "Aucun" if q.kind == "multi" else "Oui" if q.engagement == 5 else "Partiellement"
        )
    from autodiag.paths import SEED_EXPORT

    path = tmp / "versions.duckdb"
    assert ingest(path, [SEED_EXPORT, _write(tmp / "2025.csv", later), _write(tmp / "2022.csv", older)]).ok
    return path


def test_a_version_change_is_crossed_only_through_the_crosswalk(change_db):
    from autodiag.reports import change_charts, structure

    with Autodiag(change_db) as db:
        page = structure.build(db, 2024, "STR-24").to_html()
        later = structure.build(db, 2025, "STR-24").to_html()
        trend = trends.build(db, BIG, min_group_size=1)
        split = db.rate_changes("STR-24", 2024, 2025)
        old = db.structure_history("STR-24")
    old = {r.unit: r.rate for r in old[old["campagne"] == 2022].itertuples()}
    found = tables(page)
    compare = next(t for t in found if t[0][0] == "Engagement" and t[0][-1] == "Comparabilité")
    rows = {row[0]: row for row in compare[1:]}
    assert compare[0][1:3] == ["Campagne 2022 (questionnaire 2021)", "Campagne 2024 (questionnaire 2024)"]
    assert rows["Global"][3] == "non comparable" and rows["E5"][3] == "non comparable"
    assert old["E5"] != old["E4"]
    assert rows["E4"][1] == fmt.rate(old["E5"]) and "ancien E5" in rows["E4"][4]  # délais: the old E5
    assert (
        rows["E8"][1] == fmt.rate(old["E9"]) and "ancien E9" in rows["E8"][4]
    )  # éco-responsables: the old E9
    assert "pas de graphique en cascade" in page and "Évolution du taux global de 2022 à 2024" not in page
    assert "Questionnaire 2021 (9 engagements)" in page and "Questionnaire 2024 (8 engagements)" in page
    # 2024 → 2025, same questionnaire: E6_Q05 turned « non applicable », E6_Q01 answered « Oui ».
    e6 = split[split["engagement"] == 6].iloc[0]
    assert e6["applicability"] != 0.0 and e6["answers"] != 0.0 and e6["questionnaire"] == 0.0
    assert e6["answers"] + e6["applicability"] + e6["questionnaire"] == pytest.approx(e6["change"], abs=1e-12)
    assert "Évolution du taux global de 2024 à 2025, en trois parts" in later
    # E6 in 2025 rests on 1 applicable question out of 5: recognisable at a glance.
    overview = next(t for t in tables(later) if t[0][0] == "Vision par engagement")
    assert overview[6][2] == "1 sur 5, 0 vide — peu de questions applicables"
    assert "E6 : peu de questions applicables" in later
    # The trend: a dashed break between 2022 and 2024, dotted joins only where a link exists.
    html = trend.to_html()
    assert "questionnaire 2021 → 2024" in html
    table_rows = {t[0][0]: t for t in tables(html) if t[0][0] == "Engagement" and t[0][-1] == "Comparabilité"}
    first = next(t for t in tables(html) if t[0][0] == "Engagement" and t[0][-1] == "Comparabilité")
    by = {row[0]: row for row in first[1:]}
    assert first[0][2:5] == ["2022", "2024", "2025"]
    assert by["E5"][2] == "--" and by["E5"][-1].startswith("non comparable")
    assert by["E4"][2] == f"{fmt.rate(old['E5'])} (1)" and by["E4"][-1].startswith(
        "proche (2021 → 2024, ancien E5)"
    )
    spec = change_charts.lines(
        [2022, 2024],
        {4: [75.0, 60.0], 5: [None, 50.0]},
        {4: [1, 1], 5: [0, 1]},
        {4: ["link"], 5: [None]},
        "t",
        [(1, "questionnaire 2021 → 2024")],
    )
    dashes = [t["line"]["dash"] for t in spec["data"] if t.get("mode") == "lines"]
    assert dashes == ["dot"]  # E4 joined through its link, E5 not joined at all
    assert spec["layout"]["shapes"][0]["x0"] == 0.5
    assert table_rows


def test_network_shows_coverage_and_na_counted_zero_beside_the_official_rule(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG).to_html()
        scores = db.engagement_scores(campaign=2024, network=BIG)
    vs = next(t for t in tables(page) if t[0][2:3] == ["Moyenne du réseau (règle officielle)"])
    assert vs[0][6:] == [
        "Questions applicables (réseau)",
        "Moyenne du réseau, N/A compté 0 (pour information)",
    ]
    e1 = scores[scores["unit"] == "E1"]
    official = e1["rate"].mean()
    na_zero = (100 * e1["points"].fillna(0) / e1["n_questions"]).mean()
    asked, applicable = e1["n_questions"].sum(), e1["applicable"].sum()
    assert na_zero < official
    assert vs[1][2] == fmt.rate(official) and vs[1][7] == fmt.rate(na_zero)
    assert vs[1][6].startswith(f"{fmt.number(100 * applicable / asked)} % applicables")
    assert "Règle officielle : les questions « non applicable » et les réponses vides sont exclues" in page
    heat = next(t for t in tables(page) if t[0][:3] == ["Code", "Structure", "Global"])
    assert heat[0][-1] == "Questions applicables (sur posées, vides)"
    assert all(" sur 83, " in row[-1] for row in heat[1:])


def test_demo_trends_show_the_9_to_8_break_with_the_crosswalk_links(demo_db):
    with Autodiag(demo_db) as db:
        report = trends.build(db)
    html = report.to_html()
    found = tables(html)
    participation = found[0]
    assert [row[:2] for row in participation[1:]] == [
        ["2021", "2021"],
        ["2022", "2021"],
        ["2023", "2024"],
        ["2024", "2024"],
        ["2025", "2024"],
    ]
    assert "questionnaire 2021 → 2024" in html and "il ne se compare pas d&#x27;un questionnaire" in html
    everyone = next(t for t in found if t[0][0] == "Engagement" and t[0][-1] == "Comparabilité")
    by = {row[0]: row for row in everyone[1:]}
    assert by["E5"][2:4] == ["--", "--"] and by["E5"][-1].startswith("non comparable (2021 → 2024)")
    assert by["E8"][-1].startswith("proche (2021 → 2024, ancien E9)")
    assert by["E4"][-1].startswith("proche (2021 → 2024, ancien E5)")
    assert by["E1"][-1].startswith("identique (2021 → 2024, ancien E1)")
    assert all(cell.endswith(")") for cell in by["E1"][2:7])  # every point with its count


def test_network_change_across_the_version_change_maps_engagements(demo_db):
    with Autodiag(demo_db) as db:
        page = network.build(db, 2023, "Universités et écoles").to_html()
    assert "sur les 28 structures présentes en 2022 et 2023" in page
    change = next(t for t in tables(page) if t[0][:2] == ["Engagement", "Moyenne 2022"])
    by = {row[0]: row for row in change[1:]}
    assert by["Global"][3] == "non comparable" and by["E5"][3] == "non comparable"
    assert by["E4"][-1].startswith("proche (ancien E5)") and by["E8"][-1].startswith("proche (ancien E9)")
    assert "Taux global non comparable entre le questionnaire 2021 et le questionnaire 2024" in page


def test_demo_dashboard_follows_engagements_through_the_crosswalk_not_by_code(demo_db):
    from autodiag.reports import dashboard

    from .report_html import dashboard_rows

    with Autodiag(demo_db) as db:
        scores = db.scores(campaign=2021, network="Universités et écoles")
        code, name = scores.iloc[0][["code_structure", "nom_structure"]]
        report = dashboard.build(
            db, dashboard.Links(structures={(2021, "Universités et écoles"): [(code, name, "s.html")]})
        )
        summary = db.network_summary()
        national = summary[summary["reseau"].isna() & (summary["campagne"] == 2021)].set_index("unit")["mean"]
    html = report.to_html()
    table = next(t for t in tables(html) if t[0][:2] == ["Campagne", "Questionnaire"])
    head = table[0]
    by = {row[0]: dict(zip(head, row)) for row in table[1:]}
    # 2021 (9 engagements): the 2024 E5 has no predecessor; the 2024 E4 « délais » continues the old E5.
    assert by["2021"]["Questionnaire"] == "2021" and by["2025"]["Questionnaire"] == "2024"
    assert by["2021"]["E5 — Information"] == "--" and by["2023"]["E5 — Information"] != "--"
    assert by["2021"]["E4 — Délais"] == fmt.rate(national["E5"])
    assert by["2021"]["E8 — Environnement"] == fmt.rate(national["E9"])
    assert "E9" not in " ".join(head)
    chart = next(b.spec for b in report.blocks if hasattr(b, "spec"))
    e5_lines = [t for t in chart["data"] if t.get("legendgroup") == "E5" and t["mode"] == "lines"]
    assert e5_lines and all(t["x"][0] >= "2023" for t in e5_lines)  # no line from a 2022 point into E5
    e4_joins = {
        tuple(t["x"]): t["line"]["dash"]
        for t in chart["data"]
        if t.get("legendgroup") == "E4" and t["mode"] == "lines"
    }
    assert e4_joins[("2022", "2023")] == "dot" and e4_joins[("2023", "2024")] == "solid"
    # The structure table: a 2021 structure's « E4 » is its old E5 rate, and it has no « E5 ».
    own = scores[(scores["code_structure"] == code) & (scores["level"] == "engagement")].set_index("unit")[
        "rate"
    ]
    row = dashboard_rows(report)[0]
    assert row["code"] == code and "5" not in row["engagements"]
    assert row["engagements"]["4"] == fmt.rate(own["E5"]) and row["engagements"]["8"] == fmt.rate(own["E9"])
