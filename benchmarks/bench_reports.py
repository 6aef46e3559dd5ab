"""Report benchmarks: the whole demo build, rebuilds (nothing changed, one page deleted,
--tout) against it, then 1,000 structure reports of one synthetic network rendered by the
batch renderer, with output sizes.

    .venv/bin/python benchmarks/bench_reports.py [--skip-demo] [--n 1000] [--repeat 3]

Work files go to benchmarks/work/ (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import time
from pathlib import Path

from autodiag import formatting as fmt
from autodiag.api import NativeAutodiag as Autodiag  # what the reports read
from autodiag.demo.writer import write_demo_data
from autodiag.ingest.loader import ingest
from autodiag.paths import REFERENTIELS_DIR, ROOT, SEED_EXPORT
from autodiag.reports import structure
from autodiag.reports.build import build_all
from autodiag.reports.plotlyjs import Embed
from autodiag.slugs import unique_slugs

WORK = ROOT / "benchmarks" / "work"
NETWORK = "Réseau synthétique"
SCALE = ["Oui", "Oui", "Partiellement", "Initié", "Non", "Non applicable", ""]


def mb(size: int) -> str:
    return f"{fmt.number(size / 1e6, 1)} Mo" if size >= 1e6 else f"{fmt.number(size / 1e3)} ko"


def synthetic_export(path: Path, n: int, campaign: int = 2024, seed: int = 1) -> Path:
    """n structures of one network, in the answer-export contract (seed row as template)."""
    with SEED_EXPORT.open(encoding="utf-8", newline="") as f:
        base = next(csv.DictReader(f, delimiter=";"))
    with (REFERENTIELS_DIR / "2024.csv").open(encoding="utf-8", newline="") as f:
        scale = [r["question_id"] for r in csv.DictReader(f, delimiter=";") if r["kind"] == "scale"]
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(base), delimiter=";")
        writer.writeheader()
        for i in range(n):
            row = dict(base)
            row.update(
                {
                    "code_structure": f"SYN-{i:04d}",
                    "nom_structure": f"Structure synthétique n° {i}",
                    "reseau": NETWORK,
                    "campagne": str(campaign),
                    "localisation": f"{rng.randint(1, 95):02d}100",
                    "date_enregistrement": f"{rng.randint(10, 28):02d}/05/{campaign} 09:{rng.randint(10, 59)}:00",
                }
            )
            for q in scale:
                row[q] = rng.choice(SCALE)
            writer.writerow(row)
    return path


def folder_size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def bench_demo(repeat: int) -> None:
    """Full build, then rebuilds: nothing changed, one page deleted, everything (--tout), each
    measured with build_all in this process (imports excluded), median of ``repeat`` runs."""
    work = WORK / "demo"
    shutil.rmtree(work, ignore_errors=True)
    demo = work / "exports"
    write_demo_data(demo)
    db, out = work / "autodiag.duckdb", work / "outputs"
    started = time.perf_counter()
    result = build_all(db, out, raw=demo)
    full = time.perf_counter() - started
    print(
        f"Build complet de la démo : {full:.1f} s (chargement {result.timings['ingest']:.1f} s, "
        f"pages structures {result.timings['structures']:.1f} s) ; échecs : {len(result.failures)}"
    )
    for kind, (count, total, largest) in result.sizes.items():
        print(f"  {kind:10s} {count:4d} fichier(s), {mb(total)} au total, {mb(largest)} au plus")
    print(f"  outputs/ : {mb(folder_size(out))} (dont plotly.js partagé {mb(folder_size(out / 'assets'))})")

    def timed(label: str, prepare=lambda: None, **options) -> None:
        times = []
        for _ in range(repeat):
            prepare()
            t0 = time.perf_counter()
            again = build_all(db, out, raw=demo, **options)
            times.append(time.perf_counter() - t0)
        median = sorted(times)[len(times) // 2]
        print(
            f"{label} : {median:.2f} s, soit {100 * median / full:.1f} % du build complet "
            f"(pages reproduites : {sum(again.rendered.values())})"
        )

    timed("Second build sans changement")
    victim = out / "2024" / "structures" / "str-24.html"
    timed("Build après suppression d'une page", prepare=lambda: victim.unlink())
    timed("Build complet forcé (--tout, chargement sans nouveau fichier)", force=True)
    shutil.rmtree(out, ignore_errors=True)


def bench_batch(n: int) -> None:
    work = WORK / f"batch-{n}"
    shutil.rmtree(work, ignore_errors=True)
    export = synthetic_export(work / "export.csv", n)
    t0 = time.perf_counter()
    report = ingest(work / "autodiag.duckdb", [export])
    assert report.ok, [o.problems[:3] for o in report.outcomes]
    print(f"Chargement de {n} structures : {time.perf_counter() - t0:.1f} s")
    out = work / "structures"
    t0 = time.perf_counter()
    total = largest = count = 0
    with Autodiag(work / "autodiag.duckdb") as db:
        frames = structure.load_frames(db, 2024)
        slugs = unique_slugs(sorted(frames.scores))
        t_load = time.perf_counter() - t0
        for code in sorted(frames.scores):
            page = out / f"{slugs[code]}.html"
            size = structure.build_from_frames(frames, code).write(page, Embed.site(page, out))
            total, largest, count = total + size, max(largest, size), count + 1
    elapsed = time.perf_counter() - t0
    print(
        f"{count} rapports structures d'un réseau : {elapsed:.1f} s (données {t_load:.2f} s, "
        f"{1000 * elapsed / count:.1f} ms par page) ; {mb(total)} au total, {mb(largest)} par page au plus"
    )
    shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="rebuilds: median of this many runs")
    args = parser.parse_args()
    if not args.skip_demo:
        bench_demo(args.repeat)
    bench_batch(args.n)


if __name__ == "__main__":
    main()
