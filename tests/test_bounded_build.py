"""A build bounded whatever the input: it states what it will write, stops before writing
anything past its limits, refuses a campaign it has no data for and a folder that does not
exist, and never writes the demo on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from autodiag.reports import build
from autodiag.reports.build import BuildError, Limits, build_all
from tests.data import make_broken as mb
from tests.ingest_helpers import invoke_cli


def networks_export(folder: Path, n: int) -> Path:
    """One structure in each of ``n`` networks: what a mistaken or malicious export looks like."""
    folder.mkdir(parents=True, exist_ok=True)
    body = [mb.row(f"STR-{100 + i}", reseau=f"Réseau {i:03d}") for i in range(n)]
    (folder / "reseaux.csv").write_bytes(mb.csv_bytes(mb.HEADER, body))
    return folder


@pytest.fixture(scope="module")
def twelve_networks(tmp_path_factory) -> Path:
    return networks_export(tmp_path_factory.mktemp("twelve") / "exports", 12)


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html")) if out.exists() else []


def test_past_the_network_limit_nothing_is_written(twelve_networks, tmp_path):
    out = tmp_path / "outputs"
    with pytest.raises(BuildError) as refused:
        build_all(
            tmp_path / "a.duckdb", out, raw=twelve_networks, notebooks=False, limits=Limits(networks=10)
        )
    assert "12 réseaux dans la base, au-delà de la limite de 10" in str(refused.value)
    assert "--max-reseaux 12" in str(refused.value)
    assert pages(out) == [] and not (out / "manifest.json").exists()


def test_past_the_page_limit_nothing_is_written(twelve_networks, tmp_path):
    out = tmp_path / "outputs"
    with pytest.raises(BuildError) as refused:
        build_all(tmp_path / "a.duckdb", out, raw=twelve_networks, notebooks=False, limits=Limits(pages=20))
    # 12 structure pages, 12 network pages, 13 trends pages and the dashboard
    assert "38 pages à écrire, au-delà de la limite de 20" in str(refused.value)
    assert "--max-pages 38" in str(refused.value)
    assert pages(out) == []


def test_the_cli_states_the_pages_before_rendering_and_names_the_option(twelve_networks, tmp_path):
    db, out = tmp_path / "a.duckdb", tmp_path / "outputs"
    refused = invoke_cli(
        "build",
        "--base",
        db,
        "--exports",
        twelve_networks,
        "--sortie",
        out,
        "--sans-carnets",
        "--max-reseaux",
        5,
    )
    assert refused.exit_code == 1
    assert "au-delà de la limite de 5" in refused.stderr and "--max-reseaux 12" in refused.stderr
    assert pages(out) == []
    built = invoke_cli("build", "--base", db, "--sortie", out, "--sans-carnets", "--campagne", 2024)
    assert built.exit_code == 0, built.output
    assert (
        "Site : 38 pages (12 rapport(s) de structure, 12 rapport(s) réseau, 13 page(s) d'évolution, "
        "1 tableau de bord)" in built.output
    )
    assert len(pages(out)) == 38


def test_a_campaign_without_data_is_refused(twelve_networks, tmp_path):
    db, out = tmp_path / "a.duckdb", tmp_path / "outputs"
    result = invoke_cli(
        "build", "--base", db, "--exports", twelve_networks, "--sortie", out, "--campagne", 2099
    )
    assert result.exit_code == 1
    assert "campagne 2099 absente de la base (campagnes chargées : 2024)" in result.stderr
    assert pages(out) == []


def test_a_missing_exports_folder_is_refused_and_loads_nothing(tmp_path):
    db = tmp_path / "a.duckdb"
    result = invoke_cli("build", "--base", db, "--exports", tmp_path / "absent", "--sortie", tmp_path / "out")
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())  # the error panel wraps a long path
    assert "valeur refusée pour « --exports »" in said and "n'existe pas" in said
    assert not db.exists() and not (tmp_path / "out").exists()
    with pytest.raises(BuildError, match="dossier d'exports introuvable"):
        build_all(db, tmp_path / "out", raw=tmp_path / "absent", notebooks=False)


def test_no_exports_and_an_empty_base_says_what_to_do_and_writes_no_demo(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "RAW_DIR", tmp_path / "raw")  # no data/raw, whatever the checkout holds
    result = invoke_cli("build", "--base", tmp_path / "a.duckdb", "--sortie", tmp_path / "out")
    assert result.exit_code == 1
    assert "« autodiag demo »" in result.stderr and "--exports DOSSIER" in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "a.duckdb").exists()
