"""Typer and Click, in French: help panels, the usage line and the usual command-line errors.

Typer 0.29 vendors Click (typer._click), whose texts are literals; they are set or translated
here, once, when the CLI is imported."""

from __future__ import annotations

import re

import typer.core
import typer.rich_utils
from typer._click.core import Command as ClickCommand
from typer._click.formatting import HelpFormatter

typer.rich_utils.OPTIONS_PANEL_TITLE = "Options"
typer.rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
typer.rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
typer.rich_utils.ERRORS_PANEL_TITLE = "Erreur"
typer.rich_utils.ABORTED_TEXT = "Interrompu."
typer.rich_utils.DEFAULT_STRING = "[défaut : {}]"
typer.rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
typer.rich_utils.RICH_HELP = "Aide : [blue]{command_path} {help_option}[/]"

_help_option = ClickCommand.get_help_option


def _french_help_option(self, ctx):
    option = _help_option(self, ctx)
    if option is not None:
        option.help = "Afficher cette aide et quitter."
    return option


ClickCommand.get_help_option = _french_help_option

_write_usage = HelpFormatter.write_usage


def _french_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)


HelpFormatter.write_usage = _french_usage

# Click's messages for a mistyped command line, and their French.
def _near(words: str | None, label: str) -> str:
    return f" ({label} : {words})" if words else ""


ERRORS = [
    (r"Missing argument '(.+)'\.", lambda m: f"argument obligatoire absent : « {m[1]} »."),
    (r"Missing option '(.+)'\.", lambda m: f"option obligatoire absente : « {m[1]} »."),
    (r"No such option: (\S+)(?: \(Possible options: (.+)\))?(?: Did you mean (\S+)\?)?",
     lambda m: f"option inconnue : {m[1]}" + _near(m[2] or m[3], "options proches")),
    (r"No such command '(.+)'\.(?: Did you mean '(.+)'\?)?",
     lambda m: f"commande inconnue : « {m[1]} »" + (f" (vouliez-vous dire « {m[2]} » ?)" if m[2] else "")),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", lambda m: f"argument(s) en trop : {m[1]}"),
    (r"Option '(.+)' requires an argument\.", lambda m: f"l'option « {m[1]} » attend une valeur."),
    (r"Invalid value for (.+?): (.*)", lambda m: f"valeur refusée pour {m[1]} : {_value_reason(m[2])}"),
]
REASONS = [
    (r"Input should be a valid integer.*", lambda m: "nombre entier attendu"),
    (r"Input should be greater than or equal to (\S+)", lambda m: f"nombre au moins égal à {m[1]} attendu"),
    (r"Input should be less than or equal to (\S+)", lambda m: f"nombre au plus égal à {m[1]} attendu"),
    (r"(?:Path|File|Directory|path|file|directory) '(.+)' does not exist\.?", lambda m: f"« {m[1]} » n'existe pas"),
    (r"(?:Path|File|Directory|path|file|directory) '(.+)' is a file\.?", lambda m: f"« {m[1]} » est un fichier, pas un dossier"),
    (r"(?:Path|File|Directory|path|file|directory) '(.+)' is a directory\.?", lambda m: f"« {m[1]} » est un dossier, pas un fichier"),
    (r"(?:Path|File|Directory|path|file|directory) '(.+)' is not readable\.?", lambda m: f"« {m[1]} » n'est pas lisible"),
    (r"'(.+)' is not one of (.+?)\.?", lambda m: f"« {m[1]} » n'est pas l'un des choix : {m[2]}"),
]


def _rewrite(text: str, rules: list) -> str:
    """``text`` rewritten by the first rule whose pattern matches it whole (unchanged if none)."""
    for pattern, french in rules:
        match = re.fullmatch(pattern, text.strip(), re.S)
        if match:
            return french(match)
    return text


def _value_reason(reason: str) -> str:
    return _rewrite(reason, REASONS)


def translate(message: str) -> str:
    """Click's English error message in French (unchanged when it is not a known one)."""
    return _rewrite(message, ERRORS)


_format_error = typer.rich_utils.rich_format_error


def _french_error(error) -> None:
    english = error.format_message
    error.format_message = lambda: translate(english())
    _format_error(error)


typer.rich_utils.rich_format_error = _french_error
