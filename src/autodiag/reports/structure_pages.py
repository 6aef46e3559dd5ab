"""Rendering many structure pages of one campaign, on several cores.

The frames (:func:`autodiag.reports.structure.load_frames`) are read once, in the build's
process; the pages to render are then shared between the build and forked worker processes,
which inherit the frames as they are (no second read). Each process opens its own read-only
connection for the change decompositions: no DuckDB connection is open across the fork. A
worker writes its pages (atomically, as the build does) and sends back their size or error;
the build records them in the manifest. A worker that dies leaves its remaining pages failed,
never half-written.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from pathlib import Path

from .batch_changes import BatchChanges
from .plotlyjs import Embed

MIN_SHARE = 100  # pages: below this, a worker costs more than it saves


@dataclass
class Job:
    code: str
    out: Path
    nav: list
    footer: str


def render_share(db_path: str, frames, jobs: list[Job], out_dir: Path, min_group_size: int,
                 progress=None) -> list[tuple[bool, object]]:
    """(True, size) or (False, message) for each job, in order."""
    from ..api import NativeAutodiag as Autodiag
    from . import structure

    results: list[tuple[bool, object]] = []
    with Autodiag(db_path) as db:
        frames.changes = BatchChanges(db, frames.campaign, frames.earlier)
        frames.changes.plan([job.code for job in jobs])
        for i, job in enumerate(jobs, 1):
            try:
                report = structure.build_from_frames(frames, job.code, min_group_size, nav=job.nav)
                report.footer = job.footer
                results.append((True, report.write(job.out, Embed.site(job.out, out_dir))))
            except Exception as error:  # one failing page never stops the build
                results.append((False, f"{type(error).__name__}: {error}"))
            if progress is not None:
                progress(i, len(jobs))
    return results


def _worker(connection, db_path: str, frames, jobs: list[Job], out_dir: Path, min_group_size: int) -> None:
    try:
        connection.send(render_share(db_path, frames, jobs, out_dir, min_group_size))
    finally:
        connection.close()


def render_all(db_path: str, frames, jobs: list[Job], out_dir: Path, min_group_size: int, workers: int,
               progress=None) -> list[tuple[bool, object]]:
    """Every job's result, in order; the jobs shared in contiguous slices (each slice reads the
    answers of its structures in batches) between this process and ``workers - 1`` forks."""
    count = max(1, min(workers, len(jobs) // MIN_SHARE))
    if count == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return render_share(db_path, frames, jobs, out_dir, min_group_size, progress)
    size = -(-len(jobs) // count)
    shares = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    context = multiprocessing.get_context("fork")
    children = []
    for share in shares[1:]:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(send, db_path, frames, share, out_dir, min_group_size),
                                  daemon=True)
        process.start()
        send.close()
        children.append((process, receive, share))
    # This process renders the first slice meanwhile; progress counts its pages for all.
    results = render_share(db_path, frames, shares[0], out_dir, min_group_size,
                           None if progress is None else lambda i, n: progress(i * count, len(jobs)))
    for process, receive, share in children:
        try:
            results += receive.recv()
        except EOFError:  # the worker died: its pages not sent back are failures
            results += [(False, "processus de rendu interrompu")] * len(share)
        process.join()
    return results
