"""Writing the scores export (scores-export.md)."""

from __future__ import annotations

import os
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

