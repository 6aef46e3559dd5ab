"""The exploration notebook finds the database from any working directory: JupyterLab runs a
notebook from notebooks/, where the old relative « data/autodiag.duckdb » ended in « Base
introuvable »."""

from __future__ import annotations

import subprocess
import sys

import nbformat

from autodiag.paths import DEFAULT_DB, NOTEBOOKS_DIR, ROOT, default_db

from .report_fixtures import BIG


def outputs_text(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.extend(str(v) for v in output.get("data", {}).values())
    return "\n".join(parts)


def test_notebook_runs_from_notebooks_folder_with_autodiag_db(report_db, tmp_path, monkeypatch):
    """As JupyterLab runs it: working directory notebooks/, no db_path given."""
    import papermill

    monkeypatch.setenv("AUTODIAG_DB", str(report_db))
    monkeypatch.setenv("PLOTLY_RENDERER", "notebook")
    out = tmp_path / "exploration.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS_DIR / "exploration.ipynb"),
        str(out),
        parameters={"campaign": 2024, "network": BIG},
        kernel_name="python3",
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    text = outputs_text(nbformat.read(out, as_version=4))
    assert f"Base : {report_db}" in text
    assert "Campagnes : [2023, 2024]" in text
    assert "Les agents saluent chaque usager" in text  # answers() shown
    assert "Erreur" not in text and "Traceback" not in text


def test_committed_notebook_leaves_the_database_to_the_package():
    nb = nbformat.read(NOTEBOOKS_DIR / "exploration.ipynb", as_version=4)
    parameters = nb.cells[1].source
    assert "db_path = None" in parameters.splitlines()
    assert "data/autodiag.duckdb" not in parameters
    markdown = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for column in [
        "`campaign`",
        "`network`",
        "`code`",
        "`rate`",
        "`pct_below_50`",
        "`answer`",
        "`applicable`",
    ]:
        assert column in markdown, column  # the column names are documented in the notebook


def test_default_database_is_the_projects_whatever_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTODIAG_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_db() == DEFAULT_DB == ROOT / "data" / "autodiag.duckdb"
    assert default_db().is_absolute()
    monkeypatch.setenv("AUTODIAG_DB", str(tmp_path / "autre.duckdb"))
    assert default_db() == tmp_path / "autre.duckdb"


def test_a_missing_database_is_named_in_full(tmp_path):
    """From notebooks/, the database that is not there is named by its full path."""
    missing = tmp_path / "absente.duckdb"
    code = "from autodiag.api import Autodiag\ntry:\n    Autodiag()\nexcept Exception as e:\n    print(e)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=NOTEBOOKS_DIR,
        capture_output=True,
        text=True,
        env={"AUTODIAG_DB": str(missing), "PATH": "/usr/bin:/bin"},
    )
    assert f"Base introuvable : {missing}" in result.stdout, result.stdout + result.stderr
