"""``autodiag ingest-opendata``: the programme's open data (structures, indicator results,
indicators, user experiences) beside the self-diagnostics; and what it matched, also shown by
``autodiag check`` (messages in French)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from autodiag import formatting as fmt
from autodiag.cli import data_commands
from autodiag.cli.common import DbOption, NetworkOption, console, err, fail
from autodiag.cli.opendata_matching import matching_rows, print_rows
from autodiag.paths import DEFAULT_DB
from autodiag.scoring.store import StoreError


def ingest_opendata(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Fichiers CSV ou JSON du portail de données ouvertes, ou dossiers.",
            exists=True,
            metavar="fichiers",
        ),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Charger les données ouvertes du programme (structures, résultats d'indicateurs, indicateurs, expériences
    d'usagers) : le type de chaque fichier est reconnu à ses colonnes ; chaque fichier en entier ou pas du tout."""
    from autodiag.ingest.opendata import KIND_NAMES, expand
    from autodiag.ingest.opendata import ingest_opendata as run

    if not expand(paths):
        fail("aucun fichier CSV ou JSON trouvé.")
    try:
        outcomes = run(db, paths)
    except StoreError as error:
        fail(str(error))
    for o in outcomes:
        if o.status == "rejected":
            err.print(
                f"[bold red]✗ {escape(str(o.path))}[/bold red] : fichier refusé, base inchangée",
                highlight=False,
            )
            for problem in o.problems:
                err.print(f"  - {escape(str(problem))}", highlight=False, soft_wrap=True)
        elif o.status == "skipped":
            console.print(
                f"[dim]= {escape(str(o.path))} : déjà chargé (même contenu, {KIND_NAMES[o.kind]}), "
                "ignoré[/dim]",
                highlight=False,
            )
        else:
            console.print(
                f"[green]✓ {escape(str(o.path))}[/green] : {KIND_NAMES[o.kind]}, {fmt.number(o.rows)} ligne(s)"
                + (
                    f", dont {fmt.number(o.replaced)} remplaçant un chargement antérieur"
                    if o.replaced
                    else ""
                )
                + f" ; SHA-256 {o.sha256[:12]}…",
                highlight=False,
            )
        if o.unknown:
            err.print(
                f"  [yellow]avertissement[/yellow] : colonne(s) non reconnue(s), ignorée(s) : "
                f"{escape(', '.join(f'« {c} »' for c in o.unknown))} (data/opendata/colonnes.csv)",
                highlight=False,
                soft_wrap=True,
            )
    counts = {s: sum(o.status == s for o in outcomes) for s in ("loaded", "skipped", "rejected")}
    console.print(
        f"[bold]Bilan[/bold] : {fmt.number(len(outcomes))} fichier(s) — {fmt.number(counts['loaded'])} "
        f"chargé(s), {fmt.number(counts['skipped'])} déjà chargé(s), {fmt.number(counts['rejected'])} refusé(s)",
        highlight=False,
    )
    if counts["loaded"]:
        try:
            _print_matching(db)
        except StoreError as error:
            fail(str(error))
    if counts["rejected"]:
        raise typer.Exit(1)


def _print_matching(db: Path) -> None:
    from autodiag.api import Autodiag

    with Autodiag(db) as reader:
        print_rows(matching_rows(reader.con))


@data_commands.export_app.command("structures")
def export_structures(
    out: data_commands.OutFileOption,
    db: DbOption = DEFAULT_DB,
    network: NetworkOption = None,
    fmt_name: data_commands.FormatOption = None,
) -> None:
    """Exporter les structures connues (données ouvertes et exports de réponses) avec leur structure parente (code_parent, nom_parent), leur code postal et leur département."""
    data_commands.export_rows("structures", out, db, None, network, fmt_name)


def register(app: typer.Typer) -> None:
    app.command("ingest-opendata")(ingest_opendata)
