"""RGAA 4.1 / WCAG 2.1 AA on the pages users publish: axe-core (tags wcag2a, wcag2aa, wcag21a,
wcag21aa) in Debian's headless Chromium and the Nu HTML Checker, on the dashboard, a network
report, a structure report, the trends pages and a standalone report; then by hand what the tools
cannot see: every chart named, summarised and tied to its table, chart text contrast computed
from the colours the charts are drawn with, the keyboard path to the dashboard search, Space on a
sortable header, reflow at 320 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from autodiag.api import NativeAutodiag as Autodiag
from autodiag.reports import dashboard, network, structure, trends
from autodiag.reports.page import Chart

from .accessibility import axe_violations, driver, open_page, vnu_errors
from .report_fixtures import BIG

PLOTLY_TEXT = "#444444"  # plotly's default font colour (axis ticks, titles, outside labels)


@pytest.fixture(scope="module")
def pages(built_site, report_db, tmp_path_factory) -> dict[str, Path]:
    """The audited pages: five of the site (notebook pages) and a standalone report."""
    from autodiag.reports.run import execute_notebook

    root = built_site.index.parent
    alone = tmp_path_factory.mktemp("standalone") / "reseau.html"
    execute_notebook(
        "network", {"db_path": str(report_db), "campaign": 2024, "network": BIG, "min_group_size": 3}, alone
    )
    return {
        "dashboard": root / "index.html",
        "network": root / "2024" / "networks" / "universites-et-ecoles.html",
        "structure": root / "2024" / "structures" / "str-24.html",
        "trends": root / "trends.html",
        "network trends": root / "trends" / "universites-et-ecoles.html",
        "standalone": alone,
    }


@pytest.fixture(scope="module")
def browser():
    chrome = driver()
    yield chrome
    chrome.quit()


def test_axe_finds_no_wcag_violation(browser, pages):
    found = {name: axe_violations(browser, path) for name, path in pages.items()}
    assert found == {name: [] for name in pages}, found


def test_the_nu_html_checker_finds_no_error(pages):
    assert vnu_errors(list(pages.values())) == []


def test_one_main_styles_in_head_headings_in_order_and_a_skip_link(pages):
    for name, path in pages.items():
        page = path.read_text(encoding="utf-8")
        body = page.split("<body>", 1)[1]
        assert page.count("<main") == 1, name
        assert "<style" not in body, name
        assert body.startswith('<a class="skip" href="#contenu">'), name
        assert 'id="contenu"' in body, name
        levels = [
            int(n) for n in re.findall(r"<h([1-6])\b", re.sub(r"<script\b.*?</script>", "", body, flags=re.S))
        ]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), (name, levels)


CHART_FACTS = """
return Array.from(document.querySelectorAll('figure.figure')).map(function (f) {
  var summary = document.getElementById(f.getAttribute('aria-describedby'));
  var table = f.querySelector('table');
  var svg = f.querySelector('svg.main-svg');
  return {name: f.getAttribute('aria-labelledby') && document.getElementById(f.getAttribute('aria-labelledby')).textContent,
          summary: summary ? summary.textContent : '',
          caption: table && table.caption ? table.caption.textContent : '',
          hidden: !!(svg && svg.closest('[aria-hidden="true"]')),
          charts: f.querySelectorAll('div.plotly-graph-div').length};
});
"""


def test_every_chart_is_a_named_figure_with_a_summary_and_its_captioned_table(browser, pages):
    total = 0
    for name, path in pages.items():
        open_page(browser, path)
        charts = browser.find_elements("css selector", "div.plotly-graph-div")
        facts = browser.execute_script(CHART_FACTS)
        assert len(facts) == len(charts) >= 1, name
        for figure, fact in zip(browser.find_elements("css selector", "figure.figure"), facts):
            assert figure.accessible_name == fact["name"] != "", (
                name,
                fact,
            )  # what a screen reader announces
            assert len(fact["summary"]) > 20 and fact["caption"], (name, fact)
            assert fact["hidden"] and fact["charts"] == 1, (
                name,
                fact,
            )  # the table says it: the drawing is not read
        total += len(facts)
    assert total >= 30


# --- contrast, computed from the colours the charts are drawn with ---------------------------


def luminance(colour: str) -> float:
    rgb = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def ratio(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def painted(scale: list, z: float, zmin: float, zmax: float) -> str:
    """The colour plotly paints z with: linear RGB between the scale's two stops around it."""
    t = min(1.0, max(0.0, (z - zmin) / (zmax - zmin)))
    for (a, ca), (b, cb) in zip(scale, scale[1:]):
        if a <= t <= b:
            f = (t - a) / (b - a) if b > a else 0
            mix = [
                round(int(ca[k : k + 2], 16) + (int(cb[k : k + 2], 16) - int(ca[k : k + 2], 16)) * f)
                for k in (1, 3, 5)
            ]
            return "#" + "".join(f"{c:02X}" for c in mix)
    raise AssertionError((scale, z))


def listed(value, n: int) -> list:
    return value if isinstance(value, list) else [value] * n


def chart_texts_and_marks(spec: dict) -> tuple[list, list]:
    """(text colour, background) of every text the chart writes, and (mark colour, background)
    of every bar, marker and line that carries data."""
    layout, background = spec["layout"], spec["layout"].get("plot_bgcolor", "#FFFFFF")
    base = layout.get("font", {}).get("color", PLOTLY_TEXT)
    texts = [(base, background)]  # ticks, axis titles, legend
    texts += [(a.get("font", {}).get("color", base), background) for a in layout.get("annotations", [])]
    marks = []
    heatmaps = [t for t in spec["data"] if t.get("type") == "heatmap"]
    for trace in spec["data"]:
        if trace.get("type") == "heatmap":
            assert not trace.get("texttemplate"), "heatmap text is a text trace, coloured per cell"
            continue
        n = len(trace.get("x") or trace.get("y") or [])
        if trace.get("mode") == "text" and heatmaps:  # heatmap cell values: against the cell's own colour
            heat = heatmaps[0]
            cells = {(x, y): z for y, row in zip(heat["y"], heat["z"]) for x, z in zip(heat["x"], row)}
            for x, y, colour in zip(trace["x"], trace["y"], listed(trace["textfont"]["color"], n)):
                texts.append((colour, painted(heat["colorscale"], cells[(x, y)], heat["zmin"], heat["zmax"])))
            continue
        if trace.get("text") and (
            trace.get("mode", "").find("text") >= 0 or trace.get("textposition") == "outside"
        ):
            texts += [(c, background) for c in listed(trace.get("textfont", {}).get("color", base), n)]
        marker = trace.get("marker", {})
        if trace.get("hoverinfo") != "skip" or trace.get("type") == "bar":
            colours = [c for c in listed(marker.get("color", []), n) if c]
            if colours == ["#FFFFFF"] * len(colours):  # a hollow symbol: its outline is the mark
                colours = [marker.get("line", {}).get("color")]
            marks += [(c, background) for c in colours if isinstance(c, str)]
        if "lines" in trace.get("mode", "") and trace.get("line", {}).get("color"):
            marks.append((trace["line"]["color"], background))
    return texts, marks


def report_charts(report_db) -> list[Chart]:
    with Autodiag(report_db) as db:
        reports = [
            network.build(db, 2024, BIG),
            structure.build(db, 2024, "STR-24"),
            trends.build(db, None),
            trends.build(db, BIG),
            dashboard.build(db, dashboard.Links()),
        ]
    return [block for report in reports for block in report.blocks if isinstance(block, Chart)]


def test_chart_text_reads_at_4_5_to_1_and_marks_at_3_to_1(report_db):
    charts = report_charts(report_db)
    assert len(charts) >= 15
    checked = 0
    for chart in charts:
        title = chart.spec["layout"]["title"]["text"]
        texts, marks = chart_texts_and_marks(chart.spec)
        for colour, background in texts:
            assert ratio(colour, background) >= 4.5, (title, colour, background)
        for colour, background in marks:
            assert ratio(colour, background) >= 3, (title, colour, background)
        checked += len(texts)
    assert checked > 150  # every heatmap cell among them


def test_heatmap_cell_text_switches_between_dark_and_light(report_db):
    with Autodiag(report_db) as db:
        spec = next(
            b.spec
            for b in network.build(db, 2024, BIG).blocks
            if isinstance(b, Chart) and b.spec["data"][0]["type"] == "heatmap"
        )
    colours = set(spec["data"][1]["textfont"]["color"])
    assert colours == {"#000000", "#FFFFFF"}


def test_engagement_end_labels_use_their_engagement_hue_darkened(report_db):
    with Autodiag(report_db) as db:
        spec = next(b.spec for b in trends.build(db, None).blocks if isinstance(b, Chart))
    labels = {
        a["text"]: a["font"]["color"] for a in spec["layout"]["annotations"] if a["text"].startswith("E")
    }
    assert labels["E4"] != "#F0E442" and ratio(labels["E4"], "#FFFFFF") >= 4.5  # yellow was 1.32:1
    markers = {t["name"]: t["marker"]["symbol"] for t in spec["data"] if t.get("mode") == "markers"}
    assert len(set(markers.values())) == len(markers)  # colour is never the only cue


# --- keyboard and reflow ------------------------------------------------------------------------


def test_few_tabs_reach_the_dashboard_search_and_space_sorts_a_header(browser, pages):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_page(browser, pages["dashboard"])
    tabs = 0
    while browser.execute_script("return document.activeElement.id") != "f-search":
        ActionChains(browser).send_keys(Keys.TAB).perform()
        tabs += 1
        assert tabs <= 10, browser.execute_script("return document.activeElement.outerHTML.slice(0, 200)")
    header = browser.find_element("css selector", "#structures thead th:nth-child(6)")  # « Taux global »
    button = header.find_element("tag name", "button")
    assert button.accessible_name == "Taux global"  # a button, named by its text alone (no arrow read)
    button.send_keys(Keys.SPACE)
    assert header.get_attribute("aria-sort") == "ascending"
    rates = browser.execute_script(
        "return Array.from(document.querySelectorAll('#structures tbody tr')).filter(r => !r.hidden)"
        ".map(r => parseFloat(r.cells[5].textContent.replace(',', '.'))).filter(v => !isNaN(v));"
    )
    assert len(rates) > 5 and rates == sorted(rates)
    button.send_keys(Keys.ENTER)
    assert header.get_attribute("aria-sort") == "descending"


def test_search_boxes_have_visible_labels(browser, pages):
    open_page(browser, pages["network"])
    boxes = browser.find_elements("css selector", "input.search")
    assert boxes
    for box in boxes:
        label = browser.find_element("css selector", f"label[for='{box.get_attribute('id')}']")
        assert label.text.startswith("Rechercher dans") and box.accessible_name == label.text


def test_pages_reflow_at_320_px(pages):
    narrow = driver(320, 900)
    try:
        for name in ("dashboard", "network", "structure", "trends"):
            open_page(narrow, pages[name])
            width = narrow.execute_script("return document.documentElement.scrollWidth")
            inner = narrow.execute_script("return window.innerWidth")
            assert width <= inner, (name, width, inner)  # charts and tables scroll inside their own box
    finally:
        narrow.quit()
