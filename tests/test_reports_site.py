"""The built site: plotly.js once in outputs/assets/, provenance in every page and in
outputs/manifest.json, byte-identical pages from the same inputs, and the incremental build
(a rebuild that changes nothing rewrites nothing; a missing or truncated page is repaired;
a new file re-renders only the pages it feeds; --tout re-renders everything)."""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from autodiag import __version__
from autodiag.analysis.quality import MIN_NETWORK
from autodiag.api import NativeAutodiag
from autodiag.cli import app
from autodiag.reports import plotlyjs
from autodiag.reports.build import build_all
from autodiag.slugs import slugify

from .exports import seed_row
from .report_fixtures import SMALL, synthetic_row, write_fixture_exports

PAGE_LIMIT = 600_000  # bytes: a structure or network page of a site


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pages(root: Path) -> list[Path]:
    return sorted(root.rglob("*.html"))


def state(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every file of a site: (modification time in ns, bytes)."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != "manifest.json"
    }


def manifest(root: Path) -> dict:
    return json.loads((root / "manifest.json").read_text(encoding="utf-8"))


def test_plotly_js_is_written_once_and_loaded_by_relative_path(built_site):
    root = built_site.index.parent
    assets = sorted((root / "assets").iterdir())
    assert [a.name for a in assets] == [f"plotly-{plotlyjs.version()}.min.js"]
    assert assets[0].read_bytes() == plotlyjs.full_bytes()
    with_charts = 0
    for page in pages(root):
        text = page.read_text(encoding="utf-8")
        assert page.stat().st_size < PAGE_LIMIT, (page, page.stat().st_size)
        assert "plotly.js v" not in text and "Copyright 2012" not in text, page  # never inline
        assert plotlyjs.MARKER not in text, page
        sources = re.findall(r'<script src="([^"]+)"', text)
        if "Plotly.newPlot" not in text:  # a page without charts loads nothing
            assert sources == [], page
            continue
        with_charts += 1
        # plotly.js once, and only the page's own data scripts (the shared figures, the
        # dashboard's structure list, the rows of a large network's tables), all relative: the
        # folder can move.
        assert all(not re.match(r"[a-z]+:|/", s) and (page.parent / s).is_file() for s in sources), (
            page,
            sources,
        )
        plotly = [s for s in sources if (page.parent / s).resolve() == assets[0].resolve()]
        assert len(plotly) == 1, (page, sources)
        assert all(s.endswith(".js") and "assets/" not in s for s in sources if s not in plotly), (
            page,
            sources,
        )
        # The scripts come before the first chart that needs them.
        assert text.index(f'<script src="{plotly[0]}"') < text.index("Plotly.newPlot"), page
        assert text.rindex("<script src=", 0, text.index("Plotly.newPlot")) < text.index("Plotly.newPlot"), (
            page
        )
    assert with_charts >= 20


def test_the_cartesian_bundle_matches_the_full_one_and_covers_every_chart(built_site):
    partial = plotlyjs.partial_bytes()
    assert partial is not None, "paquet partiel plotly.js absent pour cette version de plotly"
    assert f"plotly.js (cartesian - minified) v{plotlyjs.version()}".encode() in partial[:300]
    assert len(partial) < len(plotlyjs.full_bytes()) / 3
    used = set()
    for page in pages(built_site.index.parent):
        used |= plotlyjs.trace_types(page.read_text(encoding="utf-8"))
    assert {"bar", "scatter", "heatmap"} <= used
    assert used <= plotlyjs.CARTESIAN_TRACES, used - plotlyjs.CARTESIAN_TRACES


def test_inline_embed_picks_the_partial_bundle_only_for_cartesian_traces():
    page = f'<head>{plotlyjs.MARKER}</head><div data-traces="bar heatmap"></div>'
    inline = b"".join(plotlyjs.resolve(page, plotlyjs.Embed()))
    assert b"(cartesian - minified)" in inline and plotlyjs.MARKER.encode() not in inline
    polar = b"".join(plotlyjs.resolve(page.replace("bar heatmap", "bar scatterpolar"), plotlyjs.Embed()))
    assert b"(cartesian - minified)" not in polar and len(polar) > len(plotlyjs.full_bytes())
    unknown = b"".join(plotlyjs.resolve(f"<head>{plotlyjs.MARKER}</head>Plotly.newPlot(", plotlyjs.Embed()))
    assert len(unknown) > len(plotlyjs.full_bytes())  # no trace list: the full bundle, never a broken page
    site = b"".join(plotlyjs.resolve(page, plotlyjs.Embed("../assets/plotly-x.min.js")))
    assert (
        site
        == b'<head><script src="../assets/plotly-x.min.js" charset="utf-8"></script></head><div data-traces="bar heatmap"></div>'
    )


def test_every_page_says_what_it_was_made_from(built_site, report_exports):
    root = built_site.index.parent
    files = {p.name: sha256(p) for p in report_exports.glob("*.csv")}
    data = manifest(root)
    assert data["autodiag"] == __version__
    built_at = datetime.fromisoformat(data["built_at"].replace("Z", "+00:00"))
    assert abs((datetime.now(built_at.tzinfo) - built_at).days) < 1
    assert data["plotly_js"] == f"assets/plotly-{plotlyjs.version()}.min.js"
    assert {(f["name"], f["sha256"]) for f in data["files"]} == set(files.items())
    # Every page, and every data file the pages load (shared figures, the dashboard's lists).
    site_data = {p.relative_to(root).as_posix() for p in (root / "data").glob("*.js")}
    assert set(data["pages"]) == {p.relative_to(root).as_posix() for p in pages(root)} | site_data
    for rel in site_data:
        entry = data["pages"][rel]
        assert entry["kind"] == "data" and entry["sha256"] == sha256(root / rel), rel

    for rel, entry in data["pages"].items():
        if rel in site_data:
            continue
        page = (root / rel).read_text(encoding="utf-8")
        footer = page[page.rindex("<footer>") :]
        assert f"autodiag {__version__}" in footer and "questionnaire 2024" in footer, rel
        assert entry["questionnaires"] == ["2024"] and entry["autodiag"] == __version__
        assert entry["sha256"] == sha256(root / rel) and entry["size"] == (root / rel).stat().st_size
        for item in entry["inputs"]:
            assert files[item["name"]] == item["sha256"]
            assert item["sha256"] in footer, rel  # a few files: each named with its SHA-256
        assert data["built_at"][:10] not in page, rel  # the date is in the manifest only

    str24 = data["pages"]["2024/structures/str-24.html"]
    assert [i["name"] for i in sorted(str24["inputs"], key=lambda i: i["name"])] == [
        "fixture-2023.csv",
        "fixture-2024.csv",
    ]
    only_2024 = data["pages"]["2024/structures/str-903.html"]  # no 2023 submission
    assert [i["name"] for i in only_2024["inputs"]] == ["fixture-2024.csv"]
    small_2023 = data["pages"]["2023/networks/petit-reseau.html"]
    assert [i["name"] for i in small_2023["inputs"]] == ["fixture-2023.csv"]


def test_two_builds_of_the_same_inputs_give_the_same_bytes(built_site, report_exports, tmp_path):
    """A second build from scratch (another database, another folder): every page, byte for byte."""
    first = built_site.index.parent
    second = build_all(tmp_path / "autodiag.duckdb", tmp_path / "outputs", raw=report_exports, notebooks=True)
    assert second.ok, second.failures
    root = second.index.parent
    assert [p.relative_to(root) for p in pages(root)] == [p.relative_to(first) for p in pages(first)]
    for page in pages(first):
        assert (root / page.relative_to(first)).read_bytes() == page.read_bytes(), page
    a, b = manifest(first), manifest(root)
    for entry in (*a["pages"].values(), *b["pages"].values()):
        entry.pop("mtime_ns"), entry.pop("rendered_at")
    assert a["pages"] == b["pages"]


@pytest.fixture
def copied_site(built_site, tmp_path) -> Path:
    """A copy of the built site and its database (modification times kept), free to change."""
    source = built_site.index.parent.parent
    shutil.copy2(source / "autodiag.duckdb", tmp_path / "autodiag.duckdb")
    shutil.copytree(source / "outputs", tmp_path / "outputs")
    return tmp_path


def test_a_rebuild_that_changes_nothing_rewrites_no_page_and_repairs_what_is_broken(
    copied_site, report_exports
):
    root = copied_site / "outputs"
    before = state(root)
    again = build_all(copied_site / "autodiag.duckdb", root, raw=report_exports, notebooks=True)
    assert again.ok and again.rendered == {}, again.rendered
    assert again.skipped == {
        "network": 6,
        "trends": 4,
        "structure": 16,
        "index": 1,
        "data": 2,
        "reference": 8,
    }
    assert state(root) == before  # same bytes, same modification times: nothing rewritten

    # A deleted page and a truncated one (a copy cut short) are rendered again; nothing else.
    (root / "2024" / "structures" / "str-901.html").unlink()
    network = root / "2024" / "networks" / "reseau-d-essai-b.html"
    network.write_bytes(before["2024/networks/reseau-d-essai-b.html"][1][:5000])
    repaired = build_all(copied_site / "autodiag.duckdb", root, raw=report_exports, notebooks=True)
    assert repaired.ok and repaired.rendered == {"structure": 1, "network": 1}, repaired.rendered
    after = state(root)
    assert {k: v[1] for k, v in after.items()} == {k: v[1] for k, v in before.items()}
    changed = {k for k in before if after[k][0] != before[k][0]}
    assert changed == {"2024/structures/str-901.html", "2024/networks/reseau-d-essai-b.html"}


def test_tout_renders_every_page_again(copied_site, report_exports):
    root = copied_site / "outputs"
    before = state(root)
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--db",
            str(copied_site / "autodiag.duckdb"),
            "--raw",
            str(report_exports),
            "--out",
            str(root),
            "--sans-notebooks",
            "--tout",
        ],
        env={"COLUMNS": "250", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    assert "16 rapports structures" in result.output and "(16 produit(s), 0 déjà à jour)" in result.output
    assert "manifest.json" in result.output
    after = state(root)
    rewritten = {k for k in before if after[k][0] != before[k][0]}
    assert {k for k in before if k.endswith(".html")} <= rewritten
    # Structure pages do not depend on notebooks: same bytes (and a plain rebuild without
    # notebooks leaves them alone); the asset was left alone.
    assert after["2024/structures/str-24.html"][1] == before["2024/structures/str-24.html"][1]
    assert f"assets/plotly-{plotlyjs.version()}.min.js" not in rewritten
    plain = build_all(copied_site / "autodiag.duckdb", root, raw=report_exports, notebooks=False)
    assert plain.rendered == {} and state(root) == after


def _new_site_file(folder: Path, code: str) -> Path:
    """One new structure of the small network for 2024, in its own file (one export per site)."""
    row = synthetic_row(seed_row(), code, "Petite bibliothèque de Sorède", SMALL, 2024, random.Random(11))
    path = folder / f"{code.lower()}-2024.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row), delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    return path


def _peers_of(db: Path, campaign: int, code: str) -> set[str]:
    """The structures of the campaign, any network, in a peer group of ``code`` (same
    typologie or same size band of agents): their pages show that group's median."""
    import duckdb

    from autodiag.analysis.peers import size_band

    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select code_structure, typologie, nb_agents_interaction from retained_submissions "
            "where campagne = $c",
            {"c": campaign},
        ).fetchall()
    groups = {c: {("typologie", t), ("taille", size_band(n))} for c, t, n in rows}
    return {c for c, found in groups.items() if found & groups[code]}


def test_a_new_file_renders_only_the_pages_it_feeds(tmp_path):
    exports = write_fixture_exports(tmp_path / "exports")
    db, root = tmp_path / "autodiag.duckdb", tmp_path / "outputs"
    assert build_all(db, root, raw=exports, notebooks=False).ok
    before = state(root)
    new = _new_site_file(exports, "STR-983")
    result = build_all(db, root, raw=exports, notebooks=False)
    assert result.ok, result.failures
    after = state(root)
    rewritten = {k for k in before if after[k][0] != before[k][0]}
    peers = {f"2024/structures/{code.lower()}.html" for code in _peers_of(db, 2024, "STR-983")}
    assert len(peers) >= 4 and not peers & rewritten  # the fixture's typologie spans the three networks
    # Networks of fewer than MIN_NETWORK structures judge their answer quality against the
    # whole campaign: their pages follow any new file of it.
    with NativeAutodiag(db) as reader:
        sizes = reader.query(
            "select reseau, count(*) as n from retained_submissions where campagne = 2024 group by 1"
        )
    small = {slugify(r) for r, n in zip(sizes["reseau"], sizes["n"]) if n < MIN_NETWORK} | {"petit-reseau"}
    # The new structure's own page (new), its network's page, downloads and data file, the
    # campaign's data file, the trends it counts in, the dashboard: no other structure page,
    # although its network's and its peers' medians moved (the pages read them from the data files).
    assert rewritten == {f"2024/networks/{slug}.html" for slug in small} | {
        "trends.html",
        "trends/petit-reseau.html",
        "index.html",
        "data/structures-2024.js",
        "data/reperes-2024.js",
        "data/reperes-2024-petit-reseau.js",
        "2024/networks/petit-reseau-2024-structures.csv",
        "2024/networks/petit-reseau-2024-structures.xlsx",
    }
    assert result.rendered == {
        "structure": 1,
        "network": len(small),
        "trends": 2,
        "index": 1,
        "data": 1,
        "reference": 2,
    }
    page = (root / "2024" / "structures" / "str-983.html").read_text(encoding="utf-8")
    assert f"{new.name} : {sha256(new)}" in page
    entry = manifest(root)["pages"]["2024/networks/petit-reseau.html"]
    assert new.name in {i["name"] for i in entry["inputs"]}
    # No page lies: the incremental site is, byte for byte, the site rendered from scratch.
    fresh_root = tmp_path / "from-scratch"
    assert build_all(db, fresh_root, raw=exports, notebooks=False, force=True).ok
    assert {k: v[1] for k, v in state(root).items()} == {k: v[1] for k, v in state(fresh_root).items()}


def test_page_keys_follow_what_the_page_depends_on():
    from autodiag.analysis.quality import MIN_NETWORK
    from autodiag.reports.provenance import (
        Inputs,
        Source,
        network_page,
        reference_data,
        structure_page,
        trends_page,
    )

    def source(campaign, network, code, sha, version="2024"):
        return Source(campaign, network, code, code, version, sha, f"{sha}.csv")

    # Network A is large enough for its own answer-quality references, network B is not.
    big = [source(2024, "A", f"S{i}", f"f{i}") for i in range(1, MIN_NETWORK + 1)]
    base = [*big, source(2024, "B", "T1", "g1")]
    settings = {"min_group_size": 3}

    def keys(sources, questionnaires=None, settings=settings):
        inputs = Inputs(sources, questionnaires or {"2024": "q"})
        return {
            "S1": structure_page(inputs, 2024, "S1").key(inputs, settings),
            "A": network_page(inputs, 2024, "A").key(inputs, settings),
            "B": network_page(inputs, 2024, "B").key(inputs, settings),
            "trends B": trends_page(inputs, "B").key(inputs, settings),
            "data": reference_data(inputs, 2024).key(inputs, settings),
            "data A": reference_data(inputs, 2024, "A").key(inputs, settings),
            "data B": reference_data(inputs, 2024, "B").key(inputs, settings),
        }

    def changed(before, after):
        return {k for k in before if before[k] != after[k]}

    ref = keys(base)
    assert keys(list(reversed(base))) == ref  # order of rows: same keys
    # S2 re-exported: its network's figures move; S1's page reads them from the data file. The
    # small network B judges its answer quality against the whole campaign.
    s2 = [big[0], source(2024, "A", "S2", "f2-bis"), *big[2:], base[-1]]
    assert changed(ref, keys(s2)) == {"A", "B", "data", "data A"}
    # Network B's file: the national figures are in the data file, A's page does not move.
    assert changed(ref, keys([*big, source(2024, "B", "T1", "g1-bis")])) == {
        "B",
        "trends B",
        "data",
        "data B",
    }
    assert changed(ref, keys(base, {"2024": "q2"})) == set(ref)  # a title or threshold changed
    assert changed(ref, keys(base, settings={"min_group_size": 5})) == set(ref)
    # T1's previous campaign: S1's page unchanged; B's contacts compare T1 with it.
    assert changed(ref, keys([*base, source(2023, "B", "T1", "g0")])) == {"B", "trends B", "data B"}
    # S1's own earlier result: its history and change.
    assert "S1" in changed(ref, keys([*base, source(2022, "A", "S1", "f-2022")]))
    # « S'inspirer de »: S1 against its own latest earlier result, here in another network.
    earlier = [*base, source(2023, "B", "T1", "g0")]
    assert "A" in changed(keys(earlier), keys([*earlier, source(2022, "B", "S1", "f-2022")]))

    # Peer groups (typologie, size band): their medians are in the data file, never in S1's key.
    def peer(campaign, network, code, sha, typologie=None):
        return Source(campaign, network, code, code, "2024", sha, f"{sha}.csv", typologie)

    grouped = [
        peer(2024, "A", "S1", "f1", "Médiathèques"),
        *big[1:],
        peer(2024, "C", "S9", "f9", "Médiathèques"),
    ]
    after = [*grouped[:-1], peer(2024, "C", "S9", "f9-bis", "Médiathèques")]
    moved = changed(keys(grouped), keys(after))
    assert "S1" not in moved and "data" in moved and "data A" not in moved


def test_demo_pages_stay_light(demo_db):
    """Every structure and network page of the demo, as the site writes it: at most 600 kB each,
    and the whole site (with the shared plotly.js) far under 200 MB."""
    from autodiag.api import NativeAutodiag as Autodiag  # the database's column names, as the pages read them
    from autodiag.reports import network, structure

    site = plotlyjs.Embed("../../assets/plotly.min.js")
    total, largest = len(plotlyjs.full_bytes()), {}
    with Autodiag(demo_db) as db:
        for campaign in db.campaigns():
            for kind, reports in (
                ("structure", structure.render_many(db, campaign)),
                (
                    "network",
                    (
                        (net, network.build(db, campaign, net, site_links=True))
                        for net in db.networks(campaign)
                    ),
                ),
            ):
                for _name, report in reports:
                    size = len(report.to_html(site).encode("utf-8"))
                    total += size
                    largest[kind] = max(largest.get(kind, 0), size)
    assert largest["structure"] <= PAGE_LIMIT and largest["network"] <= PAGE_LIMIT, largest
    # The target is 200 MB (2.4 GB when each page embedded plotly.js). 56 MB with the levers, the
    # open data and every chart's data table beside it: the guard keeps a margin, not a wall.
    assert total <= 80_000_000, total


def test_structure_pages_shared_between_processes_are_the_same_pages(tmp_path, monkeypatch):
    """The structure pages rendered by forked workers are, byte for byte, those rendered in one
    process, and each is in the manifest; a worker that dies leaves its pages failed, and the
    next build renders them."""
    import os

    from autodiag.reports import build as build_module
    from autodiag.reports import structure_pages

    exports = write_fixture_exports(tmp_path / "exports")
    db = tmp_path / "autodiag.duckdb"
    one = build_all(db, tmp_path / "one", raw=exports, notebooks=False, workers=1)
    monkeypatch.setattr(structure_pages, "MIN_SHARE", 1)  # the fixture's few pages, in three processes
    monkeypatch.setattr(build_module, "FEW", 0)  # read by campaign, not page by page
    calls, real, build = tmp_path / "calls.txt", structure_pages.render_share, os.getpid()

    def spy(*args, **kwargs):
        with calls.open("a") as f:
            f.write(f"{os.getpid()} {len(args[2])}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(structure_pages, "render_share", spy)
    three = build_all(db, tmp_path / "three", raw=exports, notebooks=False, workers=3)
    assert one.ok and three.ok, three.failures
    shares = [line.split() for line in calls.read_text().splitlines()]
    assert len({pid for pid, _ in shares}) == 1 + 2 * 2  # this process, and two forks per campaign
    assert sum(int(n) for _, n in shares) == one.rendered["structure"]
    assert three.rendered == one.rendered
    assert {k: v[1] for k, v in state(tmp_path / "one").items()} == {
        k: v[1] for k, v in state(tmp_path / "three").items()
    }
    listed = manifest(tmp_path / "three")["pages"]
    assert {p for p in listed if "/structures/" in p} == {
        p.relative_to(tmp_path / "three").as_posix() for p in (tmp_path / "three").rglob("structures/*.html")
    }

    def dies(*args, **kwargs):
        if os.getpid() != build:
            os._exit(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(structure_pages, "render_share", dies)
    broken = build_all(db, tmp_path / "broken", raw=exports, notebooks=False, workers=2, force=True)
    lost = [label for kind, label, message in broken.failures if kind == "structure"]
    assert lost and all(message == structure_pages.DIED for _, _, message in broken.failures)
    assert broken.rendered["structure"] + len(lost) == one.rendered["structure"]
    monkeypatch.setattr(structure_pages, "render_share", real)
    again = build_all(db, tmp_path / "broken", raw=exports, notebooks=False, workers=2)
    assert again.ok and again.rendered["structure"] == len(lost)
