"""Crash safety of `autodiag build`: killed (SIGKILL) at random moments, it never leaves a
truncated page, and the next build repairs what is missing; the end result is byte for byte
the site of a build that was never interrupted."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from autodiag.reports.build import build_all
from autodiag.safe_files import TEMP_SUFFIX

from .report_fixtures import write_fixture_exports

KILLS = 8
KILL_SEED = 20241203

# `autodiag build …` in a process whose imports are done before it is told to start, so that
# the kill delays spread over the build itself rather than over the interpreter's start-up.
# Pages are handed to the writer in small pieces, slowly: a page takes milliseconds to write,
# so that many kills land in the middle of one (a non-atomic writer fails this test).
PRELOADED_BUILD = """
import sys, time
import autodiag.cli, autodiag.reports.build, autodiag.reports.structure, autodiag.reports.network
from autodiag.reports import plotlyjs

real_resolve = plotlyjs.resolve

def slow_resolve(page, embed):
    for chunk in real_resolve(page, embed):
        for start in range(0, len(chunk), 2048):
            time.sleep(0.002)
            yield chunk[start:start + 2048]

plotlyjs.resolve = slow_resolve
print("pret", flush=True)
sys.stdin.readline()
autodiag.cli.app(sys.argv[1:], prog_name="autodiag")
"""


class Build:
    def __init__(self, db: Path, exports: Path, out: Path) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                PRELOADED_BUILD,
                "build",
                "--db",
                str(db),
                "--raw",
                str(exports),
                "--out",
                str(out),
                "--sans-notebooks",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "COLUMNS": "250", "NO_COLOR": "1"},
        )

    def go(self) -> float:
        assert self.process.stdout.readline().strip() == "pret", self.process.stderr.read()
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        return time.monotonic()

    def kill(self) -> int | None:
        finished = self.process.poll()
        if finished is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.communicate()
        return finished


def site(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def test_build_killed_at_random_moments_leaves_whole_pages_and_the_next_build_repairs(tmp_path):
    exports = write_fixture_exports(tmp_path / "exports")
    reference = build_all(tmp_path / "reference.duckdb", tmp_path / "reference", raw=exports, notebooks=False)
    assert reference.ok
    expected = site(tmp_path / "reference")

    db, out = tmp_path / "autodiag.duckdb", tmp_path / "outputs"
    timing = Build(tmp_path / "timing.duckdb", exports, tmp_path / "timing")
    started = timing.go()
    assert timing.process.wait(timeout=300) == 0
    duration = time.monotonic() - started

    rng = random.Random(KILL_SEED)
    interrupted = 0
    running = Build(db, exports, out)
    for i in range(KILLS):
        delay = rng.uniform(0, duration)
        started = running.go()
        time.sleep(max(0.0, started + delay - time.monotonic()))
        finished = running.kill()
        interrupted += finished is None
        # Every page on disk is whole: the very bytes of an uninterrupted build, never a part.
        for name, data in site(out).items() if out.exists() else []:
            if name.endswith(TEMP_SUFFIX):
                continue  # the killed writer's temporary file: removed by the next build
            assert data == expected[name], f"kill {i} after {delay:.2f} s: {name} tronqué ou différent"
        if i + 1 < KILLS:
            running = Build(db, exports, out)
    assert interrupted >= KILLS // 2  # most kills landed inside the build

    final = Build(db, exports, out)
    final.go()
    assert final.process.wait(timeout=300) == 0, final.process.stderr.read()
    final.process.communicate()
    assert site(out) == expected  # everything repaired, and no temporary file left
