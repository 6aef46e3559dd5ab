"""Pages at the programme's real shape: the largest network of a generated national set (over
2,000 structures, 2 campaigns) and a dashboard over it, opened from file:// in headless Chromium.
Bounds only (no timing): elements, chart heights, the page's bytes; the dashboard's paging,
search and data scripts; the network report's paged tables, capped names and downloads."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE
from autodiag.api import NativeAutodiag
from autodiag.demo.national import networks, write_national_data
from autodiag.exports.files import rows_xlsx
from autodiag.ingest.loader import ingest
from autodiag.reports import dashboard, network, plotlyjs, references
from autodiag.reports.build import build_all, reference_files
from autodiag.reports.layout import network_slugs, report_path, structure_slugs
from autodiag.reports.plotlyjs import Embed
from autodiag.reports.tables import PAGE_ROWS

from .test_reports_browser import open_page

STRUCTURES = 10_500  # the largest network then holds over 2,000 of them


@pytest.fixture(scope="module")
def national_site(tmp_path_factory):
    """The largest network and a small one of the national set, loaded; the largest network's
    report and the dashboard written as `build` lays them out (structure pages aside)."""
    root = tmp_path_factory.mktemp("national")
    everything = root / "all"
    write_national_data(everything, STRUCTURES, [2024, 2025])
    sizes = {}
    for n in networks():
        files = list(everything.glob(f"2025/{n.slug}/*.csv")) + list(
            everything.glob(f"2025/{n.slug}-2025.csv")
        )
        sizes[n] = sum(1 if n.per_site else sum(1 for _ in f.open(encoding="utf-8")) - 1 for f in files)
    largest = max(sizes, key=sizes.get)
    small = min((n for n in sizes if not n.per_site), key=sizes.get)
    raw = root / "raw"
    for campaign in (2024, 2025):
        (raw / str(campaign)).mkdir(parents=True)
        for n in (largest, small):
            source = everything / str(campaign) / (n.slug if n.per_site else f"{n.slug}-{campaign}.csv")
            if source.is_dir():
                shutil.copytree(source, raw / str(campaign) / source.name)
            elif source.exists():
                shutil.copy(source, raw / str(campaign) / source.name)
    shutil.rmtree(everything)
    db_path = root / "national.duckdb"
    assert ingest(db_path, [raw]).ok
    out = root / "outputs"
    plotlyjs.write_asset(out)
    with NativeAutodiag(db_path) as db:
        slugs = network_slugs(db.networks())
        page = report_path("network", 2025, largest.name, out, slugs)
        report = network.build(db, 2025, largest.name, site_links=True)
        report.write(page, Embed.site(page, out))
        # The campaign's shared figures, which the network page reads (national means).
        reference_files(db, out, [(2025, None, out / references.src(2025))], DEFAULT_MIN_GROUP_SIZE)
    with NativeAutodiag(db_path) as db:
        links = dashboard.Links()
        for campaign in (2024, 2025):
            scores = db.scores(campaign=campaign)
            identity = scores.drop_duplicates("code_structure").sort_values("code_structure")
            codes = structure_slugs(list(identity["code_structure"]))
            for net in sorted(set(identity["reseau"])):
                links.networks[(campaign, net)] = (
                    report_path("network", campaign, net, out, slugs).relative_to(out).as_posix()
                )
                members = identity[identity["reseau"] == net]
                links.structures[(campaign, net)] = [
                    (code, name, f"{campaign}/structures/{codes[code]}.html")
                    for code, name in zip(members["code_structure"], members["nom_structure"])
                ]
                for code, typologie in zip(members["code_structure"], members["typologie"]):
                    links.typologies[(campaign, code)] = typologie
        index = dashboard.build(db, links)
        index.write(out / "index.html", Embed.site(out / "index.html", out))
    return {"out": out, "network": page, "size": sizes[largest], "name": largest.name, "raw": raw}


def test_the_generated_network_is_national_sized(national_site):
    assert national_site["size"] >= 2000


def test_largest_network_report_is_bounded(browser, national_site):
    path = national_site["network"]
    assert path.stat().st_size <= 1_500_000
    page, errors, requests = open_page(browser, path)
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d.querySelector('.main-svg'))"
    )
    assert errors == [] and all(u.startswith("file:") or u.startswith("data:") for u in requests)
    # The national means, read from the campaign's data file over file://, fill their cells.
    cells = page.eval_on_selector_all("span[data-ref]", "s => s.map(e => e.textContent)")
    assert cells and not {"…", "indisponible"} & set(cells)
    assert page.evaluate("document.getElementsByTagName('*').length") <= 20_000
    assert page.evaluate("document.documentElement.scrollHeight") <= 40_000
    heights = page.evaluate(
        "Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => d.offsetHeight)"
    )
    assert heights and max(heights) <= 1500
    # A table of contents with anchors, every one of them a heading of the page.
    anchors = page.eval_on_selector_all(
        "nav.toc a", "links => links.map(a => a.getAttribute('href').slice(1))"
    )
    assert len(anchors) >= 8 and all(page.locator(f"h2[id='{a}']").count() == 1 for a in anchors)
    # The full structure table: paged from the data script beside the page, searchable.
    table = page.locator("#structures-engagements")
    assert table.locator("tbody tr").count() == PAGE_ROWS
    total = national_site["size"]
    pages = -(-total // PAGE_ROWS)
    assert table.locator(".page-label").text_content() == f"Page 1 sur {pages}"
    table.locator("button[data-page='next']").click()
    assert table.locator(".page-label").text_content() == f"Page 2 sur {pages}"
    first = table.locator("tbody tr td").first.text_content()
    table.locator("input.search").fill(first.lower())
    assert table.locator("tbody tr").count() == 1
    # « Lesquelles »: a few codes named, the rest counted, a link filtering the theme table.
    cell = page.locator("table.data:has(th:text('Lesquelles (taux)')) tbody tr").first.locator("td").last
    assert len(cell.text_content()) < 400
    link = cell.locator("a[data-filter-column]")
    if link.count():
        link.click()
        assert "sous 50 %" in page.locator("#structures-themes .search-count").text_content()
    # Heatmaps: the weakest few, or one row per group: never a hundred rows.
    rows = page.evaluate(
        "Array.from(document.querySelectorAll('.plotly-graph-div'))"
        ".filter(d => d.data && d.data[0].type === 'heatmap').map(d => d.data[0].y.length)"
    )
    assert rows and max(rows) <= 20
    page.close()


def test_largest_network_downloads_hold_every_structure(national_site):
    path = national_site["network"]
    stem = network.download_stem(national_site["name"], 2025)
    text = (path.parent / f"{stem}-structures.csv").read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert (
        rows[0][:4] == ["Code", "Structure", "Typologie", "Taux global"]
        and len(rows) == national_site["size"] + 1
    )
    xlsx = (path.parent / f"{stem}-structures.xlsx").read_bytes()
    assert xlsx[:2] == b"PK"
    html = path.read_text(encoding="utf-8")
    assert f'href="{stem}-structures.csv"' in html and f'href="{stem}-structures.xlsx"' in html
    # Written twice, the same bytes (no date in the workbook).
    assert rows_xlsx(rows[0], rows[1:]) == rows_xlsx(rows[0], rows[1:])


def test_dashboard_pages_searches_and_loads_its_data_from_file(browser, national_site):
    out = national_site["out"]
    index = out / "index.html"
    start = index.stat().st_size + (out / "data" / "structures-2025.js").stat().st_size
    assert start <= 3_000_000 * 0.3  # a fraction of the national target for a fraction of the structures
    page, errors, requests = open_page(browser, index)
    rows = "#structures tbody tr"
    page.wait_for_function("document.querySelectorAll('#structures tbody tr').length > 0")
    assert page.evaluate("Object.keys(window.AUTODIAG_DATA)") == ["2025"]  # the latest campaign only
    assert page.locator(rows).count() == 50
    count = page.text_content("#structures-count")
    n = int(count.split(" structure(s) sur ")[1].replace(" ", ""))
    assert n > 2000 and " " in count  # « 2 1xx »: counts written the French way
    label = page.text_content("#structures-page")
    assert label.startswith("Page 1 sur ")
    # Paging by keyboard: the buttons are real buttons.
    page.focus("nav.pager button[data-page='next']")
    page.keyboard.press("Enter")
    assert page.text_content("#structures-page").startswith("Page 2 sur ")
    assert page.locator("nav.pager button[data-page='previous']").is_enabled()
    code = page.locator(f"{rows} td a").first.text_content()
    page.fill("#f-search", code.lower())
    assert [r.locator("td").first.text_content() for r in page.locator(rows).all()] == [code]
    page.fill("#f-search", "")
    # Another campaign: its data script is loaded from file:// when chosen.
    page.select_option("#f-campagne", "2024")
    page.wait_for_function("window.AUTODIAG_DATA['2024'] !== undefined")
    page.wait_for_function(
        "document.querySelector('#structures tbody tr td:nth-child(3)').textContent === '2024'"
    )
    assert any(u.endswith("data/structures-2024.js") for u in requests)
    # The key figures come first: structures, mean, median and how many under 50 %.
    figures = page.eval_on_selector_all("dl.key-figures dt", "dts => dts.map(d => d.textContent)")
    assert figures[:4] == ["structures", "taux global moyen", "médiane", "sous 50 %"]
    assert page.locator("h2").first.text_content().startswith("Campagne 2025")
    assert errors == []
    page.close()


def _new_structure_file(raw: Path, network: str, campaign: int) -> Path:
    """A new structure of ``network``: one row copied from one of its files, under a new code."""
    folder = raw / str(campaign)
    for source in sorted(folder.rglob("*.csv")):
        with source.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
        column = rows[0].index("reseau")
        if rows[1][column] == network:
            rows[1][0], rows[1][1] = "NAT-NOUVELLE", "Structure nouvelle"
            path = folder / "nouvelle.csv"
            with path.open("w", encoding="utf-8", newline="") as f:
                csv.writer(f, delimiter=";", lineterminator="\r\n").writerows(rows[:2])
            return path
    raise AssertionError(f"aucun fichier du réseau {network}")


def test_a_new_file_rewrites_its_page_the_data_files_and_its_network_only(tmp_path, national_site):
    """The figures shared by many pages live in the campaign's data file: one new file of the
    largest network (over 2,000 structures) re-renders its own page, the data files, its
    network's report and the trends it counts in, and leaves every other page untouched."""
    raw = tmp_path / "raw"
    shutil.copytree(national_site["raw"], raw)
    db, out = tmp_path / "base.duckdb", tmp_path / "outputs"
    first = build_all(db, out, raw=raw, campaign=2025, notebooks=False)
    assert first.ok, first.failures
    assert first.rendered["structure"] > 2000

    def stamps() -> dict:
        return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}

    before = stamps()
    again = build_all(db, out, raw=raw, campaign=2025, notebooks=False)
    unchanged = {name for name, stamp in stamps().items() if before.get(name) != stamp}
    assert again.ok and unchanged == {"manifest.json"}  # nothing changed: only the build's date

    _new_structure_file(raw, national_site["name"], 2025)
    after = build_all(db, out, raw=raw, campaign=2025, notebooks=False)
    assert after.ok, after.failures
    now = stamps()
    written = {name for name in now if before.get(name) != now[name]}
    slug = national_site["network"].stem
    assert "2025/structures/nat-nouvelle.html" in written
    shared = {"data/reperes-2025.js", f"data/reperes-2025-{slug}.js", "data/structures-2025.js"}
    assert shared | {f"2025/networks/{slug}.html"} <= written
    allowed = {"index.html", "manifest.json", "trends.html", f"trends/{slug}.html"}
    others = {
        name
        for name in written
        if not name.startswith(f"2025/networks/{slug}")
        and name not in shared
        and name not in allowed
        and name != "2025/structures/nat-nouvelle.html"
    }
    assert others == set(), sorted(others)[:10]
    expected = {"structure": 1, "network": 1, "trends": 2, "data": 1, "reference": 2, "index": 1}
    assert after.rendered == expected, after.rendered
