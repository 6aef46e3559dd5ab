"""Peer groups: a structure against structures of the same typologie and size band, in every
network, masked below the minimum group size; a network's rates by typologie."""

from __future__ import annotations

import statistics

from autodiag import formatting as fmt
from autodiag.analysis import peers
from autodiag.analysis.privacy import MASKED
from autodiag.api import NativeAutodiag as Autodiag  # the database's column names, as the reports read them
from autodiag.reports import network, structure

from .report_fixtures import BIG
from .report_html import tables


def test_size_bands():
    assert peers.size_band(0) == "0 à 19 agents"
    assert peers.size_band(150) == "100 à 199 agents"
    assert peers.size_band(199) == "100 à 199 agents"
    assert peers.size_band(200) == peers.size_band(5000) == "200 agents ou plus"
    assert peers.size_band(None) is None and peers.size_band("x") is None


def _peer_table(page: str) -> list[list[str]]:
    return next(t for t in tables(page) if t[0][:2] == ["Engagement", "Votre taux"] and len(t[0]) == 4)


def test_structure_report_compares_with_its_peers_in_every_network(report_db):
    with Autodiag(report_db) as db:
        page = structure.build(db, 2024, "STR-24").to_html()
        alone = structure.build(db, 2024, "STR-24", min_group_size=1).to_html()
        glob = db.global_scores(campaign=2024)
    assert "Votre structure parmi des structures comparables" in page
    found = _peer_table(page)
    assert found[0][2].startswith("Même typologie (« Services de documentation")
    assert found[0][3] == "Même taille (100 à 199 agents en interaction avec les usagers)"
    # STR-24 is the only structure of its typologie: masked at 3, shown at 1.
    assert found[1][:3] == ["Global", "55,6 %", MASKED]
    assert _peer_table(alone)[1][2] == "55,6 % (1)"
    band = glob[glob["nb_agents_interaction"].between(100, 199)]
    rates = band["rate"].tolist()
    assert len(rates) >= 3  # networks mixed: the fixture's bands hold structures of several networks
    assert band["reseau"].nunique() >= 2
    assert found[1][3] == f"{fmt.rate(statistics.median(rates))} ({len(rates)})"


def test_network_report_breaks_rates_down_by_typologie(report_db):
    with Autodiag(report_db) as db:
        page = network.build(db, 2024, BIG).page()
        glob = db.global_scores(campaign=2024, network=BIG)
    found = next(
        t for t in tables(page) if t[0] == ["Typologie", "Structures", "Taux global moyen", "Médiane"]
    )
    rows = {r[0]: r[1:] for r in found[1:]}
    trial = glob[glob["typologie"] == "Structure d'essai"]["rate"]
    assert rows["Structure d'essai"] == [
        str(len(trial)),
        fmt.rate(trial.mean()),
        fmt.rate(statistics.median(trial)),
    ]
    seed = [k for k in rows if k != "Structure d'essai"]
    assert len(seed) == 1 and rows[seed[0]] == ["1", MASKED, MASKED]
