"""Writing the scores export (docs/scores-export.md) and the Parquet export of the scored tables."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .api import Autodiag
from .paths import sql_text


def write_scores(db_path: Path, out: Path, campaign: int | None = None, network: str | None = None) -> int:
    """Write the CSV atomically (a temp file renamed into place); return the row count."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with Autodiag(db_path) as db:
        db.check_scope(campaign, network)
        # Materialised first: DuckDB writes a table to CSV faster than it writes an unnest.
        db.con.execute(
            f"create or replace temp table export_rows as {sql_text('marts/scores_export')}",
            {"campagne": campaign, "reseau": network},
        )
        (rows,) = db.con.execute(
            "copy export_rows to $out (header, delimiter ',', quote '\"')", {"out": str(partial)}
        ).fetchone()
    os.replace(partial, out)
    return rows



# Parquet export: table name -> the mart that fills it. Every mart takes $campagne and $reseau.
PARQUET_TABLES = {
    "scores": "scores_long",
    "submissions": "submissions",
    "answers": "retained_answers",
    "free_texts": "free_texts",
}


def write_parquet(db_path: Path, out: Path, campaign: int | None = None, network: str | None = None) -> dict[str, int]:
    """Write each scored table as Parquet under out/<table>/, partitioned by campagne and
    reseau (hive layout, read back by DuckDB's read_parquet with hive_partitioning). The
    folder is built beside out and swapped in whole: an interrupted export leaves the
    previous one. Returns the row count of each table."""
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    counts = {}
    params = {"campagne": campaign, "reseau": network, "code": None}
    with Autodiag(db_path) as db:
        db.check_scope(campaign, network)
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        for table, mart in PARQUET_TABLES.items():
            query = sql_text(f"marts/{mart}")
            used = {k: v for k, v in params.items() if f"${k}" in query}
            db.con.execute(f"create or replace temp table export_rows as {query}", used)
            (counts[table],) = db.con.execute("select count(*) from export_rows").fetchone()
            if not counts[table]:
                (partial / table).mkdir()  # an empty table is an empty folder
                continue
            db.con.execute(
                "copy export_rows to $dir (format parquet, partition_by (campagne, reseau))",
                {"dir": str(partial / table)},
            )
    _swap_in(partial, out)
    return counts


def _swap_in(new: Path, out: Path) -> None:
    """Replace out by new with two renames; the old folder is removed last."""
    old = out.with_name(out.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(new, out)
    shutil.rmtree(old, ignore_errors=True)
