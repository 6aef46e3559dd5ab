"""A structure's result in the terminal, laid out like the official structure report."""

from __future__ import annotations

import pandas as pd
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from autodiag import formatting as fmt
from autodiag.api import Autodiag
from autodiag.labels import NO_DATA, TEXT_FIELDS, text_field_heading


def latest_campaign(db: Autodiag, code: str) -> int | None:
    row = db.con.execute(
        "select max(campagne) from retained_submissions where code_structure = $code", {"code": code}
    ).fetchone()
    return row[0]


def render_structure(db: Autodiag, code: str, campaign: int) -> Group | None:
    scores = db.scores(campaign=campaign, code=code)
    if scores.empty:
        return None
    texts = db.free_texts(campaign=campaign, code=code)
    identity = scores.iloc[0]
    parts = [_header(identity), _overview(scores)]
    for _, engagement in scores[scores["level"] == "engagement"].iterrows():
        themes = scores[(scores["level"] == "theme") & (scores["engagement"] == engagement["engagement"])]
        parts.append(_engagement(engagement, themes, texts))
    return Group(*parts)


def _header(identity: pd.Series) -> Panel:
    lines = [
        f"[bold]{_escape(identity['name'])}[/bold]",
        _escape(identity["typology"] or ""),
        _escape(identity["network"]),
        f"Localisation : {_escape(identity['location'] or '--')}",
        f"Agents ayant contribué au diagnostic : {fmt.number(identity['n_contributors'])}",
        f"Agents en interaction avec les usagers : {fmt.number(identity['n_agents_interaction'])}",
        f"Date d'enregistrement : {identity['recorded_at']:%d/%m/%Y %H:%M:%S}",
        f"Code Services Publics + : [bold]{_escape(identity['code'])}[/bold] — campagne {identity['campaign']}",
    ]
    return Panel(
        "\n".join(line for line in lines if line),
        title="Résultats de l'auto-diagnostic — vision par structure",
    )


def _overview(scores: pd.DataFrame) -> Group:
    overall = scores[scores["level"] == "global"].iloc[0]
    table = Table(title="Vision par engagement", show_lines=False)
    table.add_column("Engagement")
    table.add_column("Taux d'atteinte à la cible", justify="right", no_wrap=True)
    for _, row in scores[scores["level"] == "engagement"].iterrows():
        table.add_row(f"{row['engagement']}. {row['title']}", fmt.rate(row["rate"]))
    count = int((scores["level"] == "engagement").sum())  # 8 in 2024, 9 in the first questionnaire
    headline = Text.assemble(
        f"Votre taux d'atteinte au regard des {count} engagements du programme Services Publics + : ",
        (fmt.rate(overall["rate"]), "bold"),
    )
    return Group(Text(""), headline, table)


def _engagement(engagement: pd.Series, themes: pd.DataFrame, texts: pd.DataFrame) -> Group:
    number = int(engagement["engagement"])
    table = Table(
        title=f"Engagement {number} : {engagement['heading']}",
        caption=f"Taux d'atteinte de l'engagement {number} : {fmt.rate(engagement['rate'])}",
    )
    table.add_column("Thème")
    table.add_column("Taux d'atteinte à la cible", justify="right", no_wrap=True)
    table.add_column("Points validés", justify="right", no_wrap=True)
    table.add_column(
        f"Questions applicables (sur {engagement['n_questions']} questions incluses au questionnaire)",
        justify="right",
    )
    for _, theme in themes.iterrows():
        table.add_row(
            theme["title"],
            fmt.theme_rate(theme["rate"]),
            fmt.points(theme["points"], theme["applicable"]),
            str(theme["applicable"]),
        )
    table.add_row("Total", "-", fmt.points(engagement["points"]), str(engagement["applicable"]), style="bold")
    blocks = [Text(""), table]
    for field in TEXT_FIELDS:
        chosen = texts[(texts["engagement"] == number) & (texts["field"] == field)]["text"].tolist()
        body = "\n".join(f"“ {t} ”" for t in chosen) if chosen else NO_DATA
        # The heading inside the panel (a panel title would be cut in a narrow terminal).
        blocks.append(Panel(Group(Text(text_field_heading(number, field), style="bold"), Text(body))))
    return Group(*blocks)


def _escape(value: object) -> str:
    from rich.markup import escape

    return escape(str(value))


def print_structure(console: Console, db: Autodiag, code: str, campaign: int) -> bool:
    rendered = render_structure(db, code, campaign)
    if rendered is None:
        return False
    console.print(rendered)
    return True
