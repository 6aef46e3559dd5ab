"""Ingest + score + export, beside a plain pandas script and DuckDB alone, in one run.

    .venv/bin/python benchmarks/bench_ingest.py [--files 1000] [--sizes 10000 100000] [--repeat 3]

Each measurement runs in a fresh process (so peak memory is that run's own) and times the
work inside it, not the interpreter start. Two shapes of input:

- many one-structure files (``--files``): ``ingest`` of the folder then ``export scores``,
  against benchmarks/pandas_baseline.py reading and scoring the same files (no database, no
  validation). Target: at most the pandas script's time (ratio <= 1).
- one file of N submissions (``--sizes``): the same pair, and DuckDB alone materialising every
  cell of the file as text (``read``). Targets: at most 0.25x the pandas script, at most 3x
  DuckDB's read; peak memory under 1 GB.

A bound is printed beside them: DuckDB alone reading every cell (``read``) plus writing the
very export autodiag wrote, from a table already in memory (``write``). No design that reads
the cells and writes that export with DuckDB can take less; what the targets leave for
checking, scoring and storing is the target less that bound.

The floor (DuckDB counting the file's rows, which it can do without keeping a cell) is printed
too, for comparison with earlier figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from autodiag.ingest.columns import IDENTITY_COLUMNS, text_columns  # noqa: E402
from autodiag.referentiel.questionnaires import load_all  # noqa: E402

SCALE = ["Oui", "Partiellement", "Initié", "Non", "Non applicable", "", "oui", "0,75"]
WEIGHTS = [30, 25, 15, 20, 4, 2, 2, 2]

WORKER = r"""
import json, resource, sys, time
from pathlib import Path
import duckdb  # imports are not timed, in any mode
mode, path, db, out = sys.argv[1:5]
t0 = time.perf_counter()
if mode == "floor":
    n = duckdb.connect().execute(
        "select count(*) from read_csv(?, delim=';', header=true, all_varchar=true)", [path]
    ).fetchone()[0]
    timings = {"floor": time.perf_counter() - t0, "rows": n}
elif mode == "read":
    con = duckdb.connect(db)
    t0 = time.perf_counter()
    con.execute("create temp table cells as select * from read_csv(?, delim=';', header=true, all_varchar=true)", [path])
    timings = {"read": time.perf_counter() - t0}
elif mode == "write":
    con = duckdb.connect()
    types = {"campagne": "INTEGER", "code_structure": "VARCHAR", "level": "VARCHAR", "unit": "VARCHAR", "points": "DOUBLE",
             "applicable": "USMALLINT", "missing": "USMALLINT", "rate": "DOUBLE", "version": "VARCHAR"}
    con.execute("create temp table export_rows as select * from read_csv(?, header=true, columns=?)", [path, types])
    t0 = time.perf_counter()
    con.execute("copy export_rows to $out (header, delimiter ',', quote '\"')", {"out": out})
    timings = {"write": time.perf_counter() - t0}
    assert Path(out).read_bytes() == Path(path).read_bytes()  # the same export, byte for byte
elif mode == "pandas":
    sys.path.insert(0, "benchmarks")
    import pandas_baseline
    questions = pandas_baseline.load_all()["2024"]
    t0 = time.perf_counter()
    frame = pandas_baseline.score(pandas_baseline.read(Path(path)), questions)
    frame.to_csv(out, index=False)
    timings = {"pandas": time.perf_counter() - t0, "rows": len(frame)}
else:
    from autodiag.ingest.loader import ingest
    from autodiag.exports.datasets import write_scores
    t0 = time.perf_counter()
    report = ingest(Path(db), [Path(path)])
    assert report.ok, [str(p) for o in report.outcomes for p in o.problems][:5]
    t1 = time.perf_counter()
    rows = write_scores(Path(db), Path(out))
    t2 = time.perf_counter()
    timings = {"ingest_score": t1 - t0, "export": t2 - t1, "rows": rows}
timings["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(timings))
"""


def generate(path: Path, n: int, seed: int = 1, first: int = 0) -> None:
    """N synthetic submissions of campaign 2024, structures STR-(100000 + first) onwards."""
    rng = random.Random(seed)
    questions = load_all()["2024"]
    header = [*IDENTITY_COLUMNS, *(q.question_id for q in questions), *text_columns(range(1, 9))]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for i in range(first, first + n):
            answers = [
                rng.choices(SCALE, WEIGHTS)[0]
                if q.kind == "scale"
                else "|".join(rng.sample(q.options, rng.randint(0, len(q.options)))) or "Aucun"
                for q in questions
            ]
            texts = [
                "Accueil apprécié ; horaires « élargis »" if rng.random() < 0.2 else "" for _ in range(16)
            ]
            writer.writerow(
                [
                    f"STR-{100000 + i}",
                    f"Bibliothèque synthétique n° {i}",
                    f"Réseau {i % 6}",
                    "Bibliothèques",
                    f"{rng.randint(1000, 95999):05d}",
                    "2024",
                    f"{rng.randint(1, 28):02d}/05/2024 10:{i % 60:02d}:00",
                    rng.randint(1, 15),
                    rng.randint(3, 300),
                    *answers,
                    *texts,
                ]
            )


def run_worker(*args: str) -> dict:
    for leftover in Path(args[2]).parent.glob(Path(args[2]).name + "*") if args[2] else ():
        leftover.unlink()  # every run starts from an empty database
    result = subprocess.run([sys.executable, "-c", WORKER, *args], capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise SystemExit(result.stderr)
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_run(repeat: int, *args: str) -> dict:
    """The median of each timing over ``repeat`` runs (the machine is shared: one run can be
    slowed by a neighbour), and the largest peak memory."""
    runs = [run_worker(*args) for _ in range(repeat)]
    merged = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    if "peak_mb" in merged:
        merged["peak_mb"] = max(r["peak_mb"] for r in runs)
    return merged


def generate_files(folder: Path, n: int) -> None:
    """N one-structure files (one submission each), as a network gathers one export per site."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        generate(folder / f"site-{i:05d}.csv", 1, seed=i, first=i)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, nargs="*", default=[1000], help="numbers of one-structure files")
    parser.add_argument(
        "--sizes", type=int, nargs="*", default=[10_000, 100_000], help="submissions in one file"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    r = args.repeat
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.files:
            print(
                f"{'files':>8} {'autodiag s':>11} {'ms/file':>8} {'pandas s':>9} {'x pandas':>9} {'peak MB':>8}   (target: x pandas <= 1)"
            )
        for n in args.files:
            folder = tmp / f"files-{n}"
            generate_files(folder, n)
            run = median_run(
                r, "ingest", str(folder), str(tmp / f"files-{n}.duckdb"), str(tmp / f"files-scores-{n}.csv")
            )
            pandas = median_run(r, "pandas", str(folder), "", str(tmp / f"files-pandas-{n}.csv"))["pandas"]
            total = run["ingest_score"] + run["export"]
            print(
                f"{n:>8} {total:>11.2f} {total / n * 1e3:>8.1f} {pandas:>9.2f} {total / pandas:>9.2f} {run['peak_mb']:>8.0f}",
                flush=True,
            )
        if args.sizes:
            print(
                f"{'N':>8} {'file MB':>8} {'ingest+score s':>15} {'export s':>9} {'total s':>8} {'pandas s':>9} {'x pandas':>9} "
                f"{'read s':>7} {'x read':>7} {'floor s':>8} {'peak MB':>8} {'bound s':>8} {'bound x pandas':>15} {'bound x read':>13}"
                "   (targets: x pandas <= 0.25, x read <= 3, peak < 1024; bound = read + write of the same export)"
            )
        for n in args.sizes:
            export = tmp / f"export-{n}.csv"
            generate(export, n)
            floor = median_run(r, "floor", str(export), "", "")
            run = median_run(
                r, "ingest", str(export), str(tmp / f"bench-{n}.duckdb"), str(tmp / f"scores-{n}.csv")
            )
            pandas = median_run(r, "pandas", str(export), "", str(tmp / f"pandas-{n}.csv"))["pandas"]
            read = median_run(r, "read", str(export), str(tmp / f"read-{n}.duckdb"), "")["read"]
            write = median_run(r, "write", str(tmp / f"scores-{n}.csv"), "", str(tmp / f"rewritten-{n}.csv"))[
                "write"
            ]
            total = run["ingest_score"] + run["export"]
            bound = read + write
            print(
                f"{n:>8} {export.stat().st_size / 2**20:>8.1f} {run['ingest_score']:>15.2f} {run['export']:>9.2f} {total:>8.2f} "
                f"{pandas:>9.2f} {total / pandas:>9.2f} {read:>7.2f} {total / read:>7.1f} {floor['floor']:>8.2f} {run['peak_mb']:>8.0f} "
                f"{bound:>8.2f} {bound / pandas:>15.2f} {bound / read:>13.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
