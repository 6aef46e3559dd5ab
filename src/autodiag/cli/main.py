"""The ``autodiag`` command: its commands, registered from their modules (messages in French)."""

from __future__ import annotations

import typer

from autodiag.cli import data_commands, french, opendata_commands, referentiel_commands, report_commands
from autodiag.cli.os_errors import guard_commands

french.install()

app = typer.Typer(
    help="autodiag : analyse des auto-diagnostics Services Publics + (chargement, calcul des taux, rapports).",
    no_args_is_help=True,
    rich_markup_mode="rich",
    add_completion=False,
)
data_commands.register(app)
report_commands.register(app)
referentiel_commands.register(app)
opendata_commands.register(app)
guard_commands(app)


def main() -> None:  # pragma: no cover - console script entry
    app(prog_name="autodiag")
