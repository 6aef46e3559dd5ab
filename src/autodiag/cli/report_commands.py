"""Report commands of the ``autodiag`` CLI: ``report network|structure|trends``, ``build``,
``demo-data`` and ``demo`` (messages in French). Registered by ``register(app)`` (cli/main.py)."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.markup import escape

from autodiag import formatting as fmt
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE
from autodiag.cli.common import console, err, fail, progress_bar
from autodiag.cli.os_errors import os_error_line
from autodiag.paths import DEFAULT_DB, DEMO_DIR, DEMO_OPENDATA_DIR, DEMO_PLANS_DIR, OUTPUTS_DIR, ROOT

report_app = typer.Typer(
    help="Produire un rapport HTML (carnet exécuté avec Papermill, code masqué), et en option un PDF.",
    no_args_is_help=True,
)

DbOption = Annotated[
    Path, typer.Option("--base", "--db", help="Base DuckDB (ouverte en lecture seule).", show_default=True)
]
BuildDbOption = Annotated[
    Path,
    typer.Option(
        "--base",
        "--db",
        help="Base DuckDB : les exports y sont chargés, puis les rapports la lisent.",
        show_default=True,
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--sortie",
        "--out",
        help="Fichier HTML à écrire (par défaut sous outputs/rapports/ ; jamais une page du site).",
    ),
]
PdfOption = Annotated[
    bool, typer.Option("--pdf", help="Imprimer aussi un PDF (Chromium sans interface) à côté du HTML.")
]
MinGroupOption = Annotated[
    int,
    typer.Option(
        "--effectif-minimum",
        "--min-group-size",
        min=1,
        help="Seuil de confidentialité : agrégats masqués sous ce nombre de structures.",
    ),
]


# Our own errors carry a French message: their Python name is left out. Any other is unexpected.
OWN_ERRORS = {"LookupError", "ValueError", "ReportError", "StoreError", "OutputError", "BuildError"}
PYTHON_ERROR = re.compile(r"\b([A-Z]\w*(?:Error|Exception|Interrupt)): ")


OS_ERROR = re.compile(r"\[Errno (\d+)\] ([^:]+?)(?:: '(.+)')?$")


def french_failure(message: str) -> str:
    """« le notebook … a échoué : LookupError: aucune soumission … » without « LookupError: »;
    « KeyError: 'x' » becomes « erreur inattendue (KeyError) : 'x' »; an error of the system
    (« [Errno 28] No space left on device: 'x' ») is said as the commands say it."""
    found = OS_ERROR.search(message)
    if found:
        error = OSError(int(found[1]), found[2], found[3])
        before = re.sub(r"\b[A-Z]\w*(?:Error|Exception): $", "", message[: found.start()])
        return before + os_error_line(error)
    return PYTHON_ERROR.sub(lambda m: "" if m[1] in OWN_ERRORS else f"erreur inattendue ({m[1]}) : ", message)


@contextmanager
def kernel_logs_hidden() -> Iterator[Console]:
    """While notebooks run, their kernels' own log lines (« [IPKernelApp] ERROR | KeyboardInterrupt
    caught in kernel. ») are kept off the terminal: the kernels inherit file descriptor 2, which
    points to a temporary file meanwhile; every other line is written out afterwards. Yields the
    console the progress bar draws on (the real terminal)."""
    try:
        fd = sys.__stderr__.fileno()
    except (AttributeError, OSError, ValueError):  # no real stderr (embedded): nothing to hide
        yield err
        return
    sys.__stderr__.flush()
    saved = os.dup(fd)
    terminal = os.fdopen(os.dup(saved), "w", encoding="utf-8", errors="replace")
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), fd)
        try:
            yield Console(file=terminal, stderr=True) if sys.stderr is sys.__stderr__ else err
        finally:
            sys.__stderr__.flush()
            os.dup2(saved, fd)
            os.close(saved)
            terminal.close()
            capture.seek(0)
            lines = capture.read().decode("utf-8", errors="replace").splitlines(keepends=True)
            sys.__stderr__.write("".join(line for line in lines if not line.startswith("[IPKernelApp]")))
            sys.__stderr__.flush()


def _check_parameters(kind: str, parameters: dict) -> dict:
    """The report's campaign, network and code checked before a kernel starts (a French message
    naming the close matches); the code and network as the database spells them (str-24 is
    STR-24, « Grandes ecoles » is « Grandes écoles »)."""
    from autodiag.api import Autodiag

    with Autodiag(parameters["db_path"]) as db:
        _, network, code = db.resolve(
            parameters.get("campaign"), parameters.get("network"), parameters.get("code")
        )
    return {
        **parameters,
        **({"code": code} if kind == "structure" else {}),
        **({"network": network} if network is not None else {}),
    }


def _run(kind: str, parameters: dict, out: Path | None, pdf: bool) -> None:
    from autodiag.reports.layout import STANDALONE, is_site_page
    from autodiag.reports.run import ReportError, default_output, execute_notebook
    from autodiag.scoring.store import StoreError

    try:
        parameters = _check_parameters(kind, parameters)  # a clear message before starting a kernel
        out = out or default_output(kind, parameters, OUTPUTS_DIR)
    except (StoreError, LookupError) as error:
        fail(str(error))
    pdf_path = out.with_suffix(".pdf") if pdf else None
    # A standalone file (no link to the site) never replaces a page of the site, nor its PDF.
    for path in [out] + ([pdf_path] if pdf_path else []):
        if is_site_page(path.with_suffix(".html"), OUTPUTS_DIR):
            fail(
                f"{path} est une page du site produite par « autodiag build » : choisissez un "
                f"autre fichier avec --sortie (par défaut : {OUTPUTS_DIR / STANDALONE}/)."
            )
    try:
        with kernel_logs_hidden() as terminal, progress_bar(on=terminal) as progress:
            progress.add_task("Exécution du carnet et conversion en HTML", total=None)
            size = execute_notebook(kind, parameters, out, pdf=pdf_path, footer=_footer(kind, parameters))
    except ReportError as error:
        fail(french_failure(str(error)))
    console.print(f"Rapport écrit : {escape(str(out))} ({_mb(size)})", highlight=False)
    if pdf_path:
        console.print(f"PDF écrit : {escape(str(pdf_path))}", highlight=False)


def _footer(kind: str, parameters: dict) -> str | None:
    """The report's provenance footer (None when the report names nothing in the base: the
    notebook then says what is missing)."""
    from autodiag.api import Autodiag
    from autodiag.reports import provenance

    with Autodiag(parameters["db_path"]) as db:
        inputs = provenance.Inputs.load(db)
    try:
        if kind == "structure":
            page = provenance.structure_page(inputs, parameters["campaign"], parameters["code"])
        elif kind == "network":
            page = provenance.network_page(inputs, parameters["campaign"], parameters["network"])
        else:
            page = provenance.trends_page(inputs, parameters.get("network"))
    except StopIteration:
        return None
    return provenance.footer(page, in_site=False)


def _mb(size: int) -> str:
    """A size in French: « 28 ko », « 4,8 Mo »."""
    return f"{fmt.number(size / 1e6, 1)} Mo" if size >= 1e6 else f"{fmt.number(size / 1e3)} ko"


@report_app.command("network")
def report_network(
    campaign: Annotated[int, typer.Option("--campagne", "--campaign", help="Campagne (année).")],
    network: Annotated[str, typer.Option("--reseau", "--network", help="Réseau (nom exact).")],
    db: DbOption = DEFAULT_DB,
    out: OutOption = None,
    pdf: PdfOption = False,
    min_group_size: MinGroupOption = DEFAULT_MIN_GROUP_SIZE,
) -> None:
    """Rapport d'un réseau pour une campagne (ses structures seulement, face au niveau national)."""
    _run(
        "network",
        {
            "db_path": str(db.resolve()),
            "campaign": campaign,
            "network": network,
            "min_group_size": min_group_size,
        },
        out,
        pdf,
    )


@report_app.command("structure")
def report_structure(
    campaign: Annotated[int, typer.Option("--campagne", "--campaign", help="Campagne (année).")],
    code: Annotated[
        str,
        typer.Option(
            "--code", help="Code Services Publics + de la structure (ex. STR-24, majuscules ou minuscules)."
        ),
    ],
    db: DbOption = DEFAULT_DB,
    out: OutOption = None,
    pdf: PdfOption = False,
    min_group_size: MinGroupOption = DEFAULT_MIN_GROUP_SIZE,
) -> None:
    """Rapport « Vision par structure » d'une structure pour une campagne."""
    _run(
        "structure",
        {"db_path": str(db.resolve()), "campaign": campaign, "code": code, "min_group_size": min_group_size},
        out,
        pdf,
    )


@report_app.command("trends")
def report_trends(
    network: Annotated[
        str | None, typer.Option("--reseau", "--network", help="Réseau ; niveau national sans cette option.")
    ] = None,
    db: DbOption = DEFAULT_DB,
    out: OutOption = None,
    pdf: PdfOption = False,
    min_group_size: MinGroupOption = DEFAULT_MIN_GROUP_SIZE,
) -> None:
    """Évolution des taux par engagement et par thème, campagne après campagne."""
    _run(
        "trends",
        {"db_path": str(db.resolve()), "network": network, "min_group_size": min_group_size},
        out,
        pdf,
    )


PAGE_KINDS = {
    "structure": "rapport(s) de structure",
    "network": "rapport(s) réseau",
    "trends": "page(s) d'évolution",
    "index": "tableau de bord",
}


def _plan_line(planned: dict, estimate: int) -> str:
    """« Site : 28 478 pages (…), environ 1 425 Mo », stated before rendering."""
    parts = ", ".join(f"{fmt.number(n)} {PAGE_KINDS[kind]}" for kind, n in planned.items() if n)
    return f"Site : {fmt.number(sum(planned.values()))} pages ({parts}), environ {_mb(estimate)}"


def _build(
    db: Path,
    out: Path,
    raw: Path | None,
    campaign: int | None,
    min_group_size: int,
    notebooks: bool,
    workers: int,
    force: bool = False,
    plans: Path | None = None,
    limits=None,
) -> None:
    from autodiag.referentiel.questionnaires import ReferentielError
    from autodiag.reports.build import BuildError, BuildResult, Limits, build_all
    from autodiag.scoring.store import StoreError

    result = BuildResult(index=Path(out) / "index.html")

    with kernel_logs_hidden() as terminal, progress_bar(transient=False, on=terminal) as progress:
        tasks: dict[str, int] = {}

        def on_progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(step, total=total)
            progress.update(tasks[step], completed=done, total=total)

        try:
            result = build_all(
                db,
                out,
                raw=raw,
                campaign=campaign,
                min_group_size=min_group_size,
                notebooks=notebooks,
                workers=workers,
                on_progress=on_progress,
                force=force,
                plans=plans,
                limits=limits or Limits(),
                on_plan=lambda planned, size: terminal.print(_plan_line(planned, size), highlight=False),
                result=result,
            )
        except (StoreError, BuildError, ReferentielError) as error:
            fail(str(error))
        except (OSError, duckdb.IOException) as error:  # a full disk: the pages whole, the next build resumes
            _print_failures(result.failures)
            fail(
                os_error_line(error)
                + " ; une fois la place libérée, « autodiag build » reprend où il s'est arrêté"
            )
    source = result.source if result.source is not None else f"la base {db} (aucun dossier d'exports)"
    console.print(f"Source : {escape(str(source))}", highlight=False)
    names = {
        "network": "rapports réseaux",
        "structure": "rapports structures",
        "trends": "rapports d'évolution",
        "index": "tableau de bord",
        "data": "fichiers de données du tableau de bord",
        "reference": "fichiers de repères partagés",
    }
    # Short lines: at 80 columns no phrase is cut in two. Counts in French: « 5 004 ».
    for kind, (count, total, largest) in result.sizes.items():
        console.print(
            f"  {fmt.number(count)} {escape(names.get(kind, kind))} "
            f"({fmt.number(result.rendered.get(kind, 0))} produit(s), "
            f"{fmt.number(result.skipped.get(kind, 0))} déjà à jour)",
            highlight=False,
        )
        console.print(f"    taille : {_mb(total)} au total, {_mb(largest)} au plus", highlight=False)
    if result.manifest is not None:
        console.print(f"Provenance de chaque page : {escape(str(result.manifest))}", highlight=False)
    console.print(f"Durée : {fmt.number(result.timings['total'], 1)} s", highlight=False)
    steps = (
        ("ingest", "chargement"),
        ("networks", "réseaux et tendances"),
        ("references", "repères partagés"),
        ("structures", "structures"),
        ("waiting", "attente des rapports réseaux et tendances"),
    )
    for key, name in steps:
        if key in result.timings:
            console.print(f"  dont {name} : {fmt.number(result.timings[key], 1)} s", highlight=False)
    console.print(f"Tableau de bord : {escape(str(result.index))}", highlight=False)
    if result.failures:
        _print_failures(result.failures)
        raise typer.Exit(1)


def _print_failures(failures: list) -> None:
    if not failures:
        return
    err.print(f"[bold red]{len(failures)} rapport(s) en échec :[/bold red]", highlight=False)
    for kind, label, message in failures:
        err.print(
            f"  - {escape(str(kind))} {escape(str(label))} : {escape(french_failure(str(message)))}",
            highlight=False,
            soft_wrap=True,
        )


def _write_national(folder: Path, structures: int, campaigns: str) -> list[Path]:
    """The synthetic national set; a bad campaign list ends with a French message."""
    from autodiag.demo.national import NationalDataError, write_national_data

    try:
        years = [int(part) for part in campaigns.split(",") if part.strip()]
    except ValueError:
        fail(f"--campaigns : « {escape(campaigns)} » n'est pas une liste d'années (ex. 2024,2025)")
    if not years:
        fail("--campaigns : au moins une campagne")
    try:
        return write_national_data(folder, structures, years)
    except NationalDataError as error:
        fail(f"demo-data : {escape(str(error))}")


def _write_demo_plans(db: Path) -> None:
    """The demo's plans list the levers of the scored base: the exports are loaded first (the
    build then finds them already loaded)."""
    from autodiag.demo.plans import write_demo_plans
    from autodiag.ingest.loader import ingest
    from autodiag.scoring.store import StoreError

    try:
        ingest(db, [DEMO_DIR])
        files = write_demo_plans(db, DEMO_PLANS_DIR)
    except StoreError as error:
        fail(str(error))
    console.print(
        f"{len(files)} plan(s) d'action de démonstration rempli(s) dans {escape(str(DEMO_PLANS_DIR))}",
        highlight=False,
    )


def _demo_open_data(db: Path) -> None:
    """The demo's open-data files (written once), loaded before the build renders the pages."""
    from autodiag.demo.writer import write_demo_open_data
    from autodiag.ingest.opendata import ingest_opendata
    from autodiag.scoring.store import StoreError

    if not any(DEMO_OPENDATA_DIR.glob("*.*")):
        write_demo_open_data(DEMO_OPENDATA_DIR)
    try:
        outcomes = ingest_opendata(db, [DEMO_OPENDATA_DIR])
    except StoreError as error:
        fail(str(error))
    refused = [o for o in outcomes if o.status == "rejected"]
    if refused:
        fail(f"données ouvertes de démonstration refusées : {refused[0].problems[0]}")
    loaded = sum(o.status == "loaded" for o in outcomes)
    console.print(
        f"Données ouvertes de démonstration : {loaded} fichier(s) chargé(s), "
        f"{len(outcomes) - loaded} déjà chargé(s) ({escape(str(DEMO_OPENDATA_DIR))})",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")

    @app.command("build")
    def build(
        campaign: Annotated[
            int | None, typer.Option("--campagne", "--campaign", help="Seulement cette campagne (année).")
        ] = None,
        db: BuildDbOption = DEFAULT_DB,
        raw: Annotated[
            Path | None,
            typer.Option(
                "--exports",
                "--raw",
                exists=True,
                file_okay=False,
                help="Dossier d'exports à charger (par défaut data/raw s'il existe ; sinon la base telle qu'elle est).",
            ),
        ] = None,
        out: Annotated[Path, typer.Option("--sortie", "--out", help="Dossier des rapports.")] = OUTPUTS_DIR,
        min_group_size: MinGroupOption = DEFAULT_MIN_GROUP_SIZE,
        notebooks: Annotated[
            bool,
            typer.Option(
                "--carnets/--sans-carnets",
                "--notebooks/--sans-notebooks",
                help="Rapports réseaux et tendances via les carnets Papermill (par défaut) ou directement, plus vite.",
            ),
        ] = True,
        workers: Annotated[
            int,
            typer.Option(
                "--processus",
                "--workers",
                min=1,
                help="Processus en parallèle (carnets, pages de structure).",
            ),
        ] = 2,
        tout: Annotated[
            bool, typer.Option("--tout", help="Tout reproduire, même les pages déjà à jour.")
        ] = False,
        plans: Annotated[
            Path | None,
            typer.Option(
                "--plans",
                exists=True,
                file_okay=False,
                help="Dossier de plans d'action remplis à charger aussi (comme « autodiag ingest-plan »).",
            ),
        ] = None,
        max_reseaux: Annotated[
            int,
            typer.Option(
                "--max-reseaux",
                min=1,
                help="Au-delà de ce nombre de réseaux, le build s'arrête sans rien écrire.",
            ),
        ] = 2_000,
        max_pages: Annotated[
            int,
            typer.Option(
                "--max-pages",
                min=1,
                help="Au-delà de ce nombre de pages, le build s'arrête sans rien écrire.",
            ),
        ] = 200_000,
    ) -> None:
        """Charger les exports puis produire les rapports dont les données ont changé, et outputs/index.html."""
        from autodiag.reports.build import Limits

        _build(
            db,
            out,
            raw,
            campaign,
            min_group_size,
            notebooks,
            workers,
            tout,
            plans,
            Limits(max_reseaux, max_pages),
        )

    @app.command("demo-data")
    def demo_data(
        out: Annotated[
            Path | None,
            typer.Option(
                "--sortie",
                "--out",
                help="Dossier où écrire les exports (par défaut data/demo, ou data/national avec --structures).",
            ),
        ] = None,
        structures: Annotated[
            int | None,
            typer.Option(
                "--structures",
                min=30,
                help="Jeu national synthétique de N structures dans 30 réseaux (au lieu de la démonstration).",
            ),
        ] = None,
        campaigns: Annotated[
            str,
            typer.Option(
                "--campagnes", "--campaigns", help="Campagnes du jeu national, séparées par des virgules."
            ),
        ] = "2024,2025",
    ) -> None:
        """Écrire les exports de démonstration (5 campagnes, 6 réseaux), ou un jeu national (--structures)."""
        if structures is None:
            from autodiag.demo.writer import write_demo_data

            folder = Path(out) if out else ROOT / "data" / "demo"
            files = write_demo_data(folder)
        else:
            folder = Path(out) if out else ROOT / "data" / "national"
            files = _write_national(folder, structures, campaigns)
        console.print(
            f"{len(files)} fichier(s) d'export écrit(s) dans {escape(str(folder))}", highlight=False
        )

    @app.command("demo")
    def demo(
        db: BuildDbOption = DEFAULT_DB,
        out: Annotated[Path, typer.Option("--sortie", "--out", help="Dossier des rapports.")] = OUTPUTS_DIR,
    ) -> None:
        """Données de démonstration et plans d'action remplis pour 2024 (data/demo-plans), puis construction complète (build) ; affiche le chemin de outputs/index.html."""
        from autodiag.demo.writer import write_demo_data

        if not any(DEMO_DIR.rglob("*.*")):
            files = write_demo_data(DEMO_DIR)
            console.print(
                f"{len(files)} fichier(s) d'export de démonstration écrit(s) dans {escape(str(DEMO_DIR))}",
                highlight=False,
            )
        _demo_open_data(db)
        if not any(DEMO_PLANS_DIR.glob("*.xlsx")):
            _write_demo_plans(db)
        _build(db, out, DEMO_DIR, None, DEFAULT_MIN_GROUP_SIZE, True, 2, plans=DEMO_PLANS_DIR)
