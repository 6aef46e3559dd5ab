"""The accessibility tools run by the tests: axe-core (npm) injected into Debian's headless
Chromium through selenium and Debian's chromedriver, and the Nu HTML Checker (npm vnu-jar, Java).
Both come from `make a11y-tools`; nothing is downloaded here (selenium-manager never runs:
the driver is given explicitly)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from autodiag.reports.run import CHROMIUM_QUIET

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
MISSING = "outils d'accessibilité absents ({}) : lancez « make a11y-tools »"


def driver(width: int = 1300, height: int = 1000):
    """A headless Chromium driven by selenium, offline (no request leaves file://)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for needed in (AXE, Path(CHROMEDRIVER), Path(CHROMIUM)):
        if not needed.exists():
            raise RuntimeError(MISSING.format(needed))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", *CHROMIUM_QUIET, f"--window-size={width},{height}"):
        options.add_argument(arg)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    # A headless window is never narrower than 500 px: the viewport itself is set (320 px reflow).
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    return browser


def open_page(browser, path: Path, *, wait_charts: bool = True) -> None:
    browser.get(Path(path).resolve().as_uri())
    if wait_charts:  # plotly draws after load: wait until every chart div holds its SVG
        from selenium.webdriver.support.ui import WebDriverWait

        WebDriverWait(browser, 30).until(
            lambda d: d.execute_script(
                "var c = document.querySelectorAll('div.plotly-graph-div');"
                "return Array.prototype.every.call(c, function (e) { return e.querySelector('svg.main-svg'); });"
            )
        )


def axe_violations(browser, path: Path) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations of the page: [{id, impact, nodes: [target...]}]."""
    open_page(browser, path)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    browser.set_script_timeout(120)
    result = browser.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done(JSON.stringify({error: String(e)})); });",
        WCAG_TAGS,
    )
    found = json.loads(result)
    if isinstance(found, dict):
        raise RuntimeError(found["error"])
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [(n["target"], n.get("failureSummary", "")[:300]) for n in v["nodes"][:5]],
            "count": len(v["nodes"]),
        }
        for v in found
    ]


def vnu_errors(paths: list[Path]) -> list[dict]:
    """The Nu HTML Checker's errors over ``paths``: [{file, line, message}]."""
    if not VNU.exists():
        raise RuntimeError(MISSING.format(VNU))
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        {"file": m.get("url", "").rsplit("/", 1)[-1], "line": m.get("lastLine"), "message": m.get("message")}
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
