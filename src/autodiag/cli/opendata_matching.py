"""What the programme's open data matched, as ``ingest-opendata`` and ``check`` print it."""

from __future__ import annotations

from rich.markup import escape

from autodiag import formatting as fmt
from autodiag.cli.common import console
from autodiag.paths import sql_text

KIND_TITLES = {
    "structures": "Structures",
    "resultats": "Résultats d'indicateurs",
    "indicateurs": "Indicateurs",
    "experiences": "Expériences d'usagers",
}
# Outcomes that deserve a look: their examples are printed.
TO_CHECK = {
    "parent absent du fichier des structures",
    "code de structure inconnu",
    "aucune structure de ce nom dans ce réseau",
    "plusieurs structures de ce nom dans ce réseau",
}


def matching_rows(con) -> list[tuple]:
    return con.execute(sql_text("marts/opendata_matching")).fetchall()


def print_rows(rows: list[tuple]) -> None:
    """What the open data matched (structures by code, experiences by exact name and network)."""
    if not rows:
        return
    console.print(
        "\n[bold]Données ouvertes : correspondances[/bold] (par code ; les expériences par nom exact et "
        "réseau, casse, accents et espaces ignorés, jamais par ressemblance)",
        highlight=False,
        soft_wrap=True,
    )
    kind = None
    for row_kind, outcome, n, examples in rows:
        if row_kind != kind:
            kind = row_kind
            console.print(f"  {KIND_TITLES[kind]}", highlight=False)
        mark = "[yellow]![/yellow]" if outcome in TO_CHECK else "[green]✓[/green]"
        console.print(f"    {mark} {escape(outcome)} : {fmt.number(n)}", highlight=False)
        if outcome in TO_CHECK:
            shown = " ; ".join(examples) + (" ; …" if n > len(examples) else "")
            console.print(f"      par exemple : {escape(shown)}", highlight=False, soft_wrap=True)
