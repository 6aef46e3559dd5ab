"""Problems found in an export, and how they read in French."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from autodiag.formatting import number
from autodiag.safe_files import atomic_file, safe_text


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    row: int | None = None  # 1-based, header = row 1
    column: str | None = None  # as written in the file's header
    value: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"ligne {self.row}")
        if self.column is not None:
            where.append(f"colonne « {self.column} »")
        text = ", ".join(where) + " : " + self.message
        if self.value is not None:
            text += f" (valeur lue : « {_clip(self.value)} »)"
        return text


def _clip(value: str, limit: int = 80) -> str:
    value = value.replace("\n", "⏎")
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass
class RefusedExport(Exception):
    """A file that cannot be loaded: every problem found in it."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        return f"{self.file} : fichier refusé, {n} problème{'s' if n > 1 else ''}"


def file_error(file: str, message: str) -> RefusedExport:
    """A problem that concerns the whole file (format, encoding, header)."""
    return RefusedExport(file, [Problem(file, message)])


# --- bounded reports: the terminal groups, a CSV keeps everything ----------------------------

TERMINAL_PROBLEMS = 50  # problems (or kinds of problems) shown per file


@dataclass
class ProblemGroup:
    """Problems of one kind (same column, same message) in one file."""

    column: str | None
    message: str
    rows: list[int | None] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # distinct values read, first ones only
    distinct_values: set = field(default_factory=set)
    first: Problem | None = None

    def add(self, problem: Problem, keep_values: int = 3) -> None:
        self.first = self.first or problem
        self.rows.append(problem.row)
        if problem.value is not None and problem.value not in self.distinct_values:
            self.distinct_values.add(problem.value)
            if len(self.values) < keep_values:
                self.values.append(problem.value)

    def line(self) -> str:
        n = len(self.rows)
        first = next((r for r in self.rows if r is not None), None)
        where = f"{number(n)} ligne{'s' if n > 1 else ''}" + (
            f" (dès la ligne {first})" if first is not None else ""
        )
        if self.column is not None:
            where += f", colonne « {self.column} »"
        text = f"{where} : {self.message}"
        if self.values:
            shown = ", ".join(f"« {_clip(v, 40)} »" for v in self.values)
            more = len(self.distinct_values) - len(self.values)
            text += (
                f" (valeurs lues : {shown}"
                + (f" et {number(more)} autre{'s' if more > 1 else ''}" if more > 0 else "")
                + ")"
            )
        return text + " — voir le rapport complet"


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """Problems grouped by kind (column and message), kinds in order of first appearance."""
    groups: dict[tuple, ProblemGroup] = {}
    for problem in problems:
        key = (problem.column, problem.message)
        if key not in groups:
            groups[key] = ProblemGroup(problem.column, problem.message)
        groups[key].add(problem)
    return list(groups.values())


def terminal_lines(problems: list[Problem], limit: int = TERMINAL_PROBLEMS) -> tuple[list[str], bool]:
    """What the terminal shows of one file's problems: each of them when there are at most
    ``limit``, else one line per kind (at most ``limit``, with counts). True when lines
    leave out anything (the complete list is then in the CSV report)."""
    if len(problems) <= limit:
        return [str(p) for p in problems], False
    groups = group_problems(problems)
    lines = [g.line() if len(g.rows) > 1 else str(g.first) for g in groups[:limit]]
    if len(groups) > limit:
        rest = groups[limit:]
        hidden = sum(len(g.rows) for g in rest)
        lines.append(
            f"… et {len(rest)} autre(s) sorte(s) de problème ({number(hidden)} problème(s)) — voir le rapport complet"
        )
    return lines, True


REPORT_COLUMNS = ["fichier", "statut", "ligne", "colonne", "valeur", "probleme"]


def write_problem_report(out, entries) -> int:
    """Every problem and warning of a run, one per line, as CSV (``entries``: (file, status,
    problems) triples; status « refusé » or « chargé »). Written to a temporary file renamed
    into place; returns the number of lines."""
    out = Path(out)
    lines = 0
    with atomic_file(out) as partial, partial.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(REPORT_COLUMNS)
        for file, status, problems in entries:
            for p in problems:
                writer.writerow(
                    [
                        safe_text(file),
                        status,
                        p.row if p.row is not None else "",
                        safe_text(p.column),
                        safe_text(p.value),
                        safe_text(p.message),
                    ]
                )
                lines += 1
    return lines
