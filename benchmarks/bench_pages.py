"""Pages as a person meets them: the dashboard, the largest network report and a structure page
of each site, opened in Debian's headless Chromium (selenium, /usr/bin/chromedriver: nothing
downloads a browser), side by side.

    .venv/bin/python benchmarks/bench_pages.py [--site LABEL=OUTPUTS ...] [--keystrokes 8] [--filters 3]

Without --site, builds (or reuses, when present) the demo and the national set with the current
code under benchmarks/work/pages/ (`demo-data`, `build --sans-carnets`). Give `--site` several
times to compare built sites in the same run, e.g. the same data built by two versions of the
code: `--site demo-avant=/tmp/a/outputs --site demo-apres=outputs`.

Printed per site and page: time to ready (load, then the table's rows or every chart drawn), the
median time from a keystroke in the search box to the next frame painted, the median time of a
filter change (dashboard: network filter; sort by the global rate), elements, height, the tallest
chart, the page's bytes and those of the data scripts it loads at start (plotly.js aside), and the
tab's memory (JS heap, and the renderer process's resident size).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from autodiag import formatting as fmt
from autodiag.paths import ROOT
from autodiag.reports.run import CHROMIUM_QUIET

WORK = ROOT / "benchmarks" / "work" / "pages"
DRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"

# Until the next frame is painted after an event (a person sees the result then).
NEXT_FRAME = """
var args = arguments, done = args[args.length - 1], t0 = performance.now();
(function () { %s })();
requestAnimationFrame(function () { setTimeout(function () { done(performance.now() - t0); }, 0); });
"""
READY = """
var table = document.querySelector('#structures tbody');
if (table && !table.rows.length) { return false; }
var charts = document.querySelectorAll('.plotly-graph-div');
for (var i = 0; i < charts.length; i++) { if (!charts[i].querySelector('.main-svg')) { return false; } }
return document.readyState === 'complete';
"""


def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", *CHROMIUM_QUIET, "--window-size=1300,900", "--enable-precise-memory-info"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(DRIVER), options=options)  # an explicit driver: no download


def renderer_rss(browser) -> float | None:
    """Resident size (MB) of the largest renderer process of this browser: the tab."""
    import psutil

    try:
        children = psutil.Process(browser.service.process.pid).children(recursive=True)
        sizes = [p.memory_info().rss for p in children if "--type=renderer" in " ".join(p.cmdline())]
    except psutil.Error:
        return None
    return max(sizes) / 1e6 if sizes else None


def start_bytes(browser, page: Path) -> int:
    """The page and the local scripts it loaded at start, plotly.js aside."""
    from urllib.parse import unquote, urlparse

    total = page.stat().st_size
    # Every script element with a source (those added by the page's script too): file:// loads
    # are not listed among the resource timings.
    for name in set(
        browser.execute_script("return Array.from(document.scripts).map(s => s.src).filter(s => s)")
    ):
        if name.startswith("file://") and "plotly" not in name:
            path = Path(unquote(urlparse(name).path))
            total += path.stat().st_size if path.exists() else 0
    return total


def measure(page: Path, keystrokes: int, filters: int) -> dict:
    browser = driver()
    try:
        started = time.perf_counter()
        browser.get(page.resolve().as_uri())
        while not browser.execute_script(READY):
            if time.perf_counter() - started > 300:
                raise TimeoutError(page)
            time.sleep(0.02)
        ready = browser.execute_script("return performance.now()") / 1000
        found = {"ready": ready}
        search = browser.execute_script(
            "return document.querySelector('#f-search') ? '#f-search' : "
            "(document.querySelector('.paged-table input.search') ? '.paged-table input.search' : "
            "(document.querySelector('input.search') ? 'input.search' : null))"
        )
        if search:
            # A structure's code, typed as a person would (the first one the page shows).
            code = browser.execute_script(
                "var a = document.querySelector('#structures td a')"
                " || document.querySelector('table.data td.code, table.data td');"
                "return a ? a.textContent.trim() : 'str';"
            )
            text = (code or "str")[:keystrokes].lower()
            typing = (
                "var el = document.querySelector(args[0]); el.value = args[1];"
                "el.dispatchEvent(new Event('input', {bubbles: true}));"
            )
            times = [
                browser.execute_async_script(NEXT_FRAME % typing, search, text[:i])
                for i in range(1, len(text) + 1)
            ]
            times.append(browser.execute_async_script(NEXT_FRAME % typing, search, ""))
            found["keystroke"] = statistics.median(times) / 1000
            found["clear"] = times[-1] / 1000
        if browser.execute_script("return !!document.querySelector('#f-reseau')"):
            values = browser.execute_script(
                "return Array.from(document.querySelectorAll('#f-reseau option'))"
                ".map(o => o.value).filter(v => v)"
            )[:filters] + [""]
            choosing = (
                "var el = document.querySelector('#f-reseau'); el.value = args[0];"
                "el.dispatchEvent(new Event('change', {bubbles: true}));"
            )
            times = [browser.execute_async_script(NEXT_FRAME % choosing, v) for v in values]
            found["filter"] = statistics.median(times) / 1000
            found["sort"] = (
                browser.execute_async_script(
                    NEXT_FRAME
                    % (
                        "var th = Array.from(document.querySelectorAll('#structures th'))"
                        ".find(h => h.textContent.indexOf('Taux global') === 0);"
                        "(th.querySelector('button') || th).click();"
                    )
                )
                / 1000
            )
        found["elements"] = browser.execute_script("return document.getElementsByTagName('*').length")
        found["height"] = browser.execute_script("return document.documentElement.scrollHeight")
        found["chart"] = browser.execute_script(
            "return Math.max(0, ...Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => d.offsetHeight))"
        )
        found["bytes"] = start_bytes(browser, page)
        browser.execute_cdp_cmd("Performance.enable", {})
        metrics = {
            m["name"]: m["value"] for m in browser.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
        }
        found["heap"] = metrics.get("JSHeapUsedSize", 0) / 1e6
        found["rss"] = renderer_rss(browser)
        return found
    finally:
        browser.quit()


def pages(site: Path, network: str | None, structure: str | None = None) -> dict[str, Path]:
    latest = max(int(p.name) for p in site.iterdir() if p.is_dir() and p.name.isdigit())
    folder = site / str(latest) / "networks"
    largest = folder / network if network else max(folder.glob("*.html"), key=lambda p: p.stat().st_size)
    structures = sorted((site / str(latest) / "structures").glob("*.html"))
    one = site / str(latest) / "structures" / structure if structure else structures[0]
    return {
        "tableau de bord": site / "index.html",
        f"réseau {largest.stem}": largest,
        f"structure {one.stem}": one,
    }


def build(label: str, *data_args: str) -> Path:
    """A site built with the current code, reused when present."""
    out = WORK / label / "outputs"
    if (out / "index.html").exists():
        return out
    raw = WORK / label / "raw"
    subprocess.run(
        [sys.executable, "-m", "autodiag", "demo-data", "--sortie", str(raw), *data_args], check=True
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "autodiag",
            "build",
            "--sans-carnets",
            "--base",
            str(WORK / label / "db.duckdb"),
            "--exports",
            str(raw),
            "--sortie",
            str(out),
        ],
        check=True,
    )
    return out


def show(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "s":
        return f"{fmt.number(value, 2)} s" if value < 10 else f"{fmt.number(value, 1)} s"
    if unit == "ms":
        return f"{fmt.number(value * 1000, 0)} ms"
    if unit == "MB":
        return f"{fmt.number(value, 1)} Mo"
    if unit == "px":
        return f"{fmt.number(value)} px"
    if unit == "bytes":
        return f"{fmt.number(value / 1e6, 2)} Mo"
    return fmt.number(value)


ROWS = [
    ("ready", "prêt", "s"),
    ("keystroke", "frappe (médiane)", "ms"),
    ("clear", "effacer la recherche", "ms"),
    ("filter", "filtre (médiane)", "ms"),
    ("sort", "tri par taux global", "ms"),
    ("elements", "éléments", ""),
    ("height", "hauteur", "px"),
    ("chart", "graphique le plus haut", "px"),
    ("bytes", "octets au départ (page + données)", "bytes"),
    ("heap", "tas JS", "MB"),
    ("rss", "onglet (RSS)", "MB"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", action="append", default=[], help="LABEL=DOSSIER_OUTPUTS (répétable)")
    parser.add_argument(
        "--network",
        action="append",
        default=[],
        help="LABEL=fichier.html : le rapport réseau à ouvrir (par défaut le plus lourd)",
    )
    parser.add_argument(
        "--structure",
        action="append",
        default=[],
        help="LABEL=fichier.html : la page de structure à ouvrir (par défaut la première)",
    )
    parser.add_argument("--keystrokes", type=int, default=8)
    parser.add_argument("--filters", type=int, default=3)
    args = parser.parse_args()
    sites = dict(item.split("=", 1) for item in args.site)
    if not sites:
        sites = {"démo": build("demo"), "national": build("national", "--structures", "15000")}
    chosen = dict(item.split("=", 1) for item in args.network)
    one = dict(item.split("=", 1) for item in args.structure)
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    results: dict = {}
    for label, folder in sites.items():
        for kind, page in pages(Path(folder), chosen.get(label), one.get(label)).items():
            print(f"… {label} : {kind}", file=sys.stderr, flush=True)
            results[(label, kind.split(" ")[0])] = (kind, measure(page, args.keystrokes, args.filters))
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for kind in ("tableau", "réseau", "structure"):
        columns = [(label, results[(label, kind)]) for label in sites if (label, kind) in results]
        print(f"\n| {kind} | " + " | ".join(f"{label} ({name})" for label, (name, _) in columns) + " |")
        print("|---|" + "---|" * len(columns))
        for key, name, unit in ROWS:
            if any(key in found for _, (_, found) in columns):
                print(
                    f"| {name} | "
                    + " | ".join(show(found.get(key), unit) for _, (_, found) in columns)
                    + " |"
                )


if __name__ == "__main__":
    main()
