"""The bytes of a CSV export as text: binary files told apart, the encoding found (UTF-8,
UTF-8 with BOM or Windows-1252) and a UTF-8 copy made for DuckDB. Everything goes by chunks:
the file is never decoded whole (a decoded copy would cost one to four times its size)."""

from __future__ import annotations

import codecs
import os
import tempfile

from autodiag.ingest import clean_text
from autodiag.ingest.problems import file_error

CHUNK = 1 << 20  # bytes decoded at a time
_CP1252_DECODE = codecs.lookup("cp1252").decode


def reject_binary(name: str, data: bytes) -> None:
    """Refuse what is not text at all, judged on the first 4 KiB."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        raise file_error(name, "document PDF, pas un export CSV ou XLSX")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (head.count(b"\x00") > len(head) // 4):
        raise file_error(name, "encodage UTF-16 non pris en charge : réenregistrez le fichier en CSV UTF-8")
    # A text with a stray control character is told where it is (row, column); a file made
    # of them is not text at all.
    controls = clean_text.control_count(head)
    if (b"\x00" in head and controls > max(4, len(head) // 100)) or head.startswith(
        (b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"\x89PNG")
    ):
        raise file_error(
            name,
            "fichier binaire, pas un export CSV ou XLSX (ancien format .xls ? réenregistrez en XLSX ou CSV)",
        )


def detect_encoding(name: str, data: bytes) -> str:
    """utf-8, utf-8-sig or cp1252, checked by chunks: no decoded copy of the whole file."""
    if data.startswith(b"\xef\xbb\xbf"):
        error = _utf8_error(data, 3)
        if error is not None:
            raise file_error(name, f"marque UTF-8 en tête mais contenu non UTF-8 (octet {error})")
        return "utf-8-sig"
    if _utf8_error(data, 0) is None:
        return "utf-8"
    error = _cp1252_error(data)
    if error is not None:
        raise file_error(
            name,
            f"encodage non reconnu (ni UTF-8 ni Windows-1252, octet 0x{data[error]:02x} en position {error})",
        )
    return "cp1252"


def _utf8_error(data: bytes, start: int) -> int | None:
    """Offset of the first byte that is not UTF-8, or None."""
    view, pos, n = memoryview(data), start, len(data)
    while pos < n:
        chunk = view[pos : pos + CHUNK]
        try:
            _, used = codecs.utf_8_decode(chunk, "strict", pos + CHUNK >= n)
        except UnicodeDecodeError as error:
            return pos + error.start
        if used == 0:  # a sequence cut by the chunk's end, at the end of the file
            return pos
        pos += used
    return None


def _cp1252_error(data: bytes) -> int | None:
    view = memoryview(data)
    for pos in range(0, len(data), CHUNK):
        try:
            _CP1252_DECODE(view[pos : pos + CHUNK])
        except UnicodeDecodeError as error:
            return pos + error.start
    return None


def decode(data: bytes, encoding: str) -> str:
    """A small part of the file (a header, a cell) as text."""
    return data.decode("utf-8" if encoding == "utf-8-sig" else encoding)


def utf8_copy(data: bytes, encoding: str) -> str:
    """A UTF-8 copy of the file for DuckDB, written by chunks."""
    handle, temporary = tempfile.mkstemp(suffix=".csv", prefix="autodiag-")
    view = memoryview(data)
    with os.fdopen(handle, "wb") as f:
        for pos in range(0, len(data), CHUNK):
            chunk = view[pos : pos + CHUNK]
            f.write(chunk if encoding != "cp1252" else bytes(chunk).decode("cp1252").encode("utf-8"))
    return temporary
