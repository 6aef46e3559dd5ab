"""An error of the system on reading or writing (a full disk, a folder without permission)
reaching a command: one French line naming the file and the cause, exit code 1, never a
traceback. The writers leave nothing partial behind (safe_files removes their temporaries as
the error goes through), so the next run starts clean."""

from __future__ import annotations

import errno
import functools
import re

import duckdb
import typer

from autodiag.cli.common import fail

CAUSES = {
    errno.ENOSPC: "plus de place sur le disque",
    errno.EDQUOT: "quota disque dépassé",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EIO: "erreur d'entrée-sortie du disque",
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EISDIR: "c'est un dossier",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EMFILE: "trop de fichiers ouverts",
}
# DuckDB's own words for the same causes (its IOException carries no errno).
DUCKDB_CAUSES = {
    "No space left on device": CAUSES[errno.ENOSPC],
    "Disk quota exceeded": CAUSES[errno.EDQUOT],
    "Permission denied": CAUSES[errno.EACCES],
    "Read-only file system": CAUSES[errno.EROFS],
}
# The file DuckDB names: « file "x" » or, inside its JSON detail, « file \\"x\\" ».
_TEMPORARY = re.compile(r"(^|/)\.([^/]+)\.[0-9]+\.tmp(?=/|$)")
_NAMED = re.compile(r'file \\?"(.+?)\\?"')


def os_error_line(error: BaseException) -> str:
    """The French line for an OSError or a DuckDB I/O error."""
    if isinstance(error, OSError):
        cause = CAUSES.get(error.errno, error.strerror or type(error).__name__)
        name = error.filename or ""
    else:
        text = str(error)
        cause = next(
            (french for said, french in DUCKDB_CAUSES.items() if said in text), text.splitlines()[0][:200]
        )
        found = _NAMED.search(text)
        name = found.group(1) if found else ""
    name = _TEMPORARY.sub(r"\1\2", str(name))  # the file being written, not its temporary
    return f"écriture ou lecture impossible{f' : {name}' if name else ''} : {cause}"


def guard(callback):
    @functools.wraps(callback)
    def guarded(*args, **kwargs):
        try:
            return callback(*args, **kwargs)
        except (OSError, duckdb.IOException) as error:
            fail(os_error_line(error))

    return guarded


def guard_commands(app: typer.Typer) -> None:
    """Every command of ``app`` and of its groups, guarded."""
    for command in app.registered_commands:
        command.callback = guard(command.callback)
    for group in app.registered_groups:
        guard_commands(group.typer_instance)
