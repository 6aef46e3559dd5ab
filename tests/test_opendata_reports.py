"""The open data in the pages: the structure section, « Déclaré et observé », the parents, the
map (drawn offline in headless Chromium, no request leaving the page)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autodiag.analysis import observed
from autodiag.api import NativeAutodiag
from autodiag.reports import dashboard, geo_map, network, structure
from autodiag.reports.run import CHROMIUM_QUIET as ARGS
from tests.ingest_helpers import invoke_cli
from tests.test_opendata import EXPERIENCES, INDICATORS, RESULTS, STRUCTURES_LABELS, write
from tests.test_reports_browser import CHROMIUM, open_page


def text_of(html: str, heading: str) -> str:
    """The page's text from ``heading`` to the next h2 (the table of contents left out)."""
    html = re.sub(r'<nav class="toc".*?</nav>', "", html, flags=re.S)
    start = html.index(heading)
    end = html.find("<h2", start + 1)
    part = re.sub(r"<script.*?</script>", " ", html[start : end if end > 0 else None], flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", part).replace("&#x27;", "'").replace("&amp;", "&").split())


@pytest.fixture
def with_open_data(db, tmp_path) -> Path:
    paths = [
        write(tmp_path, "s.csv", STRUCTURES_LABELS, bom=True),
        write(tmp_path, "r.json", json.dumps(RESULTS, ensure_ascii=False)),
        write(tmp_path, "i.csv", INDICATORS),
        write(tmp_path, "e.csv", EXPERIENCES),
    ]
    assert invoke_cli("ingest-opendata", *paths, "--base", db).exit_code == 0
    return db


def test_structure_section_sets_e6_e7_beside_the_open_data(with_open_data):
    with NativeAutodiag(with_open_data) as db:
        page = structure.build(db, 2024, "STR-24", min_group_size=2).page()
    text = text_of(page, "Ce que la structure publie, ce que disent les usagers")
    assert "E6 — résultats de qualité de service publiés 31,3 %" in text
    assert (
        "E7 — avis des usagers pris en compte 42,9 % Part des expériences d'usagers avec une réponse publiée 50,0 %"
        in text
    )
    assert "Usagers satisfaits IND-27 87,5 % 30/06/2024 annuelle 79 % 2" in text  # median of 87,5 and 70,5
    assert "2 50,0 % 0,0 % 50,0 % 50,0 % 4,0 jour(s)" in text
    with NativeAutodiag(with_open_data) as db:
        masked = structure.build(db, 2024, "STR-24", min_group_size=3).page()
    assert "annuelle masqué 2" in text_of(masked, "Ce que la structure publie")


def test_a_structure_without_open_data_says_so_in_one_sentence(db):
    with NativeAutodiag(db) as reader:
        page = structure.build(reader, 2024, "STR-24").page()
    assert text_of(page, "Ce que la structure publie").endswith(
        "Aucune donnée ouverte du programme pour cette structure : ni résultat d'indicateur publié, ni expérience "
        "d'usager rattachée (aucun fichier de données ouvertes chargé : autodiag ingest-opendata)."
    )


def test_declared_and_observed_lists_questions_not_verdicts(with_open_data, monkeypatch, tmp_path):
    results = [r for r in RESULTS if r["code_sp_structure"].upper() != "STR-24"]
    newer = write(
        tmp_path,
        "r2.json",
        json.dumps(
            [{**r, "code_sp_du_resultat": r["code_sp_du_resultat"] + "b"} for r in results],
            ensure_ascii=False,
        ),
    )
    con = __import__("duckdb").connect(str(with_open_data))
    con.execute("delete from opendata_results")  # as if the portal had no result of STR-24
    con.close()
    assert invoke_cli("ingest-opendata", newer, "--base", with_open_data).exit_code == 0
    monkeypatch.setattr(observed, "THRESHOLDS", {"high_rate": 30.0, "low_answered": 60.0})
    with NativeAutodiag(with_open_data) as db:
        page = network.build(db, 2024, "Universités et écoles", min_group_size=1).page()
    text = text_of(page, "Déclaré et observé")
    assert (
        "STR-24 Bibliothèques universitaires de l'université Clermont Auvergne E6 31,3 % aucun des 1 indicateurs"
        in text
    )
    assert "E7 42,9 % 1 expérience(s) avec réponse sur 2 (50,0 %) Comment les avis des usagers" in text
    assert "questions à poser, pas des verdicts" in text
    parents = text_of(page, "Déclaré et observé")[text.index("Taux par structure parente") :]
    assert "UCA-1 Université Clermont Auvergne 1 55,6 % 61,1 %" in parents


def test_parents_are_masked_under_the_minimum_group_size(with_open_data):
    with NativeAutodiag(with_open_data) as db:
        page = network.build(db, 2024, "Universités et écoles", min_group_size=3).page()
    text = text_of(page, "Déclaré et observé")
    assert "UCA-1 Université Clermont Auvergne 1 masqué masqué" in text


def test_map_geometry_has_every_departement():
    codes = set(geo_map.shapes())
    assert len(codes) == 96 and {"2A", "2B", "01", "95"} <= codes
    assert {c for c, _ in geo_map.OVERSEAS} == {"971", "972", "973", "974", "976"}
    assert geo_map.DEPARTEMENTS_SVG.stat().st_size < 600_000


def test_map_draws_offline_and_switches_network(with_open_data, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with NativeAutodiag(with_open_data) as db:
        page_path = tmp_path / "index.html"
        dashboard.build(db, dashboard.Links(), min_group_size=1).write(page_path)
    html = page_path.read_text(encoding="utf-8")
    # no plotly geo trace (they fetch a world topology from cdn.plot.ly): the map is plain SVG
    assert not re.search(r'"type":\s*"(choropleth|scattergeo|choroplethmap)"', html)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page, errors, requests = open_page(browser, page_path)
        assert page.eval_on_selector_all("svg.departements path[data-dep]", "els => els.length") == 96
        assert page.eval_on_selector_all("svg.departements g[data-dep] rect", "els => els.length") == 5
        fill = page.get_attribute('svg.departements path[data-dep="63"]', "fill")
        assert fill == "#41b6c4"  # 55,6 %: 50 to 60 %
        assert "63 Puy-de-Dôme : 55,6 % (1 structure(s))" in page.text_content(
            'svg.departements path[data-dep="63"] title'
        )
        assert page.get_attribute('svg.departements path[data-dep="75"]', "fill") == "#ffffff"
        page.select_option("#carte-reseau", label="Universités et écoles")
        assert page.get_attribute('svg.departements path[data-dep="63"]', "fill") == "#41b6c4"
        page.wait_for_timeout(300)
        assert errors == []
        assert requests and all(u.startswith(("file:", "data:", "blob:", "about:")) for u in requests), (
            requests
        )
        browser.close()
