"""Reports as library code: confidentiality, masking of small groups, the build."""

from __future__ import annotations

import html
import re
import shutil

from typer.testing import CliRunner

from autodiag.analysis.privacy import Confidentiality
from autodiag.api import NativeAutodiag as Autodiag  # what the reports read
from autodiag.cli import app
from autodiag.labels import NO_DATA, TEXT_FIELDS, text_field_heading
from autodiag.reports import network, structure, trends
from autodiag.reports.layout import network_slugs, report_path, slug_table
from autodiag.reports.run import default_output

from .report_fixtures import BIG, OTHER, SMALL, STRUCTURES, XSS_CODE, write_fixture_exports
from .report_html import hrefs, outside_links, tables

MASK = Confidentiality(3).message()


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
    vs_national = next(
        t
        for t in tables(small)
        if t[0][:3] == ["Engagement", "Intitulé", "Moyenne du réseau (règle officielle)"]
    )
    assert all(row[2] == "masqué" and row[3] == "masqué" for row in vs_national[1:])
    assert all(
        row[6] == "masqué" and row[7] == "masqué" for row in vs_national[1:]
    )  # coverage, N/A counted 0
    assert all(row[4] != "masqué" for row in vs_national[1:])  # the national level (10 structures) is shown
    # Only the typologie breakdown masks a group there (the seed's typologie: one structure).
    before, after = big.split("<h3>Taux global par typologie</h3>")
    assert MASK not in before and MASK not in after.split("<h2", 1)[1]
    relaxed = next(
        t
        for t in tables(small_relaxed)
        if t[0][:3] == ["Engagement", "Intitulé", "Moyenne du réseau (règle officielle)"]
    )
    assert all(row[2] != "masqué" for row in relaxed[1:])
    assert (
        "Votre structure au sein de son réseau" in structure_small
        and "1er quartile du réseau" not in structure_small
    )


def test_min_group_size_is_a_parameter(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG, min_group_size=50).to_html()
    assert Confidentiality(50).message() in page


def test_build_survives_a_failing_report(tmp_path, monkeypatch):
    exports = write_fixture_exports(tmp_path / "exports")
    real = structure.build_from_frames

    def flaky(frames, code, min_group_size=3, nav=None, site=None):
        if code == "STR-902":
            raise RuntimeError("panne simulée")
        return real(frames, code, min_group_size, nav=nav, site=site)

    monkeypatch.setattr(structure, "build_from_frames", flaky)
    out = tmp_path / "outputs"
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--db",
            str(tmp_path / "db.duckdb"),
            "--raw",
            str(exports),
            "--out",
            str(out),
            "--sans-notebooks",
        ],
    )
    text = result.output + (getattr(result, "stderr", "") or "")
    assert result.exit_code == 1, text
    assert "STR-902" in text and "panne simulée" in text
    assert not (out / "2024" / "structures" / "str-902.html").exists()
    assert (out / "2024" / "structures" / "str-901.html").exists()
    assert (out / "2024" / "structures" / "str-24.html").exists()
    assert len(list(out.glob("*/networks/*.html"))) == 6
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Rapports en échec" in index and "STR-902" in index
    assert {"2024/structures/str-24.html", "trends.html"} <= hrefs(index, out)


def test_build_prints_markup_in_names_and_messages_as_text(tmp_path, monkeypatch):
    """Rich markup in a network name or a failure message is printed literally, never parsed."""
    marked = "Petit [/] réseau [bold]x"
    exports = write_fixture_exports(tmp_path / "exports")
    for path in exports.glob("*.csv"):
        path.write_text(path.read_text(encoding="utf-8").replace(SMALL, marked), encoding="utf-8")
    real_network, real_structure = network.build, structure.build_from_frames

    def failing_network(db, campaign, net, min_group_size=3, site_links=False):
        if net == marked:
            raise RuntimeError("réseau [/] en panne [bold]x")
        return real_network(db, campaign, net, min_group_size)

    def failing_structure(frames, code, min_group_size=3, nav=None, site=None):
        if code == "STR-902":
            raise RuntimeError("[/bold] panne [red]simulée[/]")
        return real_structure(frames, code, min_group_size, nav=nav, site=site)

    monkeypatch.setattr(network, "build", failing_network)
    monkeypatch.setattr(structure, "build_from_frames", failing_structure)
    result = CliRunner().invoke(
        app,
        [
            "build",
            "--db",
            str(tmp_path / "db.duckdb"),
            "--raw",
            str(exports),
            "--out",
            str(tmp_path / "out[/]"),
            "--sans-notebooks",
        ],
    )
    text = result.output + (getattr(result, "stderr", "") or "")
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, (result.exception, text)
    assert "Traceback" not in text and "MarkupError" not in text
    assert f"{marked} (2024) : erreur inattendue (RuntimeError) : réseau [/] en panne [bold]x" in text
    assert "STR-902 (2024) : erreur inattendue (RuntimeError) : [/bold] panne [red]simulée[/]" in text
    assert "out[/]" in text  # the dashboard path, literally


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


def test_report_path_layout_and_colliding_names(tmp_path):
    slugs = network_slugs(["Réseau A", "reseau a", "Autre"])
    assert report_path("trends", None, None, tmp_path) == tmp_path / "trends.html"
    assert report_path("trends", None, "Autre", tmp_path, slugs) == tmp_path / "trends" / "autre.html"
    assert (
        report_path("network", 2024, "Autre", tmp_path, slugs)
        == tmp_path / "2024" / "networks" / "autre.html"
    )
    assert (
        report_path("structure", 2023, "STR-24", tmp_path) == tmp_path / "2023" / "structures" / "str-24.html"
    )
    a, b = (report_path("network", 2024, n, tmp_path, slugs) for n in ("Réseau A", "reseau a"))
    assert a != b and a.parent == b.parent and a.name.startswith("reseau-a-")


def test_dashboard_links_every_page_and_report_command_never_writes_over_one(built_site, monkeypatch):
    """`build` links every page of the site; `autodiag report ...` writes its standalone file under
    outputs/rapports/ (or --sortie), never over a site page, and `build` leaves that file alone."""
    import autodiag.cli.report_commands

    root = built_site.index.parent
    db_path = root.parent / "autodiag.duckdb"
    index = built_site.index.read_text(encoding="utf-8")
    links = hrefs(index, root)
    with Autodiag(db_path) as db:
        networks = db.networks()
        expected = {report_path("trends", None, None, root)}
        for net in networks:
            expected.add(report_path("trends", None, net, root, slug_table(db, "trends")))
            for c in db.campaigns():
                if net in db.networks(c):
                    expected.add(report_path("network", c, net, root, slug_table(db, "network", c)))
        for c in db.campaigns():
            for code in slug_table(db, "structure", c):
                expected.add(report_path("structure", c, code, root, slug_table(db, "structure", c)))
    assert {p.relative_to(root).as_posix() for p in expected} <= links
    assert all(p.exists() for p in expected)
    assert (
        default_output("trends", {"db_path": str(db_path), "network": BIG}, root)
        == root / "rapports" / f"evolution-{network_slugs(networks)[BIG]}.html"
    )
    assert (
        default_output("structure", {"db_path": str(db_path), "campaign": 2024, "code": XSS_CODE}, root)
        == root / "rapports" / f"2024-structure-{XSS_CODE.lower()}.html"
    )

    # The command itself, beside the built site (whose name holds rich markup, printed literally).
    outputs = root.parent / "report-cli [bold]out[/]"
    shutil.copytree(root, outputs)
    monkeypatch.setattr(autodiag.cli.report_commands, "OUTPUTS_DIR", outputs)
    site_page = outputs / "2024" / "structures" / "str-24.html"
    before = site_page.read_bytes()
    result = CliRunner().invoke(
        app, ["report", "network", "--campagne", "2024", "--reseau", BIG, "--db", str(db_path)]
    )
    assert result.exit_code == 0, result.output
    written = outputs / "rapports" / f"2024-reseau-{network_slugs(networks)[BIG]}.html"
    assert str(written) in result.output.replace("\n", "")
    page = written.read_text(encoding="utf-8")
    # A standalone file links to nothing it does not hold: anchors of its own, the web, and its
    # downloads (every row of the long tables), written beside it.
    stem = network.download_stem(BIG, 2024)
    assert outside_links(page) == [f"{stem}-structures.csv", f"{stem}-structures.xlsx"]
    assert all((written.parent / name).is_file() for name in outside_links(page))
    for target in (site_page, site_page.with_suffix(".pdf"), outputs / "index.html"):
        refused = CliRunner().invoke(
            app,
            [
                "report",
                "structure",
                "--campagne",
                "2024",
                "--code",
                "STR-24",
                "--db",
                str(db_path),
                "--sortie",
                str(target),
            ],
        )
        assert refused.exit_code == 1 and "page du site" in refused.output, refused.output
    assert site_page.read_bytes() == before


def test_show_and_structure_report_share_their_labels(report_db):
    """The terminal and the HTML report use the seed's full free-text titles and « Aucune donnée »."""
    result = CliRunner().invoke(
        app,
        ["show", "STR-24", "--campaign", "2024", "--db", str(report_db)],
        env={"COLUMNS": "250", "NO_COLOR": "1"},
    )
    assert result.exit_code == 0, result.output
    with Autodiag(report_db) as db:
        page = structure.build(db, 2024, "STR-24").to_html()
    assert TEXT_FIELDS["besoin_appui"].endswith("la qualité de service au sein de votre structure")
    for field in TEXT_FIELDS:
        assert text_field_heading(5, field) in result.output
        assert html.escape(text_field_heading(5, field)) in page
    assert (
        result.output.count(NO_DATA) == 2 and page.count(f">{NO_DATA}<") == 2
    )  # E5 and E8 have no besoin d'appui


def test_network_report_structures_by_theme_and_theme_changes(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG).to_html()
        linked = network.build(db, 2024, BIG, site_links=True).to_html()
    for heading in [
        "Structures et thèmes les plus faibles",
        "Évolution par thème",
        "Taux par structure, thèmes les plus faibles",
    ]:
        assert heading in page, heading
    found = tables(page)
    heat = next(t for t in found if t[0][:3] == ["Code", "Structure", "Global"])
    rates = [float(row[2].replace(" %", "").replace(",", ".")) for row in heat[1:] if row[2] != "--%"]
    assert rates == sorted(rates)  # weakest structure first
    changes = next(t for t in found if t[0][0] == "Thème" and "Évolution" in t[0])
    at = changes[0].index("Évolution")
    assert len(changes) > 1 and all(row[at].endswith(" pts") for row in changes[1:])
    assert changes[0][-1] == "Structures comparées"
    assert "class=code>STR-" in page  # codes never wrap
    # No site: no link but the contents and the downloads (the report's files, written beside it).
    stem = network.download_stem(BIG, 2024)
    assert outside_links(page) == [f"{stem}-structures.csv", f"{stem}-structures.xlsx"]
    assert re.search(r'<td class=code><a href="\.\./structures/str-\d+\.html">STR-\d+</a></td>', linked)


def test_built_network_report_links_existing_structure_reports(built_site):
    root = built_site.index.parent
    page = (root / "2024" / "networks" / "universites-et-ecoles.html").read_text(encoding="utf-8")
    hrefs = set(re.findall(r'href="(\.\./structures/[^"]+)"', page))
    assert hrefs
    folder = root / "2024" / "networks"
    assert all((folder / html.unescape(h)).resolve().exists() for h in hrefs)


def test_dashboard_names_engagements_and_structure_report_sections(built_site, report_db):
    index = built_site.index.read_text(encoding="utf-8")
    assert "E1 — Accueil et droit à l&#x27;erreur" in index and "E8 — Environnement" in index
    with Autodiag(report_db) as db:
        page = structure.build(db, 2024, "STR-24").to_html()
    for text in [
        "Les enjeux de l&#x27;auto-diagnostic",
        "Méthodes et outils",
        "alinéa 3 du code des relations entre le public et l&#x27;administration",
        "rapprocher directement du référent Services Publics + de votre réseau",
        "À propos de l&#x27;approche omnicanale",
        "Votre structure (couleur de chaque engagement)",
    ]:
        assert text in page, text
    assert page.index("Les enjeux") < page.index("Votre taux d&#x27;atteinte au regard des 8")
    assert page.index("Méthodes et outils") < page.index("Les cotations appliquées")
