"""Writing pages so that a build killed at any moment never leaves a truncated one.

Each file is written to a hidden temporary file in the same folder, flushed, then renamed over
the target (``os.replace`` is atomic on one file system): a reader, or the next build, sees the
old page or the new one, never half of it. Temporary files left by a killed build are removed
by the next one (:func:`remove_stale_temporaries`). No fsync: a killed process loses nothing
the kernel already holds, and hundreds of fsyncs would cost seconds per build.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

TEMP_SUFFIX = ".tmp"


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")


def write_atomic(path: Path, chunks: Iterable[bytes]) -> int:
    """Write ``chunks`` to ``path`` atomically; returns the size in bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _temporary(path)
    size = 0
    try:
        with temporary.open("wb") as f:
            for chunk in chunks:
                size += f.write(chunk)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return size


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
