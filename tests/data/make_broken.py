"""Write the corpus of malformed answer exports under tests/data/broken/.

Every file is derived from the valid seed export (data/seed/STR-24_2024.csv) with one
defect, so that a test can name the exact row and column the message must point at.
The output is deterministic (fixed random seeds, fixed workbook dates): run

    .venv/bin/python tests/data/make_broken.py

to rebuild the folder; the test suite also calls ``write_broken`` on a temporary folder
and checks that it gives the committed bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from pathlib import Path

import xlsxwriter

from autodiag.demo.generator import load_seed_row
from autodiag.paths import ROOT

OUT = Path(__file__).resolve().parent / "broken"

_SEED = load_seed_row()
HEADER, SEED_ROW = list(_SEED), list(_SEED.values())


def row(code: str, **cells: str) -> list[str]:
    """The seed row as structure ``code``, with some cells changed."""
    values = dict(zip(HEADER, SEED_ROW))
    values["code_structure"] = code
    values.update(cells)
    return [values[c] for c in HEADER]


def rows(*changed: dict[str, str], first: int = 100) -> list[list[str]]:
    """One row per dict of changes, codes STR-100, STR-101, …"""
    return [row(f"STR-{first + i}", **c) for i, c in enumerate(changed)]


def csv_text(header: list[str], body: list[list[str]], delimiter: str = ";") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue()


def csv_bytes(
    header: list[str], body: list[list[str]], delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    return csv_text(header, body, delimiter).encode(encoding)


def without(column: str) -> tuple[list[str], list[list[str]]]:
    position = HEADER.index(column)
    body = rows({}, {})
    return HEADER[:position] + HEADER[position + 1 :], [r[:position] + r[position + 1 :] for r in body]


def xlsx_bytes(header: list[str], body: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": dt.datetime(2024, 6, 30, 12, 0, 0)})
    sheet = workbook.add_worksheet("Réponses")
    for r, values in enumerate([header, *body]):
        for c, value in enumerate(values):
            if value != "":
                sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def rezip(data: bytes, change) -> bytes:
    """The same ZIP with each member passed through ``change(name, bytes)``, fixed dates."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=(2024, 6, 30, 12, 0, 0))
            target.writestr(member, change(info.filename, source.read(info)))
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in files.items():
            target.writestr(zipfile.ZipInfo(name, date_time=(2024, 6, 30, 12, 0, 0)), content)
    return out.getvalue()


def truncated_in_quote() -> bytes:
    """Three rows; the file stops inside the quoted free text of row 3."""
    body = rows({}, {}, {"E1_points_forts": "Accueil ; horaires élargis\net « guichet unique »"})
    text = csv_text(HEADER, body)
    return text[: text.index("horaires élargis")].encode("utf-8")


def unterminated_quote() -> bytes:
    """Row 3 opens a quote in nom_structure that is never closed (rows 4-5 follow)."""
    text = csv_text(HEADER, rows({}, {}, {}, {}))
    lines = text.split("\r\n")
    lines[2] = lines[2].replace(";Bibliothèques", ';"Bibliothèques', 1)
    return "\r\n".join(lines).encode("utf-8")


def field_count(delta: int, at_row: int, delimiter: str = ";") -> bytes:
    """Four data rows; the data row on file row ``at_row`` has ``delta`` fields more (or fewer)."""
    body = rows({}, {}, {}, {})
    target = body[at_row - 2]
    body[at_row - 2] = target + ["en trop"] * delta if delta > 0 else target[:delta]
    return csv_bytes(HEADER, body, delimiter)


def empty_lines_then_bad() -> bytes:
    """Empty lines are rows for the user: the bad cell is on file row 6, the 3rd record."""
    lines = csv_text(HEADER, rows({}, {}, {"E1_Q01": "Bof"})).split("\r\n")
    return "\r\n".join(lines[:2] + ["", ""] + lines[2:]).encode("utf-8")


def unnamed_column() -> bytes:
    """A last column without a header that holds a value on row 3."""
    body = [r + [""] for r in rows({}, {})]
    body[1][-1] = "valeur orpheline"
    return csv_bytes(HEADER + [""], body)


MARK = "@SEP@"  # stands for a separator typed without quotes, replaced once the row is written


def unprotected(column: str, delimiter: str = ";", last: str = "", at: int | None = None) -> bytes:
    """Two data rows; in the second (file row 3) the separator is typed into ``column``
    without quotes (in the middle of its text, or at position ``at``), and the last column
    (E8_besoin_appui) is empty or holds ``last``."""
    values = dict(zip(HEADER, row("STR-101")))
    values["E8_besoin_appui"] = last
    text = values[column] if column != "E8_besoin_appui" else last
    cut = len(text) // 2 if at is None else at
    values[column] = text[:cut] + MARK + text[cut:]
    body = [row("STR-100", E8_besoin_appui=last), [values[c] for c in HEADER]]
    # The chosen texts hold no separator, so the writer leaves them unquoted.
    return csv_text(HEADER, body, delimiter).replace(MARK, delimiter).encode("utf-8")


def extra_at_row_end(extra: str) -> bytes:
    """The second data row ends with ``extra`` (separators after its last, empty, cell)."""
    lines = csv_text(HEADER, rows({}, {}, {})).split("\r\n")
    lines[2] += extra
    return "\r\n".join(lines).encode("utf-8")


def missing_separator() -> bytes:
    """Two cells of row 3 run together (a separator deleted), last cell empty: one field short."""
    lines = csv_text(HEADER, rows({}, {})).split("\r\n")
    lines[2] = lines[2].replace(";Oui;", ";Oui", 1)
    return "\r\n".join(lines).encode("utf-8")


def trailing_empty_cells() -> bytes:
    """Rows whose last three cells are empty, with every separator there: the right count."""
    empty = {"E7_besoin_appui": "", "E8_points_forts": "", "E8_besoin_appui": ""}
    return csv_bytes(HEADER, rows(empty, {"E8_besoin_appui": "Formation des agents"}, empty))


def corrupt_sheet_xlsx() -> bytes:
    valid = xlsx_bytes(HEADER, rows({}, {}))
    return rezip(
        valid, lambda name, data: data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data
    )


PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def files() -> dict[str, bytes]:
    """File name -> content, one defect each (see tests/test_broken_input.py for the expected messages)."""
    valid_xlsx = xlsx_bytes(HEADER, rows({}, {}))
    other = csv_bytes(HEADER, [row("STR-200")])
    header_dup = HEADER[:6] + ["Campagne "] + HEADER[6:]
    body_dup = [r[:6] + [r[5]] + r[6:] for r in rows({}, {})]
    return {
        # cell-level (validated in SQL)
        "unknown_scale_label.csv": csv_bytes(HEADER, rows({}, {"E1_Q03": "Peut-être"}, {})),
        "unknown_option.csv": csv_bytes(HEADER, rows({"E2_Q01": "Accueil physique|Pigeon voyageur"})),
        "campaign_not_year.csv": csv_bytes(HEADER, rows({}, {"campagne": "24"})),
        "campaign_unknown_year.csv": csv_bytes(HEADER, rows({"campagne": "1999"})),
        "impossible_date.csv": csv_bytes(
            HEADER, rows({}, {}, {"date_enregistrement": "31/02/2024 10:00:00"})
        ),
        "empty_code.csv": csv_bytes(HEADER, rows({}, {"code_structure": " "})),
        "negative_agents.csv": csv_bytes(HEADER, rows({"nb_agents_contributeurs": "-3"})),
        "non_integer_agents.csv": csv_bytes(HEADER, rows({}, {"nb_agents_interaction": "12,5"})),
        "xlsx_unknown_label.xlsx": xlsx_bytes(HEADER, rows({}, {}, {"E4_Q02": "Bof"})),
        "cp1252_unknown_label.csv": csv_bytes(HEADER, rows({"E5_Q01": "Très peu"}), encoding="cp1252"),
        "not_dates.csv": csv_bytes(
            HEADER, rows({"date_enregistrement": "infinity"}, {"date_enregistrement": "06/05/24 12:22:58"})
        ),
        "markup_in_cell.csv": csv_bytes(HEADER, rows({"E1_Q01": "[/]"}, {"E1_Q02": "[bold red]Oui"})),
        "several_problems.csv": csv_bytes(
            HEADER,
            rows(
                {"E1_Q01": "Bof"},
                {"campagne": "24"},
                {"E8_Q01": "Achats durables|Vélo"},
                {"date_enregistrement": "2024-02-30", "nb_agents_interaction": "beaucoup"},
            ),
        ),
        "empty_lines_then_bad.csv": empty_lines_then_bad(),
        # header
        "missing_required_column.csv": csv_bytes(*without("nom_structure")),
        "missing_question_column.csv": csv_bytes(*without("E3_Q05")),
        "duplicated_column.csv": csv_bytes(header_dup, body_dup),
        "unknown_extra_column.csv": csv_bytes(
            HEADER + ["commentaire_interne"], [r + ["à revoir"] for r in rows({})]
        ),
        "single_column.csv": "\r\n".join(["code_structure", "STR-100"]).encode("utf-8"),
        "blank_first_line.csv": b"\r\n" + csv_bytes(HEADER, rows({})),
        "unnamed_column_with_value.csv": unnamed_column(),
        # row shape
        "too_many_fields.csv": field_count(+1, at_row=3),
        "too_few_fields.csv": field_count(-2, at_row=4),
        "too_many_fields_tab.tsv": field_count(+2, at_row=2, delimiter="\t"),
        "unterminated_quote.csv": unterminated_quote(),
        "truncated.csv": truncated_in_quote(),
        # a separator typed without quotes: refused by the row's field count, nothing else
        "sep_in_code_last_empty.csv": unprotected("code_structure"),
        "sep_in_code_last_filled.csv": unprotected("code_structure", last="Formation des agents"),
        "sep_at_row_start.csv": unprotected("code_structure", at=0),
        "sep_in_name_last_empty.csv": unprotected("nom_structure"),
        "sep_in_answer_last_empty.csv": unprotected("E4_Q02"),
        "sep_in_answer_last_filled.csv": unprotected("E4_Q02", last="Formation des agents"),
        "sep_in_verbatim_last_empty.csv": unprotected("E1_points_forts"),
        "sep_in_verbatim_last_filled.csv": unprotected("E1_points_forts", last="Formation des agents"),
        "sep_in_last_cell.csv": unprotected("E8_besoin_appui", last="Formation des agents"),
        "sep_at_row_end.csv": extra_at_row_end(";"),
        "two_seps_at_row_end.csv": extra_at_row_end(";;"),
        "comma_in_verbatim_last_empty.csv": unprotected("E7_besoin_appui", delimiter=",", at=10),
        "tab_in_verbatim_last_empty.tsv": unprotected("E1_points_forts", delimiter="\t"),
        "missing_separator_last_empty.csv": missing_separator(),
        "trailing_empty_cells.csv": trailing_empty_cells(),
        # control characters (refused, anywhere in the file) and invisible ones (a warning)
        "nul_after_4k.csv": csv_bytes(HEADER, rows({}, {}, {"reseau": "Universités\x00 et écoles"})),
        "nul_in_first_4k.csv": csv_bytes(HEADER, rows({"reseau": "Universités\x00 et écoles"})),
        "escape_in_verbatim.csv": csv_bytes(HEADER, rows({}, {"E2_points_forts": "Accueil \x1b[31mrouge"})),
        "control_in_header.csv": csv_bytes(
            [c if c != "E1_points_forts" else "E1_points\x07_forts" for c in HEADER], rows({})
        ),
        "control_in_xlsx.xlsx": xlsx_bytes(HEADER, rows({}, {"nom_structure": "BU\x00 Clermont"})),
        "zero_width_in_code.csv": csv_bytes(HEADER, rows({"code_structure": "STR-\u200b100"})),
        "bidi_in_name.csv": csv_bytes(HEADER, rows({}, {"nom_structure": "\u202eBU Clermont"})),
        "invisible_in_xlsx.xlsx": xlsx_bytes(HEADER, rows({"reseau": "Universités\u2060 et écoles"})),
        # whole file
        "empty.csv": b"",
        "blank_lines.csv": b"\r\n  \r\n\r\n",
        "header_only.csv": csv_bytes(HEADER, []),
        "binary_junk.csv": random.Random(20240506).randbytes(4096),
        "pdf_renamed.csv": PDF,
        "zip_renamed.xlsx": zip_of({"lisez-moi.txt": b"pas un classeur\n"}),
        "truncated.xlsx": valid_xlsx[: len(valid_xlsx) // 2],
        "corrupt_sheet.xlsx": corrupt_sheet_xlsx(),
        "utf16.csv": csv_text(HEADER, rows({})).encode("utf-16"),
        "utf16le_no_bom.csv": csv_text(HEADER, rows({})).encode("utf-16-le"),
        "not_cp1252.csv": csv_bytes(HEADER, rows({"nom_structure": "Bibliothèque"})).replace(
            "è".encode(), b"\x81"
        ),
        "bom_then_cp1252.csv": b"\xef\xbb\xbf"
        + csv_bytes(HEADER, rows({"nom_structure": "Bibliothèque"}), encoding="cp1252"),
        # re-submissions
        "duplicate_row.csv": csv_bytes(HEADER, [row("STR-100"), row("STR-101"), row("STR-100")]),
        "same_content_a.csv": other,
        "same_content_b.csv": other,
    }


def write_broken(out: Path = OUT) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in files().items():
        path = out / name
        path.write_bytes(content)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_broken():
        print(path.relative_to(ROOT))
