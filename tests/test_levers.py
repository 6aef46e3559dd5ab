"""Improvement levers (autodiag.analysis.levers): gains checked against a hand computation on
the real STR-24 2024 report, shares of « Oui » masked under the minimum group size, the order."""

from __future__ import annotations

from fractions import Fraction

import pytest

from autodiag.analysis.levers import Share, gains, structure_levers
from autodiag.analysis.privacy import Confidentiality
from autodiag.api import Autodiag

from .seed_figures import ENGAGEMENTS


def _number(text: str) -> Fraction:
    return Fraction(text.replace(",", "."))


@pytest.fixture(scope="module")
def seed_levers(seeded):
    with Autodiag(seeded) as db:
        return db.levers("STR-24", 2024)


def test_gains_by_hand_on_str24(seed_levers):
    """E4 of STR-24 has 3 applicable questions (report: « 2 » points on « 3 »), 8 engagements rated:
    E4_Q05, answered « Non », is worth 100/3 points of E4 and 100/3/8 of the global rate. E6 has
    4 applicable questions: E6_Q03, « Initié » (0,25), is worth 0,75 × 100/4 = 18,75 points of
    E6 and 18,75/8 = 2,34375 of the global rate."""
    first = seed_levers.iloc[0]
    assert (first["question_id"], first["answer"], first["points"]) == ("E4_Q05", "Non", 0.0)
    assert first["engagement_applicable"] == 3 and first["rated_engagements"] == 8
    assert first["engagement_gain"] == pytest.approx(100 / 3, abs=1e-12)
    assert first["global_gain"] == pytest.approx(100 / 24, abs=1e-12)
    initie = seed_levers.set_index("question_id").loc["E6_Q03"]
    assert (initie["answer"], initie["points"]) == ("Initié", 0.25)
    assert initie["engagement_gain"] == 18.75 and initie["global_gain"] == 2.34375
    assert gains(0.25, 4, 8) == (Fraction(75, 4), Fraction(75, 32))


def test_levers_met_bring_each_engagement_to_100(seed_levers):
    """Every lever of an engagement met, it reaches 100 %: its gains add up to 100 minus its rate
    (the report's points over applicable questions), and the global gains to 100 minus the mean."""
    rates = {}
    for unit, (_, points, applicable, _) in ENGAGEMENTS.items():
        rates[int(unit[1:])] = 100 * _number(points) / applicable
        mine = seed_levers[seed_levers["engagement"] == int(unit[1:])]
        assert mine["engagement_gain"].sum() == pytest.approx(float(100 - rates[int(unit[1:])]), abs=1e-9), (
            unit
        )
        assert (mine["points"] < 1).all()
    assert seed_levers["global_gain"].sum() == pytest.approx(float(100 - sum(rates.values()) / 8), abs=1e-9)
    assert list(seed_levers["rank"]) == list(range(1, len(seed_levers) + 1))
    assert seed_levers["global_gain"].is_monotonic_decreasing


def test_alone_in_its_base_every_share_is_masked(seed_levers):
    assert seed_levers["network_answered"].isna().all() and seed_levers["typology_share"].isna().all()
    assert (seed_levers["contacts"] == "").all()


def _answer(question: str, points: float, engagement: int = 1, position: int = 1) -> dict:
    return {
        "code_structure": "A",
        "reseau": "R",
        "typologie": "T",
        "version": "2024",
        "position": position,
        "question_id": question,
        "engagement": engagement,
        "theme_id": f"E{engagement}_T1",
        "theme_title": "Thème",
        "question": "?",
        "status": "answered",
        "answer": "Non",
        "points": points,
    }


def test_equal_gains_rank_the_most_common_first_and_shares_leave_the_structure_out():
    answers = [
        _answer("E1_Q01", 0.0, position=1),
        _answer("E1_Q02", 0.0, position=2),
        _answer("E1_Q03", 1.0, position=3),
        {**_answer("E1_Q04", None, position=4), "status": "not_applicable"},
    ]
    counts = {
        ("typologie", "T", "2024", "E1_Q01"): (3, 0),
        ("reseau", "R", "2024", "E1_Q01"): (6, 1),
        ("typologie", "T", "2024", "E1_Q02"): (4, 2),
        ("reseau", "R", "2024", "E1_Q02"): (9, 4),
    }
    found = structure_levers(answers, counts, Confidentiality(3), campaign=2024)
    assert [lever.question_id for lever in found] == ["E1_Q02", "E1_Q01"]
    # 3 applicable questions in E1, one engagement: each « Non » is worth 100/3 points of both rates.
    assert found[0].engagement_gain == found[0].global_gain == Fraction(100, 3)
    # The structure is one of those counted: 4 - 1 = 3 others, 2 of them « Oui ».
    assert found[0].typology == Share(2, 3) and found[0].typology.share == pytest.approx(200 / 3)
    # 3 - 1 = 2 others in the typologie: under the threshold, masked; the network's share decides.
    assert found[1].typology == Share(None, None) and found[1].network == Share(1, 5)
    assert found[1].commonness == 20.0


def test_shares_and_contacts_in_a_network(report_db):
    """STR-24 with three other structures of its network in 2024: shares are shown, a contact is never itself."""
    with Autodiag(report_db) as db:
        frame = db.levers("STR-24", 2024)
        answers = db.answers(campaign=2024, network="Universités et écoles")
    shown = frame[frame["network_answered"].notna()]
    assert not shown.empty
    row = shown.iloc[0]
    others = answers[
        (answers["question_id"] == row["question_id"]) & (answers["code"] != "STR-24") & answers["applicable"]
    ]
    assert row["network_answered"] == len(others) and row["network_yes"] == int((others["points"] >= 1).sum())
    assert all("STR-24" not in codes for codes in frame["contact_codes"])
    with Autodiag(report_db) as db:
        assert db.levers("STR-24", 2024, min_group_size=10)["network_answered"].isna().all()
