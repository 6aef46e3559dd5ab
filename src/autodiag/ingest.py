"""Loading answer exports: one file, one transaction, all or nothing (or, when lenient,
valid rows loaded and invalid rows quarantined whole)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from . import wide_sql
from .problems import ExportError, Problem, error_detail
from .paths import sql_text
from .reading import RawExport, check_size, extra_cells, read_export
from .store import open_writer, score_input, transaction

EXPORT_SUFFIXES = {".csv", ".xlsx", ".txt", ".tsv"}


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


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the exports found under folders (sorted, recursive)."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXPORT_SUFFIXES and not p.name.startswith((".", "~$")))
            )
        else:
            found.append(path)
    return found


def ingest(
    db_path: Path,
    paths: Iterable[Path],
    *,
    lenient: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
) -> IngestReport:
    files = expand_paths(paths)
    report = IngestReport()
    with open_writer(db_path) as con:
        question_ids = _question_ids(con)  # the questionnaires do not change during a run
        for path in files:
            outcome = ingest_file(con, path, question_ids, lenient=lenient)
            report.outcomes.append(outcome)
            if on_file:
                on_file(outcome)
    return report


def ingest_file(
    con: duckdb.DuckDBPyConnection, path: Path, question_ids: set[str], *, lenient: bool = False
) -> FileOutcome:
    try:
        check_size(str(path), path.stat().st_size)
        data = path.read_bytes()
    except OSError as error:
        return FileOutcome(path, "rejected", problems=[Problem(str(path), f"lecture impossible : {error.strerror or error}")])
    except ExportError as error:
        return FileOutcome(path, "rejected", problems=error.problems)
    sha256 = hashlib.sha256(data).hexdigest()
    if con.execute("select 1 from files where sha256 = $sha", {"sha": sha256}).fetchone():
        return FileOutcome(path, "skipped")
    try:
        export = read_export(con, path, data, question_ids)
        del data  # the cells are in DuckDB now: leave it the memory
        problems = _stage(con, export)
        if problems and not lenient:
            return FileOutcome(path, "rejected", rows=export.rows, problems=problems, warnings=export.warnings)
        return _load(con, path, sha256, export, problems)
    except ExportError as error:
        return FileOutcome(path, "rejected", problems=error.problems)
    except duckdb.Error as error:
        # Not a problem of the file that we know of: refuse it (the transaction was rolled
        # back) and go on with the next files, saying what the database answered.
        detail = error_detail(error)
        return FileOutcome(path, "rejected", problems=[Problem(str(path), f"erreur inattendue de la base, fichier non chargé : {detail}")])


def _question_ids(con) -> set[str]:
    return {r[0] for r in con.execute("select distinct question_id from referentiel_questions").fetchall()}


def _stage(con, export: RawExport) -> list[Problem]:
    """Stage the rows and answer codes of raw_rows; return every problem, in file order."""
    con.execute(sql_text("ingest/stage_rows"))
    _check_question_columns(con, export)
    con.execute(sql_text("ingest/staging_tables"))
    con.execute(sql_text("ingest/answer_cells"))
    for (version,) in con.execute("select distinct version from staged_rows where version is not null").fetchall():
        _stage_codes(con, version)
    rows = con.execute(sql_text("ingest/row_problems")).fetchall()
    # Any answer without a code is a problem, so that no row is stored with a hole in it.
    if con.execute("select count(*) from staged_codes where list_count(codes) < len(codes)").fetchone()[0]:
        rows += con.execute(sql_text("ingest/answer_problems")).fetchall()
    # File order: by row, then by the column's position in the file.
    rows.sort(key=lambda r: (r[0], export.column_of.get(r[1], -1)))
    return [
        Problem(export.name, message, row=row_no, column=export.header_name(column), value=value)
        for row_no, column, value, message in rows
    ]


def _stage_codes(con, version: str) -> None:
    """Read the file's distinct cells as answers to questionnaire ``version``, then give each
    of its rows that use it their answer codes."""
    con.execute(sql_text("ingest/normalise_cells"), {"version": version})
    cells: dict[str, tuple[list, list]] = {}
    for question, raw_value, code in con.execute(
        "select question_id, raw_value, code from cell_answers where version = $version", {"version": version}
    ).fetchall():
        keys, codes = cells.setdefault(question, ([], []))
        keys.append(raw_value)
        codes.append(code)
    fragments, params = wide_sql.code_lookups(wide_sql.load_layout(con, version), cells)
    con.execute(wide_sql.render(sql_text("ingest/stage_codes"), fragments), {"version": version, **params})


def _check_question_columns(con, export: RawExport) -> None:
    """Every question of each campaign's questionnaire must have its column."""
    needed = con.execute(
        """
        select q.question_id, q.position, r.campagne
        from (select distinct campagne, version from staged_rows) as r
        inner join referentiel_questions as q using (version)
        order by q.position
        """
    ).fetchall()
    missing = {}
    for question_id, _, campagne in needed:
        if question_id not in export.column_of:
            missing.setdefault(question_id, set()).add(campagne)
    if missing:
        raise ExportError(
            export.name,
            [
                Problem(export.name, f"colonne obligatoire absente (question de la campagne {', '.join(map(str, sorted(c)))})", row=1, column=q)
                for q, c in missing.items()
            ],
        )


def _load(con, path: Path, sha256: str, export: RawExport, problems: list[Problem]) -> FileOutcome:
    bad_rows = sorted({p.row for p in problems if p.row is not None})
    outcome = FileOutcome(path, "loaded", rows=export.rows, warnings=list(export.warnings))
    con.execute(
        "create or replace temp table accepted_rows as "
        "select row_no from staged_rows where not list_contains($bad, row_no)",
        {"bad": bad_rows},
    )
    con.execute(sql_text("ingest/row_keys"))
    for row_no, first_row_no in con.execute(sql_text("ingest/repeated_rows")).fetchall():
        outcome.duplicates += 1
        outcome.warnings.append(
            Problem(export.name, f"même soumission que la ligne {first_row_no} : doublon ignoré", row=row_no)
        )
    with transaction(con):
        retained_before = [r[0] for r in con.execute(sql_text("ingest/touched_retained")).fetchall()]
        file_id = con.execute("select nextval('file_id_seq')").fetchone()[0]
        con.execute(
            "insert into files values ($id, $sha, $name, $path, $format, $encoding, $rows, $at)",
            {
                "id": file_id, "sha": sha256, "name": path.name, "path": str(path.resolve()),
                "format": export.format, "encoding": export.encoding, "rows": export.rows,
                "at": dt.datetime.now().replace(microsecond=0),
            },
        )
        con.execute(sql_text("ingest/new_submissions"))
        con.execute(sql_text("ingest/insert_submissions"), {"file_id": file_id})
        con.execute(sql_text("ingest/insert_answers"))
        con.execute(sql_text("ingest/insert_free_texts"))
        con.execute(sql_text("scoring/input_staged"))
        score_input(con, sql_text("scoring/score_submissions"))
        distinct_keys, new = con.execute(
            "select (select count(distinct submission_key) from row_keys), (select count(*) from new_submissions)"
        ).fetchone()
        outcome.new = new
        outcome.unchanged = distinct_keys - new
        outcome.superseded = con.execute(
            sql_text("ingest/superseded_by_file"), {"retained_before": retained_before}
        ).fetchall()
        if problems:
            extra_cells(con, export)
            _quarantine(con, sha256, path.name, problems)
            outcome.quarantined = len(bad_rows)
            outcome.warnings.extend(problems)
        if outcome.warnings:
            con.executemany(
                "insert into ingest_warnings values (?, ?, ?, ?)",
                [(file_id, w.row, w.column, w.message) for w in outcome.warnings],
            )
    return outcome


def _quarantine(con, sha256: str, name: str, problems: list[Problem]) -> None:
    by_row: dict[int, list[str]] = {}
    for problem in problems:
        by_row.setdefault(problem.row, []).append(str(problem))
    con.execute(
        sql_text("ingest/quarantine_rows"),
        {
            "problems": [{"row_no": row, "messages": messages} for row, messages in by_row.items()],
            "sha256": sha256,
            "file_name": name,
        },
    )
