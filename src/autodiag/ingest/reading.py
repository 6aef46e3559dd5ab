"""Reading one answer export (CSV or XLSX) into ``raw_rows`` (a temp view or table).

``raw_rows`` always has the same layout whatever the file: ``row_no`` (1-based, header = 1),
``record`` (its record in raw_cells), the identity columns, the question columns found in the
file and the 16 free-text columns, all as text (null when absent or empty). Everything that
prevents reading the file as a table (format, encoding, header, row shape, control characters)
is raised as an ``RefusedExport`` naming the file, row and column; cell values are checked later,
in SQL. A CSV's shape is checked on its bytes (csv_shape) before any cell DuckDB reads is
used (a big file's cells are read meanwhile, and dropped if the check refuses the file), so
that a row whose field count is wrong is refused as such and never loaded shifted; invisible
characters in names and codes are warnings.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from autodiag.errors import error_detail
from autodiag.formatting import number
from autodiag.ingest import clean_text, csv_shape, text_bytes
from autodiag.ingest.columns import (
    IDENTITY_COLUMNS,
    QUESTION_PATTERN,
    REQUIRED_IDENTITY,
    TEXT_COLUMNS,
    canonical_names,
    header_key,
)
from autodiag.ingest.problems import Problem, RefusedExport, file_error
from autodiag.paths import sql_text

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_COLUMNS = 2000
DELIMITERS = (";", ",", "\t")
MAX_LISTED = 1000  # rows of the wrong shape (or control characters) listed before reading stops
# From this size, DuckDB reads the cells while the shape check runs (on a smaller file the
# check costs milliseconds: the read waits for it, as it always did).
BACKGROUND_READ_BYTES = 8 * 1024 * 1024
_NOT_BLANK = re.compile(rb"\S")


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
    if not _NOT_BLANK.search(data):  # not data.strip(): that would copy the file
        raise file_error(name, "fichier vide")
    if data.startswith(b"PK\x03\x04"):
        if b"xl/" not in data[:65536] and b"[Content_Types].xml" not in data[:65536]:
            raise file_error(
                name, "archive ZIP qui n'est pas un classeur XLSX : enregistrez l'export en CSV ou XLSX"
            )
        return _read_xlsx(con, name, data, question_ids)
    text_bytes.reject_binary(name, data)
    encoding = text_bytes.detect_encoding(name, data)
    return _read_csv(con, path, name, data, encoding, question_ids)


def check_size(name: str, size: int) -> None:
    """Refuse a file over MAX_FILE_BYTES (checked before reading it, and again on its bytes)."""
    if size > MAX_FILE_BYTES:
        raise file_error(
            name,
            f"fichier trop volumineux ({_octets(size)}, limite {_octets(MAX_FILE_BYTES)}) : découpez-le en plusieurs fichiers",
        )


def _octets(size: int) -> str:
    return f"{number(size)} octets"


def detect_delimiter(name: str, data: bytes, start: int) -> str:
    """The separator of the first non-empty line (at most MAX_LINE_BYTES of it)."""
    pos, _ = csv_shape.skip_blank(data, start)
    window = data[pos : pos + csv_shape.MAX_LINE_BYTES]
    first_line = window.split(b"\n", 1)[0]
    counts = {d: csv_shape.outside_quotes(first_line, d.encode()) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    if counts[best] == 0:
        raise file_error(
            name, "en-tête sur une seule colonne : séparateur introuvable (attendu ; , ou tabulation)"
        )
    return best


def read_header(
    name: str, data: bytes, start: int, delimiter: bytes, encoding: str
) -> tuple[list[str], int, list]:
    """(header cells, start of the first data record, field spans of the header), read with
    the limits: MAX_LINE_BYTES for the line, MAX_COLUMNS for its cells."""
    if data[start : start + 1] in (b"\r", b"\n"):
        return [""], start, []  # reported by map_header as a blank first line
    record = csv_shape.read_record(data, start, delimiter)
    if isinstance(record, csv_shape.Malformed):
        if record.kind == "too_long":
            raise RefusedExport(
                name,
                [
                    Problem(
                        name,
                        f"en-tête de plus de {_octets(csv_shape.MAX_LINE_BYTES)} (limite par ligne) : ce n'est sans doute pas un export d'auto-diagnostic",
                        row=1,
                    )
                ],
            )
        raise RefusedExport(name, [Problem(name, f"en-tête illisible : {_malformed_detail(record)}", row=1)])
    if record.fields > MAX_COLUMNS:
        raise file_error(name, f"{record.fields} colonnes : au-delà de la limite de {MAX_COLUMNS}")
    spans = csv_shape.field_spans(data, record, delimiter)
    header = [text_bytes.decode(csv_shape.field_value(data[s:e]), encoding) for s, e in spans]
    return header, record.next, spans


def _malformed_detail(malformed: csv_shape.Malformed) -> str:
    if malformed.kind == "unclosed":
        return (
            "guillemet non fermé ou fichier tronqué (le reste du fichier serait lu comme une seule cellule)"
        )
    if malformed.kind == "after_quote":
        return "caractère après un guillemet fermant (un guillemet à l'intérieur d'un texte s'écrit « \"\" »)"
    return f"plus de {_octets(csv_shape.MAX_LINE_BYTES)} sur une seule ligne (limite par ligne ; guillemet non fermé ?)"


def _count_message(fields: int, width: int, delimiter: str) -> str:
    if fields > width:
        hint = {
            ";": "un « ; » non protégé par des guillemets ?",
            ",": "une « , » non protégée par des guillemets ?",
        }.get(delimiter, "une tabulation non protégée par des guillemets ?")
    else:
        hint = "cellule manquante, ou retour à la ligne non protégé par des guillemets ?"
    return f"{number(fields)} champ{'s' if fields > 1 else ''} au lieu de {number(width)} ({hint})"


def _read_csv(con, path: Path, name: str, data: bytes, encoding: str, question_ids: set[str]) -> RawExport:
    start = 3 if encoding == "utf-8-sig" else 0
    delimiter = detect_delimiter(name, data, start)
    sep = delimiter.encode()
    header, body, header_spans = read_header(name, data, start, sep, encoding)
    controls, total_controls = clean_text.control_offsets(data, MAX_LISTED)
    problems = _header_controls(name, data, header, header_spans, controls)
    try:
        export = map_header(name, header, question_ids, "csv", encoding, delimiter)
    except RefusedExport as error:  # a control character in a header cell may be why
        raise RefusedExport(name, problems + error.problems) from None
    load = (con, name, path, data, encoding, delimiter, len(header))
    if len(data) < BACKGROUND_READ_BYTES:
        shape = _checked_shape(name, data, body, sep, export, controls, total_controls, problems)
        _load_cells(*load)
    else:
        # DuckDB reads the cells while the shape is checked; a file refused by the check is
        # refused as before, whatever the read gave.
        cells = _CellRead(*load)
        try:
            cells.start()
            shape = _checked_shape(name, data, body, sep, export, controls, total_controls, problems)
        except BaseException:
            cells.discard()
            raise
        cells.wait()
    _build_raw_rows(
        con,
        export,
        shape.rows if shape.blank else None,
        expected=shape.records,
        blank_cells=shape.maybe_blank,
    )
    return export


def _checked_shape(name, data, body, sep, export, controls, total_controls, problems) -> csv_shape.Shape:
    """The shape of the records from ``body``; RefusedExport if anything in it (or ``problems``) refuses the file."""
    width = len(export.header)
    shape = csv_shape.scan_rows(data, body, sep, width, [c for c in controls if c >= body], limit=MAX_LISTED)
    problems = problems + _shape_problems(name, shape, width, export.delimiter)
    problems += _cell_controls(name, data, shape, export, export.encoding)
    if total_controls > len(controls):
        problems.append(
            Problem(
                name,
                f"{number(total_controls)} caractères de contrôle en tout : seuls les {number(len(controls))} premiers sont situés ci-dessus",
            )
        )
    if problems:
        raise RefusedExport(name, sorted(problems, key=lambda p: (p.row is None, p.row or 0)))
    if shape.records == 0:
        raise file_error(name, "aucune ligne de données sous l'en-tête")
    return shape


def _load_cells(con, name: str, path: Path, data: bytes, encoding: str, delimiter: str, width: int) -> None:
    """The file's records into temp table raw_cells (c0..cN, all text), read by DuckDB."""
    cells = {f"c{i}": "VARCHAR" for i in range(width)}
    # DuckDB parses UTF-8 only (a BOM is skipped): anything else is handed over transcoded.
    temporary = None if encoding != "cp1252" and path.exists() else text_bytes.utf8_copy(data, encoding)
    source = temporary or str(path)
    try:
        con.execute(
            """
            create or replace temp table raw_cells as
            select * from read_csv(
                $source, auto_detect = false, header = true, columns = $columns, delim = $delim,
                quote = '"', escape = '"', strict_mode = true, null_padding = false, parallel = true,
                max_line_size = $max_line
            )
            """,
            {
                "source": source,
                "columns": cells,
                "delim": delimiter,
                "max_line": 2 * csv_shape.MAX_LINE_BYTES,
            },
        )
    except duckdb.Error as error:
        raise RefusedExport(
            name, [Problem(name, f"lecture CSV impossible : {error_detail(error)}")]
        ) from None
    finally:
        if temporary:
            os.unlink(temporary)


class _CellRead:
    """_load_cells in a worker thread (DuckDB releases the GIL while it runs a query). Until
    ``wait`` or ``discard`` returns, the worker alone uses the connection.

    The worker's end is an Event it sets itself, not Thread.is_alive(): on Python 3.11 a join()
    interrupted by Ctrl-C marks the still-running thread as stopped."""

    def __init__(self, con, *args) -> None:
        self._con = con
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(con, *args), name="autodiag-read")

    def start(self) -> None:
        self._thread.start()

    def _run(self, *args) -> None:
        try:
            _load_cells(*args)
        except BaseException as error:  # handed to the main thread by wait
            self._error = error
        finally:
            self._done.set()

    def wait(self) -> None:
        """The read's end; its exception, if any, raised here."""
        try:
            self._done.wait()
        except BaseException:  # interrupted while waiting: never leave the worker on the connection
            self.discard()
            raise
        if self._error is not None:
            raise self._error

    def discard(self) -> None:
        """Stop the read (its query is interrupted) and drop what it made."""
        if self._thread.ident is not None:  # started
            # Again until the worker ends: an interrupt before its query starts has no effect
            # (nor on the next query).
            while not self._done.wait(0.05):
                self._con.interrupt()
        self._con.execute("drop table if exists raw_cells")


def _shape_problems(name: str, shape: csv_shape.Shape, width: int, delimiter: str) -> list[Problem]:
    problems = [
        Problem(name, _count_message(fields, width, delimiter), row=row) for row, fields in shape.bad_rows
    ]
    if shape.stopped:
        problems.append(
            Problem(
                name,
                f"lecture arrêtée après {number(MAX_LISTED)} lignes dont le nombre de champs diffère de l'en-tête ({number(width)})",
            )
        )
    if shape.malformed:
        row, malformed = shape.malformed
        problems.append(Problem(name, _malformed_detail(malformed), row=row))
    return problems


def _header_controls(name, data, header, spans, controls) -> list[Problem]:
    problems = []
    for offset in controls:
        index = next((i for i, (s, e) in enumerate(spans) if offset < e), None)
        if index is None:
            break
        problems.append(
            _control_problem(name, 1, _header_label(header, index), header[index], data[offset : offset + 1])
        )
    return problems


def _cell_controls(name, data, shape: csv_shape.Shape, export: RawExport, encoding: str) -> list[Problem]:
    problems = []
    for row, index, offset in shape.controls:
        start, end = shape.spans[row][index]
        value = text_bytes.decode(csv_shape.field_value(data[start:end]), encoding)
        problems.append(
            _control_problem(name, row, _column_label(export, index), value, data[offset : offset + 1])
        )
    return problems


def _control_problem(name: str, row: int, column: str, value: str, byte: bytes) -> Problem:
    return Problem(
        name,
        clean_text.control_message(byte.decode("ascii")),
        row=row,
        column=column,
        value=clean_text.visible(value),
    )


def _column_label(export: RawExport, index: int) -> str:
    return _header_label(export.header, index)


def _header_label(header: list[str], index: int) -> str:
    """A column as messages name it: its header as written (control and invisible characters
    shown), or its position when it has none."""
    text = header[index].strip()
    return clean_text.visible(text) if text else f"n° {index + 1}"


def _read_xlsx(con, name: str, data: bytes, question_ids: set[str]) -> RawExport:
    try:
        frame = pd.read_excel(
            io.BytesIO(data),
            engine="calamine",
            sheet_name=0,
            header=None,
            dtype=object,
            keep_default_na=False,
            na_values=[],  # "NA", "N/A" are answers, not missing values
        )
    except Exception as error:  # calamine raises several types for corrupt workbooks
        raise file_error(
            name, f"classeur XLSX illisible ({type(error).__name__}: {str(error)[:120]})"
        ) from None
    if frame.empty:
        raise file_error(name, "classeur vide (première feuille sans en-tête)")
    header = [_cell_text(v) or "" for v in frame.iloc[0].tolist()]
    export = map_header(name, header, question_ids, "xlsx", None, None)
    body = frame.iloc[1:].map(_cell_text)
    body.columns = [f"c{i}" for i in range(len(header))]
    body = body.astype("object")
    con.register("xlsx_cells", body)
    try:
        con.execute("create or replace temp table raw_cells as select * from xlsx_cells")
    finally:
        con.unregister("xlsx_cells")
    _refuse_xlsx_controls(con, export)
    _build_raw_rows(con, export)
    return export


def _refuse_xlsx_controls(con, export: RawExport) -> None:
    """Control characters in a workbook's cells (written as _x0000_ escapes): refused, with
    row and column, like in a CSV. One scan in DuckDB finds the rows; Python places them."""
    header = export.header
    problems = [
        _control_problem(
            export.name, 1, _header_label(header, i), cell, clean_text.CONTROL.search(cell).group().encode()
        )
        for i, cell in enumerate(header)
        if clean_text.CONTROL.search(cell)
    ]
    cells = ", ".join(f"c{i}" for i in range(len(header)))
    rows = con.execute(
        f"select rowid, [{cells}] from raw_cells where regexp_matches(concat_ws('', {cells}), $pattern) order by rowid limit $limit",
        {"pattern": clean_text.CONTROL_RE2, "limit": MAX_LISTED},
    ).fetchall()
    for record, values in rows:
        for index, value in enumerate(values):
            found = clean_text.CONTROL.search(value or "")
            if found:
                problems.append(
                    _control_problem(
                        export.name, record + 2, _column_label(export, index), value, found.group().encode()
                    )
                )
    if problems:
        raise RefusedExport(export.name, problems[:MAX_LISTED])


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


def map_header(name, header, question_ids, fmt, encoding, delimiter) -> RawExport:
    if len(header) > MAX_COLUMNS:
        raise file_error(name, f"{len(header)} colonnes : au-delà de la limite de {MAX_COLUMNS}")
    if not any(header_key(cell) for cell in header):
        raise RefusedExport(
            name,
            [
                Problem(
                    name,
                    "ligne vide : l'en-tête (code_structure, nom_structure, …) doit être sur la première ligne",
                    row=1,
                )
            ],
        )
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
                label = (
                    "question absente du questionnaire"
                    if QUESTION_PATTERN.fullmatch(cell.strip().upper())
                    else "colonne inconnue"
                )
                warnings.append(Problem(name, f"{label}, ignorée", row=1, column=cell.strip()))
            extra_of[_extra_name(cell, position, extra_of)] = position
            continue
        if canonical in column_of:
            first = header[column_of[canonical]].strip()
            problems.append(
                Problem(
                    name,
                    f"colonne en double : « {first} » (colonne {column_of[canonical] + 1}) et « {cell.strip()} » (colonne {position + 1})",
                    row=1,
                    column=cell.strip(),
                )
            )
            continue
        column_of[canonical] = position
    for required in REQUIRED_IDENTITY:
        if required not in column_of:
            problems.append(Problem(name, "colonne obligatoire absente de l'en-tête", row=1, column=required))
    if problems:
        raise RefusedExport(name, problems)
    return RawExport(name, fmt, encoding, delimiter, header, column_of, warnings, extra_of=extra_of)


def _extra_name(cell: str, position: int, taken: dict[str, int]) -> str:
    """A unique name for an unknown column, kept with a quarantined row: its header, or its position."""
    name = cell.strip() or f"colonne {position + 1}"
    if name.lower() in {n.lower() for n in taken}:
        name = f"{name} (colonne {position + 1})"
    return name


def _build_raw_rows(
    con,
    export: RawExport,
    file_rows: list[int] | None = None,
    expected: int | None = None,
    blank_cells: bool = True,
) -> None:
    """raw_cells (c0..cN, file order) -> raw_rows (canonical layout), blank rows dropped.

    Record i of raw_cells is file row i + 2, or file_rows[i] when given. ``blank_cells`` False:
    the shape check saw no record that could be blank, so none is looked for (that is a scan of
    every cell of the file). raw_rows is a view when nothing needs dropping or renumbering
    (copying 100k rows of 110 cells costs a second).
    Unknown columns are kept in raw_extra_cells (row -> name -> text), so that a quarantined
    row keeps all its values."""
    present = [c for c in export.column_of if QUESTION_PATTERN.fullmatch(c)]
    layout = [*IDENTITY_COLUMNS, *present, *TEXT_COLUMNS]
    selected = ", ".join(
        f"c{export.column_of[c]} as {c}" if c in export.column_of else f"null::varchar as {c}" for c in layout
    )
    any_cell = ", ".join(f"nullif(trim(c{i}), '')" for i in range(len(export.header)))
    if blank_cells:
        records, blank = con.execute(
            f"select count(*), count(*) filter (where coalesce({any_cell}) is null) from raw_cells"
        ).fetchone()
    else:
        records, blank = con.execute("select count(*), 0 from raw_cells").fetchone()
    if expected is not None and records != expected:
        # The shape check and DuckDB split the file differently: never load a guess.
        raise file_error(
            export.name,
            f"lecture CSV incohérente : {number(expected)} lignes de données à la vérification, {number(records)} à la lecture "
            "(guillemets ou fins de ligne inhabituels ?) : réenregistrez le fichier en CSV",
        )
    if file_rows is None and not blank:
        con.execute(
            f"create or replace temp view raw_rows as select rowid + 2 as row_no, rowid as record, {selected} from raw_cells"
        )
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
    _warn_invisible(con, export)


def _warn_invisible(con, export: RawExport) -> None:
    """Zero-width and bidi characters in the header and in names and codes: warnings."""
    for position, cell in enumerate(export.header):
        if clean_text.INVISIBLE.search(cell):
            export.warnings.append(
                Problem(
                    export.name,
                    clean_text.invisible_message(cell),
                    row=1,
                    column=_header_label(export.header, position),
                    value=clean_text.visible(cell),
                )
            )
    rows = con.execute(
        sql_text("ingest/invisible_characters"), {"pattern": clean_text.INVISIBLE_PATTERN}
    ).fetchall()
    for row_no, column, value in rows:
        export.warnings.append(
            Problem(
                export.name,
                clean_text.invisible_message(value),
                row=row_no,
                column=export.header_name(column),
                value=clean_text.visible(value),
            )
        )


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
                Problem(
                    export.name,
                    f"colonne {position + 1} sans nom d'en-tête : {count} valeur(s) ignorée(s)",
                    row=1,
                )
            )
