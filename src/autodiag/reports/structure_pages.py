"""Rendering many structure pages of one campaign, on several cores (:mod:`.shares`).

The frames (:func:`autodiag.reports.structure.load_frames`) are read once, in the build's
process, and inherited by the forked workers; each process opens its own read-only connection
for the change decompositions. A worker writes its pages (atomically, as the build does) and
sends back their size or error; the build records them in the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autodiag.analysis.batch_changes import BatchChanges
from autodiag.analysis.levers import LeverReader
from autodiag.analysis.plans import FollowUp
from autodiag.analysis.privacy import Confidentiality
from autodiag.api import NativeAutodiag as Autodiag
from autodiag.reports import references, shares, structure
from autodiag.reports.plotlyjs import Embed

MIN_SHARE = 100  # pages: below this, a worker costs more than it saves
DIED = "processus de rendu interrompu"


@dataclass
class Job:
    code: str
    out: Path
    nav: list
    footer: str
    site: references.Site | None = None  # the shared figures read from the campaign's data file


def render_share(
    db_path: str, frames, jobs: list[Job], out_dir: Path, privacy: Confidentiality, progress=None
) -> list[tuple[bool, object]]:
    """(True, size) or (False, message) for each job, in order."""

    results: list[tuple[bool, object]] = []
    with Autodiag(db_path) as db:
        frames.changes = BatchChanges(db, frames.campaign, frames.earlier)
        frames.changes.plan([job.code for job in jobs])
        # Site pages read the levers' shares and contacts from the data files.
        frames.levers = LeverReader(db.con, frames.campaign, own_only=all(job.site for job in jobs))
        frames.levers.plan([job.code for job in jobs])
        frames.follow_up = FollowUp(db.con, frames.campaign)
        for i, job in enumerate(jobs, 1):
            try:
                report = structure.build_from_frames(frames, job.code, privacy, nav=job.nav, site=job.site)
                report.footer = job.footer
                results.append((True, report.write(job.out, Embed.site(job.out, out_dir))))
            except Exception as error:  # one failing page never stops the build
                results.append((False, f"{type(error).__name__}: {error}"))
            if progress is not None:
                progress(i, len(jobs))
    return results


def render_all(
    db_path: str,
    frames,
    jobs: list[Job],
    out_dir: Path,
    privacy: Confidentiality,
    workers: int,
    progress=None,
) -> list[tuple[bool, object]]:
    """Every job's result, in order (contiguous slices: each reads its structures' answers in
    batches); this process's progress stands for all."""

    def work(share):
        return render_share(db_path, frames, share, out_dir, privacy)

    def first(share):
        scale = len(jobs) / max(1, len(share))
        return render_share(
            db_path,
            frames,
            share,
            out_dir,
            privacy,
            None if progress is None else lambda i, n: progress(min(len(jobs), round(i * scale)), len(jobs)),
        )

    found = shares.run(work, jobs, workers, MIN_SHARE, first)
    return [(False, DIED) if r is None else r for r in found]
