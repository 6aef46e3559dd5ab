"""Work shared between the build's process and forked workers, on every core.

``run(work, items, workers)``: ``work(share)`` returns one result per item of its share; the
items are cut in contiguous slices, the first done here, the others in forked processes, which
inherit what the build has read (no second read). No DuckDB connection may be open across the
fork: each share opens its own. A worker that dies gives ``None`` for each item of its share,
so its pages count as failed, never half-written (every page is written atomically).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable


def _worker(connection, work: Callable, share: list) -> None:
    try:
        connection.send(work(share))
    finally:
        connection.close()


def run(
    work: Callable[[list], list],
    items: list,
    workers: int,
    min_share: int = 1,
    first: Callable[[list], list] | None = None,
) -> list:
    """Every item's result, in order. ``min_share``: fewer items per process are not worth a
    fork; ``first``: what this process runs on its own slice (``work`` by default)."""
    count = max(1, min(workers, len(items) // max(1, min_share)))
    if count == 1 or "fork" not in multiprocessing.get_all_start_methods():
        return (first or work)(items)
    size = -(-len(items) // count)
    slices = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("fork")
    children = []
    for share in slices[1:]:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(send, work, share), daemon=True)
        process.start()
        send.close()
        children.append((process, receive, share))
    results = list((first or work)(slices[0]))
    for process, receive, share in children:
        try:
            results += receive.recv()
        except EOFError:  # the worker died
            results += [None] * len(share)
        process.join()
    return results


def background(work: Callable[[list], list], items: list) -> Callable[[], list]:
    """Start ``work(items)`` in one forked process while the caller goes on; the function
    returned waits for its results (``None`` for each item when the process died), and gives
    them again when called again."""
    if not items or "fork" not in multiprocessing.get_all_start_methods():
        results = work(items) if items else []
        return lambda: results
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    process = context.Process(target=_worker, args=(send, work, items), daemon=True)
    process.start()
    send.close()

    found: list = []

    def wait() -> list:
        if not found:  # once: then the same results
            try:
                found.append(receive.recv())
            except EOFError:  # the process died
                found.append([None] * len(items))
            process.join()
        return found[0]

    return wait
