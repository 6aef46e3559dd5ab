"""Built reports opened in headless Debian Chromium (Playwright, no browser download), in both
modes (site pages sharing outputs/assets/plotly-<version>.min.js, zipped and moved too; single-file
reports with the cartesian bundle inline):
charts drawn, no JavaScript error, no request leaving the machine, injections inert."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from autodiag.reports import plotlyjs

from .report_fixtures import XSS_CODE, XSS_NAME, XSS_TEXT

CHROMIUM = "/usr/bin/chromium"
LOCAL = ("file:", "data:", "blob:", "about:")


def open_page(browser, path: Path):
    """Open a report; returns (page, errors, requests)."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort()
    )
    page.goto(path.resolve().as_uri(), wait_until="load")
    return page, errors, requests


def _site_pages(built_site) -> dict[str, Path]:
    root = built_site.index.parent
    return {
        "index": root / "index.html",
        "network (notebook)": root / "2024" / "networks" / "universites-et-ecoles.html",
        "network B (notebook)": root / "2024" / "networks" / "reseau-d-essai-b.html",
        "structure STR-24 (batch)": root / "2024" / "structures" / "str-24.html",
        "structure XSS (batch)": root / "2024" / "structures" / f"{XSS_CODE.lower()}.html",
        "trends (notebook)": root / "trends.html",
    }


def assert_charts_drawn_offline(browser, path: Path, name: str) -> list[str]:
    """Every chart of the page drawn, no JavaScript error, no request off the machine; the requests."""
    page, errors, requests = open_page(browser, path)
    page.wait_for_selector("svg.main-svg", timeout=20000)
    n_charts = page.eval_on_selector_all(
        "div.plotly-graph-div", "els => els.filter(e => e.querySelector('svg.main-svg')).length"
    )
    n_divs = page.eval_on_selector_all("div.plotly-graph-div", "els => els.length")
    assert n_charts == n_divs >= 1, (name, n_charts, n_divs)
    page.wait_for_timeout(200)
    assert errors == [], (name, errors)
    assert requests and all(url.startswith(LOCAL) for url in requests), (
        name,
        [u for u in requests if not u.startswith(LOCAL)],
    )
    page.close()
    return requests


def test_reports_draw_charts_offline_without_errors(browser, built_site):
    """Site pages: plotly.js from the shared file outputs/assets/, by a relative path."""
    asset = f"/assets/plotly-{plotlyjs.version()}.min.js"
    for name, path in _site_pages(built_site).items():
        assert path.exists(), name
        requests = assert_charts_drawn_offline(browser, path, name)
        assert requests[0] == path.resolve().as_uri(), (name, requests)
        # Besides plotly.js, only the site's own data scripts (the dashboard's structure list).
        assert [u for u in requests[1:] if not u.endswith(".js") or "/assets/" in u] == [
            (built_site.index.parent / asset[1:]).resolve().as_uri()
        ], (name, requests)
        assert all(u.startswith(built_site.index.parent.resolve().as_uri()) for u in requests), (
            name,
            requests,
        )


def test_a_zipped_and_moved_site_still_draws_its_charts(browser, built_site, tmp_path):
    root = built_site.index.parent
    archive = shutil.make_archive(str(tmp_path / "site"), "zip", root)
    moved = tmp_path / "ailleurs" / "rapports"
    shutil.unpack_archive(archive, moved)
    for rel in (
        "index.html",
        "2024/networks/universites-et-ecoles.html",
        "2024/structures/str-24.html",
        "trends.html",
    ):
        requests = assert_charts_drawn_offline(browser, moved / rel, rel)
        assert all(u.startswith(moved.resolve().as_uri()) for u in requests), (
            requests
        )  # nothing from the old place


def test_single_file_reports_use_the_partial_bundle_and_draw_offline(browser, report_db, tmp_path):
    """`autodiag report …`: one self-contained file (the cartesian bundle inline), for e-mail."""
    from typer.testing import CliRunner

    from autodiag.cli import app

    for kind, options in [
        ("structure", ["--campaign", "2024", "--code", "STR-24"]),
        ("network", ["--campaign", "2024", "--network", "Universités et écoles"]),
        ("trends", []),
    ]:
        out = tmp_path / f"{kind}.html"
        result = CliRunner().invoke(
            app, ["report", kind, *options, "--db", str(report_db), "--out", str(out)]
        )
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "<script src=" not in text, kind
        assert text.count("plotly.js (cartesian - minified) v") == 1, kind
        assert out.stat().st_size < 2_000_000, (kind, out.stat().st_size)  # the full bundle alone is 4.8 MB
        assert (
            "autodiag " in text[text.rindex("<footer>") :] and "SHA-256" in text[text.rindex("<footer>") :]
        ), kind
        requests = assert_charts_drawn_offline(browser, out, kind)
        assert requests == [out.resolve().as_uri()], (kind, requests)  # the file alone
        if kind == "structure":  # the network quartiles are error bars: drawn by the partial bundle too
            page, _, _ = open_page(browser, out)
            page.wait_for_selector("svg.main-svg", timeout=20000)
            assert page.eval_on_selector_all("g.errorbar path", "els => els.length") >= 8
            page.close()
        if kind == "network":
            page, _, _ = open_page(browser, out)
            page.wait_for_selector("svg.main-svg", timeout=20000)
            assert page.eval_on_selector_all("g.hm image, g.heatmaplayer image", "els => els.length") >= 1
            page.close()


def test_notebook_structure_report_in_browser(browser, report_db, tmp_path):
    from autodiag.reports.run import execute_notebook

    out = tmp_path / "str-24.html"
    execute_notebook(
        "structure", {"db_path": str(report_db), "campaign": 2024, "code": "STR-24", "min_group_size": 3}, out
    )
    page, errors, requests = open_page(browser, out)
    page.wait_for_selector("svg.main-svg", timeout=20000)
    assert page.eval_on_selector_all("svg.main-svg", "els => els.length") >= 2
    body = page.inner_text("body")
    assert "55,6 %" in body and "Aucune donnée" in body and "from autodiag" not in body
    assert errors == [] and all(url.startswith(LOCAL) for url in requests)


def test_injected_name_and_verbatim_stay_text(browser, built_site):
    pages = _site_pages(built_site)
    for name in ["structure XSS (batch)", "network B (notebook)", "index"]:
        page, errors, _ = open_page(browser, pages[name])
        page.wait_for_selector("svg.main-svg", timeout=20000)
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__xss") == "undefined", name
        assert page.eval_on_selector_all("img[src='x']", "els => els.length") == 0, name
        body = page.text_content("body")  # the index lists structures in closed <details>
        assert XSS_NAME in body, name  # shown literally
        if name != "index":
            assert XSS_TEXT in body, name
        assert errors == [], (name, errors)
        page.close()
    # The network heatmap lists the injected name as a label, literally, in the SVG.
    page, _, _ = open_page(browser, pages["network B (notebook)"])
    page.wait_for_selector("svg.main-svg")
    labels = page.eval_on_selector_all("g.ytick text", "els => els.map(e => e.textContent)")
    # (labels are wrapped over lines: compared without the spaces where they break)
    assert any(XSS_NAME.replace(" ", "") in label.replace(" ", "") for label in labels), labels
    page.close()


def test_structure_report_prints_to_a4_pdf(report_db, tmp_path):
    """`report structure --pdf`: an A4 PDF (595 x 842 pt), not US Letter (612 x 792)."""
    from typer.testing import CliRunner

    from autodiag.cli import app

    out = tmp_path / "str-24.html"
    result = CliRunner().invoke(
        app,
        [
            "report",
            "structure",
            "--campaign",
            "2024",
            "--code",
            "STR-24",
            "--db",
            str(report_db),
            "--out",
            str(out),
            "--pdf",
        ],
    )
    assert result.exit_code == 0, result.output
    pdf = out.with_suffix(".pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert boxes, "aucune /MediaBox dans le PDF"
    for width, height in boxes:
        assert round(float(width)) == 595 and round(float(height)) == 842, (width, height)


def test_printed_tables_fit_the_a4_width_and_no_modebar(browser, built_site):
    """In print media at the A4 text width (186 mm ≈ 703 px), no table overflows the page and
    plotly's toolbar (shown on hover on screen) is never printed."""
    root = built_site.index.parent
    for path in (
        root / "2024" / "structures" / "str-24.html",
        root / "2024" / "networks" / "universites-et-ecoles.html",
    ):
        page, errors, _ = open_page(browser, path)
        page.wait_for_selector("svg.main-svg", timeout=20000)
        page.emulate_media(media="print")
        assert (
            page.eval_on_selector_all(
                ".modebar", "els => els.filter(e => getComputedStyle(e).display !== 'none').length"
            )
            == 0
        ), path.name
        page.set_viewport_size({"width": 703, "height": 1000})
        overflowing = page.eval_on_selector_all(
            "table.data",
            "els => els.filter(t => t.getBoundingClientRect().right > 704).map(t => t.innerText.slice(0, 60))",
        )
        assert overflowing == [], (path.name, overflowing)
        assert not errors, errors
        page.close()
