"""Fuzzing the ingest: whatever the bytes, an export is loaded or refused with problems naming
the file (and the row and column of the cells that are wrong), never a traceback."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import random
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autodiag.ingest.loader import ingest
from tests.data import make_broken as mb
from tests.exports import write_xlsx
from tests.ingest_helpers import count, invoke_cli, make_seeded_db

HEADER = mb.HEADER
MULTI = {"E2_Q01", "E7_Q01", "E8_Q01"}
QUESTIONS = [c for c in HEADER if "_Q" in c]
SCALE_QUESTIONS = [c for c in QUESTIONS if c not in MULTI]
REQUIRED = {"code_structure", "nom_structure", "reseau", "campagne", "date_enregistrement", *QUESTIONS}
OPTIONAL = [c for c in HEADER if c not in REQUIRED]
VALID_SCALE = [
    "Oui",
    "oui",
    "OUI ",
    "Oui, totalement",
    "1",
    "Partiellement",
    "Oui, partiellement",
    "0,75",
    "0.75",
    "Initié",
    "initie",
    "En cours",
    "0,25",
    "0.25",
    "Non",
    "non",
    "0",
    "Non applicable",
    "NA",
    "N/A",
    "Non concerné",
    "",
    "  ",
]
XLSX_NUMBERS = [1, 0.75, 0.25, 0, 1.0]
JUNK_TARGETS = [
    *QUESTIONS,
    "campagne",
    "date_enregistrement",
    "nb_agents_contributeurs",
    "nb_agents_interaction",
]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

junk_text = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs", "Cc")),
        st.sampled_from(
            ['"', ";", ",", "\t", "\n", "\r", "|", "[/]", "[bold]"]
        ),  # CSV syntax, console markup
    ),
    max_size=8,
).map("".join)
codes = itertools.count()


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return make_seeded_db(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz-files")


def respell(draw, column: str) -> str:
    """The same column as a messy export may spell it: case, accents on e, surrounding spaces."""
    name = draw(st.sampled_from([column, column.upper(), column.title(), column.replace("e", "é", 1)]))
    return draw(st.sampled_from(["", " ", "  "])) + name + draw(st.sampled_from(["", " "]))


@st.composite
def exports(draw, variant: str | None = None):
    """An export and what it must give: (format, encoding, delimiter, header, columns, rows, junk cells, dropped).
    variant: "xlsx" or a CSV encoding (drawn when None)."""
    variant = variant or draw(st.sampled_from(["xlsx", *ENCODINGS]))
    fmt, encoding = ("xlsx", None) if variant == "xlsx" else ("csv", variant)
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    dropped = (
        set(draw(st.lists(st.sampled_from(HEADER), max_size=2))) if draw(st.integers(0, 3)) == 0 else set()
    )
    columns = [c for c in HEADER if c not in dropped]
    if draw(st.booleans()):
        columns = draw(st.permutations(columns))
    spelled = {c: c for c in columns}
    for column in draw(st.lists(st.sampled_from(columns), max_size=6)):
        spelled[column] = respell(draw, column)
    rows, junk = [], set()
    batch = next(codes)
    for r in range(draw(st.integers(1, 4))):
        values: dict[str, object] = dict(zip(HEADER, mb.SEED_ROW))
        values["code_structure"] = f"FZ-{batch}-{r}"
        for column in draw(st.lists(st.sampled_from(SCALE_QUESTIONS), max_size=8)):
            pool = VALID_SCALE + (XLSX_NUMBERS if fmt == "xlsx" else [])
            values[column] = draw(st.sampled_from(pool))
        if draw(st.integers(0, 2)) == 0:
            for column in draw(st.lists(st.sampled_from(JUNK_TARGETS), min_size=1, max_size=3)):
                values[column] = draw(junk_text)
                junk.add((r + 2, column))
        if fmt == "xlsx" and draw(st.booleans()):
            values["date_enregistrement"] = dt.datetime(2024, 5, 6, 12, draw(st.integers(0, 59)), 0)
            values["campagne"] = 2024
            values["nb_agents_contributeurs"] = draw(st.integers(0, 500))
        values["E1_points_forts"] = draw(junk_text)  # free text: anything goes
        rows.append([values[c] for c in columns])
    return fmt, encoding, delimiter, [spelled[c] for c in columns], columns, rows, junk, dropped


def write(path: Path, fmt, encoding, delimiter, header, rows) -> Path:
    if fmt == "xlsx":
        return write_xlsx(path.with_suffix(".xlsx"), rows, header=header)
    text = mb.csv_text(header, [[str(v) for v in row] for row in rows], delimiter)
    path.write_bytes(text.encode(encoding, errors="replace"))
    return path


def check_outcome(outcome, path: Path) -> None:
    assert outcome.status in ("loaded", "rejected", "skipped")
    for problem in [*outcome.problems, *outcome.warnings]:
        assert problem.file == str(path)
        assert problem.message and str(problem).startswith(str(path))
        assert problem.row is None or problem.row >= 1


@pytest.mark.parametrize("variant", ["xlsx", *ENCODINGS])
@given(data=st.data())
@SETTINGS
def test_generated_exports_load_or_are_refused_where_they_are_wrong(variant, data, db, folder):
    fmt, encoding, delimiter, header, columns, rows, junk, dropped = data.draw(exports(variant))
    path = write(folder / f"export-{next(codes)}.csv", fmt, encoding, delimiter, header, rows)
    before = count(db, "select count(*) from submissions")
    (outcome,) = ingest(db, [path]).outcomes
    check_outcome(outcome, path)
    added = count(db, "select count(*) from submissions") - before
    canonical = {
        h.strip(): c for h, c in zip(header, columns)
    }  # messages name the header as written, trimmed
    places = {(p.row, canonical.get(p.column, p.column)) for p in outcome.problems}

    if encoding == "utf-16":
        assert outcome.status == "rejected" and "UTF-16" in outcome.problems[0].message
    elif dropped & REQUIRED:
        assert outcome.status == "rejected"
        assert places and {c for _, c in places} <= dropped and {r for r, _ in places} == {1}
    elif junk:
        # refused only for the cells that were spoiled, each named by its row and column
        assert outcome.status == "loaded" or places <= junk, (places, junk)
    else:
        assert outcome.status == "loaded", [str(p) for p in outcome.problems]
    if outcome.status == "loaded":
        assert added == len(rows) and outcome.new == len(rows)
    else:
        assert added == 0


# --- raw bytes ---------------------------------------------------------------------------

HEADER_BYTES = mb.csv_text(HEADER, []).encode()
VALID_XLSX = mb.xlsx_bytes(HEADER, mb.rows({}))


@st.composite
def raw_files(draw):
    kind = draw(st.sampled_from(["bytes", "header+bytes", "zip", "xlsx-flipped", "text"]))
    tail = draw(st.binary(max_size=600))
    if kind == "bytes":
        return tail
    if kind == "header+bytes":
        return HEADER_BYTES + tail
    if kind == "zip":
        return b"PK\x03\x04" + tail
    if kind == "text":
        return draw(st.text(max_size=300)).encode("utf-8", errors="replace")
    data = bytearray(VALID_XLSX)
    for _ in range(draw(st.integers(1, 8))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


@given(data=raw_files(), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
@settings(SETTINGS, max_examples=60)
def test_random_bytes_never_crash(data, suffix, db, folder):
    path = folder / f"octets-{next(codes)}{suffix}"
    path.write_bytes(data)
    before = count(db, "select count(*) from submissions")
    (outcome,) = ingest(db, [path]).outcomes
    check_outcome(outcome, path)
    if outcome.status == "rejected":
        assert outcome.problems and count(db, "select count(*) from submissions") == before


@given(export=exports(), lenient=st.booleans())
@settings(SETTINGS, max_examples=10)
def test_generated_exports_through_the_cli(export, lenient, db, folder):
    fmt, encoding, delimiter, header, columns, rows, junk, dropped = export
    path = write(folder / f"cli-{next(codes)}.csv", fmt, encoding, delimiter, header, rows)
    result = invoke_cli(
        "ingest", path, "--db", db, *(["--lenient"] if lenient else [])
    )  # raises on a traceback
    assert result.exit_code in (0, 1)
    assert str(path) in result.output
    assert (result.exit_code == 1) == ("fichier refusé, base inchangée" in result.stderr)


def test_header_spellings_are_all_accepted():
    """respell() only produces spellings the contract accepts (guards the fuzzer's own oracle)."""
    from autodiag.ingest.columns import canonical_names, header_key

    known = canonical_names(set(QUESTIONS))
    for column in HEADER:
        for name in {column, column.upper(), column.title(), column.replace("e", "é", 1)}:
            assert known[header_key(" " + name + " ")] == column, name


# --- separators, quotes and control characters typed at random places ---------------------

TEXTS = [
    "Accueil chaleureux",
    "Horaires larges ; site à jour",
    'Le projet "Accueil" avance',
    "Deux lignes\net la suite",
    "Virgules, points, etc.",
    "Tabulation\tici",
    "",
    "RAS",
]
TYPED = [";", ";", ",", "\t", '"', '"', "\n", "\r", "\x00", "\x1b", "\x7f"]
TEXT_COLUMNS = [c for c in HEADER if c.endswith(("_points_forts", "_besoin_appui"))]
IDENTITY = ["code_structure", "nom_structure", "reseau", "typologie", "localisation"]


def typed_export(seed: int) -> tuple[str, list[dict[str, str]], str]:
    """(file text, the rows it was written from, the characters typed into it): a valid export
    of three rows, then one or two characters typed at random places of its data rows."""
    rng = random.Random(seed)
    delimiter = rng.choice([";", ",", "\t"])
    rows = []
    for letter in "ABC":
        values = dict(zip(HEADER, mb.SEED_ROW))
        values["code_structure"] = f"FZS-{seed:03d}-{letter}"
        for column in TEXT_COLUMNS:
            values[column] = rng.choice(TEXTS)
        if rng.random() < 0.5:  # the last cells empty, as they often are
            values["E8_points_forts"] = values["E8_besoin_appui"] = ""
        rows.append(values)
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator="\r\n",
        quoting=rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
    )
    writer.writerow(HEADER)
    writer.writerows([[r[c] for c in HEADER] for r in rows])
    text = buffer.getvalue()
    body = text.index("\r\n") + 2
    typed = ""
    for _ in range(rng.randint(1, 2)):
        char = rng.choice([*TYPED, delimiter, delimiter])  # the file's own separator most of all
        openings = [
            i + 1
            for i in range(body, len(text) - 1)
            if text[i] == '"' and text[i - 1] == delimiter and text[i + 1] != '"'
        ]
        if openings and rng.random() < 0.5:  # inside a quoted cell, where a separator is protected
            at = rng.choice(openings) + rng.randint(0, 2)
        else:
            at = rng.randint(body, len(text))
        text, typed = text[:at] + char + text[at:], typed + char
    return text, rows, typed


def compatible(stored: str | None, intended: str | None, typed: str) -> bool:
    """``stored`` is ``intended``, give or take some of the typed characters (a character
    typed inside a quoted cell belongs to it): never another cell's text."""
    stored, intended = (stored or "").strip(), (intended or "").strip()
    # names and codes have their white space made plain spaces
    extra = set(typed) | ({" "} if set(typed) & set("\r\n\t") else set())
    i = 0
    for char in stored:
        if i < len(intended) and char == intended[i]:
            i += 1
        elif char not in extra:
            return False
    return i == len(intended)


def stored_submissions(db: Path, file_name: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        subs = con.execute(
            """
            select s.submission_id, s.code_structure, s.nom_structure, s.reseau, s.typologie, s.localisation,
                s.campagne, s.date_enregistrement, a.codes
            from submissions s join files using (file_id) join answer_sets a using (submission_id)
            where files.name = $name order by s.row_no
            """,
            {"name": file_name},
        ).fetchall()
        texts = con.execute(
            "select submission_id, 'E' || engagement || '_' || field, text from free_texts "
            "where submission_id in (select unnest($ids::integer[]))",
            {"ids": [s[0] for s in subs]},
        ).fetchall()
        seed_codes = con.execute(
            "select codes from answer_sets join submissions using (submission_id) where code_structure = 'STR-24'"
        ).fetchone()[0]
    finally:
        con.close()
    by_id = {s[0]: dict(zip(["id", *IDENTITY, "campagne", "date", "codes"], s)) for s in subs}
    for submission_id, column, text in texts:
        by_id[submission_id][column] = text
    for submission in by_id.values():
        submission["seed_codes"] = seed_codes
    return list(by_id.values())


@pytest.mark.parametrize("seed", range(100))
def test_typed_characters_never_load_shifted_fields(seed, db, folder):
    """Whatever is typed where: the file is refused, or every stored name, answer and free
    text is the one written in its cell (with the typed character when it fell inside it)."""
    text, rows, typed = typed_export(seed)
    path = folder / f"typed-{seed:03d}.csv"
    path.write_bytes(text.encode("utf-8"))
    before = count(db, "select count(*) from submissions")
    (outcome,) = ingest(db, [path]).outcomes
    check_outcome(outcome, path)
    if outcome.status == "rejected":
        assert outcome.problems and count(db, "select count(*) from submissions") == before
        return
    stored = stored_submissions(db, path.name)
    assert len(stored) == len(rows), (typed, [s["code_structure"] for s in stored])
    for submission, intended in zip(stored, rows):
        assert submission["codes"] == submission["seed_codes"], typed  # every answer in its place
        assert submission["campagne"] == 2024
        for column in [*IDENTITY, *TEXT_COLUMNS]:
            assert compatible(submission.get(column), intended[column], typed), (
                column,
                submission.get(column),
                intended[column],
                repr(typed),
            )
