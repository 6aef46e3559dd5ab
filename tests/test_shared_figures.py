"""Site pages read the figures they share with other pages from the campaign's data files
(reports/references.py): opened from file:// in Chromium, they show, cell for cell and chart
for chart, what the standalone report writes in itself."""

from __future__ import annotations

import pytest

from autodiag.api import NativeAutodiag
from autodiag.reports import network, structure
from autodiag.reports.plotlyjs import Embed

from .test_reports_browser import open_page

# The text a reader gets: the page without its navigation, footer, drawings and hidden parts.
READ_TEXT = """() => {
  const main = document.querySelector('main');
  main.querySelectorAll('nav, footer, .plotly-graph-div, script, [hidden]').forEach(e => e.remove());
  return main.innerText;
}"""
CHART_DATA = """() => Array.from(document.querySelectorAll('.plotly-graph-div'))
  .map(g => JSON.stringify(g.data.map(t => [t.x, t.y, t.text, t.error_y || null])))"""
PAGES = [
    ("structure", 2024, "STR-24", "2024/structures/str-24.html"),
    ("structure", 2024, "STR-902", "2024/structures/str-902.html"),
    ("network", 2024, "Universités et écoles", "2024/networks/universites-et-ecoles.html"),
    ("network", 2024, "Réseau d'essai B", "2024/networks/reseau-d-essai-b.html"),
]


def _read(browser, path):
    page, errors, requests = open_page(browser, path)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.main-svg'))"
    )
    # Every shared cell filled from the data files.
    unfilled = page.eval_on_selector_all(
        "span[data-ref], span[data-contacts], span[data-lever]",
        "s => s.filter(e => ['…', 'indisponible'].includes(e.textContent)).length",
    )
    assert unfilled == 0, path
    charts, text = page.evaluate(CHART_DATA), page.evaluate(READ_TEXT)
    page.close()
    return text, charts, errors, requests


@pytest.mark.parametrize("kind,campaign,name,where", PAGES, ids=[p[2] for p in PAGES])
def test_site_page_shows_what_the_standalone_report_writes(
    browser, built_site, tmp_path, kind, campaign, name, where
):
    root = built_site.index.parent
    site_page = root / where
    html = site_page.read_text(encoding="utf-8")
    # Read from the data files, not written in the page.
    assert "../../data/reperes-2024.js" in html
    assert ('data-ref="reseau|' if kind == "structure" else 'data-ref="national|') in html
    with NativeAutodiag(root.parent / "autodiag.duckdb") as db:
        if kind == "structure":
            report = structure.build(db, campaign, name)
        else:
            report = network.build(db, campaign, name)
    alone = tmp_path / "seul.html"
    alone.write_text(report.to_html(Embed()), encoding="utf-8")
    expected_text, expected_charts, _, _ = _read(browser, alone)
    text, charts, errors, requests = _read(browser, site_page)
    assert errors == []
    assert any(u.endswith("data/reperes-2024.js") for u in requests)
    assert text == expected_text
    assert charts == expected_charts


def test_without_its_data_file_a_page_says_so(browser, built_site, tmp_path):
    """A site page copied without outputs/data: the shared cells say « indisponible », nothing breaks."""
    import shutil

    root = tmp_path / "site"
    shutil.copytree(built_site.index.parent, root, ignore=shutil.ignore_patterns("data"))
    page, errors, _ = open_page(browser, root / "2024" / "structures" / "str-24.html")
    cells = page.eval_on_selector_all("span[data-ref]", "s => s.map(e => e.textContent)")
    assert cells and set(cells) == {"indisponible"}
    assert [e for e in errors if "pageerror" in e] == []
    page.close()
