"""The site as a workbench, in headless Chromium: the dashboard's filters, search and sortable
tables, the verbatim search boxes, the links between pages and the chart toolbar."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

from .report_fixtures import BIG, XSS_NAME, XSS_TEXT
from .test_reports_browser import open_page


def _visible_rows(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        selector, "rows => rows.filter(r => !r.hidden).map(r => Array.from(r.cells).map(c => c.textContent))"
    )


def _type(page, selector: str, text: str) -> None:
    page.fill(selector, "")
    page.type(selector, text)


def test_dashboard_filters_search_and_sorts_structures(browser, built_site):
    page, errors, _ = open_page(browser, built_site.index)
    rows = "#structures tbody tr"
    # The latest campaign by default; its data script came with the page, the other's not yet.
    assert page.input_value("#f-campagne") == "2024"
    assert page.evaluate("Object.keys(window.AUTODIAG_DATA)") == ["2024"]
    latest = _visible_rows(page, rows)
    assert len(latest) == 10 and {r[2] for r in latest} == {"2024"}
    assert page.text_content("#structures-count") == "10 structure(s) sur 10"
    page.select_option("#f-campagne", "")  # every campaign: the 2023 script is loaded on demand
    page.wait_for_function("document.querySelectorAll('#structures tbody tr').length === 16")
    everything = _visible_rows(page, rows)
    assert len(everything) == 10 + 6
    assert page.text_content("#structures-count") == f"{len(everything)} structure(s) sur {len(everything)}"

    # Search by name: accents and case ignored.
    _type(page, "#f-search", "MEDIATHEQUE D'ESSAI")
    shown = _visible_rows(page, rows)
    assert shown and len(shown) < len(everything)
    assert all(r[1].startswith("Médiathèque d'essai") for r in shown), shown
    assert page.text_content("#structures-count") == f"{len(shown)} structure(s) sur {len(everything)}"
    # Search by code, in lower case.
    _type(page, "#f-search", "str-24")
    assert sorted((r[0], r[2]) for r in _visible_rows(page, rows)) == [("STR-24", "2023"), ("STR-24", "2024")]
    # An injected name is found and shown as text.
    _type(page, "#f-search", "onerror")
    assert [r[1] for r in _visible_rows(page, rows)] == [XSS_NAME]
    assert page.evaluate("typeof window.__xss") == "undefined"
    page.fill("#f-search", "")
    page.dispatch_event("#f-search", "input")

    page.select_option("#f-campagne", "2023")
    page.wait_for_function("document.querySelectorAll('#structures tbody tr').length === 6")
    assert {r[2] for r in _visible_rows(page, rows)} == {"2023"}
    page.select_option("#f-reseau", BIG)
    shown = _visible_rows(page, rows)
    assert {r[3] for r in shown} == {BIG} and {r[0] for r in shown} == {"STR-24", "STR-901", "STR-902"}
    page.select_option("#f-typologie", "Structure d'essai")
    assert {r[0] for r in _visible_rows(page, rows)} == {
        "STR-24",
        "STR-901",
        "STR-902",
    }  # the 2023 STR-24 row is synthetic
    page.select_option("#f-engagement", "3")
    assert page.text_content("#engagement-head .label") == "Taux E3"  # the arrow beside it is not read
    assert all(r[6].endswith("%") for r in _visible_rows(page, rows))

    # « n dans le tableau » of a campaign's network row sets both filters.
    page.select_option("#f-typologie", "")
    page.click(f"a.show-structures[data-campagne='2024'][data-reseau='{BIG}']")
    page.wait_for_function("document.querySelector('#f-campagne').value === '2024'")
    shown = _visible_rows(page, rows)
    assert {(r[2], r[3]) for r in shown} == {("2024", BIG)} and len(shown) == 4

    # Sortable by a button in the header: ascending, then descending, said by aria-sort.
    page.select_option("#f-reseau", "")
    page.click("#structures th button:has-text('Taux global')")
    assert (
        page.get_attribute("#structures th:has(button:has-text('Taux global'))", "aria-sort") == "ascending"
    )
    rates = [float(r[5].replace(" %", "").replace(",", ".")) for r in _visible_rows(page, rows)]
    assert rates == sorted(rates) and len(set(rates)) > 3
    page.click("#structures th button:has-text('Taux global')")
    assert (
        page.get_attribute("#structures th:has(button:has-text('Taux global'))", "aria-sort") == "descending"
    )
    rates = [float(r[5].replace(" %", "").replace(",", ".")) for r in _visible_rows(page, rows)]
    assert rates == sorted(rates, reverse=True)
    # The search box has a visible label.
    assert page.text_content("label[for='f-search']").startswith("Code ou nom de la structure")
    assert errors == []
    page.close()


def _links(page) -> list[str]:
    return page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")


def _local_file(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


def test_every_link_of_the_site_resolves_and_pages_link_up_and_across(browser, built_site):
    root = built_site.index.parent
    pages = {
        "index": root / "index.html",
        "network": root / "2024" / "networks" / "universites-et-ecoles.html",
        "structure": root / "2024" / "structures" / "str-24.html",
    }
    found = {}
    for name, path in pages.items():
        page, errors, _ = open_page(browser, path)
        if name == "index":  # every campaign's structures in the table (the latest only at first)
            page.select_option("#f-campagne", "")
            page.wait_for_function("document.querySelectorAll('#structures tbody tr').length === 16")
        links = _links(page)
        files = [_local_file(u) for u in links if _local_file(u) is not None]
        assert files, name
        missing = [str(f) for f in files if not f.exists()]
        assert missing == [], (name, missing)
        found[name] = {f.resolve().relative_to(root.resolve()).as_posix() for f in files}
        assert errors == [], (name, errors)
        page.close()
    assert {
        "2024/structures/str-24.html",
        "2023/structures/str-24.html",
        "2024/networks/universites-et-ecoles.html",
        "trends.html",
    } <= found["index"]
    # Structure ↔ its network report ↔ dashboard; its other campaign; the trends.
    assert {
        "index.html",
        "2024/networks/universites-et-ecoles.html",
        "2023/structures/str-24.html",
        "trends/universites-et-ecoles.html",
        "trends.html",
    } <= found["structure"]
    assert {
        "index.html",
        "2024/structures/str-24.html",
        "2023/networks/universites-et-ecoles.html",
        "trends/universites-et-ecoles.html",
        "trends.html",
    } <= found["network"]


def test_network_verbatims_show_both_fields_and_filter_as_one_types(browser, built_site):
    root = built_site.index.parent
    page, errors, _ = open_page(browser, root / "2024" / "networks" / "reseau-d-essai-b.html")
    scopes = page.locator(".searchable")
    assert scopes.count() == 8  # one box per engagement
    first = scopes.nth(0)
    assert first.locator("h4").all_text_contents()[0].startswith("Points forts")
    assert first.locator("h4").all_text_contents()[1].startswith("Besoins d'appui")
    items = first.locator("li.item")
    total = items.count()
    assert total >= 2
    first.locator("input.search").type("POINT FORT 1 DE STR-96")  # case ignored
    shown = [
        t
        for t, hidden in zip(items.all_text_contents(), items.evaluate_all("els => els.map(e => e.hidden)"))
        if not hidden
    ]
    assert shown and all("Point fort 1 de STR-96" in t for t in shown)
    assert len(shown) < total
    assert first.locator(".search-count").text_content() == f"{len(shown)} sur {total}"
    # The injected verbatim is found as text, never run.
    first.locator("input.search").fill("")
    first.locator("input.search").type("<script>")
    shown = [
        t
        for t, hidden in zip(items.all_text_contents(), items.evaluate_all("els => els.map(e => e.hidden)"))
        if not hidden
    ]
    assert len(shown) == 1 and XSS_TEXT in shown[0]
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert errors == []
    page.close()


def test_structure_report_has_a_search_box_per_engagement_field(browser, built_site):
    root = built_site.index.parent
    page, errors, _ = open_page(browser, root / "2024" / "structures" / "str-24.html")
    boxes = page.locator("input.search")
    assert boxes.count() == 16  # points forts and besoin d'appui of the 8 engagements
    assert boxes.nth(0).get_attribute("placeholder") == "Rechercher..."
    scope = page.locator(".searchable").nth(0)
    items = scope.locator("li.item")
    assert items.count() == 1  # « La bienveillance est une posture partagée au sein du réseau des BU »
    scope.locator("input.search").type("posture partagee")  # accent ignored
    assert items.evaluate_all("els => els.map(e => e.hidden)") == [False]
    scope.locator("input.search").type(" introuvable")
    assert items.evaluate_all("els => els.map(e => e.hidden)") == [True]
    assert scope.locator(".search-count").text_content() == "0 sur 1"
    assert errors == []
    page.close()


def test_chart_toolbar_offers_the_png_download_only(browser, built_site):
    root = built_site.index.parent
    page, errors, _ = open_page(browser, root / "2024" / "structures" / "str-24.html")
    page.wait_for_selector("svg.main-svg", timeout=20000)
    page.hover("div.plotly-graph-div >> nth=0")
    buttons = page.eval_on_selector_all(
        "div.plotly-graph-div >> nth=0",
        "els => Array.from(els[0].querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))",
    )
    assert buttons == ["Télécharger en PNG"]
    page.emulate_media(media="print")
    assert (
        page.eval_on_selector_all(
            ".modebar", "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
        )
        == 0
    )
    assert errors == []
    page.close()


def test_trend_chart_keeps_its_campaign_axis_and_names_each_line(browser, built_site):
    """The lines' end labels sit at the last campaign's position (a category « 2024 » read as the
    number 2024 would squeeze every campaign into the axis' first pixels)."""
    page, errors, _ = open_page(browser, built_site.index.parent / "trends.html")
    page.wait_for_selector("svg.main-svg", timeout=20000)
    chart = page.locator("div.plotly-graph-div").nth(0)
    assert chart.locator("g.xtick text").all_text_contents() == ["2023", "2024"]
    labels = chart.locator("g.annotation text").all_text_contents()
    assert sorted(labels) == [f"E{e}" for e in range(1, 9)]
    width = page.evaluate(
        "() => { const g = document.querySelector('div.plotly-graph-div');"
        " const t = g.querySelectorAll('g.xtick'); return t[1].getBoundingClientRect().x"
        " - t[0].getBoundingClientRect().x; }"
    )
    assert width > 200  # two campaigns spread over the plot's width
    assert errors == []
    page.close()
