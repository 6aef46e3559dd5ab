"""Loading answer exports, many files at a time.

Each file is all or nothing (or, when lenient, its valid rows loaded and its invalid rows
quarantined whole), and a file already loaded is recognised by its SHA-256. What does not
depend on a file is paid once per batch of files, not once per file: the files of a batch
are read into one table (run_rows, a file number on each row), checked together, and the
valid ones are written and scored in one transaction. A file with a problem is left out of
that transaction; when anything fails for the batch as a whole, its files are taken again
one at a time, so that "this file refused, the others loaded" holds as with one transaction
per file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from autodiag.errors import error_detail
from autodiag.ingest import clean_text, file_stats
from autodiag.ingest.columns import IDENTITY_COLUMNS, TEXT_COLUMNS
from autodiag.ingest.plain_csv import PLAIN_MAX_BYTES, blank_test, plain_header, selected_columns
from autodiag.ingest.problems import Problem, RefusedExport, file_error
from autodiag.ingest.reading import RawExport, check_size, extra_cells, read_export
from autodiag.paths import sql_text
from autodiag.referentiel.questionnaires import load_campaign_windows
from autodiag.referentiel.rule_tables import load_network_names
from autodiag.scoring import wide_sql
from autodiag.scoring.store import open_writer, score_input, transaction

EXPORT_SUFFIXES = {".csv", ".xlsx", ".txt", ".tsv"}
# A batch: at most this many files and bytes (memory, and the work a kill would undo). Planning
# a batch's coding and scoring queries costs ~0.1 s whatever its size: 1,000 one-site files
# pay it once.
BATCH_FILES = 1000
BATCH_BYTES = 32 * 1024 * 1024
# A time followed by a time zone (Z, +02:00, +0200): never read without it. An ISO date and time
# with a real offset (at most 14 hours) is converted to Paris time; any other is impossible.
ZONED_DATE = r"[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)? ?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$"
PARIS_CONVERTIBLE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)? ?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)$"


@dataclass
class FileOutcome:
    path: Path
    status: str  # loaded, skipped (already loaded), rejected
    rows: int = 0
    new: int = 0
    unchanged: int = 0
    duplicates: int = 0
    superseded: list[tuple] = field(default_factory=list)  # (code, campagne, old date, new date)
    quarantined: int = 0
    warnings: list[Problem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def total(self, attribute: str) -> int:
        return sum(getattr(o, attribute) for o in self.outcomes)

    @property
    def superseded(self) -> list[tuple]:
        return [s for o in self.outcomes for s in o.superseded]

    @property
    def ok(self) -> bool:
        return self.count("rejected") == 0


@dataclass
class _Entry:
    """One file of a batch while it is read, checked and loaded."""

    no: int  # file_no in run_rows
    path: Path
    data: bytes | None = None
    sha256: str = ""
    stat: os.stat_result | None = None
    read: bool = False  # its bytes were read by this run (data may be released since)
    export: RawExport | None = None
    outcome: FileOutcome | None = None

    def refuse(self, problems: list[Problem], rows: int = 0) -> None:
        warnings = list(self.export.warnings) if self.export and rows else []
        self.outcome = FileOutcome(self.path, "rejected", rows=rows, problems=problems, warnings=warnings)


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the exports found under folders (sorted, recursive)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(Path(p) for p in sorted(_exports_under(str(path)), key=lambda p: p.split(os.sep)))
        else:
            found.append(path)
    return found


def _exports_under(folder: str) -> Iterable[str]:
    """The export files under ``folder``, as text (a national folder holds 18,000 files: no stat
    per file, the directory listing says what is a file)."""
    try:
        listing = os.scandir(folder)
    except PermissionError:  # as pathlib's rglob: an unreadable folder is skipped
        return
    with listing as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):  # a linked folder is not followed (no loop)
                yield from _exports_under(entry.path)
            elif (
                entry.is_file()
                and os.path.splitext(entry.name)[1].lower() in EXPORT_SUFFIXES
                and not entry.name.startswith((".", "~$"))
            ):
                yield entry.path


def ingest(
    db_path: Path,
    paths: Iterable[Path],
    *,
    lenient: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    with open_writer(db_path) as con:
        question_ids = _question_ids(con)  # the questionnaires do not change during a run
        first_of_content: dict[str, FileOutcome] = {}  # SHA-256 -> outcome of its first file in the run
        known = file_stats.Known.read(con)
        for batch in _batches(expand_paths(paths)):
            for outcome in _ingest_batch(con, batch, question_ids, lenient, first_of_content, known):
                report.outcomes.append(outcome)
                if on_file:
                    on_file(outcome)
    return report


def ingest_file(
    con: duckdb.DuckDBPyConnection, path: Path, question_ids: set[str], *, lenient: bool = False
) -> FileOutcome:
    """One file alone (a batch of one)."""
    (outcome,) = _ingest_batch(con, [(path, None)], question_ids, lenient, {})
    return outcome


def _batches(files: list[Path]) -> Iterable[list[tuple[Path, os.stat_result | None]]]:
    """Consecutive files with their stat, BATCH_FILES or BATCH_BYTES at most; a large file alone."""
    batch: list[tuple[Path, os.stat_result | None]] = []
    size = 0
    for path in files:
        try:
            stat = os.stat(path)
            length = stat.st_size
        except OSError:
            stat, length = None, 0  # read_bytes says why, in its batch
        if batch and (len(batch) >= BATCH_FILES or size + length > BATCH_BYTES or length > PLAIN_MAX_BYTES):
            yield batch
            batch, size = [], 0
        batch.append((path, stat))
        size += length
        if length > PLAIN_MAX_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _ingest_batch(
    con,
    paths: list[tuple[Path, os.stat_result | None]],
    question_ids: set[str],
    lenient: bool,
    first_of_content: dict,
    known: file_stats.Known | None = None,
) -> list[FileOutcome]:
    started = time.time_ns()  # the files were looked at (stat) just before
    entries = [_Entry(no, path, stat=stat) for no, (path, stat) in enumerate(paths)]
    if known is not None:
        for entry in entries:  # unchanged since read, and its content in the base: not read again
            entry.sha256 = known.loaded_sha(entry.path, entry.stat)
            if entry.sha256:
                entry.outcome = FileOutcome(entry.path, "skipped")
                first_of_content.setdefault(entry.sha256, entry.outcome)
    twins: list[tuple[_Entry, FileOutcome | _Entry]] = []
    fresh = []
    for entry in entries:
        if not entry.sha256:
            _read_bytes(entry)
        if entry.outcome:
            continue
        earlier = first_of_content.get(entry.sha256)
        if earlier is not None:
            twins.append((entry, earlier))
            continue
        first_of_content[entry.sha256] = entry
        fresh.append(entry)
    loaded = (
        {
            r[0]
            for r in con.execute(
                "select sha256 from files where list_contains($shas, sha256)",
                {"shas": [e.sha256 for e in fresh]},
            ).fetchall()
        }
        if fresh
        else set()
    )
    for entry in fresh:
        if entry.sha256 in loaded:
            entry.outcome = FileOutcome(entry.path, "skipped")
    _run(con, [e for e in fresh if not e.outcome], question_ids, lenient)
    for entry in fresh:
        first_of_content[entry.sha256] = entry.outcome
    for entry, earlier in twins:
        first = earlier.outcome if isinstance(earlier, _Entry) else earlier
        if first.status == "rejected":
            entry.outcome = FileOutcome(
                entry.path, "rejected", rows=first.rows, problems=first.problems, warnings=first.warnings
            )
        else:
            entry.outcome = FileOutcome(entry.path, "skipped")
    file_stats.record(
        con,
        [(e.path, e.stat, e.sha256) for e in entries if e.read and e.outcome.status in ("loaded", "skipped")],
        started,
    )
    return [entry.outcome for entry in entries]


def _read_bytes(entry: _Entry) -> None:
    try:
        if entry.stat is None:
            entry.stat = os.stat(entry.path)
        check_size(str(entry.path), entry.stat.st_size)
        entry.data = entry.path.read_bytes()
    except OSError as error:
        entry.refuse([Problem(str(entry.path), f"lecture impossible : {error.strerror or error}")])
        return
    except RefusedExport as error:
        entry.refuse(error.problems)
        return
    entry.sha256 = hashlib.sha256(entry.data).hexdigest()
    entry.read = True


def today() -> dt.date:
    """Today in Paris (a submission dated after it is refused)."""
    return dt.datetime.now(ZoneInfo("Europe/Paris")).date()


def _question_ids(con) -> set[str]:
    return {r[0] for r in con.execute("select distinct question_id from referentiel_questions").fetchall()}


def _run(con, entries: list[_Entry], question_ids: set[str], lenient: bool) -> None:
    """Read, check and load ``entries``; set each one's outcome."""
    if not entries:
        return
    if len(entries) == 1:
        entries[0].no = 0  # a file alone: run_rows is a view over its raw_rows, file_no 0
    try:
        _read_files(con, entries, question_ids)
        live = [e for e in entries if not e.outcome]
        problems = _stage(con, live) if live else {}
    except duckdb.Error as error:
        _retry_alone(con, entries, question_ids, lenient, error)
        return
    live = [e for e in live if not e.outcome]
    clean = [e for e in live if not problems.get(e.no)]
    faulty = [e for e in live if problems.get(e.no)]
    for entry in faulty:
        if not lenient:
            entry.refuse(problems[entry.no], rows=entry.export.rows)
    alone_lenient = lenient and len(entries) == 1 and faulty
    to_load = live if alone_lenient else clean
    if to_load:
        try:
            _load(con, to_load, problems if alone_lenient else {})
        except duckdb.Error as error:
            _retry_alone(con, to_load, question_ids, lenient, error)
    if lenient and not alone_lenient:
        for entry in faulty:  # quarantine needs the file's own cells: each alone
            again = _Entry(0, entry.path, entry.data, entry.sha256)
            _run(con, [again], question_ids, lenient)
            entry.outcome = again.outcome


def _retry_alone(
    con, entries: list[_Entry], question_ids: set[str], lenient: bool, error: duckdb.Error
) -> None:
    """Something failed for the batch as a whole: each file alone, so that one file's trouble
    refuses that file only; a file alone that still fails is refused with the database's answer."""
    if len(entries) == 1:
        # Not a problem of the file that we know of: refuse it (the transaction was rolled
        # back) and go on with the next files, saying what the database answered.
        detail = error_detail(error)
        entries[0].refuse(
            [Problem(str(entries[0].path), f"erreur inattendue de la base, fichier non chargé : {detail}")]
        )
        return
    for entry in entries:
        again = _Entry(0, entry.path, entry.data, entry.sha256)
        _run(con, [again], question_ids, lenient)
        entry.outcome = again.outcome


# --- reading ------------------------------------------------------------------------------


def _read_files(con, entries: list[_Entry], question_ids: set[str]) -> None:
    """Every cell of the entries' files into run_rows (reading.raw_rows' layout, plus file_no).

    A file alone goes through read_export, and run_rows is a view over its raw_rows. In a
    batch, the plain small CSV files that share a header are read in one scan; the others
    through read_export, each copied into run_rows."""
    _drop_temp(con, "run_rows")
    if len(entries) == 1:
        entry = entries[0]
        if _read_alone(con, entry, question_ids):
            con.execute("create or replace temp view run_rows as select 0 as file_no, * from raw_rows")
        entry.data = None  # the cells are in DuckDB now: leave it the memory
        return
    _create_run_rows(con, question_ids)
    groups: dict[tuple, list[tuple[_Entry, str]]] = {}
    heads: dict[tuple, str] = {}
    known: dict = {}
    for entry in entries:
        plain = plain_header(entry.path, entry.data, question_ids, known)
        if plain is not None:
            entry.export, head, body = plain
            key = (entry.export.delimiter, tuple(entry.export.header))
            heads.setdefault(key, head)
            groups.setdefault(key, []).append((entry, body))
            continue
        if _read_alone(con, entry, question_ids):
            con.execute(
                "insert into run_rows by name select $no as file_no, * from raw_rows", {"no": entry.no}
            )
    for key, group in groups.items():
        _read_plain_group(con, heads[key], group, question_ids)


def _read_alone(con, entry: _Entry, question_ids: set[str]) -> bool:
    _drop_temp(con, "raw_rows")  # read_export makes it a view or a table: neither replaces the other
    try:
        entry.export = read_export(con, entry.path, entry.data, question_ids)
    except RefusedExport as error:
        entry.export = None
        entry.refuse(error.problems)
        return False
    return True


def _drop_temp(con, name: str) -> None:
    """Drop temp view or table ``name`` (a view cannot be replaced by a table, nor the reverse)."""
    found = con.execute(
        "select 'view' from duckdb_views() where temporary and view_name = $n "
        "union all select 'table' from duckdb_tables() where temporary and table_name = $n",
        {"n": name},
    ).fetchone()
    if found:
        con.execute(f"drop {found[0]} {name}")


def _create_run_rows(con, question_ids: set[str]) -> None:
    questions = sorted(question_ids, key=lambda q: [int(n) for n in q[1:].split("_Q")])
    columns = ", ".join(
        f"{wide_sql.ident(c)} varchar" for c in (*IDENTITY_COLUMNS, *questions, *TEXT_COLUMNS)
    )
    con.execute(
        f"create or replace temp table run_rows (file_no integer, row_no bigint, record bigint, {columns})"
    )


def _read_plain_group(con, head: str, group: list[tuple[_Entry, str]], question_ids: set[str]) -> None:
    """Files of one header, in one read_csv of their records put end to end under that
    header (a scan per file costs DuckDB milliseconds); blank records dropped, rows numbered
    per file from Python's record counts, checked against DuckDB's."""
    export = group[0][0].export
    width = len(export.header)
    file_of_record = [entry.no for entry, _ in group for _ in range(entry.export.rows)]
    starts, total = [], 0
    for entry, _ in group:
        starts.append(total)
        total += entry.export.rows
    handle, joined = tempfile.mkstemp(suffix=".csv", prefix="autodiag-batch-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as f:
            f.write(head)
            for _, body in group:
                f.write(body if body.endswith(("\n", "\r")) or not body else body + "\r\n")
        con.execute(
            """
            create or replace temp table batch_cells as
            select * from read_csv(
                $source, auto_detect = false, header = true, columns = $columns, delim = $delim,
                quote = '"', escape = '"', strict_mode = true, null_padding = false, parallel = true
            )
            """,
            {
                "source": joined,
                "columns": {f"c{i}": "VARCHAR" for i in range(width)},
                "delim": export.delimiter,
            },
        )
        (records,) = con.execute("select count(*) from batch_cells").fetchone()
    except duckdb.Error:
        records = None
    finally:
        os.unlink(joined)
    if records != total:
        # DuckDB reads these records otherwise than Python's csv did: each file alone says why.
        for entry, _ in group:
            if _read_alone(con, entry, question_ids):
                con.execute(
                    "insert into run_rows by name select $no as file_no, * from raw_rows", {"no": entry.no}
                )
        return
    # Insertion order is kept: record i (rowid) is the file's record i - start, row i - start + 2.
    con.execute(
        f"""
        insert into run_rows by name
        with numbered as (
            select *, $file_of[rowid + 1] as file_no, rowid as record from batch_cells
        )
        select file_no, record - $starts[file_no + 1] + 2 as row_no, record, {selected_columns(export)}
        from numbered
        where not ({blank_test(width)})
        """,
        {"file_of": file_of_record, "starts": _starts_by_no(group, starts)},
    )
    rows = dict(
        con.execute(
            "select file_no, count(*) from run_rows where list_contains($nos, file_no) group by file_no",
            {"nos": [entry.no for entry, _ in group]},
        ).fetchall()
    )
    for entry, _ in group:
        entry.export.rows = rows.get(entry.no, 0)
        if not entry.export.rows:
            entry.refuse(file_error(str(entry.path), "aucune ligne de données sous l'en-tête").problems)


def _starts_by_no(group, starts: list[int]) -> list[int]:
    """Index file_no + 1 -> the file's first record in the joined text."""
    by_no = [0] * (max(entry.no for entry, _ in group) + 1)
    for (entry, _), start in zip(group, starts):
        by_no[entry.no] = start
    return by_no


# --- checking -----------------------------------------------------------------------------


def _stage(con, entries: list[_Entry]) -> dict[int, list[Problem]]:
    """Stage the rows and answer codes of run_rows; return each file's problems, in file order.
    A file missing a question column of its campaign is refused with that alone."""
    con.execute(
        "create or replace temp table campaign_windows as select unnest($rows, recursive := true)",
        {"rows": load_campaign_windows()},
    )
    con.execute("create or replace temp table network_names (written varchar, kept varchar)")
    renamed = load_network_names()
    if renamed:
        con.execute("insert into network_names select unnest($rows, recursive := true)", {"rows": renamed})
    con.execute(
        sql_text("ingest/stage_rows"),
        {
            "edges": clean_text.EDGE_PATTERN,
            "today": today(),
            "zoned": ZONED_DATE,
            "convertible": PARIS_CONVERTIBLE,
        },
    )
    _check_question_columns(con, entries)
    if all(e.outcome for e in entries):
        return {}  # (a file alone lacks columns that the next queries read)
    con.execute(sql_text("ingest/staging_tables"))
    for (version,) in con.execute(
        "select distinct version from staged_rows where version is not null"
    ).fetchall():
        _stage_codes(con, version)
    rows = con.execute(sql_text("ingest/row_problems")).fetchall()
    # Any answer without a code is a problem, so that no row is stored with a hole in it.
    if con.execute("select count(*) from staged_codes where list_count(codes) < len(codes)").fetchone()[0]:
        rows += con.execute(sql_text("ingest/answer_problems")).fetchall()
    by_no = {e.no: e for e in entries}
    for file_no, row_no, column, value, message in con.execute(
        sql_text("ingest/identity_warnings")
    ).fetchall():
        export = by_no[file_no].export if file_no in by_no else None
        if export is not None:
            export.warnings.append(
                Problem(export.name, message, row=row_no, column=export.header_name(column), value=value)
            )
    found: dict[int, list[tuple]] = {}
    for row in rows:
        if row[0] in by_no and not by_no[row[0]].outcome:
            found.setdefault(row[0], []).append(row[1:])
    problems = {}
    for no, file_rows in found.items():
        export = by_no[no].export
        # File order: by row, then by the column's position in the file.
        file_rows.sort(key=lambda r: (r[0], export.column_of.get(r[1], -1)))
        problems[no] = [
            Problem(export.name, message, row=row_no, column=export.header_name(column), value=value)
            for row_no, column, value, message in file_rows
        ]
    return problems


def _stage_codes(con, version: str) -> None:
    """Give each row of the files whose campaign uses questionnaire ``version`` its answer
    codes: first from the cells foreseen (the scale's usual spellings, the multiple-choice
    columns' cells), then, in the rows left with holes, from their other cells."""
    layout = wide_sql.load_layout(con, version)
    con.execute(sql_text("ingest/rows_to_code"), {"version": version, "holes": False})
    con.execute(sql_text("ingest/answer_cells"), {"version": version})
    multi = [slot.question_id for slot in layout.slots if slot.kind == "multi"]
    if multi:
        con.execute(sql_text("ingest/multi_cells"), {"questions": multi})
    _code_rows(con, layout)
    _recode_holes(con, layout)


def _recode_holes(con, layout: wide_sql.Layout) -> None:
    """Code again the rows left with holes, once the cells not foreseen are read. A hole from
    an invalid cell only stays (answer_problems.sql names it): nothing new to read, no pass."""
    version = layout.version
    con.execute(sql_text("ingest/rows_to_code"), {"version": version, "holes": True})
    con.execute(sql_text("ingest/missed_cells"), {"version": version})
    if con.execute("select count(*) from answer_cells").fetchone()[0]:
        con.execute(sql_text("ingest/drop_holes"), {"version": version})
        _code_rows(con, layout)


def _code_rows(con, layout: wide_sql.Layout) -> None:
    """Read the cells of answer_cells as answers (into cell_answers), then code rows_to_code."""
    version = layout.version
    con.execute(sql_text("ingest/normalise_cells"), {"version": version})
    cells: dict[str, tuple[list, list]] = {}
    for question, raw_value, code in con.execute(
        sql_text("ingest/cell_lookups"), {"version": version}
    ).fetchall():
        keys, codes = cells.setdefault(question, ([], []))
        keys.append(raw_value)
        codes.append(code)
    fragments, params = wide_sql.code_lookups(layout, cells)
    con.execute(wide_sql.render(sql_text("ingest/stage_codes"), fragments), {"version": version, **params})


def _check_question_columns(con, entries: list[_Entry]) -> None:
    """Every question of each campaign's questionnaire must have its column in the file."""
    needed = con.execute(
        """
        select r.file_no, q.question_id, r.campagne
        from (select distinct file_no, campagne, version from staged_rows) as r
        inner join referentiel_questions as q using (version)
        order by r.file_no, q.position
        """
    ).fetchall()
    missing: dict[int, dict[str, set]] = {}
    by_no = {e.no: e for e in entries}
    for file_no, question_id, campagne in needed:
        entry = by_no.get(file_no)
        if entry and not entry.outcome and question_id not in entry.export.column_of:
            missing.setdefault(file_no, {}).setdefault(question_id, set()).add(campagne)
    for file_no, questions in missing.items():
        name = by_no[file_no].export.name
        by_no[file_no].refuse(
            [
                Problem(
                    name,
                    f"colonne obligatoire absente (question de la campagne {', '.join(map(str, sorted(c)))})",
                    row=1,
                    column=q,
                )
                for q, c in questions.items()
            ]
        )


# --- loading ------------------------------------------------------------------------------


def _load(con, entries: list[_Entry], problems: dict[int, list[Problem]]) -> None:
    """Write the entries' accepted rows, score the new submissions: one transaction.
    ``problems`` (a lenient file alone): its invalid rows, quarantined instead."""
    outcomes = {
        e.no: FileOutcome(e.path, "loaded", rows=e.export.rows, warnings=list(e.export.warnings))
        for e in entries
    }
    bad_rows = sorted({p.row for ps in problems.values() for p in ps if p.row is not None})
    con.execute(
        "create or replace temp table accepted_rows as "
        "select file_no, row_no from staged_rows where list_contains($nos, file_no) and not list_contains($bad, row_no)",
        {"nos": list(outcomes), "bad": bad_rows},
    )
    con.execute(sql_text("ingest/row_keys"))
    for file_no, row_no, first_row_no in con.execute(sql_text("ingest/repeated_rows")).fetchall():
        outcome = outcomes[file_no]
        outcome.duplicates += 1
        outcome.warnings.append(
            Problem(
                str(outcome.path), f"même soumission que la ligne {first_row_no} : doublon ignoré", row=row_no
            )
        )
    with transaction(con):
        retained_before = [r[0] for r in con.execute(sql_text("ingest/touched_retained")).fetchall()]
        file_ids = _insert_files(con, entries)
        con.execute(sql_text("ingest/new_submissions"))
        con.execute(sql_text("ingest/insert_submissions"))
        con.execute(sql_text("ingest/insert_answers"))
        con.execute(sql_text("ingest/insert_free_texts"))
        con.execute(sql_text("scoring/input_staged"))
        score_input(con, sql_text("scoring/score_submissions"))
        keys = dict(
            con.execute(
                "select file_no, count(distinct submission_key) from row_keys group by file_no"
            ).fetchall()
        )
        new = dict(con.execute("select file_no, count(*) from new_submissions group by file_no").fetchall())
        for no, outcome in outcomes.items():
            outcome.new = new.get(no, 0)
            outcome.unchanged = keys.get(no, 0) - outcome.new
        for *superseded, file_no in con.execute(
            sql_text("ingest/superseded_by_file"), {"retained_before": retained_before}
        ).fetchall():
            outcomes[file_no].superseded.append(tuple(superseded))
        for entry in entries:
            if problems.get(entry.no):
                extra_cells(con, entry.export)
                _quarantine(
                    con, entry.sha256, entry.path.name, problems[entry.no], list(entry.export.column_of)
                )
                outcomes[entry.no].quarantined = len(bad_rows)
                outcomes[entry.no].warnings.extend(problems[entry.no])
        warnings = [
            {"file_id": file_ids[no], "row_no": w.row, "column_name": w.column, "message": w.message}
            for no, outcome in outcomes.items()
            for w in outcome.warnings
        ]
        if warnings:
            con.execute(
                "insert into ingest_warnings select unnest($rows, recursive := true)", {"rows": warnings}
            )
    for entry in entries:
        entry.outcome = outcomes[entry.no]


def _insert_files(con, entries: list[_Entry]) -> dict[int, int]:
    """A files row for each entry; temp table run_files (file_no -> file_id). Returns that map."""
    ids = [
        r[0]
        for r in con.execute("select nextval('file_id_seq') from range($n)", {"n": len(entries)}).fetchall()
    ]
    at = dt.datetime.now().replace(microsecond=0)
    rows = [
        {
            "file_id": file_id,
            "sha256": e.sha256,
            "name": e.path.name,
            "path": str(e.path.resolve()),
            "format": e.export.format,
            "encoding": e.export.encoding,
            "rows": e.export.rows,
            "loaded_at": at,
        }
        for file_id, e in zip(ids, entries)
    ]
    con.execute("insert into files select unnest($rows, recursive := true)", {"rows": rows})
    con.execute(
        "create or replace temp table run_files as select unnest($nos) as file_no, unnest($ids) as file_id",
        {"nos": [e.no for e in entries], "ids": ids},
    )
    return {e.no: file_id for e, file_id in zip(entries, ids)}


def _quarantine(con, sha256: str, name: str, problems: list[Problem], columns: list[str]) -> None:
    """Keep the rows whole: every column the file has (``columns``), and its unknown ones."""
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(str(problem))
    con.execute(
        sql_text("ingest/quarantine_rows"),
        {
            "problems": [{"row_no": row, "messages": messages} for row, messages in by_row.items()],
            "sha256": sha256,
            "file_name": name,
            "columns": columns,
        },
    )
