"""Memory and time to refuse pathological CSV files (about 50 MB each), beside a tiny valid file.

    .venv/bin/python benchmarks/bench_pathological.py [--mb 50] [--src other/checkout/src ...]

Each file is ingested by a fresh process into a database holding the seed export; the figures
are the rise of that process's peak resident memory during the ingest of the file (the peak
is reset through /proc/self/clear_refs just before, Linux only), that rise as a multiple of
the file's size, and the time of the ingest call. A valid file of the same size is given for
comparison. ``--src`` runs the same files through other source trees (each the ``src``
folder of a checkout, with its ``sql`` and ``data`` folders beside it), side by side: that is
how the figures before a change are taken. Target: refused within seconds, using at most about
2x the file's size in memory.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "seed" / "STR-24_2024.csv"

WORKER = r"""
import json, sys, time
from pathlib import Path
src, seed, path, db = sys.argv[1:5]
sys.path.insert(0, src)
from autodiag.ingest.loader import ingest


def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1])


ingest(Path(db), [Path(seed)])  # schema, questionnaires, first load: not what is measured
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current resident size
before = status("VmRSS:")
t0 = time.perf_counter()
(outcome,) = ingest(Path(db), [Path(path)]).outcomes
seconds = time.perf_counter() - t0
first = str(outcome.problems[0]) if outcome.problems else ""
print("RESULT " + json.dumps({
    "seconds": seconds, "before_kb": before, "peak_kb": status("VmHWM:"),
    "status": outcome.status, "problems": len(outcome.problems), "first": first.split(" : ", 1)[-1][:90],
}))
"""


def pathological(folder: Path, size: int) -> dict[str, Path]:
    seed = SEED.read_bytes()
    header, row = seed.split(b"\r\n")[:2]
    files = {
        "seed rows (valid)": header
        + b"\r\n"
        + b"".join(row.replace(b"STR-24", f"STR-{i}".encode(), 1) + b"\r\n" for i in range(size // len(row))),
        "one line of separators": b"a;" * (size // 2),
        "header + one long data line": header + b"\r\n" + b"x;" * (size // 2),
        "header + unclosed quote": header
        + b"\r\n"
        + row
        + b"\r\n"
        + b'STR-1;"'
        + b"texte sans fin " * (size // 15),
        "header + 1-field lines": header + b"\r\n" + b"x\r\n" * (size // 3),
        "header + empty lines": header + b"\r\n" + b"\r\n" * (size // 2),
        "seed rows + NUL at the end": header
        + b"\r\n"
        + (row + b"\r\n") * (size // len(row))
        + row.replace(b"RAS", b"R\x00S", 1),
    }
    paths = {}
    for i, (label, data) in enumerate(files.items()):
        paths[label] = folder / f"file-{i}.csv"
        paths[label].write_bytes(data)
    return paths


def run(src: Path, path: Path, folder: Path) -> dict:
    db = folder / f"bench-{path.stem}-{abs(hash(str(src)))}.duckdb"
    for leftover in folder.glob(db.name + "*"):
        leftover.unlink()
    result = subprocess.run(
        [sys.executable, "-c", WORKER, str(src), str(SEED), str(path), str(db)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    # DuckDB's progress bar may share the line: the result is what follows the last marker.
    lines = [line.rsplit("RESULT ", 1)[1] for line in result.stdout.splitlines() if "RESULT " in line]
    if result.returncode or not lines:
        tail = (result.stderr.strip().splitlines() or ["?"])[-1]
        return {
            "seconds": float("nan"),
            "before_kb": 0,
            "peak_kb": 0,
            "status": "crash",
            "problems": 0,
            "first": tail[:90],
        }
    return json.loads(lines[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument(
        "--src", type=Path, action="append", default=[], help="another source tree, run side by side"
    )
    args = parser.parse_args()
    sources = [ROOT / "src", *args.src]
    with tempfile.TemporaryDirectory(prefix="autodiag-patho-") as tmp:
        folder = Path(tmp)
        files = pathological(folder, args.mb * 1024 * 1024)
        for src in sources:
            print(f"\n== {src}")
            print(f"{'file':<30} {'MB':>6} {'+MB':>7} {'x size':>7} {'s':>6}  outcome")
            for label, path in files.items():
                r = run(src, path, folder)
                size = path.stat().st_size / 1e6
                extra = (r["peak_kb"] - r["before_kb"]) / 1000
                print(
                    f"{label:<30} {size:6.1f} {extra:7.0f} {extra / size:7.1f} {r['seconds']:6.2f}  {r['status']} ({r['problems']}) {r['first']}"
                )


if __name__ == "__main__":
    main()
