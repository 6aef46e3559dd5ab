"""`autodiag referentiel list|show|diff`: the questionnaire versions of data/referentiels/,
read from the files (no database needed). Registered by ``register(app)`` (cli/main.py)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from autodiag.cli.common import console, fail
from autodiag.referentiel import crosswalk, questionnaires
from autodiag.referentiel import diff as rd
from autodiag.referentiel.questionnaires import Question

referentiel_app = typer.Typer(
    help="Versions du questionnaire (data/referentiels/) et ce qui change de l'une à l'autre.",
    no_args_is_help=True,
)

LEVEL_NAMES = {"global": "taux global", "engagement": "engagement", "theme": "thème", "question": "question"}


def _questionnaires() -> tuple[dict[str, list[Question]], dict[int, str]]:
    try:
        return questionnaires.load_all(), questionnaires.load_campaigns()
    except questionnaires.ReferentielError as error:
        fail(str(error))


def _version(questionnaires: dict, version: str) -> list[Question]:
    if version not in questionnaires:
        fail(f"questionnaire « {escape(version)} » inconnu (versions : {', '.join(questionnaires)})")
    return questionnaires[version]


@referentiel_app.command("list")
def list_versions() -> None:
    """Lister les versions du questionnaire et les campagnes qui les utilisent."""
    questionnaires, campaigns = _questionnaires()
    table = Table("version", "engagements", "thèmes", "questions", "campagnes")
    for version, questions in questionnaires.items():
        s = rd.summary(version, questions, campaigns)
        table.add_row(
            s.version,
            str(s.engagements),
            str(s.themes),
            str(s.questions),
            ", ".join(map(str, s.campaigns)) or "aucune",
        )
    console.print(table)


@referentiel_app.command("show")
def show_version(
    version: Annotated[str, typer.Argument(help="Version (nom du fichier sans .csv, ex. 2024).")],
) -> None:
    """Afficher les engagements, thèmes et nombres de questions d'une version."""
    questionnaires, campaigns = _questionnaires()
    questions = _version(questionnaires, version)
    s = rd.summary(version, questions, campaigns)
    console.print(
        f"[bold]Questionnaire {escape(version)}[/bold] : {s.engagements} engagements, {s.themes} thèmes, "
        f"{s.questions} questions ; campagnes : {', '.join(map(str, s.campaigns)) or 'aucune'}",
        highlight=False,
    )
    notes = sorted({row for row in _sources(version) if row})
    for note in notes:
        console.print(f"[yellow]Attention[/yellow] : {escape(note)}", highlight=False)
    table = Table("code", "intitulé", "questions", show_lines=False)
    engagements = rd.engagement_titles(questions)
    for code, title in engagements.items():
        n = sum(1 for q in questions if f"E{q.engagement}" == code)
        table.add_row(f"[bold]{code}[/bold]", f"[bold]{escape(title)}[/bold]", str(n))
        for theme, theme_title in rd.theme_titles(questions).items():
            if theme.startswith(code + "_"):
                table.add_row(
                    f"  {theme}", escape(theme_title), str(sum(1 for q in questions if q.theme_id == theme))
                )
    console.print(table)


def _sources(version: str) -> list[str]:
    """The `source` column of a questionnaire file (e.g. a demo reconstruction), if any."""
    import csv

    from autodiag.paths import REFERENTIELS_DIR

    with (REFERENTIELS_DIR / f"{version}.csv").open(encoding="utf-8", newline="") as handle:
        return [row.get("source") or "" for row in csv.DictReader(handle, delimiter=";")]


@referentiel_app.command("diff")
def diff_versions(
    before: Annotated[str, typer.Argument(help="Version de départ (ex. 2021).")],
    after: Annotated[str, typer.Argument(help="Version d'arrivée (ex. 2024).")],
) -> None:
    """Ce qui change entre deux versions : correspondances, puis engagements, thèmes et questions
    ajoutés, retirés ou renommés, et seuils."""
    questionnaires, _ = _questionnaires()
    old, new = _version(questionnaires, before), _version(questionnaires, after)
    try:
        links = crosswalk.load(questionnaires)
    except questionnaires.ReferentielError as error:
        fail(str(error))
    between = [k for k in links if (k.before_version, k.after_version) == (before, after)]
    if between:
        _print_links(between, old, new)
    console.print(
        f"\n[bold]Par identifiant[/bold] ({escape(before)} → {escape(after)})"
        + (
            " : les identifiants ne gardent pas forcément leur sens, voir les correspondances ci-dessus"
            if between
            else ""
        ),
        highlight=False,
    )
    result = rd.diff(old, new)
    if result.empty:
        console.print("Aucune différence.")
        return
    for label, rows in (("retiré", result.removed), ("ajouté", result.added)):
        for level, code, title in rows:
            console.print(f"  {label} : {LEVEL_NAMES[level]} {code} « {escape(title)} »", highlight=False)
    for level, code, was, now in result.renamed:
        console.print(
            f"  renommé : {LEVEL_NAMES[level]} {code} « {escape(was)} » → « {escape(now)} »", highlight=False
        )
    for question, what, detail in result.changed:
        console.print(f"  {what} : question {question} : {escape(detail)}", highlight=False)


def _print_links(links: list[crosswalk.Link], old, new) -> None:
    titles = {
        **{("engagement", k): v for k, v in rd.engagement_titles(old).items()},
        **{("theme", k): v for k, v in rd.theme_titles(old).items()},
        ("global", "global"): "taux global",
    }
    new_titles = {
        **{("engagement", k): v for k, v in rd.engagement_titles(new).items()},
        **{("theme", k): v for k, v in rd.theme_titles(new).items()},
        ("global", "global"): "taux global",
    }
    table = Table(
        "avant", "après", "lien", "raison", title="Correspondances (data/referentiels/correspondances.csv)"
    )
    for k in links:
        was = f"{k.before} {titles.get((k.before_level, k.before), '')}".strip() if k.before else "—"
        now = f"{k.after} {new_titles.get((k.after_level, k.after), '')}".strip() if k.after else "—"
        table.add_row(escape(was), escape(now), k.link, escape(k.reason))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(referentiel_app, name="referentiel")
