"""A build's memory whatever the number of networks: an export of one structure in each of N
networks (2 000, the default limit of ``build``), built through the CLI as a user would.

    .venv/bin/python benchmarks/bench_many_networks.py [--networks 2000] [--workers 2]

Prints the pages written, the build's time and its peak memory (the largest resident size of
one of its processes, and the largest proportional sum over all of them, measure.py), against the
1,5 GB target. Work files go to benchmarks/work/networks/ (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
from pathlib import Path

from measure import run_sampled

from autodiag import formatting as fmt
from autodiag.paths import ROOT

WORK = ROOT / "benchmarks" / "work" / "networks"
SEED = ROOT / "data" / "seed" / "STR-24_2024.csv"


def write_export(path: Path, networks: int) -> None:
    """The seed's submission, once per network under a new code."""
    with SEED.open(encoding="utf-8-sig", newline="") as f:
        header, row = list(csv.reader(f, delimiter=";"))[:2]
    code, name, network = (
        header.index("code_structure"),
        header.index("nom_structure"),
        header.index("reseau"),
    )
    rows = []
    for i in range(networks):
        copy = list(row)
        copy[code], copy[name], copy[network] = f"RES-{i:05d}", f"Structure {i}", f"Réseau {i:05d}"
        rows.append(copy)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\r\n").writerows([header, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--networks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    shutil.rmtree(WORK, ignore_errors=True)
    export = WORK / "raw" / "reseaux.csv"
    write_export(export, options.networks)
    command = [
        sys.executable,
        "-m",
        "autodiag",
        "build",
        "--exports",
        str(export.parent),
        "--base",
        str(WORK / "base.duckdb"),
        "--sortie",
        str(WORK / "outputs"),
        "--sans-carnets",
        "--processus",
        str(options.workers),
    ]
    done, elapsed, peak_sum = run_sampled(command, {**os.environ, "COLUMNS": "200"})
    if done.returncode != 0:
        sys.exit(f"build a échoué :\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    pages = sum(1 for _ in (WORK / "outputs").rglob("*.html"))
    print(f"{fmt.number(options.networks)} réseaux d'une structure, {options.workers} processus")
    print(f"{'pages écrites':<44} {fmt.number(pages):>14}")
    print(f"{'durée du build':<44} {fmt.number(elapsed, 1) + ' s':>14}")
    ok = peak <= 1500
    print(
        f"{'mémoire maximale d’un processus (RSS)':<44} {fmt.number(peak) + ' Mo':>14}   cible ≤ 1 500 Mo  {'✓' if ok else '✗'}"
    )
    ok = peak_sum <= 1500
    print(
        f"{'mémoire de tous ses processus (Pss, somme)':<44} {fmt.number(peak_sum) + ' Mo':>14}"
        f"   cible ≤ 1 500 Mo  {'✓' if ok else '✗'}"
    )
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
