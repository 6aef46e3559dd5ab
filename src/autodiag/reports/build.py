"""``autodiag build``: ingest, then every network report, structure report, the trends and
outputs/index.html. One failing report never stops the build: failures are collected.

Network reports and trends run their notebook through Papermill in worker threads (one
kernel process per notebook); structure pages, far more numerous, are rendered in this process
from frames loaded once per campaign (``structure.load_frames`` + ``build_from_frames``),
the very functions the structure notebook calls.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..paths import OUTPUTS_DIR, ROOT
from . import DEFAULT_MIN_GROUP_SIZE
from .layout import network_slugs, report_path, structure_slugs

DEMO_DIR = ROOT / "data" / "demo"
RAW_DIR = ROOT / "data" / "raw"


@dataclass
class BuildResult:
    index: Path
    failures: list = field(default_factory=list)  # (kind, label, message)
    sizes: dict = field(default_factory=dict)  # kind -> [count, total bytes, max bytes]
    timings: dict = field(default_factory=dict)  # step -> seconds
    source: Path | None = None
    demo_written: bool = False  # the demo exports were missing and have been written

    @property
    def ok(self) -> bool:
        return not self.failures

    def add(self, kind: str, size: int) -> None:
        entry = self.sizes.setdefault(kind, [0, 0, 0])
        entry[0] += 1
        entry[1] += size
        entry[2] = max(entry[2], size)


def source_folder(raw: Path | None) -> tuple[Path, bool]:
    """(folder, demo written): ``raw`` (data/raw by default) when it exists, else the demo
    exports, written first when missing (also when ``raw`` is the demo folder itself)."""
    raw = Path(raw) if raw is not None else RAW_DIR
    if raw.exists() and (raw.resolve() != DEMO_DIR.resolve() or any(DEMO_DIR.rglob("*.*"))):
        return raw, False
    if not DEMO_DIR.exists() or not any(DEMO_DIR.rglob("*.*")):
        from ..demo_data import write_demo_data

        write_demo_data(DEMO_DIR)
        return DEMO_DIR, True
    return DEMO_DIR, False


def _notebook_task(kind: str, parameters: dict, out: str) -> tuple[bool, object]:
    """Runs in a worker thread; returns (True, size) or (False, message)."""
    from .run import execute_notebook

    try:
        return True, execute_notebook(kind, parameters, Path(out))
    except Exception as error:  # reported, never fatal for the build
        return False, f"{type(error).__name__}: {error}"


def _inline_task(db_path: str, kind: str, parameters: dict, out: str) -> tuple[bool, object]:
    from ..api import NativeAutodiag as Autodiag  # the reports read the database's own column names
    from . import network, trends

    try:
        with Autodiag(db_path) as db:
            if kind == "network":
                report = network.build(db, parameters["campaign"], parameters["network"], parameters["min_group_size"],
                                       site_links=bool(parameters.get("site_links")))
            else:
                report = trends.build(db, parameters["network"], parameters["min_group_size"])
        return True, report.write(Path(out))
    except Exception as error:
        return False, f"{type(error).__name__}: {error}"


def build_all(
    db_path: Path,
    out_dir: Path = OUTPUTS_DIR,
    raw: Path | None = None,
    campaign: int | None = None,
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE,
    notebooks: bool = True,
    workers: int = 2,
    on_progress: Callable[[str, int, int], None] | None = None,
) -> BuildResult:
    from ..api import NativeAutodiag as Autodiag  # the reports read the database's own column names
    from ..ingest import ingest
    from . import dashboard, structure

    started = time.perf_counter()
    db_path, out_dir = Path(db_path).resolve(), Path(out_dir).resolve()
    result = BuildResult(index=out_dir / "index.html")
    progress = on_progress or (lambda step, done, total: None)

    # 1. Ingest (the one writer), then only read-only connections.
    folder, result.demo_written = source_folder(raw)
    result.source = folder
    progress("Chargement des exports", 0, 1)
    report = ingest(db_path, [folder])
    for outcome in report.outcomes:
        if outcome.status == "rejected":
            first = str(outcome.problems[0]) if outcome.problems else "fichier refusé"
            result.failures.append(("chargement", str(outcome.path), first))
    progress("Chargement des exports", 1, 1)
    result.timings["ingest"] = time.perf_counter() - started

    with Autodiag(db_path) as db:
        campaigns = [campaign] if campaign is not None else db.campaigns()
        all_networks = db.networks()
        net_slug = network_slugs(all_networks)
        per_campaign = {c: db.networks(c) for c in campaigns}

    links = dashboard.Links()
    tasks: list[tuple[str, str, Future, Path]] = []
    out_dir.mkdir(parents=True, exist_ok=True)
    # Threads are enough: each notebook runs in its own kernel process.
    pool = ThreadPoolExecutor(max_workers=workers) if notebooks else None

    def submit(kind: str, label: str, parameters: dict, out: Path) -> None:
        if pool is not None:
            future = pool.submit(_notebook_task, kind, parameters, str(out))
        else:  # rendered now, in this process: an already-completed future
            future = Future()
            future.set_result(_inline_task(str(db_path), kind, parameters, str(out)))
        tasks.append((kind, label, future, out))

    # 2. Network reports and trends: notebooks in worker processes.
    for c in campaigns:
        for net in per_campaign[c]:
            out = report_path("network", c, net, out_dir, net_slug)
            submit("network", f"{net} ({c})", {"db_path": str(db_path), "campaign": c, "network": net,
                                                "min_group_size": min_group_size, "site_links": 1}, out)
            links.networks[(c, net)] = out.relative_to(out_dir).as_posix()
    out = report_path("trends", None, None, out_dir)
    submit("trends", "national", {"db_path": str(db_path), "network": None, "min_group_size": min_group_size}, out)
    links.trends = out.relative_to(out_dir).as_posix()
    for net in all_networks:
        out = report_path("trends", None, net, out_dir, net_slug)
        submit("trends", net, {"db_path": str(db_path), "network": net, "min_group_size": min_group_size}, out)
        links.network_trends[net] = out.relative_to(out_dir).as_posix()

    # 3. Structure reports: many pages in this process, frames loaded once per campaign.
    t0 = time.perf_counter()
    loaded: dict = {}  # score frames: campaign c's are reused as the previous campaign of c + 1
    with Autodiag(db_path) as db:
        for c in sorted(campaigns):
            frames = structure.load_frames(db, c, loaded=loaded)
            loaded = {key: frame for key, frame in loaded.items() if key[0] == c}
            codes = sorted(frames.scores)
            slugs = structure_slugs(codes)
            for i, code in enumerate(codes, 1):
                identity = frames.scores[code][0]
                out = report_path("structure", c, code, out_dir, slugs)
                try:
                    size = structure.build_from_frames(frames, code, min_group_size).write(out)
                except Exception as error:  # one failing page never stops the build
                    result.failures.append(("structure", f"{code} ({c})", f"{type(error).__name__}: {error}"))
                else:
                    result.add("structure", size)
                    links.structures.setdefault((c, identity["reseau"]), []).append(
                        (code, identity["nom_structure"], out.relative_to(out_dir).as_posix()))
                if i % 10 == 0 or i == len(codes):
                    progress(f"Rapports structures {c}", i, len(codes))
    result.timings["structures"] = time.perf_counter() - t0

    # 4. Wait for the notebooks.
    for i, (kind, label, future, out) in enumerate(tasks, 1):
        ok, value = future.result()
        if ok:
            result.add(kind, value)
        else:
            result.failures.append(("réseau" if kind == "network" else "tendances", label, str(value)))
            if kind == "network":
                links.networks = {k: v for k, v in links.networks.items() if v != out.relative_to(out_dir).as_posix()}
        progress("Rapports réseaux et tendances", i, len(tasks))
    if pool is not None:
        pool.shutdown()

    # 5. The dashboard.
    links.failures = [list(f) for f in result.failures]
    with Autodiag(db_path) as db:
        result.add("index", dashboard.build(db, links, min_group_size).write(result.index))
    result.timings["total"] = time.perf_counter() - started
    return result
