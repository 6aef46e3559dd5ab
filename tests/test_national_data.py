"""The synthetic national set (`autodiag demo-data --structures N`): valid, mixed, deterministic."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from autodiag.demo.national import networks, write_national_data
from autodiag.ingest.loader import ingest

from .conftest import run_cli

STRUCTURES = 90
CAMPAIGNS = [2024, 2025]


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("national")
    return out, write_national_data(out, STRUCTURES, CAMPAIGNS)


def test_thirty_networks_half_of_them_one_file_per_site(national):
    out, files = national
    nets = networks()
    assert len(nets) == 30 and len({n.name for n in nets}) == 30
    campaign_dirs = {out / str(c) for c in CAMPAIGNS}
    per_network = [f for f in files if f.parent in campaign_dirs]
    per_site = [f for f in files if f.parent.parent in campaign_dirs]
    assert per_site and per_network and len(per_site) + len(per_network) == len(files)
    # A per-site file holds one submission; a per-network file, that network's structures.
    assert all(_rows(f) == 1 for f in per_site)
    assert sum(_rows(f) for f in per_network) > len(per_network)


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.reader(f, delimiter=";")) - 1


def test_the_same_seed_gives_the_same_bytes(national, tmp_path):
    out, files = national
    again = write_national_data(tmp_path, STRUCTURES, CAMPAIGNS)
    assert [p.relative_to(tmp_path) for p in again] == [p.relative_to(out) for p in files]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(again, files))


def test_every_file_loads_and_scores(national, tmp_path):
    out, files = national
    db = tmp_path / "national.duckdb"
    report = ingest(db, [out])
    assert report.ok, [o for o in report.outcomes if not o.ok]
    with duckdb.connect(str(db), read_only=True) as con:
        networks_seen, structures, campaigns = con.execute(
            "select count(distinct reseau), count(distinct code_structure), count(distinct campagne) "
            "from retained_submissions"
        ).fetchone()
        per_campaign = con.execute(
            "select campagne, count(*) from retained_submissions group by all order by 1"
        ).fetchall()
    assert networks_seen == 30 and campaigns == 2
    # About 95 % of the structures answer each campaign.
    assert structures <= STRUCTURES
    assert all(0.8 * STRUCTURES <= n <= STRUCTURES for _, n in per_campaign)


def test_cli_refuses_an_undeclared_campaign(tmp_path):
    result = run_cli("demo-data", "--structures", "60", "--campaigns", "2024,2031", "--out", tmp_path)
    assert result.returncode == 1
    assert "campagne(s) 2031 non déclarée(s) dans campagnes.csv" in result.stderr
    assert not any(tmp_path.iterdir())
