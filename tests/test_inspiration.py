"""« S'inspirer de » (issue 10): on the network's weakest themes, the network's structures that
score well (at least 75 %, on half of the theme's questions) and improved since their own most
recent earlier campaign (crosswalk across versions), with their points forts; the others named
apart or not at all, as docs/site-et-rapports.md says."""

from __future__ import annotations

import re

import pytest

from autodiag.analysis import inspiration as rule
from autodiag.analysis import versions
from autodiag.api import Autodiag, NativeAutodiag
from autodiag.formatting import rate
from autodiag.reports import charts, network
from autodiag.reports.inspiration_section import chart

from .exports import seed_row, write_csv
from .report_fixtures import SCALE_QUESTIONS

NET = "Réseau témoin"
OTHER = "Réseau voisin"
THEME = "E6_T2"  # two questions, E6_Q03 and E6_Q04
STRENGTH = "<b>Tableau</b> des résultats & affichage à l'accueil"
# code -> network, {campaign: (E6_Q03, E6_Q04)}; every other scale question « Oui » every year.
CASES = {
    "STR-701": (NET, {2024: ("Non", "Non"), 2025: ("Oui", "Oui")}),  # high and improved: listed
    "STR-702": (NET, {2024: ("Oui", "Oui"), 2025: ("Partiellement", "Partiellement")}),  # 100 -> 75: fell
    "STR-703": (NET, {2024: ("Non", "Non"), 2025: ("Oui", "Non")}),  # 0 -> 50: improved but low
    "STR-704": (NET, {2025: ("Oui", "Partiellement")}),  # 87,5 %, no earlier campaign: named apart
    "STR-705": (NET, {2023: ("Oui", "Non"), 2025: ("Partiellement", "Partiellement")}),  # 50 (2023) -> 75
    "STR-706": (
        NET,
        {2023: ("Non", "Non"), 2024: ("Oui", "Oui"), 2025: ("Oui", "Oui")},
    ),  # level since 2024: not improved
    "STR-707": (NET, {2024: ("Non", "Non"), 2025: ("Non", "Non")}),
    "STR-708": (NET, {2024: ("Non", "Non"), 2025: ("Non", "Non")}),
    "STR-709": (OTHER, {2024: ("Non", "Non"), 2025: ("Oui", "Oui")}),  # another network: never shown
}
TEXTS = {("STR-701", 2025): STRENGTH, ("STR-705", 2025): "RAS", ("STR-702", 2025): "Affichage annuel"}


def _row(code: str, net: str, campaign: int, answers: tuple[str, str]) -> dict:
    row = seed_row()
    row.update(
        {
            "code_structure": code,
            "nom_structure": f"Bibliothèque témoin {code[-3:]}",
            "reseau": net,
            "campagne": str(campaign),
            "date_enregistrement": f"10/05/{campaign} 10:00:00",
        }
    )
    for question in SCALE_QUESTIONS:
        row[question] = "Oui"
    row["E6_Q03"], row["E6_Q04"] = answers
    for e in range(1, 9):
        row[f"E{e}_points_forts"] = row[f"E{e}_besoin_appui"] = ""
    row["E6_points_forts"] = TEXTS.get((code, campaign), "")
    return row


@pytest.fixture(scope="module")
def hand_db(tmp_path_factory):
    from autodiag.ingest.loader import ingest

    folder = tmp_path_factory.mktemp("inspiration-exports")
    for campaign in (2023, 2024, 2025):
        rows = [
            _row(code, net, campaign, years[campaign])
            for code, (net, years) in CASES.items()
            if campaign in years
        ]
        write_csv(folder / f"temoin-{campaign}.csv", rows)
    path = tmp_path_factory.mktemp("inspiration-db") / "autodiag.duckdb"
    assert ingest(path, [folder]).ok
    return path


def section(html: str) -> str:
    start = html.rindex("<h2", 0, html.index(">S&#x27;inspirer de</h2>"))
    return html[start : html.index("<h2", start + 3)]


def table_rows(part: str) -> dict[tuple[str, str], list[str]]:
    """(theme, code) -> the cells of its row in the section's table (text only)."""
    if "</thead>" not in part:
        return {}
    body = part.split("</thead>", 1)[1]
    rows = [
        [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr)]
        for tr in re.findall(r"<tr>(.*?)</tr>", body)
    ]
    return {(cells[0], cells[1]): cells for cells in rows}


def test_the_hand_made_network_lists_whom_to_call(hand_db):
    with NativeAutodiag(hand_db) as db:
        html = network.build(db, 2025, NET).to_html()
    part = section(html)
    rows = table_rows(part)
    assert {code for theme, code in rows if theme == "E6 T2"} == {"STR-701", "STR-705"}
    assert rows[("E6 T2", "STR-701")][3:7] == [rate(100), "2024", rate(0), charts.signed(100)]
    assert rows[("E6 T2", "STR-705")][3:7] == [
        rate(75),
        "2023",
        rate(50),
        charts.signed(25),
    ]  # its latest earlier campaign
    assert "&lt;b&gt;Tableau&lt;/b&gt; des résultats &amp; affichage" in part and "<b>Tableau" not in html
    assert rows[("E6 T2", "STR-705")][7] == "(aucun point fort rédigé)"  # « RAS » is no strength
    assert "Affichage annuel" not in part  # STR-702 fell: neither listed nor quoted
    apart = re.search(
        r"E6 T2 [^<]* : au-dessus du seuil sans campagne antérieure comparable : (.*?)\.</p>", part
    )
    assert apart and re.sub(r"<[^>]+>", "", apart.group(1)) == f"STR-704 ({rate(87.5)})"
    for code in ("STR-702", "STR-703", "STR-706", "STR-707", "STR-708"):
        assert code not in {c for _, c in rows}
    assert "STR-709" not in html  # another network's structure, even improved


def test_the_section_and_its_table_have_ids_of_their_own(hand_db):
    """The heading « S'inspirer de » and the table of structures to contact each have their id
    (a duplicate id breaks the table of contents and is an HTML error)."""
    import re

    with NativeAutodiag(hand_db) as db:
        html = network.build(db, 2025, NET).to_html()
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert "s-inspirer-de" in ids and "structures-a-contacter" in ids
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_the_api_gives_the_same_structures_with_english_columns(hand_db):
    with Autodiag(hand_db) as db:
        found = db.inspiration(2025, NET)
    theme = found[found["theme"] == THEME].set_index("code")
    assert theme["status"].to_dict() == {
        "STR-701": "improved",
        "STR-705": "improved",
        "STR-704": "no_earlier",
    }
    assert theme.loc["STR-705", "campaign_before"] == 2023 and theme.loc[
        "STR-705", "change"
    ] == pytest.approx(25)
    assert theme.loc["STR-701", "strengths"] == STRENGTH
    assert theme.loc["STR-701", "network_mean"] == pytest.approx(
        (100 + 75 + 50 + 87.5 + 75 + 100 + 0 + 0) / 8
    )
    assert found["theme"].iloc[0] == THEME  # the weakest theme first
    assert found["network"].eq(NET).all() and "STR-709" not in set(found["code"])


def _score(code, rate_value, applicable=2, n_questions=2, unit="E3_T2", version="2024", engagement=3):
    return {
        "code_structure": code,
        "nom_structure": code,
        "level": "theme",
        "unit": unit,
        "engagement": engagement,
        "version": version,
        "rate": rate_value,
        "applicable": applicable,
        "n_questions": n_questions,
    }


def _earlier(code, unit, rate_value, campaign=2022, version="2021"):
    return {
        "code_structure": code,
        "campagne": campaign,
        "version": version,
        "unit": unit,
        "rate": rate_value,
    }


def _source(before, after, unit):
    return versions.source(before, after, "theme", unit)


def test_the_rule_across_a_questionnaire_change_goes_through_the_crosswalk():
    # 2024's E3 T2 continues 2021's E4 T1 (identique), not 2021's E3 T2.
    scores = [
        _score("A", 100),
        _score("B", 100),
        _score("C", 100),
        _score("D", 100, applicable=1, n_questions=3),
    ]
    earlier = [
        _earlier("A", "E4_T1", 50),
        _earlier("A", "E3_T2", 100),
        _earlier("B", "E3_T2", 25),  # B's matching theme is absent: no comparable earlier rate
        _earlier("C", "E4_T1", None),  # not applicable then
        _earlier("D", "E4_T1", 0),
    ]
    found = rule.contacts(scores, earlier, [], ["E3_T2"], _source)["E3_T2"]
    by_code = {c.code: c for c in found}
    assert by_code["A"].status == rule.IMPROVED and by_code["A"].unit_before == "E4_T1"
    assert by_code["A"].link == "identique" and by_code["A"].change == 50
    assert by_code["B"].status == rule.NO_EARLIER and by_code["C"].status == rule.NO_EARLIER
    assert "D" not in by_code  # 1 question applicable out of 3: too few to call it a strength


def test_the_rule_threshold_and_gain_are_inclusive():
    scores = [_score("A", rule.HIGH, version="2024"), _score("B", rule.HIGH - 0.1), _score("C", 90)]
    earlier = [
        _earlier(c, "E3_T2", r, 2024, "2024")
        for c, r in (("A", rule.HIGH - rule.MIN_GAIN), ("B", 0), ("C", 89.5))
    ]
    found = rule.contacts(scores, earlier, [], ["E3_T2"], _source)["E3_T2"]
    assert [(c.code, c.status) for c in found] == [
        ("A", rule.IMPROVED)
    ]  # B too low, C rose by 0,5 point only


def test_the_chart_names_every_theme_in_full_and_its_legend_matches():
    long_title = "Visibilité sur l'avancement du traitement d'une demande / démarche, avec un titre très long"
    called = rule.Contact(
        "E4_T2",
        4,
        "STR-1",
        "Une structure",
        "2024",
        100.0,
        2,
        2,
        rule.IMPROVED,
        2023,
        "2024",
        "E4_T2",
        "identique",
        50.0,
    )
    spec = chart([(20.0, "E4_T2", long_title, [called]), (30.0, "E6_T2", "Communication", [])], 2025)
    ticks = spec["layout"]["yaxis"]["ticktext"]
    assert [t.replace("<br>", " ") for t in ticks] == [
        charts.label(f"E4 T2 {long_title}"),
        "E6 T2 Communication <i>aucune structure à contacter</i>",
    ]
    assert all(len(line) <= 40 for t in ticks for line in t.split("<br>"))
    named = [t["name"] for t in spec["data"] if t.get("showlegend", True)]
    assert named == [
        "Leur taux à la campagne antérieure",
        "Taux 2025 des structures à contacter",
        "Moyenne du réseau 2025 sur le thème",
    ]
    now = next(t for t in spec["data"] if t.get("name", "").startswith("Taux 2025"))
    assert now["x"] == [100.0] and now["text"] == ["STR-1"]
    # Said under the theme's title, never as a label running past the plot.
    assert not any("aucune structure" in a["text"] for a in spec["layout"]["annotations"])


def test_the_demo_network_report_lists_structures_whose_figures_match_the_scores(demo_db):
    campaign, net = 2025, "Universités et écoles"
    with NativeAutodiag(demo_db) as db:
        part = section(network.build(db, campaign, net).to_html())
        scores = db.scores(network=None)
    with Autodiag(demo_db) as db:
        found = db.inspiration(campaign, net)
    themes = scores[scores["level"] == "theme"].set_index(["campagne", "code_structure", "unit"])["rate"]
    improved = found[found["status"] == "improved"]
    assert len(improved) >= 5 and improved["network"].eq(net).all()
    for r in improved.itertuples():
        assert r.rate == pytest.approx(themes[(campaign, r.code, r.theme)]) and r.rate >= rule.HIGH
        assert r.rate_before == pytest.approx(themes[(r.campaign_before, r.code, r.theme_before)])
        assert r.change >= rule.MIN_GAIN and r.campaign_before < campaign
        latest = scores[(scores["code_structure"] == r.code) & (scores["campagne"] < campaign)][
            "campagne"
        ].max()
        assert r.campaign_before == latest  # its own most recent earlier campaign
    listed = table_rows(part)
    assert set(listed) == {(r.theme.replace("_", " "), r.code) for r in improved.itertuples()}
    for r in improved.itertuples():
        cells = listed[(r.theme.replace("_", " "), r.code)]
        assert (
            cells[3] == rate(r.rate)
            and cells[5] == rate(r.rate_before)
            and cells[6] == charts.signed(r.change)
        )
    own = set(scores[(scores["campagne"] == campaign) & (scores["reseau"] == net)]["code_structure"])
    assert set(re.findall(r"STR-\d+", part)) <= own  # only the network's own structures
