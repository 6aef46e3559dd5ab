"""Reading one answer export (CSV or XLSX) into ``raw_rows`` (a temp view or table).

``raw_rows`` always has the same layout whatever the file: ``row_no`` (1-based, header = 1),
``record`` (its record in raw_cells), the identity columns, the question columns found in the
file and the 16 free-text columns, all as text (null when absent or empty). Everything that
prevents reading the file as a table (format, encoding, header, row shape) is raised as an
``ExportError`` naming the file, row and column; cell values are checked later, in SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from .columns import IDENTITY_COLUMNS, QUESTION_PATTERN, REQUIRED_IDENTITY, TEXT_COLUMNS, canonical_names, header_key
from .formatting import number
from .problems import ExportError, Problem, error_detail, file_error

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_COLUMNS = 2000
DELIMITERS = (";", ",", "\t")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
# An empty line between records, whatever the line ends (plain substring tests: a regex over
# 100 MB costs more than reading the file).
EMPTY_LINES = ("\n\n", "\n\r\n", "\r\r")


@dataclass
class RawExport:
    name: str
    format: str  # "csv" or "xlsx"
    encoding: str | None
    delimiter: str | None
    header: list[str]
    column_of: dict[str, int]  # canonical name -> position in the file
    warnings: list[Problem] = field(default_factory=list)
    rows: int = 0
    extra_of: dict[str, int] = field(default_factory=dict)  # unknown column (unique name) -> position

    def header_name(self, canonical: str) -> str:
        """How the file itself spells a canonical column (for messages)."""
        position = self.column_of.get(canonical)
        return self.header[position].strip() if position is not None else canonical


def read_export(con: duckdb.DuckDBPyConnection, path: Path, data: bytes, question_ids: set[str]) -> RawExport:
    """Load ``data`` (the bytes of ``path``) into temp table raw_rows; return what was read."""
    name = str(path)
    check_size(name, len(data))
    if not data.strip():
        raise file_error(name, "fichier vide")
    if data.startswith(b"PK\x03\x04"):
        if b"xl/" not in data[:65536] and b"[Content_Types].xml" not in data[:65536]:
            raise file_error(name, "archive ZIP qui n'est pas un classeur XLSX : enregistrez l'export en CSV ou XLSX")
        return _read_xlsx(con, name, data, question_ids)
    _reject_binary(name, data)
    text, encoding = _decode(name, data)
    return _read_csv(con, path, name, data, text, encoding, question_ids)


def check_size(name: str, size: int) -> None:
    """Refuse a file over MAX_FILE_BYTES (checked before reading it, and again on its bytes)."""
    if size > MAX_FILE_BYTES:
        raise file_error(
            name, f"fichier trop volumineux ({_octets(size)}, limite {_octets(MAX_FILE_BYTES)}) : découpez-le en plusieurs fichiers"
        )


def _octets(size: int) -> str:
    return f"{number(size)} octets"


def _reject_binary(name: str, data: bytes) -> None:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        raise file_error(name, "document PDF, pas un export CSV ou XLSX")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (head.count(b"\x00") > len(head) // 4):
        raise file_error(name, "encodage UTF-16 non pris en charge : réenregistrez le fichier en CSV UTF-8")
    if b"\x00" in head or head.startswith((b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"\x89PNG")):
        raise file_error(name, "fichier binaire, pas un export CSV ou XLSX (ancien format .xls ? réenregistrez en XLSX ou CSV)")


def _decode(name: str, data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as error:
            raise file_error(name, f"marque UTF-8 en tête mais contenu non UTF-8 (octet {error.start + 3})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as error:
        raise file_error(
            name, f"encodage non reconnu (ni UTF-8 ni Windows-1252, octet 0x{data[error.start]:02x} en position {error.start})"
        ) from None


def _first_record(text: str) -> str:
    """The text of the header record: up to the first line end outside quotes (the whole
    text when a quote is never closed)."""
    start, quotes = 0, 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            return text
        quotes += text.count('"', start, end)
        if quotes % 2 == 0:
            return text[: end + 1]
        start = end + 1


def _detect_delimiter(name: str, text: str) -> str:
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {d: _count_outside_quotes(first_line, d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise file_error(name, "en-tête sur une seule colonne : séparateur introuvable (attendu ; , ou tabulation)")
    return best


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            count += 1
    return count


def _read_csv(con, path: Path, name: str, data: bytes, text: str, encoding: str, question_ids: set[str]) -> RawExport:
    head = _first_record(text)
    # A blank first line is reported as such by _map_header; the separator is the next line's.
    delimiter = _detect_delimiter(name, _first_record(text.lstrip("\r\n")))
    try:
        header = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        raise file_error(name, f"en-tête illisible ({error})") from None
    export = _map_header(name, header, question_ids, "csv", encoding, delimiter)
    cells = {f"c{i}": "VARCHAR" for i in range(len(header))}
    # DuckDB parses UTF-8 only: anything else is handed over transcoded.
    source, temporary = (str(path), None) if encoding == "utf-8" and path.exists() else _utf8_copy(text)
    try:
        con.execute(
            """
            create or replace temp table raw_cells as
            select * from read_csv(
                $source, auto_detect = false, header = true, columns = $columns, delim = $delim,
                quote = '"', escape = '"', strict_mode = true, null_padding = false, parallel = true
            )
            """,
            {"source": source, "columns": cells, "delim": delimiter},
        )
    except duckdb.Error as error:
        problems = _row_shape_problems(name, text, delimiter, len(header))
        if not problems:
            detail = error_detail(error)
            problems = [Problem(name, f"lecture CSV impossible : {detail}")]
        raise ExportError(name, problems) from None
    finally:
        if temporary:
            os.unlink(temporary)
    _build_raw_rows(con, export, _file_rows(text, delimiter))
    return export


def _file_rows(text: str, delimiter: str) -> list[int] | None:
    """The file row of each data record when the file has empty lines (DuckDB skips them, but
    they are rows for the user, as in a spreadsheet); None when records and rows coincide."""
    if not any(empty in text for empty in EMPTY_LINES):
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [row for row, fields in enumerate(reader, start=1) if fields][1:]


def _utf8_copy(text: str) -> tuple[str, str]:
    handle, temporary = tempfile.mkstemp(suffix=".csv", prefix="autodiag-")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return temporary, temporary


def _row_shape_problems(name: str, text: str, delimiter: str, width: int, limit: int = 100) -> list[Problem]:
    """Rows whose field count differs from the header's, and unterminated quotes (slow path)."""
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    row = 0
    try:
        for fields in reader:
            row += 1
            if row > 1 and fields and len(fields) != width:
                problems.append(
                    Problem(name, f"{len(fields)} champs au lieu de {width} (séparateur {DELIMITER_NAMES[delimiter]} en trop ou manquant, ou guillemets mal fermés ?)", row=row)
                )
                if len(problems) >= limit:
                    break
    except csv.Error as error:
        problems.append(Problem(name, f"guillemet non fermé ou fichier tronqué ({error})", row=row + 1))
    return problems


def _read_xlsx(con, name: str, data: bytes, question_ids: set[str]) -> RawExport:
    try:
        frame = pd.read_excel(
            io.BytesIO(data), engine="calamine", sheet_name=0, header=None, dtype=object,
            keep_default_na=False, na_values=[],  # "NA", "N/A" are answers, not missing values
        )
    except Exception as error:  # calamine raises several types for corrupt workbooks
        raise file_error(name, f"classeur XLSX illisible ({type(error).__name__}: {str(error)[:120]})") from None
    if frame.empty:
        raise file_error(name, "classeur vide (première feuille sans en-tête)")
    header = [_cell_text(v) or "" for v in frame.iloc[0].tolist()]
    export = _map_header(name, header, question_ids, "xlsx", None, None)
    body = frame.iloc[1:].map(_cell_text)
    body.columns = [f"c{i}" for i in range(len(header))]
    body = body.astype("object")
    con.register("xlsx_cells", body)
    try:
        con.execute("create or replace temp table raw_cells as select * from xlsx_cells")
    finally:
        con.unregister("xlsx_cells")
    _build_raw_rows(con, export)
    return export


def _cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text a CSV export would hold."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _map_header(name, header, question_ids, fmt, encoding, delimiter) -> RawExport:
    if len(header) > MAX_COLUMNS:
        raise file_error(name, f"{len(header)} colonnes : au-delà de la limite de {MAX_COLUMNS}")
    if not any(header_key(cell) for cell in header):
        raise ExportError(name, [Problem(name, "ligne vide : l'en-tête (code_structure, nom_structure, …) doit être sur la première ligne", row=1)])
    known = canonical_names(question_ids)
    column_of: dict[str, int] = {}
    extra_of: dict[str, int] = {}
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for position, cell in enumerate(header):
        key = header_key(cell)
        canonical = known.get(key)
        if canonical is None:
            if key:
                label = "question absente du questionnaire" if QUESTION_PATTERN.fullmatch(cell.strip().upper()) else "colonne inconnue"
                warnings.append(Problem(name, f"{label}, ignorée", row=1, column=cell.strip()))
            extra_of[_extra_name(cell, position, extra_of)] = position
            continue
        if canonical in column_of:
            first = header[column_of[canonical]].strip()
            problems.append(
                Problem(name, f"colonne en double : « {first} » (colonne {column_of[canonical] + 1}) et « {cell.strip()} » (colonne {position + 1})", row=1, column=cell.strip())
            )
            continue
        column_of[canonical] = position
    for required in REQUIRED_IDENTITY:
        if required not in column_of:
            problems.append(Problem(name, "colonne obligatoire absente de l'en-tête", row=1, column=required))
    if problems:
        raise ExportError(name, problems)
    return RawExport(name, fmt, encoding, delimiter, header, column_of, warnings, extra_of=extra_of)


def _extra_name(cell: str, position: int, taken: dict[str, int]) -> str:
    """A unique name for an unknown column, kept with a quarantined row: its header, or its position."""
    name = cell.strip() or f"colonne {position + 1}"
    if name.lower() in {n.lower() for n in taken}:
        name = f"{name} (colonne {position + 1})"
    return name


def _build_raw_rows(con, export: RawExport, file_rows: list[int] | None = None) -> None:
    """raw_cells (c0..cN, file order) -> raw_rows (canonical layout), blank rows dropped.

    Record i of raw_cells is file row i + 2, or file_rows[i] when given. raw_rows is a view
    when nothing needs dropping or renumbering (copying 100k rows of 110 cells costs a second).
    Unknown columns are kept in raw_extra_cells (row -> name -> text), so that a quarantined
    row keeps all its values."""
    present = [c for c in export.column_of if QUESTION_PATTERN.fullmatch(c)]
    layout = [*IDENTITY_COLUMNS, *present, *TEXT_COLUMNS]
    selected = ", ".join(
        f"c{export.column_of[c]} as {c}" if c in export.column_of else f"null::varchar as {c}" for c in layout
    )
    any_cell = ", ".join(f"nullif(trim(c{i}), '')" for i in range(len(export.header)))
    records, blank = con.execute(
        f"select count(*), count(*) filter (where coalesce({any_cell}) is null) from raw_cells"
    ).fetchone()
    if file_rows is not None and len(file_rows) != records:
        file_rows = None  # Python's csv and DuckDB disagree on the records: keep DuckDB's count
    if file_rows is None and not blank:
        con.execute(f"create or replace temp view raw_rows as select rowid + 2 as row_no, rowid as record, {selected} from raw_cells")
    else:
        row_no = "rowid + 2" if file_rows is None else "$file_rows[rowid + 1]"
        con.execute(
            f"create or replace temp table raw_rows as select {row_no} as row_no, rowid as record, {selected} "
            f"from raw_cells where coalesce({any_cell}) is not null",
            {"file_rows": file_rows} if file_rows is not None else {},
        )
    export.rows = records - blank
    if export.rows == 0:
        raise file_error(export.name, "aucune ligne de données sous l'en-tête")
    _warn_unnamed_columns(con, export)


def extra_cells(con, export: RawExport) -> None:
    """Temp table raw_extra_cells: each row's cells under unknown columns, by header name."""
    cells = ", ".join(f"raw_cells.c{i}" for i in export.extra_of.values())
    con.execute(
        f"""
        create or replace temp table raw_extra_cells as
        select raw_rows.row_no, map($names::varchar[], [{cells}]::varchar[]) as extra_cells
        from raw_rows
        inner join raw_cells on raw_cells.rowid = raw_rows.record
        """,
        {"names": list(export.extra_of)},
    )


def _warn_unnamed_columns(con, export: RawExport) -> None:
    """Values under a column with an empty header are ignored: say so, never drop them silently."""
    unnamed = [p for p in export.extra_of.values() if not header_key(export.header[p])]
    if not unnamed:
        return
    counts = con.execute(
        "select " + ", ".join(f"count(nullif(trim(c{p}), ''))" for p in unnamed) + " from raw_cells"
    ).fetchone()
    for position, count in zip(unnamed, counts):
        if count:
            export.warnings.append(
                Problem(export.name, f"colonne {position + 1} sans nom d'en-tête : {count} valeur(s) ignorée(s)", row=1)
            )
