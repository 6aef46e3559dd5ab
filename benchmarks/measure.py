"""What the benchmarks measure of a running command: the memory of its whole process tree.

Forked workers share most of their pages with the build's process: the sum of their resident
sizes would count those pages twice. The proportional set size (Pss, /proc/<pid>/smaps_rollup,
Linux) shares each page between the processes that map it: its sum is what the machine gives.
"""

from __future__ import annotations

import subprocess
import threading
import time


def tree_pss(pid: int) -> int:
    """Proportional resident memory (kB) of a process and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
            with open(f"/proc/{current}/task/{current}/children") as f:
                todo += [int(c) for c in f.read().split()]
        except OSError:
            continue
    return total


def run_sampled(
    command: list[str], env: dict | None = None
) -> tuple[subprocess.CompletedProcess, float, int]:
    """Run ``command``; (its result, wall seconds, the largest Pss of its tree in MB, sampled
    every 0.2 s)."""
    start, peak = time.perf_counter(), [0]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_pss(process.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    elapsed = time.perf_counter() - start
    return subprocess.CompletedProcess(command, process.returncode, out, err), elapsed, peak[0] // 1024
