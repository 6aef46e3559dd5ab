"""Files that are safe to write and safe to open: atomic writes, and text that a spreadsheet will
never run as a formula. Every writer of the package goes through here.

Atomic writes: each file is written to a hidden temporary file in the same folder, then renamed
over the target (``os.replace`` is atomic on one file system): a reader, or the next build, sees
the old file or the new one, never half of it. Temporary files left by a killed process are
removed by the next build (:func:`remove_stale_temporaries`). No fsync: a killed process loses
nothing the kernel already holds, and hundreds of fsyncs would cost seconds per build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_SUFFIX = ".tmp"

# A cell starting with one of these is run as a formula by spreadsheets (CSV injection): it is
# written with a leading apostrophe. The SQL macro safe_cell is made from the same list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: object) -> str:
    """``value`` as text that a spreadsheet shows as it is (None is empty)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def safe_cell_macro() -> str:
    """The DuckDB macro ``safe_cell(value)``: :func:`safe_text` for a column. Equalities, not an
    in-list: DuckDB plans an in-list as a join, and a join in the projection of a large insert or
    COPY may let rows out in another order than the sorted export's."""
    tests = " or ".join(f"ord(value) = {ord(c)}" for c in FORMULA_STARTS)
    return (
        f"create or replace macro safe_cell(value) as case when {tests} then chr(39) || value else value end"
    )


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def write_atomic(path: Path, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to ``path`` atomically; returns the size in bytes."""
    size = 0
    with atomic_file(path) as temporary, temporary.open("wb") as f:
        for chunk in chunks:
            size += f.write(chunk)
    return size


@contextmanager
def atomic_file(path: Path) -> Iterator[Path]:
    """A temporary path to write ``path`` to: renamed over ``path`` when the block ends without
    an error, removed otherwise."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary empty folder to fill in place of the folder ``path``: swapped in whole (two
    renames, the old folder removed last) when the block ends without an error, removed
    otherwise."""
    path = Path(path)
    temporary = _temporary(path)
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    try:
        yield temporary
        old = path.with_name(f".{path.name}.{os.getpid()}.old")
        shutil.rmtree(old, ignore_errors=True)
        if path.exists():
            os.replace(path, old)
        os.replace(temporary, path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(root: Path) -> int:
    """Remove the temporary files of writers that are no longer running; returns how many."""
    removed = 0
    root = Path(root)
    if not root.is_dir():
        return 0
    for path in root.rglob(f".*{TEMP_SUFFIX}"):
        pid = path.name[: -len(TEMP_SUFFIX)].rpartition(".")[2]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            removed += 1
    return removed
