"""Every report notebook executed with Papermill (kernel python3) on the fixture database
and converted to HTML with code hidden; the STR-24 report holds every seed figure."""

from __future__ import annotations

import re

import nbformat
import pytest

from autodiag.api import NativeAutodiag as Autodiag  # what the reports read
from autodiag.paths import NOTEBOOKS_DIR
from autodiag.reports import plotlyjs, structure
from autodiag.reports.run import NOTEBOOKS, execute_notebook

from .report_fixtures import BIG, SEED_ENGAGEMENTS, SEED_GLOBAL, SEED_STRINGS, SMALL
from .report_html import tables, text_cells, theme_tables


@pytest.fixture(scope="module")
def notebook_pages(report_db, tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("notebooks")
    db = str(report_db)
    runs = {
        "network": {"db_path": db, "campaign": 2024, "network": BIG, "min_group_size": 3},
        "structure": {"db_path": db, "campaign": 2024, "code": "STR-24", "min_group_size": 3},
        "trends": {"db_path": db, "network": None, "min_group_size": 3},
        "exploration": {"db_path": db, "campaign": 2024, "network": BIG, "code": "STR-24"},
    }
    pages = {}
    for kind, parameters in runs.items():
        path = out / f"{kind}.html"
        size = execute_notebook(kind, parameters, path, keep_notebook=out / f"{kind}.ipynb")
        assert size == path.stat().st_size
        pages[kind] = path.read_text(encoding="utf-8")
    return pages


@pytest.mark.parametrize("name", sorted(NOTEBOOKS.values()))
def test_notebook_is_committed_clean_and_parameterised(name):
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    for line in code_cells[0].source.splitlines():  # literals only
        assert re.fullmatch(r'\w+ = ("[^"]*"|\d+|None)', line), line
    assert all(not c.outputs and c.execution_count is None for c in code_cells)
    assert "Autodiag(db_path)" in "".join(c.source for c in code_cells)


def test_every_notebook_runs_and_converts_to_offline_html(notebook_pages):
    assert set(notebook_pages) == set(NOTEBOOKS)
    for kind, page in notebook_pages.items():
        assert page.startswith("<!DOCTYPE html>"), kind
        assert 'lang="fr"' in page[:300], kind
        assert "plotly-graph-div" in page and "Plotly.newPlot" in page, kind  # charts kept by nbconvert
        assert page.count("Plotly=") + page.count("window.Plotly") >= 1, kind  # plotly.js inline
        assert not re.search(r'<script[^>]+src="https?:', page), kind  # no CDN
        assert "from autodiag" not in page, kind  # code hidden


def test_structure_notebook_has_every_seed_figure(notebook_pages):
    _assert_seed_report(notebook_pages["structure"])


def test_batch_renderer_matches_seed_and_notebook(report_db, notebook_pages):
    with Autodiag(report_db) as db:
        pages = {code: report.to_html() for code, report in structure.render_many(db, 2024)}
    assert len(pages) == 10 and "STR-24" in pages
    _assert_seed_report(pages["STR-24"])
    assert tables(pages["STR-24"]) == tables(notebook_pages["structure"])


def _assert_seed_report(page: str) -> None:
    cells = text_cells(page)
    assert f">{SEED_GLOBAL}<" in page
    for value in SEED_STRINGS:
        assert value in page, value
    engagement_rates = [row[1] for t in tables(page) if t[0][0] == "Vision par engagement" for row in t[1:]]
    assert engagement_rates == [e[0] for e in SEED_ENGAGEMENTS.values()]
    found = theme_tables(page)
    assert len(found) == 8
    for (number, (rate, n_questions, themes, total)), table in zip(SEED_ENGAGEMENTS.items(), found):
        assert f"(sur {n_questions} questions incluses au questionnaire)" in table[0][3]
        assert [tuple(row) for row in table[1:-1]] == themes, number
        assert table[-1] == ["Total", "-", *total], number
        assert f">{rate}<" in page
    assert "Aucune donnée" in cells or page.count("Aucune donnée") >= 2
    assert "Les cotations appliquées dans l'auto-diagnostic" in page


def test_network_notebook_content(notebook_pages):
    page = notebook_pages["network"]
    for heading in [
        "Participation",
        "Répartition des taux d'atteinte globaux",
        "Taux par structure et par engagement",
        "Chaque engagement face au niveau national",
        "Thèmes les plus faibles du réseau",
        "Évolution depuis la campagne précédente",
        "Points forts et besoins d'appui exprimés, par engagement",
        "Qualité des données",
    ]:
        assert heading in page, heading
    assert "Formations régulières à mettre en place" in page  # STR-24's besoin d'appui, E1
    assert "Moyenne nationale" in page


def test_trends_and_exploration_notebooks(notebook_pages):
    assert "Taux moyen par engagement et par campagne" in notebook_pages["trends"]
    assert "2023" in notebook_pages["trends"] and "2024" in notebook_pages["trends"]
    assert "Campagnes :" in notebook_pages["exploration"]
    assert SMALL in notebook_pages["exploration"]  # the SQL query lists every network


def test_notebook_pages_use_the_report_page_css(notebook_pages, report_db):
    """`autodiag report ...` (Papermill + nbconvert) gives the same page as the batch renderer:
    the report's own head and CSS, no JupyterLab stylesheet (narrow, wrapping columns)."""
    from autodiag.reports.page import CSS

    for kind, page in notebook_pages.items():
        head = page.split("</head>")[0]
        assert CSS.strip()[:200] in head, kind
        assert "--jp-" not in page and 'class="jp-' not in page, kind
        assert '<div class="nbpage">' in page, kind
        if "Plotly.newPlot" in page:  # plotly.js inline once: the cartesian partial bundle
            assert len(re.findall(r"plotly\.js (\(cartesian - minified\) )?v\d", page)) == 1, kind
            assert "plotly.js (cartesian - minified) v" in page, kind
            assert plotlyjs.MARKER not in page, kind


def test_report_kernels_print_no_tcp_warning(report_db, tmp_path, capfd):
    execute_notebook(
        "trends", {"db_path": str(report_db), "network": None, "min_group_size": 3}, tmp_path / "t.html"
    )
    captured = capfd.readouterr()
    assert "without encryption" not in captured.err + captured.out
