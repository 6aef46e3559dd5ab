"""Readability of the charts and pages: full labels, one theme-code style, honest legends,
lines told apart, the PNG-only toolbar, the printed header and page numbers."""

from __future__ import annotations

import json
import re

from autodiag.api import NativeAutodiag as Autodiag  # the database's column names, as the reports read them
from autodiag.reports import change_charts, charts, network, structure
from autodiag.reports.page import CHART_CONFIG, Report, css_string

from .report_fixtures import BIG


def _unwrap(text: str) -> str:
    return text.replace("<br>", " ")


def test_long_labels_are_wrapped_whole_never_cut():
    name = "STR-901 — Bibliothèque universitaire de Montlouis-sur-Loire, site des Tanneurs"
    spec = charts.heatmap([name, "STR-2 — Court"], [1, 2], [[50, 60], [70, None]], "t")
    labels = spec["data"][0]["y"]
    assert _unwrap(labels[0]) == name and "<br>" in labels[0] and "…" not in labels[0]
    assert max(len(line) for line in labels[0].split("<br>")) <= 38
    title = "E3 T5 Information des usagers sur les délais de traitement et sur l'avancement de leur demande"
    bars = charts.theme_bars([title], [3], [40.0], "t")
    assert _unwrap(bars["data"][0]["y"][0]) == title.replace("'", "'")
    # A label from the data stays escaped line by line.
    assert charts.wrapped("<b>gras</b> " * 5, 12).count("&lt;b&gt;") == 5


def test_campaign_legend_never_shows_the_first_engagement_colour():
    spec = charts.compare_bars(
        [1, 2, 3], [50, 60, 70], [40, 50, 60], "t", current_name="2024", previous_name="2023"
    )
    legend = [t for t in spec["data"] if t.get("showlegend", True)]
    assert [t["name"] for t in legend] == ["2023", "2024 (couleur de chaque engagement)"]
    assert legend[1]["marker"]["color"] != charts.colour(1)
    assert not isinstance(legend[1]["marker"]["color"], list)
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    assert len(bars) == 2  # the legend entry takes no slot among the grouped bars


def test_trend_lines_differ_by_marker_and_direct_label():
    series = {e: [50.0 + e, 52.0 + e / 10, None] for e in range(1, 9)}  # all ending within 1 point
    counts = {e: [10, 12, 0] for e in series}
    joins = {e: ["same", "same"] for e in series}
    spec = change_charts.lines([2023, 2024, 2025], series, counts, joins, "t")
    points = [t for t in spec["data"] if t["mode"] == "markers"]
    assert len({t["marker"]["symbol"] for t in points}) == 8  # told apart without colour
    assert points[2]["text"][1] == "52,3 % (12 structures)"
    labels = spec["layout"]["annotations"]
    assert [a["text"] for a in labels] == [f"E{e}" for e in range(1, 9)]  # each line named at its last point
    assert {a["x"] for a in labels} == {
        1
    }  # the position of « 2024 » on the category axis, never the number 2024
    ys = [a["y"] for a in labels]
    assert ys[0] == 52.1 and all(
        b - a >= 4.5 - 1e-9 for a, b in zip(ys, ys[1:])
    )  # spread apart, never on top


def test_chart_toolbar_has_the_png_download_only():
    assert CHART_CONFIG["modeBarButtons"] == [["toImage"]]
    assert CHART_CONFIG["displayModeBar"] == "hover" and CHART_CONFIG["displaylogo"] is False
    assert "Télécharger en PNG" in CHART_CONFIG["locales"][CHART_CONFIG["locale"]]["dictionary"].values()
    page = Report("t")
    page.chart(charts.histogram(["a"], [1], "t"), "")
    config = json.loads(re.search(r",(\{\"displaylogo.*?\})\);</script>", page.page()).group(1))
    assert config["modeBarButtons"] == [["toImage"]] and config["toImageButtonOptions"]["filename"] == "fig-1"


def test_printed_pages_have_numbers_and_a_running_header(report_db):
    with Autodiag(report_db) as db:
        page = structure.build(db, 2024, "STR-24").page()
    head = page.split("</head>")[0]
    assert 'counter(page) " sur " counter(pages)' in head
    assert (
        '@top-left { content: "Bibliothèques universitaires de l\'université Clermont Auvergne (STR-24) — campagne 2024"'
        in head
    )
    assert css_string('a"</style>\\') == '"a\\22 \\3c /style\\3e \\5c "'
    # An engagement's heading, rate and theme table are one block that is never split.
    blocks = re.findall(
        r'<div class="keep"><h2>Engagement (\d) : .*?<p class="headline">.*?<table class="data keep">', page
    )
    assert blocks == [str(e) for e in range(1, 9)]
    assert ".keep, main.report table.data.keep { page-break-inside: avoid; break-inside: avoid; }" in head


def test_one_theme_code_style_in_network_reports(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG).page()
    body = page.split("<body>")[1]
    assert re.search(r"E\d T\d", body)
    assert not re.search(r"E\d_T\d", body), re.search(r".{40}E\d_T\d.{40}", body).group(0)


def test_a_large_network_heatmap_comes_in_parts_that_each_print_on_one_page(demo_db, monkeypatch):
    from autodiag.reports.page import PRINT_MAX_HEIGHT, Chart

    def heatmaps(report: Report, prefix: str) -> list:
        return [
            b
            for b in report.blocks
            if isinstance(b, Chart)
            and b.spec["data"][0]["type"] == "heatmap"
            and b.spec["layout"]["title"]["text"].startswith(prefix)
        ]

    with Autodiag(demo_db) as db:
        scores = db.global_scores(campaign=2024, network="Universités et écoles")
        report = network.build(db, 2024, "Universités et écoles")
        monkeypatch.setattr(network, "HEATMAP_MAX", 30)
        capped = network.build(db, 2024, "Universités et écoles")
    n = len(scores)
    assert n > network.HEATMAP_ROWS
    for prefix in ["Taux par structure et engagement", "Taux par structure, thèmes les plus faibles"]:
        parts = heatmaps(report, prefix)
        rows = [label for part in parts for label in part.spec["data"][0]["y"]]
        assert len(parts) == -(-n // network.HEATMAP_ROWS) and len(rows) == n == len(
            set(rows)
        )  # each structure once
        assert all(len(p.spec["data"][0]["y"]) <= network.HEATMAP_ROWS for p in parts)
        assert all(p.spec["layout"]["height"] <= PRINT_MAX_HEIGHT for p in parts)  # printed at full size
        assert parts[0].spec["layout"]["title"]["text"].endswith(f"(structures 1 à 20 sur {n})")
        assert all(p.table_html == "" for p in parts[:-1])
        assert parts[-1].table_html.count("<tr>") >= n  # the table after the last part lists every structure
        # Capped: the first 30 (the weakest) are drawn, and the note says the table holds all of them.
        drawn = heatmaps(capped, prefix)
        assert sum(len(p.spec["data"][0]["y"]) for p in drawn) == 30
        assert (
            f"les 30 structures les plus faibles ; le tableau donne les {n} structures"
            in drawn[-1].table_html
        )
