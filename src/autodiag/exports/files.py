"""Writing one table to a CSV, XLSX or Parquet file, atomically (a temp file renamed into place).

CSV and XLSX are read by spreadsheets: a text cell starting with = + - @, a tab or a CR is
prefixed with an apostrophe (safe_cell, made from autodiag.safe_files), so that it is never run as a formula.
Parquet is read by programs: written by DuckDB's own COPY, values untouched."""

from __future__ import annotations

import datetime as dt
import decimal
import gc
import math
import sys
from pathlib import Path

import duckdb

from autodiag.formatting import number
from autodiag.safe_files import atomic_file, safe_text

FORMATS = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet"}
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, header included

# Display formats of the XLSX numbers (the cells keep full precision). Excel shows them with
# the reader's decimal separator: « 55,6 % » in a French spreadsheet.
XLSX_NUMBER_FORMATS = {"rate": '0.0" %"', "mean": '0.0" %"', "points": "0.00"}
XLSX_DATE_FORMAT = "dd/mm/yyyy hh:mm:ss"


class OutputError(ValueError):
    """A request that cannot be written (message in French)."""


def output_format(out: Path, requested: str | None) -> str:
    """The format to write: ``requested``, or the one of the file's extension; refused when the
    two disagree, or when neither says (an unknown extension and no --format)."""
    suffix = Path(out).suffix.lower()
    implied = FORMATS.get(suffix)
    if requested is not None:
        requested = requested.lower()
        if requested not in FORMATS.values():
            raise OutputError(f"format « {requested} » inconnu : csv, xlsx ou parquet")
        if implied is not None and implied != requested:
            raise OutputError(
                f"--format {requested} contredit l'extension « {suffix} » de {out} : "
                f"nommez le fichier en .{requested} ou choisissez --format {implied}"
            )
        return requested
    if implied is None:
        said = f"extension « {suffix} » inconnue" if suffix else "fichier sans extension"
        raise OutputError(f"{out} : {said} ; nommez-le en .csv, .xlsx ou .parquet, ou précisez --format")
    return implied


def materialise(con: duckdb.DuckDBPyConnection, table: str, query: str, params: dict, fmt: str) -> None:
    """Temp table ``table``: the rows of ``query`` in its order, text cells already neutralised
    when ``fmt`` is read by spreadsheets. One pass: an UPDATE afterwards reads every row again
    (3.2M rows for the scores of 100k submissions)."""
    con.execute(f"create or replace temp table {table} as select * from ({query}) limit 0", params)
    texts = [name for name, kind in _columns(con, table) if kind == "VARCHAR"] if fmt != "parquet" else []
    # A projection in a table insert keeps the query's order (unlike one inside COPY).
    projection = (
        "* replace (" + ", ".join(f'safe_cell("{name}") as "{name}"' for name in texts) + ")"
        if texts
        else "*"
    )
    con.execute(f"insert into {table} select {projection} from ({query})", params)


def write_table(
    con: duckdb.DuckDBPyConnection, table: str, out: Path, fmt: str, neutralised: bool = False
) -> int:
    """Write the (temp) table ``table`` to ``out`` in ``fmt``; return its row count.
    ``neutralised``: the table was filled by materialise (its text cells are safe already)."""
    with atomic_file(out) as partial:
        if fmt != "parquet" and not neutralised:
            _neutralise(con, table)
        if fmt == "xlsx":
            rows = _write_xlsx(con, table, partial)
        else:
            options = "header, delimiter ',', quote '\"'" if fmt == "csv" else "format parquet"
            (rows,) = con.execute(f"copy {table} to $out ({options})", {"out": str(partial)}).fetchone()
    return rows


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in con.execute(f"describe {table}").fetchall()]


def _neutralise(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """safe_cell on every text column of the rows that need it, in place. An UPDATE keeps the
    rows where they are: a projection (copy (select safe_cell(…) …)) lets DuckDB reorder them."""
    texts = [name for name, kind in _columns(con, table) if kind == "VARCHAR"]
    if not texts:
        return
    risky = " or ".join(f'safe_cell("{name}") is distinct from "{name}"' for name in texts)
    assignments = ", ".join(f'"{name}" = safe_cell("{name}")' for name in texts)
    con.execute(f"update {table} set {assignments} where {risky}")


def _write_xlsx(con: duckdb.DuckDBPyConnection, table: str, path: Path) -> int:
    import xlsxwriter
    import xlsxwriter.exceptions

    (rows,) = con.execute(f"select count(*) from {table}").fetchone()
    if rows + 1 > XLSX_MAX_ROWS:
        raise OutputError(
            f"{number(rows)} lignes : plus qu'une feuille XLSX n'en contient ({number(XLSX_MAX_ROWS - 1)} au plus). "
            "Restreignez l'export (--campagne, --reseau) ou écrivez en CSV ou Parquet"
        )
    columns = _columns(con, table)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet("donnees")
    header = book.add_format({"bold": True})
    formats = [
        book.add_format({"num_format": XLSX_NUMBER_FORMATS[name]}) if name in XLSX_NUMBER_FORMATS else None
        for name, _ in columns
    ]
    date_format = book.add_format({"num_format": XLSX_DATE_FORMAT})
    for j, (name, kind) in enumerate(columns):
        sheet.set_column(j, j, 12 if kind != "VARCHAR" else 24)
        sheet.write_string(0, j, name, header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), len(columns) - 1)
    cursor = con.execute(f"select * from {table}")
    i = 0
    while batch := cursor.fetchmany(10_000):
        for record in batch:
            i += 1
            for j, value in enumerate(record):
                _write_cell(sheet, i, j, value, formats[j], date_format)
    # On a full disk, the ZIP writer that xlsxwriter leaves open complains again when it is
    # collected (« Exception ignored … »): silenced while the book closes and is collected.
    hook, sys.unraisablehook = sys.unraisablehook, lambda unraisable: None
    try:
        book.close()
    except xlsxwriter.exceptions.FileCreateError as error:
        cause = error.args[0] if error.args and isinstance(error.args[0], OSError) else OSError(str(error))
        code, said = cause.errno, cause.strerror or str(cause)
        error.__traceback__ = cause.__traceback__ = None
        del error, cause
        gc.collect()
        raise OSError(code, said, str(path)) from None
    finally:
        sys.unraisablehook = hook
    return rows


def _write_cell(sheet, i: int, j: int, value, number_format, date_format) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return  # an empty cell
    if isinstance(value, bool):
        sheet.write_boolean(i, j, value)
    elif isinstance(value, (int, float, decimal.Decimal)):
        sheet.write_number(i, j, float(value), number_format)
    elif isinstance(value, (dt.datetime, dt.date)):
        sheet.write_datetime(i, j, value, date_format)
    else:
        sheet.write_string(i, j, safe_text(str(value)))


def rows_csv(columns: list[str], rows: list[list]) -> bytes:
    """A small table as CSV bytes for a spreadsheet (UTF-8 with BOM, « ; », text cells neutralised)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            ["" if v is None else v if isinstance(v, (int, float)) else safe_text(v) for v in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def rows_xlsx(columns: list[str], rows: list[list]) -> bytes:
    """The same table as XLSX bytes, identical from one run to the next (fixed document date)."""
    import io

    import xlsxwriter

    if len(rows) + 1 > XLSX_MAX_ROWS:
        raise OutputError(f"{number(len(rows))} lignes : plus qu'une feuille XLSX n'en contient")
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"created": dt.datetime(2000, 1, 1)})
    sheet = book.add_worksheet("donnees")
    header = book.add_format({"bold": True})
    for j, name in enumerate(columns):
        sheet.set_column(j, j, 24 if j < 2 else 12)
        sheet.write_string(0, j, name, header)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            _write_cell(sheet, i, j, value, None, None)
    book.close()
    return buffer.getvalue()
