"""The field count of CSV records, read from the bytes with DuckDB's quoting rules (the reader
that loads the cells afterwards): each case is the count DuckDB would see."""

from __future__ import annotations

import csv
import io

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autodiag.ingest import csv_shape


@pytest.fixture(autouse=True, params=["few quotes", "many quotes"])
def quote_path(request, monkeypatch):
    """Every case through both ways of reading a line with quotes."""
    monkeypatch.setattr(csv_shape, "SPARSE_QUOTES", 10**6 if request.param == "few quotes" else -1)


def shape(data: bytes, delimiter: bytes = b";"):
    record = csv_shape.read_record(data, 0, delimiter)
    return (
        record if isinstance(record, csv_shape.Malformed) else (record.fields, data[record.end : record.next])
    )


@pytest.mark.parametrize(
    "line, fields",
    [
        (b"a;b;c\r\n", 3),
        (b"a;b;\r\n", 3),  # an empty last cell is a field
        (b"a;b;;\r\n", 4),  # and so is a second one: DuckDB would drop it silently
        (b'a;"b;c";d\n', 3),
        (b'a;"b ""c"" ; d";e\n', 3),
        (b'a;"b\nc";d\n', 3),  # a line end inside quotes
        (b'a; "b;c" ;d\n', 3),  # spaces around a quoted field (DuckDB's reading)
        (b'a;b"c;d\n', 3),  # a quote inside an unquoted field is a character
        (b'a;b"c";d"e\n', 3),
        (b'"";"";""\n', 3),
        (b";;\n", 3),
        (b"a;b", 2),  # the last record of a file without a final line end
    ],
)
def test_fields_are_counted_outside_quotes(line, fields, tmp_path):
    counted, _ = shape(line)
    assert counted == fields
    # the same count as DuckDB's reader when it is strict about it (here: one column per field)
    path = tmp_path / "one.csv"
    path.write_bytes(line)
    columns = {f"c{i}": "VARCHAR" for i in range(fields)}
    rows = (
        duckdb.connect()
        .execute(
            "select * from read_csv($p, header = false, auto_detect = false, columns = $c, delim = ';', quote = '\"', "
            "escape = '\"', strict_mode = true, null_padding = false)",
            {"p": str(path), "c": columns},
        )
        .fetchall()
    )
    assert len(rows) == 1 and len(rows[0]) == fields


def test_line_ends_cr_lf_and_lone_cr():
    assert shape(b"a;b\r\nc") == (2, b"\r\n")
    assert shape(b"a;b\rc;d;e\n") == (2, b"\r")
    assert shape(b"a;b\nc") == (2, b"\n")


@pytest.mark.parametrize(
    "data, kind, at",
    [
        (b'a;"b;c\nd;e\n', "unclosed", 2),
        (b'"abc', "unclosed", 0),
        (b'a;"b"c;d\n', "after_quote", 5),
    ],
)
def test_malformed_records(data, kind, at):
    assert shape(data) == csv_shape.Malformed(kind, at)


def test_a_record_over_the_line_limit_is_malformed_without_reading_on(monkeypatch):
    monkeypatch.setattr(csv_shape, "MAX_LINE_BYTES", 100)
    assert shape(b"x;" * 100 + b"\n") == csv_shape.Malformed("too_long", 0)
    assert shape(b'a;"' + b"x" * 200 + b'"\n') == csv_shape.Malformed("too_long", 2)
    assert shape(b"x;" * 40 + b"\n")[0] == 41


def test_blank_lines_are_rows():
    assert csv_shape.skip_blank(b"\r\n\r\n\nx", 0) == (5, 3)
    assert csv_shape.skip_blank(b"\r\rx", 0) == (2, 2)
    assert csv_shape.skip_blank(b"x", 0) == (0, 0)


def test_scan_rows_numbers_rows_as_a_spreadsheet_does():
    data = b'a;b\n1;2\n\n3;"x\ny"\n4;5;6\n7;8\n'
    result = csv_shape.scan_rows(data, 4, b";", 2, [])
    assert result.records == 4 and result.blank
    assert result.rows == [2, 4, 5, 6]
    assert result.bad_rows == [(5, 3)]


def test_control_characters_are_placed_in_their_field():
    data = b"a;b;c\n1;x\x00y;3\n"
    result = csv_shape.scan_rows(data, 6, b";", 3, [data.index(b"\x00")])
    assert result.controls == [(2, 1, 9)]
    # not in a row of the wrong shape: that row gets its field count only
    data = b"a;b;c\n1;x\x00y;3;4\n"
    result = csv_shape.scan_rows(data, 6, b";", 3, [data.index(b"\x00")])
    assert result.controls == [] and result.bad_rows == [(2, 4)]


# Records DuckDB reads as blank (every cell empty once trimmed; trim() removes Unicode spaces
# too), and records it does not.
BLANK_RECORDS = [b";;", b' ; "" ;  ', b'"\xc2\xa0";;', b"\xe3\x80\x80;\xc2\xa0;", b'" ";" ";""']
FILLED_RECORDS = [b"x;;", b';"""";', b";\t;", b"STR-1;a;b", b';"a;b";']


@pytest.mark.parametrize("record", BLANK_RECORDS + FILLED_RECORDS)
def test_a_record_duckdb_reads_as_blank_is_flagged(tmp_path, record):
    """The shape check's maybe_blank lets reading skip the scan for blank records: it must be
    set for every record that DuckDB reads as blank."""
    data = b"a;b;c\r\n" + record + b"\r\n"
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    (blank,) = (
        duckdb.connect()
        .execute(
            "select coalesce(nullif(trim(a), ''), nullif(trim(b), ''), nullif(trim(c), '')) is null "
            "from read_csv(?, delim = ';', header = true, all_varchar = true, quote = '\"', escape = '\"')",
            [str(path)],
        )
        .fetchone()
    )
    assert blank == (record in BLANK_RECORDS)
    result = csv_shape.scan_rows(data, 7, b";", 3, [])
    assert result.records == 1
    if blank:
        assert result.maybe_blank
    # a superset: blanks, quotes and delimiters alone are flagged even when DuckDB reads a cell
    assert result.maybe_blank == (record in BLANK_RECORDS or record in (b";\t;", b';"""";'))


def test_records_with_cells_are_not_flagged():
    data = b'a;b\r\n1;"x ; y"\r\n2;\r\n;3\r\n'
    assert not csv_shape.scan_rows(data, 5, b";", 2, []).maybe_blank


def _record_by_record(data: bytes, pos: int, width: int) -> csv_shape.Shape:
    return csv_shape.scan_rows(data, pos, b";", width, [len(data) + 1])  # a control offset: no fast path


@given(
    st.lists(
        st.sampled_from([b"a", b"b", b";", b'"', b'""', b" ", b"\r\n", b"\n", b"\r", b"\xc2\xa0"]),
        max_size=40,
    )
)
@settings(max_examples=1500, deadline=None)
def test_the_whole_file_scan_agrees_with_the_record_by_record_scan(parts):
    """On any bytes, the fast path answers only when it is sure, and then as the exact scan."""
    body = b"".join(parts)
    data = b"x;y\r\n" + body
    exact = _record_by_record(data, 5, 2)
    for width in (1, 2, 3):
        fast = csv_shape._scan_regular(data, 5, b";", width, 2)
        exact = _record_by_record(data, 5, width)
        if fast is not None:
            assert (fast.records, fast.rows, fast.blank, fast.bad_rows, fast.malformed, fast.maybe_blank) == (
                exact.records,
                exact.rows,
                exact.blank,
                exact.bad_rows,
                exact.malformed,
                exact.maybe_blank,
            )


@given(
    st.lists(st.sampled_from([b"a", b";", b'"', b'""', b'"x;y"', b" ", b"\r\n", b"\n", b"\r"]), max_size=40),
    st.integers(1, 9),
)
@settings(max_examples=800, deadline=None)
def test_the_whole_file_scan_does_not_depend_on_its_chunks(parts, chunk):
    """Records, quoted fields and line ends across chunk boundaries count as in one chunk."""
    data = b"x;y\r\n" + b"".join(parts)
    for width in (1, 2, 3):
        whole = csv_shape._scan_regular(data, 5, b";", width, 2)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(csv_shape, "CHUNK", chunk)
            assert csv_shape._scan_regular(data, 5, b";", width, 2) == whole


@pytest.mark.parametrize(
    "body", [b'1;"a;b"\r\n"x""y";2\r\n\r\n3;"multi\r\nline"\r\n', b"1;2\n3;4", b'"";""\r\n']
)
def test_the_whole_file_scan_takes_regular_files(body):
    data = b"x;y\r\n" + body
    fast = csv_shape._scan_regular(data, 5, b";", 2, 2)
    exact = _record_by_record(data, 5, 2)
    assert fast is not None
    assert (fast.records, fast.rows, fast.blank) == (exact.records, exact.rows, exact.blank)


def test_a_last_record_without_line_end_may_end_with_an_empty_field_after_quotes():
    data = b'x;y\r\n"a";'
    assert shape(data[5:]) == (2, b"")
    assert _record_by_record(data, 5, 2).malformed is None


CELL = st.text(alphabet='ab;" \n\xa0', max_size=5)


@given(
    st.lists(st.lists(CELL, min_size=1, max_size=3), max_size=6),
    st.sampled_from(["\r\n", "\n"]),
    st.booleans(),
)
@settings(max_examples=800, deadline=None)
def test_the_whole_file_scan_agrees_on_quoted_exports(rows, line_end, final_line_end):
    """Exports as csv.writer writes them (quotes where needed, blank lines for empty rows)."""
    text = io.StringIO()
    csv.writer(text, delimiter=";", lineterminator=line_end).writerows(rows)
    body = text.getvalue().encode()
    if not final_line_end and body.endswith(line_end.encode()):
        body = body[: -len(line_end)]
    data = b"x;y\r\n" + body
    for width in (1, 2, 3):
        fast = csv_shape._scan_regular(data, 5, b";", width, 2)
        exact = _record_by_record(data, 5, width)
        if fast is not None:
            assert (fast.records, fast.rows, fast.blank, fast.maybe_blank) == (
                exact.records,
                exact.rows,
                exact.blank,
                exact.maybe_blank,
            )
            assert not exact.bad_rows and exact.malformed is None
