"""Problems found in an export, and how they read in French."""

from __future__ import annotations

from dataclasses import dataclass, field


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
class ExportError(Exception):
    """A file that cannot be loaded: every problem found in it."""

    file: str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.summary())

    def summary(self) -> str:
        n = len(self.problems)
        return f"{self.file} : fichier refusé, {n} problème{'s' if n > 1 else ''}"


def file_error(file: str, message: str) -> ExportError:
    """A problem that concerns the whole file (format, encoding, header)."""
    return ExportError(file, [Problem(file, message)])


def error_detail(error: BaseException) -> str:
    """The first line of an exception's message (DuckDB's run on with hints), or its type."""
    text = str(error)
    return text.splitlines()[0] if text else type(error).__name__
