"""Writing the scores export (scores-export.md)."""

from __future__ import annotations

import os
from pathlib import Path

from .api import Autodiag


def write_scores(db_path: Path, out: Path, campaign: int | None = None, network: str | None = None) -> int:
    """Write the CSV atomically (a temp file renamed into place); return the row count."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with Autodiag(db_path) as db:
        db.check_scope(campaign, network)
        relation = db.scores_export(campaign, network)
        relation.to_csv(str(partial), sep=",", header=True, quotechar='"')
        rows = db.con.execute("select count(*) from read_csv($p, header = true, all_varchar = true)", {"p": str(partial)}).fetchone()[0]
    os.replace(partial, out)
    return rows
