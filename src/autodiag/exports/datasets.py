"""The researcher exports (scores, answers, verbatims, codebook) in CSV, XLSX or Parquet, and
the Parquet export of the scored tables."""

from __future__ import annotations

from pathlib import Path

from autodiag.api import Autodiag
from autodiag.exports.files import OutputError, materialise, output_format, write_table
from autodiag.paths import sql_text
from autodiag.safe_files import atomic_folder

__all__ = ["OutputError", "write_scores", "write_dataset", "write_parquet", "DATASETS"]


def write_scores(
    db_path: Path, out: Path, campaign: int | None = None, network: str | None = None, fmt: str | None = None
) -> int:
    """The scores export (docs/scores-export.md); return the row count."""
    return write_dataset("scores", db_path, out, campaign=campaign, network=network, fmt=fmt)


# dataset -> the mart that fills it (every one takes $campagne and $reseau, some $code).
DATASETS = {"scores": "scores_export", "answers": "answers", "verbatims": "verbatims"}


def write_dataset(
    dataset: str,
    db_path: Path,
    out: Path,
    campaign: int | None = None,
    network: str | None = None,
    fmt: str | None = None,
) -> int:
    """Write one export (``scores``, ``answers``, ``verbatims`` or ``codebook``) to ``out`` in
    ``fmt`` (by default the extension's); return the row count. Nothing is written when the
    format or a filter is refused."""
    fmt = output_format(out, fmt)
    with Autodiag(db_path) as db:
        if dataset == "codebook":
            db.con.register("codebook_frame", db.codebook())
            db.con.execute("create or replace temp table export_rows as select * from codebook_frame")
            return write_table(db.con, "export_rows", out, fmt)
        db.check_scope(campaign, network)
        query = sql_text(f"marts/{DATASETS[dataset]}")
        params = {"campagne": campaign, "reseau": network, "code": None}
        # Materialised first: DuckDB writes a table to CSV faster than it writes an unnest.
        materialise(db.con, "export_rows", query, {k: v for k, v in params.items() if f"${k}" in query}, fmt)
        return write_table(db.con, "export_rows", out, fmt, neutralised=True)


# Parquet export: table name -> the mart that fills it. Every mart takes $campagne and $reseau.
PARQUET_TABLES = {
    "scores": "scores_long",
    "submissions": "submissions",
    "answers": "retained_answers",
    "free_texts": "free_texts",
}


def write_parquet(
    db_path: Path, out: Path, campaign: int | None = None, network: str | None = None
) -> dict[str, int]:
    """Write each scored table as Parquet under out/<table>/, partitioned by campagne and
    reseau (hive layout, read back by DuckDB's read_parquet with hive_partitioning). The
    folder is built beside out and swapped in whole: an interrupted export leaves the
    previous one. Returns the row count of each table."""
    counts = {}
    params = {"campagne": campaign, "reseau": network, "code": None}
    with Autodiag(db_path) as db:
        db.check_scope(campaign, network)
        with atomic_folder(out) as partial:
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
    return counts
