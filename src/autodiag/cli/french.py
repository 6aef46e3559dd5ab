"""Typer and Click, in French: help panels, the usage line, types and ranges in --help, and the
usual command-line errors.

Option names need nothing here: each command declares its French name first and the old English
one as an alias. Typer 0.29 vendors Click (``typer._click``) with its texts as literals, without
gettext, so there is no catalogue to give it: ``install()`` sets Typer's help texts and wraps the
few functions that print Click's English, once, when the command line is built."""

from __future__ import annotations

import re

import typer.core
import typer.rich_utils
from typer._click.core import Command as ClickCommand
from typer._click.formatting import HelpFormatter

from autodiag.matching import quoted


def _french_help_option(self, ctx):
    option = _help_option(self, ctx)
    if option is not None:
        option.help = "Afficher cette aide et quitter."
    return option


def _french_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
    _write_usage(self, prog, args, "Utilisation : " if prefix is None else prefix)


# Click's messages for a mistyped command line, and their French.
def _near(words: str | None, label: str) -> str:
    return f" ({label} : {words})" if words else ""


def _did_you_mean(suggestions: str | None) -> str:
    """Typer's « 'export', 'report' » as « (vouliez-vous dire « export » ou « report » ?) »."""
    names = re.findall(r"'([^']+)'", suggestions or "")
    return f" (vouliez-vous dire {quoted(names)} ?)" if names else ""


def _first_name(names: str) -> str:
    """« --campagne » of Click's « '--campagne' / '--campaign' » (an option and its alias)."""
    return (re.findall(r"'([^']+)'", names) or [names])[0]


ERRORS = [
    (r"Missing argument '(.+)'\.", lambda m: f"argument obligatoire absent : « {m[1]} »."),
    (r"Missing option (.+)\.", lambda m: f"option obligatoire absente : « {_first_name(m[1])} »."),
    (
        r"No such option: (\S+)(?: \(Possible options: (.+)\))?(?: Did you mean (\S+)\?)?",
        lambda m: f"option inconnue : {m[1]}" + _near(m[2] or m[3], "options proches"),
    ),
    (
        r"No such command '(.+?)'\.(?: Did you mean (.+)\?)?",
        lambda m: f"commande inconnue : « {m[1]} »" + _did_you_mean(m[2]),
    ),
    (r"Got unexpected extra argument(?:s|\(s\))? \((.+)\)", lambda m: f"argument(s) en trop : {m[1]}"),
    (r"Option '(.+)' requires an argument\.", lambda m: f"l'option « {m[1]} » attend une valeur."),
    (
        r"Invalid value for ('[^:]+'): (.*)",
        lambda m: f"valeur refusée pour « {_first_name(m[1])} » : {_value_reason(m[2])}",
    ),
]
REASONS = [
    (r"Input should be a valid integer.*", lambda m: "nombre entier attendu"),
    (r"Input should be greater than or equal to (\S+)", lambda m: f"nombre au moins égal à {m[1]} attendu"),
    (r"Input should be less than or equal to (\S+)", lambda m: f"nombre au plus égal à {m[1]} attendu"),
    (
        r"(?:Path|File|Directory|path|file|directory) '(.+)' does not exist\.?",
        lambda m: f"« {m[1]} » n'existe pas",
    ),
    (
        r"(?:Path|File|Directory|path|file|directory) '(.+)' is a file\.?",
        lambda m: f"« {m[1]} » est un fichier, pas un dossier",
    ),
    (
        r"(?:Path|File|Directory|path|file|directory) '(.+)' is a directory\.?",
        lambda m: f"« {m[1]} » est un dossier, pas un fichier",
    ),
    (
        r"(?:Path|File|Directory|path|file|directory) '(.+)' is not readable\.?",
        lambda m: f"« {m[1]} » n'est pas lisible",
    ),
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


def _french_error(error) -> None:
    english = error.format_message
    error.format_message = lambda: translate(english())
    _format_error(error)


# --- types and ranges in --help: <entier>, <chemin>, [≥ 1]; nothing for a flag --------------
TYPE_NAMES = {
    "int": "entier",
    "float": "nombre",
    "str": "texte",
    "text": "texte",
    "path": "chemin",
    "file": "fichier",
    "directory": "dossier",
    "Path": "chemin",
    "datetime": "date",
}


def _french_type(label: str) -> str:
    inner = label.removeprefix("<").removesuffix(">")
    many = re.fullmatch(r"list\[(\w+)\]", inner)
    if many:
        return f"<{TYPE_NAMES.get(many[1], many[1])}>…"
    if inner.endswith(" range"):
        inner = inner.removesuffix(" range")
    return f"<{TYPE_NAMES.get(inner, inner)}>"


def _french_display_type(self, ctx):
    label = _display_type(self, ctx)
    if label == "<bool>":
        return None  # a flag takes no value: no type to show
    return _french_type(label)


def _french_option_display_type_rich(self, ctx):
    shown = _option_display_type_rich(self, ctx)
    return None if shown in (None, "None", "None...") else shown


def _french_range(min, max) -> str | None:
    if min is None and max is None:
        return None
    if min is None:
        return f"≤ {max}"
    if max is None:
        return f"≥ {min}"
    return f"{min} à {max}"


# --- the usage line: « [OPTIONS] COMMANDE [ARGUMENTS]... » ---------------------------------


def _french_group_usage(self, ctx) -> list[str]:
    return [
        "COMMANDE [ARGUMENTS]..." if piece == "COMMAND [ARGS]..." else piece
        for piece in _group_usage(self, ctx)
    ]


def install() -> None:
    """Put the French texts in place (idempotent)."""
    global _help_option, _write_usage, _format_error, _display_type, _option_display_type_rich, _group_usage
    if getattr(typer.core, "_autodiag_french", False):
        return
    typer.core._autodiag_french = True
    _help_option = ClickCommand.get_help_option
    _write_usage = HelpFormatter.write_usage
    _format_error = typer.rich_utils.rich_format_error
    _display_type = typer.core._TyperParameter.display_type
    _option_display_type_rich = typer.core.TyperOption.display_type_rich
    _group_usage = typer.core.TyperGroup.collect_usage_pieces
    typer.rich_utils.OPTIONS_PANEL_TITLE = "Options"
    typer.rich_utils.ARGUMENTS_PANEL_TITLE = "Arguments"
    typer.rich_utils.COMMANDS_PANEL_TITLE = "Commandes"
    typer.rich_utils.ERRORS_PANEL_TITLE = "Erreur"
    typer.rich_utils.ABORTED_TEXT = "Interrompu."
    typer.rich_utils.DEFAULT_STRING = "[défaut : {}]"
    typer.rich_utils.REQUIRED_LONG_STRING = "[obligatoire]"
    typer.rich_utils.RICH_HELP = "Aide : [blue]{command_path} {help_option}[/]"
    ClickCommand.get_help_option = _french_help_option
    HelpFormatter.write_usage = _french_usage
    typer.rich_utils.rich_format_error = _french_error
    typer.core._TyperParameter.display_type = _french_display_type
    typer.core.TyperOption.display_type_rich = _french_option_display_type_rich
    typer.core.describe_number_range = _french_range
    typer.core.TyperGroup.collect_usage_pieces = _french_group_usage
