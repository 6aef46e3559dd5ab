"""What each export file held when it was last read: its path, size and modification time, and
the SHA-256 of its bytes (table ``file_stats``). A file whose size and modification time are
the ones recorded is not read again to be recognised: a national folder of 18,000 files is then
checked in a fraction of a second, not read whole at every build.

As git does for its index, a file modified less than ``RACY_NS`` before it was read is not
recorded: on a file system that keeps coarse times, it could change again without its time
changing. A recorded SHA-256 is a hint only: a file whose recorded content is not in the base is
read again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import duckdb

RACY_NS = 2_000_000_000


def key(path) -> str:
    return os.path.abspath(path)


@dataclass
class Known:
    """What the base knew of the files when the run started."""

    stats: dict  # path -> (size, mtime_ns, sha256) of every file recorded
    loaded: set  # SHA-256 of every file whose content is in the base

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> Known:
        stats = {
            path: (size, mtime, sha)
            for path, size, mtime, sha in con.execute(
                "select path, size, mtime_ns, sha256 from file_stats"
            ).fetchall()
        }
        return cls(stats, {sha for (sha,) in con.execute("select sha256 from files").fetchall()})

    def loaded_sha(self, path, stat: os.stat_result | None) -> str:
        """The SHA-256 of this file when it is unchanged since it was read and its content is in
        the base; else "" (it is read)."""
        if stat is None:
            return ""
        found = self.stats.get(key(path))
        if found is None or found[:2] != (stat.st_size, stat.st_mtime_ns) or found[2] not in self.loaded:
            return ""
        return found[2]


def record(con: duckdb.DuckDBPyConnection, read: list[tuple], seen_ns: int) -> None:
    """Records (path, stat, sha256) of files just read whose content is in the base, but those
    modified less than RACY_NS before they were looked at (``seen_ns``)."""
    limit = seen_ns - RACY_NS
    rows = [
        (key(p), s.st_size, s.st_mtime_ns, sha) for p, s, sha in read if s and sha and s.st_mtime_ns < limit
    ]
    if rows:
        paths, sizes, mtimes, shas = map(list, zip(*rows))
        con.execute(
            "insert or replace into file_stats "
            "select unnest($paths), unnest($sizes), unnest($mtimes), unnest($shas)",
            {"paths": paths, "sizes": sizes, "mtimes": mtimes, "shas": shas},
        )
