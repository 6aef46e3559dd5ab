"""Reports as library code: confidentiality, masking of small groups, the build."""

from __future__ import annotations

import html
from pathlib import Path

from typer.testing import CliRunner

from autodiag.api import Autodiag
from autodiag.cli import app
from autodiag.reports import network, structure, trends
from autodiag.reports.privacy import masked_message

from .report_fixtures import BIG, OTHER, SMALL, STRUCTURES, XSS_CODE, write_fixture_exports
from .report_html import tables

MASK = masked_message(3)


def _members(net: str) -> list[tuple[str, str]]:
    members = [(code, name) for code, (name, n, _) in STRUCTURES.items() if n == net]
    if net == BIG:
        members.append(("STR-24", "Bibliothèques universitaires de l'université Clermont Auvergne"))
    return members


def test_network_reports_never_show_another_networks_structures(built_site):
    reports = sorted((built_site.index.parent).glob("*/networks/*.html"))
    assert len(reports) == 6  # 3 networks x 2 campaigns
    for path in reports:
        page = path.read_text(encoding="utf-8")
        own = next(net for net in (BIG, OTHER, SMALL) if html.escape(net) in page or net in page)
        for net in {BIG, OTHER, SMALL} - {own}:
            assert net not in page and html.escape(net) not in page, (path, net)
            for code, name in _members(net):
                assert code not in page, (path, code)
                for form in {name, html.escape(name), html.escape(name, quote=False)}:
                    assert form not in page, (path, name)


def test_small_network_aggregates_are_masked(report_db):
    with Autodiag(report_db) as db:
        small = network.build(db, 2024, SMALL).to_html()
        big = network.build(db, 2024, BIG).to_html()
        small_relaxed = network.build(db, 2024, SMALL, min_group_size=2).to_html()
        structure_small = structure.build(db, 2024, "STR-981").to_html()
        national = trends.build(db, SMALL).to_html()
    assert MASK in small and MASK in structure_small and MASK in national
    vs_national = next(t for t in tables(small) if t[0][:3] == ["Engagement", "Intitulé", "Moyenne du réseau"])
    assert all(row[2] == "masqué" and row[3] == "masqué" for row in vs_national[1:])
    assert all(row[4] != "masqué" for row in vs_national[1:])  # the national level (10 structures) is shown
    assert MASK not in big
    relaxed = next(t for t in tables(small_relaxed) if t[0][:3] == ["Engagement", "Intitulé", "Moyenne du réseau"])
    assert all(row[2] != "masqué" for row in relaxed[1:])
    assert "Votre structure au sein de son réseau" in structure_small and "1er quartile du réseau" not in structure_small


def test_min_group_size_is_a_parameter(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG, min_group_size=50).to_html()
    assert masked_message(50) in page


def test_build_survives_a_failing_report(tmp_path, monkeypatch):
    exports = write_fixture_exports(tmp_path / "exports")
    real = structure.build_from_frames

    def flaky(frames, code, min_group_size=3):
        if code == "STR-902":
            raise RuntimeError("panne simulée")
        return real(frames, code, min_group_size)

    monkeypatch.setattr(structure, "build_from_frames", flaky)
    out = tmp_path / "outputs"
    result = CliRunner().invoke(app, ["build", "--db", str(tmp_path / "db.duckdb"), "--raw", str(exports),
                                      "--out", str(out), "--sans-notebooks"])
    text = result.output + (getattr(result, "stderr", "") or "")
    assert result.exit_code == 1, text
    assert "STR-902" in text and "panne simulée" in text
    assert not (out / "2024" / "structures" / "str-902.html").exists()
    assert (out / "2024" / "structures" / "str-901.html").exists()
    assert (out / "2024" / "structures" / "str-24.html").exists()
    assert len(list(out.glob("*/networks/*.html"))) == 6
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Rapports en échec" in index and "STR-902" in index
    assert 'href="2024/structures/str-24.html"' in index and 'href="trends.html"' in index


def test_build_outputs_and_names(built_site):
    root = built_site.index.parent
    assert built_site.index.exists()
    assert (root / "trends.html").exists() and len(list((root / "trends").glob("*.html"))) == 3
    assert len(list(root.glob("2024/structures/*.html"))) == 10
    assert len(list(root.glob("2023/structures/*.html"))) == 6
    assert (root / "2024" / "structures" / f"{XSS_CODE.lower()}.html").exists()
    assert built_site.sizes["structure"][0] == 16
    for path in root.rglob("*.html"):
        assert path.name == path.name.lower() and " " not in path.name
