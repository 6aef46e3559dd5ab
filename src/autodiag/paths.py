"""Where the project's files live (the package is installed editable from the repo)."""

import os
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SQL_DIR = ROOT / "sql"
REFERENTIELS_DIR = ROOT / "data" / "referentiels"
CAMPAIGNS_FILE = REFERENTIELS_DIR / "campagnes.csv"
CROSSWALK_FILE = REFERENTIELS_DIR / "correspondances.csv"
CONTRADICTIONS_FILE = REFERENTIELS_DIR / "contradictions.csv"
NETWORK_NAMES_FILE = REFERENTIELS_DIR / "reseaux.csv"  # optional: networks merged by the user
OPENDATA_COLUMNS = ROOT / "data" / "opendata" / "colonnes.csv"  # open-data column names (ingest-opendata)
DEPARTEMENTS_SVG = ROOT / "data" / "geo" / "departements.svg"
SEED_EXPORT = ROOT / "data" / "seed" / "STR-24_2024.csv"
DEFAULT_DB = ROOT / "data" / "autodiag.duckdb"
NOTEBOOKS_DIR = ROOT / "notebooks"
RAW_DIR = ROOT / "data" / "raw"  # what build loads when no --exports is given
DEMO_DIR = ROOT / "data" / "demo"  # written by autodiag demo only
DEMO_PLANS_DIR = ROOT / "data" / "demo-plans"  # the demo's filled action plans (not answer exports)
DEMO_OPENDATA_DIR = ROOT / "data" / "demo-opendata"  # the demo's open-data files (not answer exports)
OUTPUTS_DIR = ROOT / "outputs"


@cache  # read once per process: ingest runs the same queries for every file
def sql_text(name: str) -> str:
    """The text of one query file, e.g. ``sql_text("scoring/score_submissions")``."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def default_db() -> Path:
    """The database a reader opens when given none: $AUTODIAG_DB when set, else the project's
    data/autodiag.duckdb, found from the package, whatever the working directory (JupyterLab
    runs a notebook from notebooks/)."""
    return Path(os.environ.get("AUTODIAG_DB") or DEFAULT_DB).expanduser()
