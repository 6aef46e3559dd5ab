"""What every command shares: the consoles, the error line, the progress bar, the usual options."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

console = Console()
err = Console(stderr=True)

DbOption = Annotated[Path, typer.Option("--base", "--db", help="Base DuckDB.", show_default=True)]
CampaignOption = Annotated[int | None, typer.Option("--campagne", "--campaign", help="Campagne (année).")]
NetworkOption = Annotated[str | None, typer.Option("--reseau", "--network", help="Réseau.")]


def fail(message: str, code: int = 1) -> None:
    err.print(f"[bold red]Erreur :[/bold red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def progress_bar(transient: bool = True, on: Console | None = None) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=on or err,
        transient=transient,
    )


# A run of more files than this names only the refused ones and those with warnings, at most
# this many in detail: the summary stays the same size whatever the number of files.
FILES_NAMED = 20
