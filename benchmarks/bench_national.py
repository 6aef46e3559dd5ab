"""National-size benchmark: the synthetic national set (15,000 structures in 30 networks,
2 campaigns, one file per site or per network), run through the CLI as a user would.

    .venv/bin/python benchmarks/bench_national.py [--structures 15000] [--campaigns 2024,2025]

Prints: ingest time, full `build` time, outputs size, the time of a second `build` with
nothing changed (and its ratio to the full build), then the time of a `build` after one
new site file is added; each against the target of the scale issue. Peak memory is the
largest resident size of the commands run. Work files go to benchmarks/work/national/
(git-ignored); add --keep to leave them there.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from measure import run_sampled

from autodiag import formatting as fmt
from autodiag.demo.national import networks, write_national_data
from autodiag.paths import ROOT

WORK = ROOT / "benchmarks" / "work" / "national"
AUTODIAG = [sys.executable, "-m", "autodiag"]


def run(*args: str | Path, show: bool = False) -> tuple[float, float, int]:
    """Wall time (s) of `autodiag ARGS`, the peak RSS (MB) of the children so far, and the
    largest proportional memory (MB) of its whole process tree (measure.py); with ``show``, its
    summary lines (what a build rendered and what it left as it was)."""
    result, elapsed, pss = run_sampled([*AUTODIAG, *map(str, args)], {**os.environ, "COLUMNS": "200"})
    if result.returncode != 0:
        sys.exit(
            f"autodiag {' '.join(map(str, args))} a échoué :\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if show:
        for text in result.stdout.splitlines():
            if text.startswith("  "):
                print(f"      {text.strip()}")
    return elapsed, peak, pss


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def add_site_file(raw: Path, campaign: int) -> Path:
    """A new structure's own file, in the first one-file-per-site network (copied from a neighbour)."""
    network = next(n for n in networks() if n.per_site)
    folder = raw / str(campaign) / network.slug
    model = sorted(folder.glob("*.csv"))[0]
    with model.open(encoding="utf-8", newline="") as f:
        header, row = list(csv.reader(f, delimiter=";"))[:2]
    row[0], row[1] = "NAT-99999", "Bibliothèque nouvelle (ajoutée pour le banc d'essai)"
    path = folder / "NAT-99999.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows([header, row])
    return path


def line(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("  ✓" if ok else "  ✗ hors cible")
    print(f"{label:<44} {value:>14}   {target}{verdict}")


def seconds(value: float) -> str:
    return f"{fmt.number(value, 1)} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--structures", type=int, default=15_000)
    parser.add_argument("--campaigns", default="2024,2025")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--sans-carnets",
        action="store_true",
        help="network and trends pages rendered directly, not by Papermill",
    )
    options = parser.parse_args()
    campaigns = [int(c) for c in options.campaigns.split(",")]

    shutil.rmtree(WORK, ignore_errors=True)
    raw, db, out = WORK / "raw", WORK / "national.duckdb", WORK / "outputs"
    start = time.perf_counter()
    files = write_national_data(raw, options.structures, campaigns)
    generated = time.perf_counter() - start
    raw_bytes, _ = folder_size(raw)
    mode = (
        "pages réseaux et tendances directes (--sans-carnets)"
        if options.sans_carnets
        else "pages réseaux et tendances par Papermill"
    )
    print(
        f"Jeu national : {fmt.number(options.structures)} structures, 30 réseaux, campagnes {options.campaigns}, {mode} ; "
        f"{fmt.number(len(files))} fichiers, {fmt.number(raw_bytes / 1e6, 1)} Mo "
        f"(écrits en {seconds(generated)})\n"
    )

    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    ingest_time, ingest_peak, _ = run("ingest", raw, "--base", db)
    line(
        "ingest (base neuve)",
        seconds(ingest_time),
        f"{fmt.number(1000 * ingest_time / len(files), 1)} ms/fichier",
    )
    build = ["build", "--exports", raw, "--base", db, "--sortie", out, "--processus", str(options.workers)]
    if options.sans_carnets:
        build.append("--sans-carnets")
    full_time, build_peak, build_pss = run(*build)
    line("build complet", seconds(full_time), "cible ≤ 900 s", full_time <= 900)
    size, pages = folder_size(out)
    line(
        "taille de outputs/",
        f"{fmt.number(size / 1e9, 2)} Go",
        f"{fmt.number(pages)} fichiers ; cible ≤ 6 Go",
        size <= 6e9,
    )
    again_time, _, _ = run(*build)
    ratio = again_time / full_time
    line(
        "build sans changement",
        seconds(again_time),
        f"{fmt.number(100 * ratio, 1)} % du complet ; cible ≤ 5 %",
        ratio <= 0.05,
    )
    add_site_file(raw, campaigns[-1])
    new_time, _, new_pss = run(*build, show=True)
    line("build après un nouveau fichier de site", seconds(new_time), "cible ≤ 10 s", new_time <= 10)
    # ru_maxrss of the children is a running maximum: read after ingest, it is ingest's own.
    line(
        "mémoire maximale de l'ingest (RSS)",
        f"{fmt.number(ingest_peak)} Mo",
        "cible < 1 000 Mo",
        ingest_peak < 1000,
    )
    line(
        "mémoire maximale du build (RSS)",
        f"{fmt.number(build_peak)} Mo",
        "cible ≤ 1 500 Mo",
        build_peak <= 1500,
    )
    line(
        "build complet, tous processus (Pss)",
        f"{fmt.number(build_pss)} Mo",
        "cible ≤ 1 500 Mo",
        build_pss <= 1500,
    )
    line("build d'un nouveau fichier, tous processus (Pss)", f"{fmt.number(new_pss)} Mo")
    index = out / "index.html"
    start = index.stat().st_size + sum(
        p.stat().st_size for p in (out / "data").glob(f"structures-{campaigns[-1]}.js")
    )
    line(
        "tableau de bord au départ (page + données)",
        f"{fmt.number(start / 1e6, 2)} Mo",
        "cible ≤ 3 Mo",
        start <= 3e6,
    )
    largest = max(out.glob(f"{campaigns[-1]}/networks/*.html"), key=lambda p: p.stat().st_size)
    line(
        "plus gros rapport réseau (page)",
        f"{fmt.number(largest.stat().st_size / 1e6, 2)} Mo",
        "cible ≤ 1,5 Mo",
        largest.stat().st_size <= 1.5e6,
    )
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    if not options.keep:
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
