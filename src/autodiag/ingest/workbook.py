"""Reading a workbook (XLSX) within bounds.

The reader (calamine, in Rust) allocates a dense table of every cell from A1 to the farthest
cell that holds a value, and aborts the whole process when that allocation fails: a 3 KiB
workbook with one value at XFD1048576 would end the command with a Rust backtrace. So a
workbook is first looked at from its ZIP directory and its first sheet's XML, streamed (sizes,
the farthest cells, formulas never calculated), and refused past the limits with a message
naming the file; then it is read in a child process whose memory is capped, so that whatever
the checks miss becomes the refusal of that one file, never an abort of the command.
"""

from __future__ import annotations

import io
import pickle
import re
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass, field

from autodiag.formatting import number
from autodiag.ingest.problems import Problem, RefusedExport, file_error

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # the input limit, once the workbook is inflated
MAX_ROWS = 1_048_576  # a sheet's own limit, header included
# A workbook is read as a dense table: its range (rows x columns up to the farthest value) must
# be mostly filled. Below MIN_SPARSE_CELLS any range is read.
MIN_SPARSE_CELLS = 1_000_000
MAX_EMPTY_RATIO = 8  # range cells per cell holding a value, at most
MAX_LISTED = 1000
CHUNK = 4 * 1024 * 1024
# The child's address space: a base for Python and the reader, and a multiple of the sheet's XML.
CHILD_BASE_MEMORY = 1024 * 1024 * 1024
CHILD_MEMORY_PER_BYTE = 10
CHILD_MAX_MEMORY = 8 * 1024 * 1024 * 1024
UNCALCULATED = "formule non calculée : ouvrez et enregistrez le fichier dans un tableur"

_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_CELL_REF = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+)([0-9]+)\"")
_ROW_REF = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"([0-9]+)\"")
# A whole cell element; its content (group 3) tells whether it holds a value or a formula.
_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]+)([0-9]+)\"[^>]*?(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is)[\s>]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class SheetScan:
    """What the first sheet's XML holds, read without building its table."""

    rows: int = 0  # the farthest row with a cell (valued or not)
    columns: int = 0  # the farthest column with a cell
    values: int = 0  # cells holding a value
    uncalculated: list[tuple[int, int]] = field(default_factory=list)  # (row, column), 1-based
    uncalculated_total: int = 0
    xml_bytes: int = 0


def column_number(letters: bytes | str) -> int:
    n = 0
    for char in letters if isinstance(letters, str) else letters.decode("ascii"):
        n = n * 26 + ord(char) - 64
    return n


def column_letters(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_workbook(name: str, data: bytes, max_columns: int) -> SheetScan:
    """Refuse a workbook that cannot be read within the limits; what its first sheet holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
            if inflated > MAX_UNCOMPRESSED_BYTES:
                raise file_error(
                    name,
                    f"classeur trop volumineux une fois décompressé ({number(inflated)} octets, limite "
                    f"{number(MAX_UNCOMPRESSED_BYTES)} octets) : enregistrez l'export en CSV ou découpez-le",
                )
            sheet = _first_sheet(archive)
            if sheet is None:
                raise file_error(name, "classeur XLSX illisible (aucune feuille)")
            scan = _scan_sheet(archive, sheet)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        ValueError,
        NotImplementedError,
        KeyError,
    ) as error:
        raise file_error(
            name, f"classeur XLSX illisible ({type(error).__name__}: {str(error)[:120]})"
        ) from None
    _check_extent(name, scan, max_columns, data)
    return scan


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The XML of the workbook's first sheet (the one read), from workbook.xml and its links."""
    names = set(archive.namelist())
    try:
        with archive.open("xl/workbook.xml") as f:
            found = _SHEET.search(f.read(1024 * 1024))
        with archive.open("xl/_rels/workbook.xml.rels") as f:
            rels = f.read(1024 * 1024)
    except KeyError:
        found = None
    if found:
        rid = re.escape(found.group(1))
        link = re.search(
            rb"<Relationship\b[^>]*?\bId=\"" + rid + rb"\"[^>]*?\bTarget=\"([^\"]+)\"", rels
        ) or re.search(rb"<Relationship\b[^>]*?\bTarget=\"([^\"]+)\"[^>]*?\bId=\"" + rid + rb"\"", rels)
        if link:
            target = link.group(1).decode("utf-8", "replace")
            path = target.lstrip("/") if target.startswith("/") else "xl/" + target
            if path in names:
                return path
    sheets = sorted(
        (n for n in names if re.fullmatch(r"xl/worksheets/sheet[0-9]+\.xml", n)), key=lambda n: int(n[19:-4])
    )
    return sheets[0] if sheets else None


def _scan_sheet(archive: zipfile.ZipFile, sheet: str) -> SheetScan:
    """One streamed pass over the sheet's XML, whole rows at a time (memory: a few chunks).
    Only byte searches and a few steps per row: a regular expression per cell would double
    the reading time of a large workbook."""
    scan = SheetScan()
    carry, tags = b"", None
    with archive.open(sheet) as stream:
        while True:
            chunk = stream.read(CHUNK)
            scan.xml_bytes += len(chunk)
            data = carry + chunk
            if tags is None:
                found = re.search(rb"<(\w+:)?sheetData\b", data)
                if not found and chunk and len(data) < 4 * CHUNK:
                    carry = data
                    continue
                tags = _Tags((found.group(1) or b"") if found else b"")
            cut = data.rfind(tags.row_end) + len(tags.row_end) if chunk else len(data)
            if cut < len(tags.row_end):
                if len(data) < 64 * CHUNK:
                    carry = data
                    continue
                cut = len(data)  # a row of over 256 MiB: scanned as it is
            _scan_rows(data[:cut], scan, tags)
            carry = data[cut:]
            if not chunk:
                return scan


class _Tags:
    """The sheet's tags as bytes, with the namespace prefix it uses (most use none)."""

    def __init__(self, prefix: bytes) -> None:
        self.row_end = b"</" + prefix + b"row>"
        self.row = b"<" + prefix + b"row "
        self.cell = b"<" + prefix + b"c "
        self.values = [b"<" + prefix + t for t in (b"v>", b"v ", b"is>", b"is ")]
        self.formula = b"<" + prefix + b"f"


def _scan_rows(data: bytes, scan: SheetScan, tags: _Tags) -> None:
    if not data:
        return
    # Cells are in column order within a row: each row's last cell is its farthest.
    for row in data.split(tags.row_end):
        at = row.rfind(tags.row)
        if at >= 0:
            found = _ROW_REF.match(row, at)
            if found:
                scan.rows = max(scan.rows, int(found.group(1)))
        at = row.rfind(tags.cell)
        if at >= 0:
            found = _CELL_REF.match(row, at)
            if found:
                scan.columns = max(scan.columns, column_number(found.group(1)))
                scan.rows = max(scan.rows, int(found.group(2)))
    scan.values += sum(data.count(t) for t in tags.values)
    if tags.formula in data:
        for m in _CELL.finditer(data):
            content = m.group(3)
            if content and _FORMULA.search(content) and not _VALUE.search(content):
                scan.uncalculated_total += 1
                if len(scan.uncalculated) < MAX_LISTED:
                    scan.uncalculated.append((int(m.group(2)), column_number(m.group(1))))


def _check_extent(name: str, scan: SheetScan, max_columns: int, data: bytes) -> None:
    """The range the reader would allocate (A1 to the farthest valued cell), within limits."""
    if (
        scan.columns <= max_columns
        and scan.rows <= MAX_ROWS
        and scan.rows * scan.columns <= max(MIN_SPARSE_CELLS, MAX_EMPTY_RATIO * scan.values)
    ):
        return
    # Past a limit, perhaps only because of cells without a value (which the reader skips):
    # find the farthest cells that hold one.
    far_row, far_column, far_cell, header_width = 0, 0, None, 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(_first_sheet(archive)) as stream:
        carry = b""
        while True:
            chunk = stream.read(CHUNK)
            block = carry + chunk
            cut = block.rfind(b"</row>") + 6 if chunk else len(block)
            if cut < 6:
                carry = block
                continue
            for m in _CELL.finditer(block, 0, cut):
                if m.group(3) and (_VALUE.search(m.group(3)) or _FORMULA.search(m.group(3))):
                    row, column = int(m.group(2)), column_number(m.group(1))
                    if row == 1:
                        header_width = max(header_width, column)
                    if row > far_row or column > far_column:
                        far_cell = f"{m.group(1).decode()}{row}"
                    far_row, far_column = max(far_row, row), max(far_column, column)
            carry = block[cut:]
            if not chunk:
                break
    where = f"cellule non vide en {far_cell}" if far_cell else "cellules"
    if header_width > max_columns:  # worded as for a CSV: the header itself is too wide
        raise file_error(name, f"{header_width} colonnes : au-delà de la limite de {max_columns}")
    if far_column > max_columns:
        raise file_error(
            name,
            f"{where}, colonne n° {number(far_column)} : au-delà de la limite de {number(max_columns)} colonnes "
            "(supprimez les cellules hors du tableau, ou enregistrez l'export en CSV)",
        )
    if far_row > MAX_ROWS:
        raise file_error(name, f"{where} : au-delà de la limite de {number(MAX_ROWS)} lignes")
    cells = far_row * far_column
    if cells > max(MIN_SPARSE_CELLS, MAX_EMPTY_RATIO * scan.values):
        raise file_error(
            name,
            f"plage de A1 à {column_letters(far_column)}{far_row} ({number(cells)} cellules) presque vide "
            f"({number(scan.values)} valeurs) : une cellule isolée loin du tableau ({far_cell}) ? "
            "Supprimez les lignes et colonnes hors du tableau, ou enregistrez l'export en CSV",
        )


def uncalculated_problems(name: str, scan: SheetScan, label) -> list[Problem]:
    """A formula cell without a cached value: an error for that cell (``label``: column index -> name)."""
    problems = [
        Problem(name, UNCALCULATED, row=row, column=label(column - 1)) for row, column in scan.uncalculated
    ]
    if scan.uncalculated_total > len(scan.uncalculated):
        problems.append(
            Problem(
                name,
                f"{number(scan.uncalculated_total)} formules non calculées en tout : seules les "
                f"{number(len(scan.uncalculated))} premières sont situées ci-dessus",
            )
        )
    return problems


# The child: no import of the package (it starts in a few tens of milliseconds); its address
# space capped before it reads anything.
_CHILD = r"""
import io, pickle, resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
try:
    data = sys.stdin.buffer.read()
    import python_calamine
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    del data
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    del book
    pickle.dump(rows, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
except MemoryError:
    sys.exit(3)
except Exception as error:
    sys.stderr.write(type(error).__name__ + ": " + str(error)[:200])
    sys.exit(2)
"""


def child_memory(scan: SheetScan) -> int:
    return min(CHILD_MAX_MEMORY, CHILD_BASE_MEMORY + CHILD_MEMORY_PER_BYTE * scan.xml_bytes)


def read_rows(name: str, data: bytes, scan: SheetScan) -> list[list]:
    """The first sheet's cells (a list of rows, values as the reader gives them), read in a
    child process; its failure, whatever it is, is the refusal of this file."""
    memory = child_memory(scan)
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(memory)], input=data, capture_output=True, check=False
        )
    except OSError as error:
        raise file_error(name, f"lecture du classeur impossible : {error.strerror or error}") from None
    if done.returncode == 0:
        try:
            return pickle.loads(done.stdout)
        except Exception:  # a truncated answer: the child died while writing it
            pass
    if done.returncode in (3, -6, 134) or b"memory allocation" in done.stderr:
        raise file_error(
            name,
            f"classeur illisible dans la mémoire permise ({number(memory // (1024 * 1024))} Mo) : "
            "enregistrez l'export en CSV ou découpez-le",
        )
    detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
    said = detail[-1][:160] if detail else f"code de sortie {done.returncode}"
    raise RefusedExport(name, [Problem(name, f"classeur XLSX illisible ({said})")])
