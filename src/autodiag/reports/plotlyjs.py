"""Where a page gets plotly.js from: one shared file in a built site, inline in a single report.

- A site (``autodiag build``): plotly.js is written once, as ``outputs/assets/plotly-<version>.min.js``
  (the full bundle that comes with the plotly package), and every page loads it by a relative
  path: the folder opens from ``file://``, and still works once zipped and moved.
- One report (``autodiag report ...``): a single self-contained file. When every chart of the
  page is of a trace type of plotly's cartesian partial bundle, that bundle (1.5 MB instead of
  4.8 MB) is inlined; otherwise the full one. The partial bundle is a committed file
  (``vendor/``, MIT licence beside it, npm package ``plotly.js-cartesian-dist-min`` of the same
  version as the plotly package's plotly.js): nothing is downloaded, at install or at run time.

Pages mark where plotly.js goes with :data:`MARKER` and list each chart's trace types in a
``data-traces`` attribute; :func:`resolve` swaps the marker for the right ``<script>``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from autodiag.reports.tables import esc
from autodiag.safe_files import write_atomic

VENDOR = Path(__file__).parent / "vendor"
# Trace types of plotly.js-cartesian-dist-min (its README and its registered modules).
CARTESIAN_TRACES = frozenset(
    {
        "bar",
        "box",
        "contour",
        "heatmap",
        "histogram",
        "histogram2d",
        "histogram2dcontour",
        "image",
        "pie",
        "scatter",
        "scatterternary",
        "violin",
    }
)
MARKER = "<!--autodiag:plotly.js-->"
TRACES = re.compile(r'data-traces="([a-z0-9 ]*)"')
ASSETS = "assets"
# Set in the environment of report kernels: the notebook writes MARKER instead of plotly.js.
PLACEHOLDER_ENV = "AUTODIAG_PLOTLY_PLACEHOLDER"


@functools.cache
def version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


@functools.cache
def full_bytes() -> bytes:
    """The full plotly.js (4.8 MB) of the plotly package, encoded once per process."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


@functools.cache
def partial_bytes() -> bytes | None:
    """The cartesian partial bundle of the same version as the full one, or None when the
    plotly package was upgraded without its partial bundle (then the full one is inlined)."""
    path = VENDOR / f"plotly-cartesian-{version()}.min.js"
    return path.read_bytes() if path.exists() else None


def asset_name() -> str:
    return f"plotly-{version()}.min.js"


def asset_path(outputs: Path) -> Path:
    return Path(outputs) / ASSETS / asset_name()


def write_asset(outputs: Path) -> Path:
    """outputs/assets/plotly-<version>.min.js, written (atomically) only when missing or different."""

    path = asset_path(outputs)
    data = full_bytes()
    if not path.exists() or path.stat().st_size != len(data) or _sha(path.read_bytes()) != _sha(data):
        write_atomic(path, [data])
    return path


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def trace_types(page: str) -> set[str]:
    found: set[str] = set()
    for match in TRACES.findall(page):
        found.update(match.split())
    return found


def placeholder_wanted() -> bool:
    return os.environ.get(PLACEHOLDER_ENV) == "1"


@dataclass(frozen=True)
class Embed:
    """How one page gets plotly.js: ``href`` (relative path to the site's shared file) or inline."""

    href: str | None = None

    @classmethod
    def site(cls, page: Path, outputs: Path) -> Embed:
        return cls(os.path.relpath(asset_path(outputs), Path(page).parent).replace(os.sep, "/"))

    def chunks(self, types: set[str]) -> list[bytes]:
        """The ``<script>`` element(s) that load plotly.js, as bytes (inline: never copied to str)."""
        if self.href is not None:
            return [f'<script src="{esc(self.href)}" charset="utf-8"></script>'.encode()]
        partial = partial_bytes() if types and types <= CARTESIAN_TRACES else None
        return [b'<script type="text/javascript">', partial or full_bytes(), b"</script>"]


def resolve(page: str, embed: Embed) -> list[bytes]:
    """The page as byte chunks, its first MARKER replaced by plotly.js (the others dropped)."""
    head, sep, tail = page.partition(MARKER)
    if not sep:
        return [page.encode("utf-8")]
    tail = tail.replace(MARKER, "")
    return [head.encode("utf-8"), *embed.chunks(trace_types(page)), tail.encode("utf-8")]
