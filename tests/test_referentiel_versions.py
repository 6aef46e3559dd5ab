"""Questionnaire versions: the 9-engagement questionnaire (demo reconstruction), the crosswalk
to the 2024 one, `autodiag referentiel list|show|diff`, and scoring with the same rules."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from autodiag.ingest.loader import ingest
from autodiag.paths import REFERENTIELS_DIR
from autodiag.referentiel import crosswalk, questionnaires
from autodiag.referentiel.questionnaires import ReferentielError

from .conftest import run_cli

QUESTIONNAIRES = questionnaires.load_all()
# The engagements of the first programme, as the public library page lists them.
OLD_TITLES = {
    4: "Nous vous orientons vers la personne compétente pour traiter votre demande",
    8: "Afin de vous offrir un service de qualité, nous développons en permanence nos compétences",
    9: "Nous sommes éco-responsables",
}


def test_two_versions_declared_for_their_campaigns():
    assert set(QUESTIONNAIRES) == {"2021", "2024"}
    campaigns = questionnaires.load_campaigns()
    assert {c for c, v in campaigns.items() if v == "2021"} == {2021, 2022}
    assert {c for c, v in campaigns.items() if v == "2024"} == {2023, 2024, 2025}


def test_the_nine_engagement_version_has_the_real_titles_and_says_it_is_reconstructed():
    old = QUESTIONNAIRES["2021"]
    titles = {q.engagement: q.engagement_title for q in old}
    assert sorted(titles) == list(range(1, 10))
    for number, title in OLD_TITLES.items():
        assert titles[number] == title
    with (REFERENTIELS_DIR / "2021.csv").open(encoding="utf-8", newline="") as f:
        sources = {row["source"] for row in csv.DictReader(f, delimiter=";")}
    assert sources == {"reconstruction de démonstration : thèmes et questions non officiels"}


def _link(links, before, after_version="2024"):
    level = "theme" if "_" in before else "engagement"
    return next(
        k for k in links if k.before_version == "2021" and (k.before_level, k.before) == (level, before)
    )


def test_crosswalk_links_as_the_programme_changed():
    links = crosswalk.load(QUESTIONNAIRES)
    assert (_link(links, "E4").after_level, _link(links, "E4").after, _link(links, "E4").link) == (
        "theme",
        "E3_T2",
        "proche",
    )
    assert (_link(links, "E8").after, _link(links, "E8").link) == ("", "aucune")
    assert (_link(links, "E9").after, _link(links, "E9").comparable) == ("E8", True)
    new_e5 = [k for k in links if (k.after_level, k.after) == ("engagement", "E5")]
    assert [(k.before, k.link) for k in new_e5] == [("", "aucune")]
    assert all(k.reason for k in links)


def test_every_unit_of_both_versions_is_in_the_crosswalk():
    links = crosswalk.load(QUESTIONNAIRES)
    before = {(k.before_level, k.before) for k in links if k.before}
    after = {(k.after_level, k.after) for k in links if k.after}
    assert crosswalk.units(QUESTIONNAIRES["2021"]) <= before
    assert crosswalk.units(QUESTIONNAIRES["2024"]) <= after


@pytest.mark.parametrize(
    "field, value, message",
    [
        (
            "lien",
            "pareil",
            "correspondances.csv, ligne 2, colonne lien : « pareil » inconnu (identique, proche, aucune)",
        ),
        (
            "code_apres",
            "E12",
            "correspondances.csv, ligne 2, colonne code_apres : « E12 » n'est pas un engagement du questionnaire 2024",
        ),
        (
            "version_avant",
            "1999",
            "correspondances.csv, ligne 2, colonne version_avant : questionnaire « 1999 » inconnu",
        ),
        ("raison", "", "correspondances.csv, ligne 2, colonne raison : vide"),
    ],
)
def test_a_broken_crosswalk_is_refused_with_line_and_column(tmp_path, field, value, message):
    path = tmp_path / "correspondances.csv"
    row = {
        "version_avant": "2021",
        "niveau_avant": "engagement",
        "code_avant": "E1",
        "version_apres": "2024",
        "niveau_apres": "engagement",
        "code_apres": "E1",
        "lien": "identique",
        "raison": "mêmes questions",
    }
    row[field] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=crosswalk.COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    with pytest.raises(ReferentielError) as error:
        crosswalk.load(QUESTIONNAIRES, path)
    assert str(error.value).startswith(message)


def test_cli_list_show_and_diff():
    listed = run_cli("referentiel", "list", check=True).stdout
    assert "│ 2021    │ 9           │ 24     │ 83        │ 2021, 2022" in listed
    assert "│ 2024    │ 8           │ 23     │ 83        │ 2023, 2024, 2025" in listed
    shown = run_cli("referentiel", "show", "2021", check=True).stdout
    assert "Attention : reconstruction de démonstration" in shown and "E9_T2" in shown
    diff = run_cli("referentiel", "diff", "2021", "2024", check=True).stdout
    e4 = next(line for line in diff.splitlines() if "│ E4 Nous vous orientons" in line)
    assert "│ E3_T2 Orientation des usagers" in e4 and "│ proche" in e4
    assert "retiré : engagement E9 « Nous sommes éco-responsables »" in diff
    unknown = run_cli("referentiel", "show", "1999")
    assert (
        unknown.returncode == 1 and "questionnaire « 1999 » inconnu (versions : 2021, 2024)" in unknown.stderr
    )


def test_diff_of_a_version_with_itself_is_empty():
    assert "Aucune différence." in run_cli("referentiel", "diff", "2024", "2024", check=True).stdout


def _export_2021(path: Path, answers: dict[str, str]) -> Path:
    questions = [q.question_id for q in QUESTIONNAIRES["2021"]]
    identity = {
        "code_structure": "OLD-1",
        "nom_structure": "Bibliothèque d'avant",
        "reseau": "Réseau test",
        "typologie": "",
        "localisation": "63000",
        "campagne": "2022",
        "date_enregistrement": "10/05/2022 10:00:00",
        "nb_agents_contributeurs": "3",
        "nb_agents_interaction": "20",
    }
    row = {**identity, **{q: answers.get(q, "Oui") for q in questions}}
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(row), delimiter=";")
        writer.writeheader()
        writer.writerow(row)
    return path


def test_a_nine_engagement_submission_is_scored_with_the_same_rules(tmp_path):
    answers = {
        "E2_Q01": "Aucun",
        "E7_Q01": "Aucun",
        "E9_Q01": "Aucun",
        "E8_Q01": "Non",
        "E8_Q02": "Partiellement",
        "E8_Q03": "Non applicable",
        "E8_Q04": "",
        "E8_Q05": "Initié",
    }
    db = tmp_path / "old.duckdb"
    assert ingest(db, [_export_2021(tmp_path / "old.csv", answers)]).ok
    out = tmp_path / "scores.csv"
    run_cli("export", "scores", "--db", db, "--out", out, check=True)
    with out.open(encoding="utf-8", newline="") as f:
        rows = {(r["level"], r["unit"]): r for r in csv.DictReader(f)}
    assert {u for (level, u) in rows if level == "engagement"} == {f"E{n}" for n in range(1, 10)}
    # E8 (compétences): Non 0 + Partiellement 0,75 + Initié 0,25 on 3 applicable questions.
    assert (rows[("engagement", "E8")]["points"], rows[("engagement", "E8")]["applicable"]) == ("1.0", "3")
    assert float(rows[("engagement", "E8")]["rate"]) == pytest.approx(100 / 3, abs=1e-12)
    rates = [float(rows[("engagement", f"E{n}")]["rate"]) for n in range(1, 10)]
    assert float(rows[("global", "global")]["rate"]) == pytest.approx(sum(rates) / 9, abs=1e-12)
    shown = run_cli("show", "OLD-1", "--db", db, check=True).stdout
    assert "au regard des 9 engagements" in shown
