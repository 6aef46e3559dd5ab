"""``autodiag ingest-opendata``: the programme's open data (structures, indicator results,
indicators, user experiences) beside the self-diagnostics; and what it matched, also shown by
``autodiag check`` (messages in French)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from autodiag import formatting as fmt
from autodiag.cli.common import DbOption, console, err, fail
from autodiag.paths import DEFAULT_DB, sql_text
from autodiag.scoring.store import StoreError

KIND_TITLES = {"structures": "Structures", "resultats": "Résultats d'indicateurs", "indicateurs": "Indicateurs",
               "experiences": "Expériences d'usagers"}
# Outcomes that deserve a look: their examples are printed.
TO_CHECK = {"parent absent du fichier des structures", "code de structure inconnu",
            "aucune structure de ce nom dans ce réseau", "plusieurs structures de ce nom dans ce réseau"}


def ingest_opendata(
    paths: Annotated[list[Path], typer.Argument(help="Fichiers CSV ou JSON du portail de données ouvertes, ou dossiers.",
                                                exists=True, metavar="fichiers")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Charger les données ouvertes du programme (structures, résultats d'indicateurs, indicateurs, expériences
    d'usagers) : le type de chaque fichier est reconnu à ses colonnes ; chaque fichier en entier ou pas du tout."""
    from autodiag.ingest.opendata import KIND_NAMES, expand, ingest_opendata as run

    if not expand(paths):
        fail("aucun fichier CSV ou JSON trouvé.")
    try:
        outcomes = run(db, paths)
    except StoreError as error:
        fail(str(error))
    for o in outcomes:
        if o.status == "rejected":
            err.print(f"[bold red]✗ {escape(str(o.path))}[/bold red] : fichier refusé, base inchangée", highlight=False)
            for problem in o.problems:
                err.print(f"  - {escape(str(problem))}", highlight=False, soft_wrap=True)
        elif o.status == "skipped":
            console.print(f"[dim]= {escape(str(o.path))} : déjà chargé (même contenu, {KIND_NAMES[o.kind]}), "
                          "ignoré[/dim]", highlight=False)
        else:
            console.print(f"[green]✓ {escape(str(o.path))}[/green] : {KIND_NAMES[o.kind]}, {fmt.number(o.rows)} ligne(s)"
                          + (f", dont {fmt.number(o.replaced)} remplaçant un chargement antérieur" if o.replaced else "")
                          + f" ; SHA-256 {o.sha256[:12]}…", highlight=False)
        if o.unknown:
            err.print(f"  [yellow]avertissement[/yellow] : colonne(s) non reconnue(s), ignorée(s) : "
                      f"{escape(', '.join(f'« {c} »' for c in o.unknown))} (data/opendata/colonnes.csv)",
                      highlight=False, soft_wrap=True)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("loaded", "skipped", "rejected")}
    console.print(f"[bold]Bilan[/bold] : {fmt.number(len(outcomes))} fichier(s) — {fmt.number(counts['loaded'])} "
                  f"chargé(s), {fmt.number(counts['skipped'])} déjà chargé(s), {fmt.number(counts['rejected'])} refusé(s)",
                  highlight=False)
    if counts["loaded"]:
        try:
            print_matching(db)
        except StoreError as error:
            fail(str(error))
    if counts["rejected"]:
        raise typer.Exit(1)


def matching_rows(con) -> list[tuple]:
    return con.execute(sql_text("marts/opendata_matching")).fetchall()


def print_matching(db: Path) -> None:
    from autodiag.api import Autodiag

    with Autodiag(db) as reader:
        print_rows(matching_rows(reader.con))


def print_rows(rows: list[tuple]) -> None:
    """What the open data matched (structures by code, experiences by exact name and network)."""
    if not rows:
        return
    console.print("\n[bold]Données ouvertes : correspondances[/bold] (par code ; les expériences par nom exact et "
                  "réseau, casse, accents et espaces ignorés, jamais par ressemblance)", highlight=False, soft_wrap=True)
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


def register(app: typer.Typer) -> None:
    app.command("ingest-opendata")(ingest_opendata)
