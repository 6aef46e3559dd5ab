"""The DuckDB database: one writer (ingest, score), any number of read-only readers."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from autodiag.errors import error_detail
from autodiag.paths import DEFAULT_DB, sql_text
from autodiag.referentiel import questionnaires
from autodiag.safe_files import safe_cell_macro
from autodiag.scoring import wide_sql


class StoreError(RuntimeError):
    """A database that cannot be opened as asked, said in French for the user."""


def _lock_message(path: Path, error: duckdb.Error, read_only: bool) -> str:
    pid = re.search(r"PID (\d+)", str(error))
    holder = f" (processus {pid.group(1)})" if pid else ""
    # A reader is refused only by a writer; a writer also by readers (notebook, report, export).
    doing = (
        "qui l'écrit (ingest, score ou build en cours)"
        if read_only
        else "qui l'écrit ou la lit (ingest, score, build, notebook, rapport ou export en cours)"
    )
    return (
        f"La base {path} est utilisée par un autre processus{holder} {doing} : réessayez quand il aura fini."
    )


# DuckDB spills to disk past this. A 100k-submission load peaks at 0.7 GB with it; a lower
# limit makes DuckDB read a large CSV up to 1.5x slower (measured on the 100k benchmark file).
MEMORY_LIMIT = os.environ.get("AUTODIAG_MEMORY_LIMIT", "2GB")


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path), read_only=read_only, config={"memory_limit": MEMORY_LIMIT})
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            raise StoreError(_lock_message(path, error, read_only)) from None
        raise StoreError(f"Impossible d'ouvrir la base {path} : {error}") from None


def open_reader(path: Path | str = DEFAULT_DB) -> duckdb.DuckDBPyConnection:
    """A read-only connection (notebooks, reports, export)."""
    path = Path(path)
    if not path.exists():
        raise StoreError(f"Base introuvable : {path}. Chargez d'abord des exports avec « autodiag ingest ».")
    con = _connect(path, read_only=True)
    try:
        _check_layout(con, path)
        make_macros(con, temporary=True)
        _missing_views(con)
    except StoreError:
        con.close()
        raise
    return con


def _missing_views(con: duckdb.DuckDBPyConnection) -> None:
    """Views that a base written by an earlier version lacks, made for this reader's session."""
    if not con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database()"
    ).fetchone()[0]:
        return  # a new, empty base: nothing to read yet
    found = {
        name for (name,) in con.execute("select view_name from duckdb_views() where not internal").fetchall()
    }
    for view in VIEWS:
        if view not in found:
            con.execute(
                sql_text(f"views/{view}").replace("create or replace view", "create or replace temp view")
            )


def make_macros(con: duckdb.DuckDBPyConnection, temporary: bool = False) -> None:
    """The macros of sql/macros.sql and safe_cell, made at every open: stored by the writer, and
    made again for each reader's session (temporary), so that a base written by an earlier
    version reads with today's rules."""
    kind = "temp macro" if temporary else "macro"
    for text in (sql_text("macros"), safe_cell_macro()):
        con.execute(text.replace("create or replace macro", f"create or replace {kind}"))


# The layout of the tables (schema.sql); a database of another layout is refused, not misread.
LAYOUT = 2
VIEWS = ("answers", "scores", "retained_submissions", "retained_scores", "retained_free_texts")


def _check_layout(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    tables = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    }
    if not tables:
        return  # a new database
    found = con.execute("select max(version) from layout").fetchone()[0] if "layout" in tables else 1
    if found != LAYOUT:
        raise StoreError(
            f"La base {path} a été créée par une autre version d'autodiag (format {found}, attendu {LAYOUT}) : "
            "créez une nouvelle base en rechargeant les exports (autodiag ingest DOSSIER --db NOUVELLE_BASE)."
        )


@contextmanager
def open_writer(path: Path | str = DEFAULT_DB) -> Iterator[duckdb.DuckDBPyConnection]:
    """The single writing connection: schema created, questionnaires in sync."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"Impossible de créer le dossier de la base {path.parent} : {error.strerror or error}"
        ) from None
    con = _connect(path, read_only=False)
    try:
        try:
            with transaction(con):
                _check_layout(con, path)
                con.execute(sql_text("schema"))
                make_macros(con)
                con.execute("insert into layout select $v where not exists (from layout)", {"v": LAYOUT})
                con.execute(sql_text("ingest/scale_labels"))
                con.execute(sql_text("ingest/scale_levels"))
                changed = sync_referentiels(con)
                for view in VIEWS:
                    con.execute(sql_text(f"views/{view}"))
                if changed:
                    rescore_all(con)
        except duckdb.Error as error:
            detail = error_detail(error)
            raise StoreError(
                f"Impossible de préparer la base {path} ({detail}) : si elle est endommagée, restaurez-en "
                "une copie ou reconstruisez-la en rechargeant les exports dans une nouvelle base."
            ) from None
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """All or nothing: a failure anywhere leaves the database as it was."""
    con.execute("begin transaction")
    try:
        yield
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def _referentiel_rows(questions: list[questionnaires.Question]) -> list[tuple]:
    return [
        (
            q.version,
            q.position,
            q.question_id,
            q.engagement,
            q.engagement_title,
            q.engagement_heading,
            q.theme_id,
            q.theme_title,
            q.kind,
            list(q.options),
            [{"min_count": n, "points": p} for n, p in q.thresholds],
            q.question,
        )
        for q in questions
    ]


def sync_referentiels(con: duckdb.DuckDBPyConnection) -> bool:
    """Copy data/referentiels into the database; True when a questionnaire changed."""
    changed = False
    for version, questions in questionnaires.load_all().items():
        wanted = _referentiel_rows(questions)
        stored = con.execute(
            "select * from referentiel_questions where version = $v order by position", {"v": version}
        ).fetchall()
        if stored == wanted:
            continue
        if _structure(stored) != _structure(wanted):
            _refuse_restructuring(con, version)
        had_rows = bool(stored)
        con.execute("delete from referentiel_questions where version = $v", {"v": version})
        con.executemany(
            "insert into referentiel_questions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", wanted
        )
        changed = changed or had_rows
    con.execute("delete from campaign_referentiels")
    con.executemany(
        "insert into campaign_referentiels values (?, ?)", sorted(questionnaires.load_campaigns().items())
    )
    return changed


def _structure(rows: list[tuple]) -> list[tuple]:
    """What stored answer codes depend on: the questions in order, their kind and options."""
    return [(row[1], row[2], row[8], tuple(row[9])) for row in rows]


def _refuse_restructuring(con: duckdb.DuckDBPyConnection, version: str) -> None:
    """Answers are stored by question position and option number: a questionnaire that
    already has answers may change its titles, wording and thresholds, not its questions."""
    (answered,) = con.execute(
        "select count(*) from submissions where version = $version", {"version": version}
    ).fetchone()
    if answered:
        raise StoreError(
            f"Le questionnaire {version} (data/referentiels/{version}.csv) a changé de questions, d'ordre, "
            f"de type ou d'options alors que {answered} soumission(s) de la base y répondent : remettez-le "
            "comme avant, ou déclarez un nouveau questionnaire (nouveau fichier, et campagnes.csv) ; "
            "les intitulés, les libellés et les seuils, eux, peuvent changer (autodiag score recalcule)."
        )


def rescore_all(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("delete from score_sets")
    con.execute(sql_text("scoring/input_all"))
    score_input(con, sql_text("scoring/score_submissions"))


def score_input(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Score the submissions of the scoring_input view, one questionnaire version at a time
    (``query``: score_submissions.sql, given by the caller so that tests can break it)."""
    scale_points = [
        points for (points,) in con.execute("select points from scale_levels order by code").fetchall()
    ]
    # Only the questionnaires that have something to score: planning the query costs ~60 ms.
    for (version,) in con.execute("select distinct version from scoring_input order by version").fetchall():
        fragments, thresholds = wide_sql.score_fragments(wide_sql.load_layout(con, version))
        con.execute(
            wide_sql.render(query, fragments),
            {"version": version, "scale_points": scale_points, **thresholds},
        )
