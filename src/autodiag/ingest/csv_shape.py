"""The shape of a CSV export, read from its bytes: where each record starts and ends and how
many fields it has.

The quoting rules are DuckDB's (the reader that loads the cells afterwards): a field is quoted
when its first character other than spaces is a quote, a quote in a quoted field is written
twice, and a quote inside an unquoted field is an ordinary character. Fields are counted here,
not by DuckDB, because DuckDB accepts a row with extra empty fields at its end: a `;` typed in
a verbatim of a row whose last cell is empty would otherwise shift every later free text.

Everything works on the bytes without decoding them (delimiters, quotes and line ends are
ASCII, and in UTF-8 and Windows-1252 an ASCII byte is always that character), and every
regular expression is bounded by MAX_LINE_BYTES: a pathological file costs no more memory than
its bytes, and is refused within seconds. A regular file (quotes where quoting puts them, no lone
CR, not too many quotes and line ends) is checked in whole-array steps instead (numpy, 1 MB at a
time), with the same result; anything else goes record by record.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np

MAX_LINE_BYTES = 1024 * 1024  # one record (header or data row), line end excluded
LINE_ENDS = b"\r\n"
_BLANK = re.compile(rb"[\r\n]++")
_QUOTED = re.compile(rb'"(?:[^"]++|"")*+" *+')  # a quoted field from its opening quote
SPARSE_QUOTES = 16  # quotes on a line up to which they are followed one by one
# A record that DuckDB may read as blank (every cell empty once trimmed): nothing but spaces
# and other ASCII blanks, quotes, delimiters, and non-ASCII bytes (trim() also removes
# Unicode spaces). A superset of the blank records: when no record matches, none is blank.
_MAYBE_BLANK = re.compile(rb'[\x00-\x20\x80-\xff";,]*+')


@dataclass(frozen=True)
class Malformed:
    """A record that cannot be split into fields; reading stops there."""

    kind: str  # "unclosed" (quote open at the end of the file), "too_long", "after_quote"
    at: int  # byte offset of the offending character (or the record start)


@dataclass(frozen=True)
class Record:
    start: int
    end: int  # end of the last field, line end excluded
    next: int  # start of the following record (after the line end)
    fields: int


@functools.cache
def _patterns(delimiter: bytes) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """(record, one field, one field and its delimiter) for ``delimiter``.
    Possessive quantifiers: no backtracking, so a failed match costs one pass."""
    d = re.escape(delimiter)
    quoted = rb' *+"(?:[^"]++|"")*+" *+'
    unquoted = rb'(?! *")[^' + d + rb"\r\n]*+"
    one = rb"(?:" + quoted + rb"|" + unquoted + rb")"
    record = re.compile(one + rb"(?:" + d + one + rb")*+")
    # Each field with the delimiter after it: on a record followed by one more delimiter, the
    # matches tile it exactly, so their number is the number of fields.
    followed = re.compile(one + d)
    return record, re.compile(one), followed


def read_record(data: bytes, pos: int, delimiter: bytes) -> Record | Malformed:
    """The record starting at ``pos`` (not at a line end)."""
    n = len(data)
    nl = data.find(b"\n", pos, pos + MAX_LINE_BYTES + 2)
    line_end = n if nl < 0 and pos + MAX_LINE_BYTES + 2 >= n else nl
    if line_end >= 0 and data.find(b'"', pos, line_end) < 0:
        # No quote: the fields are the delimiters + 1 (the common case, at C speed).
        cr = data.find(b"\r", pos, line_end)
        end = cr if cr >= 0 else line_end
        after = end + 2 if data[end : end + 2] == b"\r\n" else end + 1
        if end - pos > MAX_LINE_BYTES:
            return Malformed("too_long", pos)
        return Record(pos, end, min(after, n), data.count(delimiter, pos, end) + 1)
    if line_end >= 0 and data.count(b'"', pos, line_end) <= SPARSE_QUOTES:
        return _sparse_quotes(data, pos, delimiter)
    record, _, followed = _patterns(delimiter)
    window = min(n, pos + MAX_LINE_BYTES + 1)
    match = record.match(data, pos, window)
    end = match.end() if match else pos
    if end < n and data[end] not in LINE_ENDS:
        if end >= window:
            return Malformed("too_long", pos)
        if end == pos or data[end : end + 1] == delimiter:
            # A quoted field that does not close before the window ends: at the end of the file,
            # an unclosed quote; otherwise a record over the limit (perhaps an unclosed quote).
            return Malformed("unclosed" if window == n else "too_long", end if end == pos else end + 1)
        return Malformed("after_quote", end)
    if end - pos > MAX_LINE_BYTES:
        return Malformed("too_long", pos)
    fields = followed.subn(b"", data[pos:end] + delimiter)[1]
    after = end + 2 if data[end : end + 2] == b"\r\n" else end + 1
    return Record(pos, end, min(after, n), fields)


def _end_at(data: bytes, pos: int, end: int, fields: int) -> Record | Malformed:
    """The record from ``pos`` ending at the line end at ``end``."""
    if end - pos > MAX_LINE_BYTES:
        return Malformed("too_long", pos)
    after = end + 2 if data[end : end + 2] == b"\r\n" else end + 1
    return Record(pos, end, min(after, len(data)), fields)


def _sparse_quotes(data: bytes, pos: int, delimiter: bytes) -> Record | Malformed:
    """A record with a few quotes: the text between quotes is counted at C speed, each quote
    costs one step (a line of 108 quoted fields goes through the regular expressions)."""
    n = len(data)
    window = min(n, pos + MAX_LINE_BYTES + 1)
    sep = delimiter[0]
    fields, p = 1, pos  # p: where the text not yet counted starts
    while True:
        nl = data.find(b"\n", p, window)
        line_end = nl if nl >= 0 else (n if window == n else window)
        q = data.find(b'"', p, line_end)
        stop = line_end if q < 0 else q
        cr = data.find(b"\r", p, stop)
        if cr >= 0 or q < 0:  # the record ends before any further quote
            end = cr if cr >= 0 else line_end
            if end >= window and window < n:  # (at the end of the file, the record just ends)
                return Malformed("too_long", pos)
            return _end_at(data, pos, end, fields + data.count(delimiter, p, end))
        fields += data.count(delimiter, p, q)
        start = q
        while start > pos and data[start - 1] == 0x20:
            start -= 1
        if start > pos and data[start - 1] != sep:
            p = q + 1  # a quote inside an unquoted field is a character
            continue
        match = _QUOTED.match(data, q, window)
        if not match:
            return Malformed("unclosed" if window == n else "too_long", start if start > pos else pos)
        end = match.end()
        following = data[end : end + 1]
        if following == delimiter:
            fields, p = fields + 1, end + 1
        elif end >= window and window < n:
            return Malformed("too_long", pos)
        elif following in (b"\r", b"\n", b""):
            return _end_at(data, pos, end, fields)
        else:
            return Malformed("after_quote", end)


def skip_blank(data: bytes, pos: int) -> tuple[int, int]:
    """(position after the empty lines at ``pos``, how many rows they are)."""
    match = _BLANK.match(data, pos)
    if not match:
        return pos, 0
    end = match.end()
    lf, cr, crlf = data.count(b"\n", pos, end), data.count(b"\r", pos, end), data.count(b"\r\n", pos, end)
    return end, lf + cr - crlf


def field_spans(data: bytes, record: Record, delimiter: bytes) -> list[tuple[int, int]]:
    """(start, end) of each field of a well-formed record."""
    _, one, _ = _patterns(delimiter)
    spans, pos = [], record.start
    while True:
        match = one.match(data, pos, record.end)
        spans.append((pos, match.end()))
        pos = match.end() + 1  # past the delimiter
        if match.end() >= record.end:
            return spans


def field_value(raw: bytes) -> bytes:
    """A field as DuckDB reads it: quotes removed (and doubled quotes undone)."""
    stripped = raw.strip(b" ")
    if stripped.startswith(b'"') and stripped.endswith(b'"') and len(stripped) >= 2:
        return stripped[1:-1].replace(b'""', b'"')
    return raw


def outside_quotes(line: bytes, delimiter: bytes) -> int:
    """How many times ``delimiter`` occurs outside quotes in ``line`` (delimiter detection)."""
    return re.sub(rb'"[^"]*+"?', b"", line).count(delimiter)


@dataclass
class Shape:
    """The data records of a file: how many, on which file rows, and what is wrong."""

    records: int = 0
    rows: list[int] = field(default_factory=list)  # file row of each record, when blank lines exist
    blank: bool = False
    maybe_blank: bool = False  # a record may be blank cells only (_MAYBE_BLANK)
    bad_rows: list[tuple[int, int]] = field(default_factory=list)  # (row, fields)
    stopped: bool = False  # reading stopped after ``limit`` bad rows
    malformed: tuple[int, Malformed] | None = None  # reading stopped at this row
    # (row, field index, offset) of the control characters in well-formed records
    controls: list[tuple[int, int, int]] = field(default_factory=list)
    spans: dict[int, list[tuple[int, int]]] = field(
        default_factory=dict
    )  # row -> field spans (rows with controls)


def scan_rows(
    data: bytes,
    pos: int,
    delimiter: bytes,
    width: int,
    controls: list[int],
    first_row: int = 2,
    limit: int = 1000,
) -> Shape:
    """Check the field count of every data record from ``pos`` (file row ``first_row``), and
    place the control characters at ``controls`` (sorted offsets) in their row and field.
    Stops after ``limit`` bad rows: a file of a million broken rows is refused just as well,
    in less time and memory."""
    if not controls:
        fast = _scan_regular(data, pos, delimiter, width, first_row)
        if fast is not None:
            return fast
    shape = Shape()
    row, n, c = first_row, len(data), 0
    while pos < n:
        after, blank_rows = skip_blank(data, pos)
        if blank_rows:
            shape.blank = True
            row += blank_rows
            pos = after
            continue
        record = read_record(data, pos, delimiter)
        if isinstance(record, Malformed):
            shape.malformed = (row, record)
            return shape
        shape.records += 1
        shape.rows.append(row)
        if not shape.maybe_blank and _MAYBE_BLANK.fullmatch(data, record.start, record.end):
            shape.maybe_blank = True
        if record.fields != width:
            shape.bad_rows.append((row, record.fields))
            if len(shape.bad_rows) >= limit:
                shape.stopped = True
                return shape
        while c < len(controls) and controls[c] < record.next:
            if record.fields == width:  # no column-level message for a row of the wrong shape
                if row not in shape.spans:
                    shape.spans[row] = field_spans(data, record, delimiter)
                spans = shape.spans[row]
                index = next(i for i, (s, e) in enumerate(spans) if controls[c] < e or i == len(spans) - 1)
                shape.controls.append((row, index, controls[c]))
            c += 1
        pos = record.next
        row += 1
    return shape


# --- the same scan on a regular file, in whole-array steps ----------------------------------

_MAYBE_BLANK_START = np.array([bool(_MAYBE_BLANK.fullmatch(bytes([b]))) for b in range(256)])
CHUNK = 1024 * 1024  # bytes compared at a time (the comparison's mask is this big, not the file)


def _pairs(a: np.ndarray, b: np.ndarray, step: int = 65536):
    """(a[i], b[i]) as Python ints, a slice at a time (no list of the whole arrays)."""
    for i in range(0, len(a), step):
        yield from zip(a[i : i + step].tolist(), b[i : i + step].tolist())


def _marks(body: np.ndarray, sep: int, limit: int) -> tuple[list[np.ndarray], list[np.ndarray], int] | None:
    """([offsets of the quotes, CRs and LFs in ``body``], [how many ``sep`` bytes precede each
    quote, each LF], how many ``sep`` bytes in all): int32 arrays, sorted; or None past
    ``limit`` quotes, CRs and LFs in all. One pass, a CHUNK of masks at a time."""
    quotes, returns, newlines, at_quotes, at_newlines = ([] for _ in range(5))
    total = seps = 0
    for start in range(0, len(body), CHUNK):
        chunk = body[start : start + CHUNK]
        mask = (chunk == 0x22) | (chunk == 0x0D) | (chunk == 0x0A)
        total += int(np.count_nonzero(mask))
        if total > limit:  # counted before any offset is listed: a dense chunk costs its mask only
            return None
        inside = np.flatnonzero(mask).astype(np.int32)
        kind = chunk[inside]
        is_quote, is_newline = kind == 0x22, kind == 0x0A
        delimiters = (chunk == sep).view(np.uint8)
        before = _before(delimiters, inside, seps)
        quotes.append(inside[is_quote] + np.int32(start))
        returns.append(inside[kind == 0x0D] + np.int32(start))
        newlines.append(inside[is_newline] + np.int32(start))
        at_quotes.append(before[is_quote])
        at_newlines.append(before[is_newline])
        seps += int(np.count_nonzero(delimiters))
    whole = [
        np.concatenate(p) if p else np.empty(0, np.int32)
        for p in (quotes, returns, newlines, at_quotes, at_newlines)
    ]
    return whole[:3], whole[3:], seps


def _before(delimiters: np.ndarray, inside: np.ndarray, seps: int) -> np.ndarray:
    """For each offset of ``inside`` (sorted, no repeats), ``seps`` + the delimiters of the
    chunk before it: sums between consecutive offsets, then running totals."""
    if not len(inside):
        return np.empty(0, np.int32)
    between = np.add.reduceat(delimiters, inside, dtype=np.int32)  # int32: offsets are int32 too
    head = seps + int(np.count_nonzero(delimiters[: inside[0]]))
    return head + np.cumsum(between, dtype=np.int32) - between


def _scan_regular(data: bytes, pos: int, delimiter: bytes, width: int, first_row: int) -> Shape | None:
    """scan_rows' Shape for a regular file, or None (the record-by-record scan then decides).

    Regular: no lone CR, every record of the right field count and under MAX_LINE_BYTES, and
    every quote where quoting rules put it: an opening quote right after a delimiter or a line
    end (or a quote: a doubled one), a closing quote right before a delimiter, a line end or
    the end (or a quote). Then a character is inside quotes exactly when an odd number of
    quotes precede it, and each record's fields are its delimiters outside quotes + 1,
    counted with numpy instead of a Python step per quote (most of a 100 MB file's check)."""
    n = len(data) - pos
    if n <= 0:
        return None
    body = np.frombuffer(data, dtype=np.uint8, offset=pos)
    sep = delimiter[0]
    # Offsets of the quotes, CRs and LFs: at most n / 32 of them (or 65 536 in a small file),
    # else the record-by-record scan: the offsets and the delimiter counts at them cost at
    # most a quarter of the file's size, and the arrays below (a few per line and per quote)
    # stay under it, whatever the file.
    found = _marks(body, sep, max(n // 32, 1 << 16))
    if found is None:
        return None
    (quotes, returns, newlines), (at_quotes, at_newlines), delimiters = found
    if len(returns) and (returns[-1] == n - 1 or (body[returns + 1] != 0x0A).any()):
        return None  # a CR that is not part of a CR LF ends a row too: the record-by-record scan
    if len(quotes) % 2:
        return None
    opening, closing = quotes[0::2], quotes[1::2]
    before = body[opening[opening > 0] - 1]
    after = body[closing[closing < n - 1] + 1]
    if not (np.isin(before, (sep, 0x0A, 0x22)).all() and np.isin(after, (sep, 0x0D, 0x0A, 0x22)).all()):
        return None
    outside = np.searchsorted(quotes, newlines) % 2 == 0
    newlines, at_newlines = newlines[outside], at_newlines[outside]  # line ends outside quotes
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [n]))
    if starts[-1] == n:  # the file ends with a line end: no record after it
        starts, ends = starts[:-1], ends[:-1]
    ends = ends - (body[np.maximum(ends - 1, 0)] == 0x0D) * (ends > starts)  # CR LF: the CR is the line end
    if (ends - starts > MAX_LINE_BYTES).any():
        return None
    # Fields: the delimiters of the line, less those inside its quoted fields, + 1, from the
    # delimiters before each line end and each quote (no Python step per line or per quote).
    # A line end holds no delimiter: a line's are the count at its end less the count at the
    # previous line's end.
    fields = np.diff(np.concatenate(([0], at_newlines, [delimiters])).astype(np.int64))[: len(starts)] + 1
    spans = at_quotes[1::2] - at_quotes[0::2]  # delimiters inside each quoted field
    quoted = spans > 0
    if quoted.any():
        line_of_quote = np.searchsorted(starts, opening[quoted], side="right") - 1
        fields -= np.bincount(line_of_quote, weights=spans[quoted], minlength=len(starts)).astype(np.int64)
    filled = ends > starts
    if (fields[filled] != width).any():
        return None  # rows of the wrong shape: the record-by-record scan lists them
    shape = Shape()
    rows = np.arange(first_row, first_row + len(starts))[filled]
    shape.records = len(rows)
    shape.rows = rows.tolist()
    shape.blank = bool((~filled).any())
    # A record starting with a byte that no blank record holds is not blank (most of them).
    candidates = _MAYBE_BLANK_START[body[starts[filled]]]
    shape.maybe_blank = any(
        _MAYBE_BLANK.fullmatch(data, pos + s, pos + e)
        for s, e in _pairs(starts[filled][candidates], ends[filled][candidates])
    )
    return shape
