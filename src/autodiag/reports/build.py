"""``autodiag build``: ingest, then every network report, structure report, the trends and
outputs/index.html. One failing report never stops the build: failures are collected.

Incremental: each page has a key (:mod:`autodiag.reports.provenance`), recorded with it in
``outputs/manifest.json``; a page whose key is unchanged and whose file is intact is not
rendered again (``force`` renders everything). Every file is written to a temporary file and
renamed (:mod:`autodiag.safe_files`): a build killed at any moment leaves whole pages only,
and the next build renders what is missing. plotly.js is one shared file, outputs/assets/.

Network reports and trends run their notebook through Papermill in worker threads (one
kernel process per notebook); structure pages, far more numerous, are rendered from frames
loaded once per campaign (``structure.load_frames`` + ``build_from_frames``, the very
functions the structure notebook calls), shared between this process and forked workers
(:mod:`autodiag.reports.structure_pages`; ``workers`` processes in all).
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autodiag import __version__
from autodiag import formatting as fmt
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE, Confidentiality
from autodiag.api import NativeAutodiag as Autodiag  # the reports read the database's own column names
from autodiag.ingest.loader import ingest
from autodiag.ingest.plans import load_plans
from autodiag.paths import OUTPUTS_DIR, RAW_DIR
from autodiag.reports import (
    dashboard,
    network,
    plotlyjs,
    references,
    shares,
    structure,
    structure_pages,
    trends,
)
from autodiag.reports.layout import network_slugs, report_path, site_references, structure_slugs
from autodiag.reports.manifest import Manifest
from autodiag.reports.manifest import now as manifest_now
from autodiag.reports.page import write_side_files
from autodiag.reports.plotlyjs import Embed
from autodiag.reports.provenance import (
    Inputs,
    PageInputs,
    dashboard_page,
    footer,
    network_page,
    reference_data,
    structure_page,
    trends_page,
)
from autodiag.reports.reference_data import CampaignFigures
from autodiag.reports.run import execute_notebook
from autodiag.safe_files import remove_stale_temporaries, write_atomic


@dataclass
class BuildResult:
    index: Path
    failures: list = field(default_factory=list)  # (kind, label, message)
    sizes: dict = field(
        default_factory=dict
    )  # kind -> [count, total bytes, max bytes], every page of the site
    rendered: dict = field(default_factory=dict)  # kind -> pages rendered (written) by this build
    skipped: dict = field(default_factory=dict)  # kind -> pages already up to date, left untouched
    timings: dict = field(default_factory=dict)  # step -> seconds
    source: Path | None = None
    manifest: Path | None = None
    planned: dict = field(default_factory=dict)  # kind -> pages of the site, stated before rendering

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, kind: str, size: int, rendered: bool = True) -> None:
        entry = self.sizes.setdefault(kind, [0, 0, 0])
        entry[0] += 1
        entry[1] += size
        entry[2] = max(entry[2], size)
        counts = self.rendered if rendered else self.skipped
        counts[kind] = counts.get(kind, 0) + 1


class BuildError(ValueError):
    """A build that cannot start, said in French for the user."""


NO_EXPORTS = (
    "aucun export à charger : le dossier data/raw/ n'existe pas et la base est vide. Lancez « autodiag demo » "
    "pour la démonstration, ou « autodiag build --exports DOSSIER » avec le dossier de vos exports."
)


@dataclass(frozen=True)
class Limits:
    """How much one build may write; past either, it stops before writing any page
    (``--max-reseaux``, ``--max-pages`` lift them). A malicious or mistaken export (one network
    per row) would otherwise start a build of days."""

    networks: int = 2_000
    pages: int = 200_000


# Structures of a campaign whose frames are read at once; past it, network by network (a
# national build's memory then follows its largest network, not the campaign).
AT_ONCE = 3_000
FEW = 20  # pages of a network rendered from their own rows rather than the network's

# Typical size of a page of each kind (bytes, the demo's averages), for the estimate stated
# before rendering.
TYPICAL_BYTES = {"structure": 50_000, "network": 170_000, "trends": 55_000, "index": 400_000}


def planned_pages(
    inputs: Inputs, campaigns: list[int], per_campaign: dict, networks: list[str]
) -> dict[str, int]:
    """The pages a build writes, by kind: one per structure and campaign, one per network and
    campaign, the trends pages (national and per network) and the dashboard."""
    return {
        "structure": len({(s.campaign, s.code) for s in inputs.select(campaigns)}),
        "network": sum(len(per_campaign[c]) for c in campaigns),
        "trends": 1 + len(networks),
        "index": 1,
    }


def check_limits(planned: dict[str, int], networks: int, limits: Limits) -> None:
    if networks > limits.networks:
        raise BuildError(
            f"{fmt.number(networks)} réseaux dans la base, au-delà de la limite de {fmt.number(limits.networks)} : "
            f"aucune page n'est écrite. Vérifiez la colonne « reseau » des exports, ou levez la limite avec "
            f"--max-reseaux {networks}."
        )
    total = sum(planned.values())
    if total > limits.pages:
        raise BuildError(
            f"{fmt.number(total)} pages à écrire, au-delà de la limite de {fmt.number(limits.pages)} : aucune page "
            f"n'est écrite. Choisissez une campagne (--campagne), ou levez la limite avec --max-pages {total}."
        )


def source_folder(raw: Path | None) -> Path | None:
    """The folder of exports to load: ``raw``, which must exist; else data/raw when it exists;
    else None (the base is rendered as it is)."""
    if raw is not None:
        if not Path(raw).is_dir():
            raise BuildError(f"dossier d'exports introuvable : {raw}")
        return Path(raw)
    return RAW_DIR if RAW_DIR.is_dir() else None


def _notebook_task(kind: str, parameters: dict, out: str, embed: Embed, footer: str) -> tuple[bool, object]:
    """Runs in a worker thread; returns (True, size) or (False, message)."""

    try:
        return True, execute_notebook(kind, parameters, Path(out), embed=embed, footer=footer)
    except Exception as error:  # reported, never fatal for the build
        return False, f"{type(error).__name__}: {error}"


def _inline_task(db, kind: str, parameters: dict, out: str, embed: Embed, footer: str) -> tuple[bool, object]:

    try:
        if kind == "network":
            report = network.build(
                db,
                parameters["campaign"],
                parameters["network"],
                parameters["min_group_size"],
                site_links=bool(parameters.get("site_links")),
            )
        else:
            report = trends.build(
                db,
                parameters["network"],
                parameters["min_group_size"],
                site_links=bool(parameters.get("site_links")),
            )
        report.footer = footer
        return True, report.write(Path(out), embed)
    except Exception as error:
        return False, f"{type(error).__name__}: {error}"


def _render_aside(
    db_path: Path,
    out_dir: Path,
    pages: list[tuple],
    data: list[tuple],
    workers: int,
    min_group_size: int,
    reader: Callable[[], Autodiag],
    summary: object = None,
) -> tuple[Callable[[], list], Callable[[], list]]:
    """Two functions giving, once done, (True, size) or (False, message) for each network or
    trends page rendered without notebooks (``pages``), and (size, written) or None for each data
    file of shared figures (``data``: campaign, network or None, file). Each process opens its
    own connection (none stays open across a fork).

    Many pages (a full build) are shared now between this process and forked workers, and the
    data files computed by one forked process while the structure pages are rendered; a few
    pages (one new file's network) are rendered by one forked process, then the campaigns' data
    files, while this one renders the structure pages, the dashboard, then the networks' data
    files: a small rebuild runs two processes at most, each about as long."""

    few = len(pages) < INLINE_SHARE * workers

    def render(share: list[tuple]) -> list:
        with shared_reader(db_path, whole_campaign=True, summary=summary) as db:
            return [_inline_task(db, *item) for item in share]

    def checked(found: list) -> list:
        return [(False, structure_pages.DIED) if r is None else r for r in found]

    def files(items: list[tuple]) -> list:
        with shared_reader(db_path, summary=summary) as db:
            return reference_files(db, out_dir, items, min_group_size)

    if not pages:  # nothing to render aside (or notebooks running in threads): no fork
        return (lambda: []), functools.cache(lambda: reference_files(reader(), out_dir, data, min_group_size))
    if few:
        # The pages, then the campaigns' data files aside; the networks' here (with the dashboard,
        # a national rebuild's two processes then end together).
        aside = [item for item in data if item[1] is None]
        here = [item for item in data if item[1] is not None]

        def pages_then_files(items: list[tuple]) -> list:
            with shared_reader(db_path, whole_campaign=False, summary=summary) as db:
                done = [_inline_task(db, *item) for item in items[: len(pages)]]
                files = items[len(pages) :]
                try:
                    return done + reference_files(db, out_dir, files, min_group_size)
                except Exception as error:  # the pages stay done; each data file says why
                    return done + [f"{type(error).__name__}: {error}"] * len(files)

        wait = shares.background(pages_then_files, pages + aside)

        def files_in_order() -> list:
            # the networks' first, while the other process ends
            mine = iter(reference_files(reader(), out_dir, here, min_group_size))
            theirs = iter(wait()[len(pages) :])
            return [next(theirs) if item[1] is None else next(mine) for item in data]

        return (lambda: checked(wait()[: len(pages)])), functools.cache(files_in_order)
    # many: the pages shared now between processes, then the data files in one process aside
    found = checked(shares.run(render, pages, workers, INLINE_SHARE))
    return (lambda: found), shares.background(files, data)


INLINE_SHARE = 4  # network or trends pages per process


def summary_aside(db_path: Path) -> Callable[[], object]:
    """The network summary of every campaign (what every network, trends and data file page
    reads), read by a thread while this process computes the pages' keys: the query runs in
    DuckDB, outside the GIL, on the core the keys leave free. The function returned waits for
    it (None if it failed: each page then reads it, and says why it fails)."""
    found: dict = {}

    def read() -> None:
        try:
            with Autodiag(db_path) as db:
                found["frame"] = db.network_summary(None)
        except Exception:  # read again by the pages, which report the error
            found["frame"] = None

    thread = threading.Thread(target=read, daemon=True)
    thread.start()

    def wait() -> object:
        thread.join()
        return found.get("frame")

    return wait


def shared_reader(db_path: Path, whole_campaign: bool = True, summary: object = None):
    """One read-only connection for the network and trends pages rendered in this process, the
    network summary (every campaign, every network: what each of them filters) read once, and
    the answer-quality flags once per campaign (each network page keeps its own rows: the unusual
    shares are judged against the whole campaign anyway) when many network pages are rendered
    (``whole_campaign``); for a few, each network's flags alone; ``summary``: the network summary
    when already read (:func:`summary_aside`). The database does not change during a build: only
    ``ingest`` writes it, before."""

    class SharedReader(Autodiag):
        def __init__(self, path: Path) -> None:
            super().__init__(path)
            self.summaries: dict = {} if summary is None else {None: summary}
            self.flags: dict = {}

        def network_summary(self, campaign: int | None = None):
            # Every campaign's at once: a network page reads two campaigns, its trends page all
            # of them, the dashboard all; each campaign's rows are its own groups anyway.
            if None not in self.summaries:
                self.summaries[None] = super().network_summary(None)
            every = self.summaries[None]
            if campaign is None:
                return every
            if campaign not in self.summaries:
                self.summaries[campaign] = every[every["campagne"] == campaign].reset_index(drop=True)
            return self.summaries[campaign]

        def answer_flags(self, campaign: int | None = None, network: str | None = None):
            if campaign is None or network is None or not whole_campaign:
                return super().answer_flags(campaign, network)
            campaign, network, _ = self.resolve(campaign, network)
            if campaign not in self.flags:
                self.flags[campaign] = super().answer_flags(campaign)
            frame = self.flags[campaign]
            return frame[frame["reseau"] == network].reset_index(drop=True)

    return SharedReader(db_path)


def build_all(
    db_path: Path,
    out_dir: Path = OUTPUTS_DIR,
    raw: Path | None = None,
    campaign: int | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    notebooks: bool = True,
    workers: int = 2,
    on_progress: Callable[[str, int, int], None] | None = None,
    force: bool = False,
    plans: Path | None = None,
    limits: Limits = Limits(),
    on_plan: Callable[[dict, int], None] | None = None,
    result: BuildResult | None = None,
) -> BuildResult:
    """Ingest (and the filled action plans of the folder ``plans``), then render every page whose
    key changed (all of them with ``force``). Before rendering, the pages to write are counted
    (``on_plan``: pages by kind and the estimated bytes) and checked against ``limits``.
    ``result``: filled as the build goes, so that a caller still has the pages that failed when an
    error of the system (a full disk) stops the build."""

    started = time.perf_counter()
    db_path, out_dir = Path(db_path).resolve(), Path(out_dir).resolve()
    result = result if result is not None else BuildResult(index=out_dir / "index.html")
    result.index = out_dir / "index.html"
    progress = on_progress or (lambda step, done, total: None)

    # 1. Ingest (the one writer), then only read-only connections.
    folder = source_folder(raw)
    result.source = folder
    if folder is not None:
        progress("Chargement des exports", 0, 1)
        report = ingest(db_path, [folder])
        for outcome in report.outcomes:
            if outcome.status == "rejected":
                first = str(outcome.problems[0]) if outcome.problems else "fichier refusé"
                result.failures.append(("chargement", str(outcome.path), first))
        progress("Chargement des exports", 1, 1)
    elif not db_path.exists():
        raise BuildError(NO_EXPORTS)
    if plans is not None:
        if not Path(plans).is_dir():
            raise BuildError(f"dossier de plans d'action introuvable : {plans}")
        for outcome in load_plans(db_path, [plans]):
            if outcome.status == "rejected":
                result.failures.append(("plan d'action", str(outcome.path), str(outcome.problems[0])))
    result.timings["ingest"] = time.perf_counter() - started

    with Autodiag(db_path) as db:
        inputs = Inputs.load(db)
    if not inputs.sources:
        raise BuildError(NO_EXPORTS)
    if campaign is not None and campaign not in inputs.campaigns():
        loaded = ", ".join(str(c) for c in inputs.campaigns())
        raise BuildError(f"campagne {campaign} absente de la base (campagnes chargées : {loaded})")
    campaigns = [campaign] if campaign is not None else inputs.campaigns()
    all_networks = sorted({s.network for s in inputs.sources})
    per_campaign = {c: sorted({s.network for s in inputs.select([c])}) for c in campaigns}
    result.planned = planned_pages(inputs, campaigns, per_campaign, all_networks)
    check_limits(result.planned, len(all_networks), limits)
    if on_plan is not None:
        on_plan(result.planned, sum(n * TYPICAL_BYTES[kind] for kind, n in result.planned.items()))
    summary = summary_aside(db_path)
    opened: list = []  # this process's connection, once opened (reader below)
    try:
        net_slug = network_slugs(all_networks)

        @functools.cache
        def slugs_of(c: int) -> dict:
            """The campaign's structure slugs, computed once."""
            return structure_slugs(sorted({s.code for s in inputs.select([c])}))

        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(out_dir)  # left by a build that was killed

        def reader() -> Autodiag:
            """This process's connection for the dashboard and the data files (which read the same
            network summary), opened once the workers are forked: none stays open across a fork."""
            if not opened:
                opened.append(shared_reader(db_path, summary=summary()))
            return opened[0]

        asset = plotlyjs.write_asset(out_dir)
        manifest = Manifest.load(out_dir)
        settings = {"min_group_size": min_group_size, "notebooks": notebooks, "plotly_js": plotlyjs.version()}
        # Structure pages are rendered in this process either way: the notebooks option is not theirs.
        batch_settings = {k: v for k, v in settings.items() if k != "notebooks"}

        def save_manifest() -> None:
            result.manifest = manifest.save(
                autodiag=__version__,
                built_at=manifest_now(),
                plotly_js=manifest.relative(asset),
                settings=settings,
                files=[
                    {"sha256": sha, "name": name}
                    for sha, name in sorted({(s.sha256, s.file_name) for s in inputs.sources})
                ],
            )

        def fresh(page: PageInputs, out: Path, extra: object = None) -> tuple[bool, str]:
            # the page's links to other pages are part of what it shows
            key = page.key(inputs, batch_settings if page.kind == "structure" else settings, extra)
            if not force and manifest.is_fresh(out, key):
                result.add(page.kind, manifest.size(out), rendered=False)
                return True, key
            return False, key

        links = dashboard.Links(typologies={(s.campaign, s.code): s.typologie for s in inputs.sources})
        tasks: list[tuple[str, str, Future, Path, str, PageInputs]] = []
        # Threads are enough: each notebook runs in its own kernel process.
        pool = ThreadPoolExecutor(max_workers=workers) if notebooks else None

        def submit(page: PageInputs, label: str, parameters: dict, out: Path, extra: object = None) -> None:
            up_to_date, key = fresh(page, out, extra)
            if up_to_date:
                return
            arguments = (
                page.kind,
                parameters,
                str(out),
                Embed.site(out, out_dir),
                footer(page, in_site=True),
            )
            if pool is not None:
                tasks.append((page.kind, label, pool.submit(_notebook_task, *arguments), out, key, page))
            else:  # rendered below, without notebooks
                inline.append((page.kind, label, arguments, out, key, page))

        # 2. Network reports and trends: notebooks in worker processes, or rendered directly in this
        #    process and forked workers.
        t0 = time.perf_counter()
        inline: list = []
        present = {
            net: [c for c in inputs.campaigns() if inputs.select([c], network=net)] for net in all_networks
        }
        for c in campaigns:
            slugs = slugs_of(c)
            for net in per_campaign[c]:
                out = report_path("network", c, net, out_dir, net_slug)
                # Its links: to its structures' pages, to its other campaigns and trends.
                links_of = {
                    "structures": sorted((s.code, slugs[s.code]) for s in inputs.select([c], network=net)),
                    "campaigns": present[net],
                    "slug": net_slug.get(net),
                }
                submit(
                    network_page(inputs, c, net),
                    f"{net} ({c})",
                    {
                        "db_path": str(db_path),
                        "campaign": c,
                        "network": net,
                        "min_group_size": min_group_size,
                        "site_links": 1,
                    },
                    out,
                    links_of,
                )
                links.networks[(c, net)] = out.relative_to(out_dir).as_posix()
        out = report_path("trends", None, None, out_dir)
        submit(
            trends_page(inputs, None),
            "national",
            {"db_path": str(db_path), "network": None, "min_group_size": min_group_size, "site_links": 1},
            out,
        )
        links.trends = out.relative_to(out_dir).as_posix()
        for net in all_networks:
            out = report_path("trends", None, net, out_dir, net_slug)
            submit(
                trends_page(inputs, net),
                net,
                {"db_path": str(db_path), "network": net, "min_group_size": min_group_size, "site_links": 1},
                out,
            )
            links.network_trends[net] = out.relative_to(out_dir).as_posix()

        # 3. The campaigns' data files of shared figures (references.py), where their files changed,
        #    computed aside while the structure pages are rendered.
        stale = [
            item
            for c in campaigns
            for item in stale_references(
                out_dir, inputs, c, net_slug, manifest, batch_settings, force, result
            )
        ]
        inline_results, figures = _render_aside(
            db_path,
            out_dir,
            [t[2] for t in inline],
            [(c, net, out) for c, net, _, out, _ in stale],
            workers,
            min_group_size,
            reader,
            summary(),  # read by then: no thread runs across the fork
        )
        # rendered now without notebooks, else submitted
        result.timings["networks"] = time.perf_counter() - t0

        # 4. Structure reports: many pages, frames loaded network by network (a build's memory does
        #    not grow with the campaign), the pages shared between this process and forked workers
        #    (structure_pages).
        t0 = time.perf_counter()
        pages_of = _structure_pages(inputs, campaigns, out_dir, slugs_of)
        for c in sorted(campaigns):
            sources = {s.code: s for s in inputs.select([c])}
            codes = sorted(sources)
            slugs = slugs_of(c)
            jobs: dict[str, list] = {}  # network -> [(job, page, key)]
            paths = {}
            folder = structure_folder(out_dir, c)
            up = Path(os.path.relpath(out_dir, folder)).as_posix() + "/"
            for code in codes:
                out = paths[code] = os.path.join(folder, f"{slugs[code]}.html")  # text: 30,000 pages
                page = structure_page(inputs, c, code)
                nav = structure_nav(up, c, code, sources[code].network, links, pages_of)
                up_to_date, key = fresh(page, out, extra=nav)
                if not up_to_date:
                    site = site_references(c, net_slug[sources[code].network])
                    job = structure_pages.Job(code, Path(out), nav, footer(page, in_site=True), site)
                    jobs.setdefault(sources[code].network, []).append((job, page, key))
            results = {}
            total, done_before = sum(len(j) for j in jobs.values()), 0
            # Site pages read their network's distribution from the data file: none is loaded.
            stats: dict = {}

            if len(codes) <= AT_ONCE:  # one read for the whole campaign
                jobs = {None: [job for net in sorted(jobs) for job in jobs[net]]} if jobs else {}
            for net in sorted(jobs, key=lambda n: n or ""):
                if len(jobs[net]) <= FEW:  # a few new files: their own rows only
                    done = []
                    for job, _, _ in jobs[net]:
                        with Autodiag(db_path) as db:
                            frames = structure.load_frames(db, c, job.code, peers=False, stats=stats)
                        done += structure_pages.render_all(
                            str(db_path), frames, [job], out_dir, Confidentiality(min_group_size), 1
                        )
                else:
                    with Autodiag(db_path) as db:
                        frames = structure.load_frames(db, c, network=net, stats=stats)
                    # No connection stays open across the workers' fork: each opens its own.
                    done = structure_pages.render_all(
                        str(db_path),
                        frames,
                        [job for job, _, _ in jobs[net]],
                        out_dir,
                        Confidentiality(min_group_size),
                        workers,
                        lambda i, n, c=c, before=done_before, total=total: progress(
                            f"Rapports structures {c}", before + i, total
                        ),
                    )
                done_before += len(jobs[net])
                del frames
                for (job, page, key), (ok, value) in zip(jobs[net], done):
                    results[job.code] = ok
                    if ok:
                        manifest.record(job.out, key, page.manifest_entry())
                        result.add("structure", value)
                    else:  # one failing page never stops the build
                        manifest.forget(job.out)
                        result.failures.append(("structure", f"{job.code} ({c})", str(value)))
            for code in codes:
                if results.get(code, True):
                    links.structures.setdefault((c, sources[code].network), []).append(
                        (code, sources[code].name, manifest.relative(paths[code]))
                    )
            progress(f"Rapports structures {c}", len(codes), len(codes))
            # What this campaign rendered survives a build killed later (a few pages would just be
            # rendered again: the manifest is written once, at the end).
            if done_before > FEW:
                save_manifest()
        result.timings["structures"] = time.perf_counter() - t0

        def dashboard_step() -> list[tuple]:
            """The dashboard: rendered when what it shows changed (the base, its links, this
            build's failures), written only if its bytes changed. Returns what it counts in the
            result: (kind, bytes, rendered)."""
            counted = []
            links.failures = [list(f) for f in result.failures]
            page = dashboard_page(inputs)
            shown = [
                links.trends,
                sorted(links.network_trends.items()),
                sorted(links.networks.items()),
                sorted(links.structures.items()),
                sorted(links.typologies.items()),
                links.failures,
            ]
            key = page.key(inputs, settings, shown)
            entry = manifest.entry(result.index) or {}
            side = entry.get("data_files", {})
            if (
                not force
                and manifest.is_fresh(result.index, key)
                and all(manifest.is_fresh(out_dir / name, sha) for name, sha in side.items())
            ):
                counted.append(("index", entry["size"], False))
                counted += [("data", manifest.size(name), False) for name in side]
            else:
                index = dashboard.build(reader(), links, min_group_size)
                index.footer = footer(page, in_site=True)
                for name in sorted(index.files):  # the structure list's data, one script per campaign
                    written = write_side_files(out_dir, {name: index.files[name]})
                    digest = hashlib.sha256(index.files[name]).hexdigest()
                    manifest.record(out_dir / name, digest, {"kind": "data"})
                    counted.append(("data", len(index.files[name]), bool(written)))
                data = b"".join(plotlyjs.resolve(index.page(), Embed.site(result.index, out_dir)))
                try:
                    same = result.index.read_bytes() == data
                except OSError:
                    same = False
                if force or not same:
                    write_atomic(result.index, [data])
                files = {name: hashlib.sha256(index.files[name]).hexdigest() for name in sorted(index.files)}
                manifest.record(result.index, key, {**page.manifest_entry(), "data_files": files})
                counted.append(("index", len(data), force or not same))
            return counted

        # 5. The dashboard while the network pages rendered aside are finishing (rendered again below
        #    if one of them failed), then the wait.
        counted = dashboard_step()
        seen_failures = len(result.failures)
        t1 = time.perf_counter()
        for (_, _, page, out, key), done in zip(stale, figures()):
            if done is None or isinstance(done, str):  # the pages read the previous file; written next time
                result.failures.append(("repères", manifest.relative(out), done or structure_pages.DIED))
                continue
            manifest.record(out, key, page.manifest_entry())
            result.add("reference", done[0], rendered=done[1])
        result.timings["references"] = time.perf_counter() - t1
        t0 = time.perf_counter()
        for (kind, label, _, out, key, page), value in zip(inline, inline_results()):
            future = Future()  # already completed
            future.set_result(value)
            tasks.append((kind, label, future, out, key, page))
        for i, (kind, label, future, out, key, page) in enumerate(tasks, 1):
            ok, value = future.result()
            if ok:
                manifest.record(out, key, page.manifest_entry())
                result.add(kind, value)
            else:
                manifest.forget(out)
                result.failures.append(("réseau" if kind == "network" else "tendances", label, str(value)))
                if kind == "network":
                    links.networks = {
                        k: v for k, v in links.networks.items() if v != out.relative_to(out_dir).as_posix()
                    }
            progress("Rapports réseaux et tendances", i, len(tasks))
        if pool is not None:
            pool.shutdown()

        result.timings["waiting"] = time.perf_counter() - t0
        if len(result.failures) != seen_failures:  # a network or trends page failed: not linked
            counted = dashboard_step()
        for kind, size, rendered in counted:
            result.add(kind, size, rendered=rendered)

        save_manifest()
        result.timings["total"] = time.perf_counter() - started
        return result
    finally:
        summary()  # no thread outlives the build, no connection stays open
        for db in opened:
            db.close()


def stale_references(
    out_dir: Path,
    inputs: Inputs,
    campaign: int,
    net_slug: dict,
    manifest: Manifest,
    settings: dict,
    force: bool,
    result: BuildResult,
) -> list[tuple]:
    """(campaign, network or None, inputs, file, key) of the campaign's data files whose key
    changed; the others are counted as up to date."""
    wanted = [(None, reference_data(inputs, campaign))] + [
        (net, reference_data(inputs, campaign, net))
        for net in sorted({s.network for s in inputs.select([campaign])})
    ]
    stale = []
    for net, page in wanted:
        out = out_dir / references.src(campaign, net_slug[net] if net else None)
        key = page.key(inputs, settings)
        if not force and manifest.is_fresh(out, key):
            result.add("reference", manifest.size(out), rendered=False)
        else:
            stale.append((campaign, net, page, out, key))
    return stale


def reference_files(db: Autodiag, out_dir: Path, items: list[tuple], min_group_size: int) -> list[tuple]:
    """Write each data file (campaign, network or None for the campaign's, file) where its bytes
    changed; (size, written) of each, or why it could not be written."""
    found, figures = [], {}
    for campaign, net, out in items:
        if campaign not in figures:
            figures[campaign] = CampaignFigures(db, campaign, Confidentiality(min_group_size))
        values = figures[campaign].common() if net is None else figures[campaign].of_network(net)
        data = references.script(values)
        try:
            found.append((len(data), bool(write_side_files(out.parent, {out.name: data}))))
        except OSError as error:  # a full disk: said, and the next build writes it
            found.append(f"{error.strerror or error} ({out.name})")
    return found


def _structure_pages(inputs: Inputs, campaigns: list[int], out_dir: Path, slugs_of) -> dict:
    """code -> {campaign: structure page, relative to the site's root} for the campaigns built
    now and the pages already on disk (a build of one campaign still links the others' pages)."""
    pages: dict = {}
    for c in inputs.campaigns():
        slugs = slugs_of(c)
        folder = structure_folder(out_dir, c)
        prefix = Path(folder).relative_to(out_dir).as_posix()
        for code in sorted(slugs):
            name = f"{slugs[code]}.html"
            if c in campaigns or os.path.exists(os.path.join(folder, name)):
                pages.setdefault(code, {})[c] = f"{prefix}/{name}"
    return pages


def structure_folder(out_dir: Path, campaign: int) -> str:
    """The folder of a campaign's structure pages (:func:`report_path`'s), as text: asked for
    every structure page of a site."""
    return str(report_path("structure", campaign, "page", out_dir).parent)


def structure_nav(up: str, campaign: int, code: str, network: str, links, pages_of: dict) -> list:
    """A structure page's links: dashboard, its network report, its other campaigns, the trends;
    ``up``: the way from the page's folder up to the site's root (« ../../ »)."""
    nav = [["Tableau de bord", f"{up}index.html"]]
    if (campaign, network) in links.networks:
        nav.append(
            [f"Rapport du réseau « {network} » ({campaign})", up + links.networks[(campaign, network)]]
        )
    for other, path in sorted(pages_of.get(code, {}).items()):
        if other != campaign:
            nav.append([f"Campagne {other}", up + path])
    if network in links.network_trends:
        nav.append(["Évolution du réseau", up + links.network_trends[network]])
    if links.trends:
        nav.append(["Évolution nationale", up + links.trends])
    return nav
