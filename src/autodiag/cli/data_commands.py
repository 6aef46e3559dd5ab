"""The ``autodiag`` command line (messages in French)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from autodiag import formatting as fmt
from autodiag.analysis.privacy import DEFAULT_MIN_GROUP_SIZE
from autodiag.cli.common import (
    FILES_NAMED,
    CampaignOption,
    DbOption,
    NetworkOption,
    console,
    err,
    fail,
    progress_bar,
)
from autodiag.cli.opendata_matching import matching_rows
from autodiag.cli.opendata_matching import print_rows as print_matching_rows
from autodiag.paths import DEFAULT_DB
from autodiag.scoring.store import StoreError

export_app = typer.Typer(help="Exporter des résultats.", no_args_is_help=True)
quarantine_app = typer.Typer(
    help="Lignes mises en quarantaine par « ingest --tolerant ».", no_args_is_help=True
)


def ingest(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Fichiers CSV/XLSX ou dossiers d'exports.", exists=True, metavar="fichiers"),
    ],
    db: DbOption = DEFAULT_DB,
    lenient: Annotated[
        bool,
        typer.Option(
            "--tolerant",
            "--lenient",
            help="Charger les lignes valides et mettre chaque ligne invalide en quarantaine.",
        ),
    ] = False,
    rapport: Annotated[
        Path | None,
        typer.Option(
            "--rapport",
            help="Fichier CSV où écrire la liste complète des problèmes et avertissements "
            "(par défaut, à côté de la base, quand le terminal n'en montre qu'une partie).",
        ),
    ] = None,
) -> None:
    """Charger des exports de réponses dans la base (chaque fichier en entier ou pas du tout)."""
    from autodiag.ingest.loader import expand_paths
    from autodiag.ingest.loader import ingest as run_ingest
    from autodiag.referentiel.questionnaires import ReferentielError

    files = expand_paths(paths)
    if not files:
        fail("aucun fichier CSV ou XLSX trouvé.")
    try:
        with progress_bar() as progress:
            task = progress.add_task("Chargement", total=len(files))
            submissions = [0]

            def advance(outcome) -> None:
                submissions[0] += outcome.new
                progress.update(
                    task,
                    advance=1,
                    description=f"Chargement ({fmt.number(submissions[0])} nouvelle(s) soumission(s))",
                )

            report = run_ingest(db, files, lenient=lenient, on_file=advance)
    except (StoreError, ReferentielError) as error:  # the base, or a rule file of data/referentiels/
        fail(str(error))
    except KeyboardInterrupt:
        fail(
            "interrompu : les fichiers déjà chargés le restent, ceux du lot en cours n'ont pas été chargés.",
            code=130,
        )
    _print_ingest_report(report, db, rapport)
    if not report.ok:
        raise typer.Exit(1)


def _default_report_path(db: Path) -> Path:
    return db.with_name(f"{db.stem}-rapport-ingest.csv")


def _print_ingest_report(report, db: Path, rapport: Path | None) -> None:
    from autodiag.ingest.problems import terminal_lines, write_problem_report

    many = len(report.outcomes) > FILES_NAMED
    named = 0
    truncated = False
    for outcome in report.outcomes:
        listed = outcome.problems if outcome.status == "rejected" else outcome.warnings
        if many and not listed:
            continue  # counted in the summary
        named += 1
        if named > FILES_NAMED:
            truncated = True
            continue
        if outcome.status == "rejected":
            err.print(
                f"[bold red]✗ {escape(str(outcome.path))}[/bold red] : fichier refusé, base inchangée",
                highlight=False,
            )
        elif outcome.status == "skipped":
            console.print(
                f"[dim]= {escape(str(outcome.path))} : déjà chargé (même contenu), ignoré[/dim]",
                highlight=False,
            )
        else:
            console.print(
                f"[green]✓ {escape(str(outcome.path))}[/green] : {fmt.number(outcome.rows)} ligne(s), {fmt.number(outcome.new)} nouvelle(s) soumission(s)"
                + (f", {fmt.number(outcome.unchanged)} déjà présente(s)" if outcome.unchanged else "")
                + (f", {fmt.number(outcome.quarantined)} en quarantaine" if outcome.quarantined else ""),
                highlight=False,
            )
        lines, cut = terminal_lines(listed)
        truncated = truncated or cut
        for line in lines:
            if outcome.status == "rejected":
                err.print(f"  - {escape(line)}", highlight=False, soft_wrap=True)
            else:
                err.print(
                    f"  [yellow]avertissement[/yellow] : {escape(line)}", highlight=False, soft_wrap=True
                )
    if named > FILES_NAMED:
        err.print(
            f"… et {fmt.number(named - FILES_NAMED)} autre(s) fichier(s) refusé(s) ou avec avertissements — voir le rapport complet",
            highlight=False,
        )
    superseded = report.superseded
    for code, campagne, old, new in superseded[:20]:
        console.print(
            f"  remplacée : {escape(code)} {campagne}, soumission du {old:%d/%m/%Y %H:%M:%S} "
            f"(conservée, remplacée par celle du {new:%d/%m/%Y %H:%M:%S})",
            highlight=False,
        )
    if len(superseded) > 20:
        console.print(f"  … et {fmt.number(len(superseded) - 20)} autre(s) soumission(s) remplacée(s)")
    if truncated or rapport is not None:
        out = rapport or _default_report_path(db)
        entries = [
            (
                str(o.path),
                "refusé" if o.status == "rejected" else "chargé",
                o.problems if o.status == "rejected" else o.warnings,
            )
            for o in report.outcomes
        ]
        n = write_problem_report(out, entries)
        err.print(
            f"Rapport complet ({fmt.number(n)} problème(s) et avertissement(s)) : {escape(str(out))}",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        f"[bold]Bilan[/bold] : {fmt.number(len(report.outcomes))} fichier(s) — {fmt.number(report.count('loaded'))} chargé(s), "
        f"{fmt.number(report.count('skipped'))} déjà chargé(s), {fmt.number(report.count('rejected'))} refusé(s) ; "
        f"soumissions : {fmt.number(report.total('new'))} nouvelle(s), {fmt.number(len(superseded))} remplacée(s), "
        f"{fmt.number(report.total('unchanged'))} inchangée(s) ; "
        f"{fmt.number(sum(len(o.warnings) for o in report.outcomes))} avertissement(s)",
        highlight=False,
        soft_wrap=True,
    )


def score(db: DbOption = DEFAULT_DB) -> None:
    """Recalculer tous les taux (après une correction de référentiel, par exemple)."""
    from autodiag.scoring.store import open_writer, rescore_all, transaction

    try:
        with open_writer(db) as con:
            with transaction(con):
                rescore_all(con)
            n = con.execute("select count(distinct submission_id) from scores").fetchone()[0]
    except StoreError as error:
        fail(str(error))
    console.print(f"Taux recalculés pour {n} soumission(s).")


FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="<csv|xlsx|parquet>",
        help="Format du fichier (par défaut celui de son extension : .csv, .xlsx ou .parquet).",
    ),
]


def export_rows(
    dataset: str, out: Path, db: Path, campaign: int | None, network: str | None, fmt_name: str | None
) -> None:
    """One researcher export, written or refused with a French message (other modules' commands)."""
    _export(dataset, out, db, campaign, network, fmt_name)


def _export(
    dataset: str, out: Path, db: Path, campaign: int | None, network: str | None, fmt_name: str | None
) -> None:
    from autodiag.exports.datasets import OutputError, write_dataset

    try:
        rows = write_dataset(dataset, db, out, campaign=campaign, network=network, fmt=fmt_name)
    except (StoreError, LookupError, OutputError) as error:
        fail(str(error))
    console.print(f"{fmt.number(rows)} ligne(s) écrite(s) dans {escape(str(out))}", highlight=False)


OutFileOption = Annotated[
    Path, typer.Option("--sortie", "--out", help="Fichier à écrire (.csv, .xlsx ou .parquet).")
]


@export_app.command("scores")
def export_scores(
    out: OutFileOption,
    db: DbOption = DEFAULT_DB,
    campaign: CampaignOption = None,
    network: NetworkOption = None,
    fmt_name: FormatOption = None,
) -> None:
    """Exporter tous les taux calculés (un par soumission retenue, niveau et unité) : CSV selon docs/scores-export.md, XLSX aux formats de nombres français, ou Parquet."""
    _export("scores", out, db, campaign, network, fmt_name)


@export_app.command("answers")
def export_answers(
    out: OutFileOption,
    db: DbOption = DEFAULT_DB,
    campaign: CampaignOption = None,
    network: NetworkOption = None,
    fmt_name: FormatOption = None,
) -> None:
    """Exporter les réponses : une ligne par soumission retenue et question (question, réponse, points, applicable)."""
    _export("answers", out, db, campaign, network, fmt_name)


@export_app.command("verbatims")
def export_verbatims(
    out: OutFileOption,
    db: DbOption = DEFAULT_DB,
    campaign: CampaignOption = None,
    network: NetworkOption = None,
    fmt_name: FormatOption = None,
) -> None:
    """Exporter les textes libres (points forts, besoins d'appui) des soumissions retenues."""
    _export("verbatims", out, db, campaign, network, fmt_name)


@export_app.command("codebook")
def export_codebook(
    out: OutFileOption,
    db: DbOption = DEFAULT_DB,
    fmt_name: FormatOption = None,
) -> None:
    """Exporter le dictionnaire des données : chaque colonne des exports, et chaque question de chaque version du questionnaire avec ses réponses possibles et leurs points."""
    _export("codebook", out, db, None, None, fmt_name)


@export_app.command("plan")
def export_plan(
    campaign: Annotated[
        int, typer.Option("--campagne", "--campaign", help="Campagne (année) du diagnostic.")
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--sortie",
            "--out",
            help="Fichier à écrire (.xlsx ou .csv) ; avec --reseau, "
            "dossier où écrire un plan par structure (remplacé en entier).",
        ),
    ],
    code: Annotated[
        str | None, typer.Option("--code", help="Code Services Publics + de la structure (ex. STR-24).")
    ] = None,
    network: Annotated[
        str | None,
        typer.Option("--reseau", "--network", help="Un plan par structure de ce réseau (au lieu de --code)."),
    ] = None,
    db: DbOption = DEFAULT_DB,
    fmt_name: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="<xlsx|csv>",
            help="Format (par défaut celui de l'extension ; xlsx pour un dossier).",
        ),
    ] = None,
    min_group_size: Annotated[
        int,
        typer.Option(
            "--effectif-minimum",
            "--min-group-size",
            min=1,
            help="Seuil de confidentialité : parts de « Oui » masquées sous ce nombre de structures.",
        ),
    ] = DEFAULT_MIN_GROUP_SIZE,
) -> None:
    """Écrire le plan d'action à remplir : chaque piste d'amélioration (question sous 1 point), ses gains, la part de « Oui » parmi les structures comparables, les structures à contacter, et des colonnes vides pour l'équipe (action, pilote, échéance, statut, commentaire)."""
    from autodiag.analysis.privacy import Confidentiality
    from autodiag.exports.plan import OutputError, write_network_plans, write_plan

    if (code is None) == (network is None):
        fail("indiquez --code (une structure) ou --reseau (un plan par structure du réseau), pas les deux.")
    privacy = Confidentiality(min_group_size)
    try:
        if code is not None:
            n = write_plan(db, code, campaign, out, fmt_name, privacy)
            console.print(
                f"Plan écrit : {escape(str(out))} ({fmt.number(n)} piste(s) d'amélioration)", highlight=False
            )
        else:
            files = write_network_plans(db, campaign, network, out, fmt_name or "xlsx", privacy)
            console.print(
                f"{fmt.number(len(files))} plan(s) écrit(s) dans {escape(str(out))}", highlight=False
            )
    except (StoreError, LookupError, OutputError) as error:
        fail(str(error))


@export_app.command("parquet")
def export_parquet(
    out: Annotated[Path, typer.Option("--sortie", "--out", help="Dossier à écrire (remplacé en entier).")],
    db: DbOption = DEFAULT_DB,
    campaign: CampaignOption = None,
    network: NetworkOption = None,
) -> None:
    """Exporter les tables calculées (scores, soumissions, réponses, verbatims) en Parquet, partitionnées par campagne et réseau, pour DuckDB au-delà d'une seule base."""
    from autodiag.exports.datasets import write_parquet

    try:
        counts = write_parquet(db, out, campaign=campaign, network=network)
    except (StoreError, LookupError) as error:
        fail(str(error))
    for table, rows in counts.items():
        console.print(f"{escape(str(Path(out) / table))} : {fmt.number(rows)} ligne(s)", highlight=False)


def ingest_plan(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Plans remplis (XLSX tel qu'exporté, ou CSV aux mêmes colonnes) ou dossiers.",
            exists=True,
            metavar="fichiers",
        ),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Charger des plans d'action remplis par les équipes (chaque fichier en entier ou pas du tout) ; un plan rechargé remplace le précédent de la même structure et campagne, conservé comme remplacé."""
    from autodiag.ingest.plans import expand_plan_paths, load_plans

    if not expand_plan_paths(paths):
        fail("aucun fichier XLSX ou CSV trouvé.")
    try:
        outcomes = load_plans(db, paths)
    except StoreError as error:
        fail(str(error))
    for o in outcomes:
        if o.status == "rejected":
            err.print(
                f"[bold red]✗ {escape(str(o.path))}[/bold red] : plan refusé, base inchangée", highlight=False
            )
            for problem in o.problems:
                err.print(f"  - {escape(str(problem))}", highlight=False, soft_wrap=True)
        elif o.status == "skipped":
            console.print(
                f"[dim]= {escape(str(o.path))} : plan de {escape(o.code)} {o.campaign} déjà chargé (même contenu)[/dim]",
                highlight=False,
            )
        else:
            console.print(
                f"[green]✓ {escape(str(o.path))}[/green] : plan de {escape(o.code)} pour {o.campaign}, "
                f"{fmt.number(o.actions)} action(s)"
                + (" ; le plan précédent est conservé comme remplacé" if o.replaced else ""),
                highlight=False,
            )
    rejected = sum(o.status == "rejected" for o in outcomes)
    console.print(
        f"[bold]Bilan[/bold] : {fmt.number(len(outcomes))} plan(s) — "
        f"{fmt.number(sum(o.status == 'loaded' for o in outcomes))} chargé(s), "
        f"{fmt.number(sum(o.status == 'skipped' for o in outcomes))} déjà chargé(s), {fmt.number(rejected)} refusé(s)",
        highlight=False,
    )
    if rejected:
        raise typer.Exit(1)


def show(
    code: Annotated[
        str,
        typer.Argument(
            help="Code Services Publics + de la structure (ex. STR-24, majuscules ou minuscules)."
        ),
    ],
    campaign: CampaignOption = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Afficher le résultat d'une structure, comme le rapport « Vision par structure »."""
    from autodiag.api import Autodiag
    from autodiag.cli.show import latest_campaign, print_structure

    try:
        with Autodiag(db) as reader:
            campaign, _, code = reader.resolve(campaign, None, code)  # str-24 is STR-24
            campaign = campaign or latest_campaign(reader, code)
            if campaign is None or not print_structure(console, reader, code, campaign):
                fail(f"aucune soumission pour {code}" + (f" en {campaign}" if campaign else "") + ".")
    except (StoreError, LookupError) as error:
        fail(str(error))


# `check --quality` lists at most this many flags of each kind; the full list goes to a CSV.
FLAGS_SHOWN = 7


def check(
    db: DbOption = DEFAULT_DB,
    quality: Annotated[
        bool,
        typer.Option(
            "--qualite",
            "--quality",
            help="Lister aussi les réponses à revoir (réponses identiques, sauts improbables, "
            "parts inhabituelles de « non applicable » ou de vides, contradictions) : des avertissements, "
            "qui ne changent pas le code de sortie.",
        ),
    ] = False,
    campaign: Annotated[
        int | None,
        typer.Option("--campagne", "--campaign", help="Avec --qualite : cette campagne seulement (année)."),
    ] = None,
    network: Annotated[
        str | None, typer.Option("--reseau", "--network", help="Avec --qualite : ce réseau seulement.")
    ] = None,
    rapport: Annotated[
        Path | None,
        typer.Option(
            "--rapport",
            help="Fichier CSV où écrire la liste complète des réponses à revoir (par défaut, à côté "
            "de la base, quand le terminal n'en montre qu'une partie).",
        ),
    ] = None,
) -> None:
    """Vérifier la cohérence de la base : réponses et taux complets, décomptes cohérents, taux entre 0 et 100 %, soumission retenue la plus récente ; avec --qualite, les réponses à revoir."""
    from autodiag.api import Autodiag
    from autodiag.scoring.checks import explain, run_checks

    if (campaign is not None or network is not None or rapport is not None) and not quality:
        fail("--campagne, --reseau et --rapport ne s'emploient qu'avec --qualite.")
    try:
        reader = Autodiag(db)
    except StoreError as error:
        fail(str(error))
    try:
        results = run_checks(reader.con)
        flags = _quality_flags(reader, campaign, network) if quality else None
        matching = matching_rows(reader.con)
    finally:
        reader.close()
    broken = {name: rows for name, rows in results.items() if rows}
    for name, rows in results.items():
        what = explain(name)
        mark = "[red]✗[/red]" if rows else "[green]✓[/green]"
        console.print(
            f"{mark} [bold]{escape(what.title)}[/bold] : {escape(what.rule)}. [dim]({name})[/dim]",
            highlight=False,
            soft_wrap=True,
        )
        if rows:
            console.print(
                f"    {len(rows)} ligne(s) en défaut, par exemple « {escape(', '.join(map(str, rows[0])))} » ; "
                f"que faire : {escape(what.remedy)}.",
                highlight=False,
                soft_wrap=True,
            )
    console.print(f"{len(results) - len(broken)} contrôle(s) sur {len(results)} respecté(s).")
    print_matching_rows(matching)  # warnings to look at, never a failed check
    if flags is not None:
        _print_flags(flags, db, campaign, network, rapport)
    if broken:
        raise typer.Exit(1)


def _quality_flags(reader, campaign: int | None, network: str | None):
    """The flags with the database's column names (a filter that matches nothing: an error)."""
    from autodiag.analysis.quality import flags
    from autodiag.referentiel.questionnaires import ReferentielError

    try:
        campaign, network, _ = reader.resolve(campaign, network)
        return flags(reader.con, campaign, network)
    except (LookupError, ReferentielError) as error:
        fail(str(error))


def _print_flags(frame, db: Path, campaign: int | None, network: str | None, rapport: Path | None) -> None:
    from autodiag.analysis.quality import KINDS, RULES, counts, threshold_text, value_text, write_flags

    scope = " ; ".join(
        x
        for x in [
            f"campagne {campaign}" if campaign is not None else "",
            f"réseau « {network} »" if network is not None else "",
        ]
        if x
    )
    console.print(
        f"\n[bold]Qualité des réponses[/bold]{' (' + escape(scope) + ')' if scope else ''} : "
        f"{fmt.number(len(frame))} réponse(s) à revoir — des avertissements, à vérifier avec les structures, "
        "pas des erreurs de la base.",
        highlight=False,
        soft_wrap=True,
    )
    cut = False
    for kind, n in counts(frame).items():
        mark = "[yellow]![/yellow]" if n else "[green]✓[/green]"
        console.print(
            f"{mark} [bold]{escape(KINDS[kind])}[/bold] : {fmt.number(n)} — {escape(RULES[kind])}.",
            highlight=False,
            soft_wrap=True,
        )
        rows = frame[frame["flag"] == kind]
        for row in rows.head(FLAGS_SHOWN).itertuples(index=False):
            value = (
                f" — {value_text(kind, row.value)} (seuil {threshold_text(kind, row.threshold)})"
                if kind != "contradiction"
                else ""
            )
            console.print(
                f"    {row.campagne} {escape(row.code_structure)} ({escape(row.nom_structure)}, "
                f"{escape(row.reseau)}) : {escape(row.detail)}{value}",
                highlight=False,
                soft_wrap=True,
            )
        if len(rows) > FLAGS_SHOWN:
            cut = True
            console.print(f"    … et {fmt.number(len(rows) - FLAGS_SHOWN)} autre(s)", highlight=False)
    if cut or rapport is not None:
        out = rapport or db.with_name(f"{db.stem}-qualite.csv")
        n = write_flags(out, frame)
        console.print(
            f"Liste complète ({fmt.number(n)} réponse(s) à revoir) : {escape(str(out))}",
            highlight=False,
            soft_wrap=True,
        )


@quarantine_app.command("list")
def quarantine_list(
    db: DbOption = DEFAULT_DB,
    all_rows: Annotated[
        bool, typer.Option("--toutes", help="Montrer aussi les lignes résolues par un chargement ultérieur.")
    ] = False,
) -> None:
    """Lister les lignes en quarantaine et leurs problèmes (les lignes résolues sont masquées)."""
    from autodiag.ingest.quarantine import quarantined_rows

    try:
        rows = quarantined_rows(db)
    except StoreError as error:
        fail(str(error))
    resolved = int(rows["resolved"].sum()) if not rows.empty else 0
    if not all_rows:
        rows = rows[~rows["resolved"]] if resolved else rows
    if rows.empty:
        console.print(
            "Aucune ligne en quarantaine"
            + (f" non résolue ({resolved} résolue(s) : --toutes pour les voir)." if resolved else ".")
        )
        return
    for _, row in rows.iterrows():
        mark = " — résolue par un chargement ultérieur" if row["resolved"] else ""
        console.print(
            f"[bold]{escape(row['file_name'])}[/bold] ligne {row['row_no']} ({escape(row['code_structure'] or '?')}){mark}",
            highlight=False,
        )
        for message in row["problems"]:
            console.print(f"  - {escape(message)}", highlight=False, soft_wrap=True)
    console.print(f"{len(rows)} ligne(s) en quarantaine.")
    if resolved and not all_rows:
        console.print(
            f"{resolved} ligne(s) résolue(s) par un chargement ultérieur, masquée(s) (option --toutes)."
        )


@quarantine_app.command("export")
def quarantine_export(
    out: Annotated[
        Path,
        typer.Option("--sortie", "--out", help="Fichier CSV à écrire (une ligne par ligne en quarantaine)."),
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Exporter les lignes en quarantaine (valeurs d'origine et problèmes) pour correction."""
    from autodiag.ingest.quarantine import export_quarantine

    try:
        n = export_quarantine(db, out)
    except StoreError as error:
        fail(str(error))
    console.print(f"{n} ligne(s) écrite(s) dans {escape(str(out))}", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command("ingest-plan")(ingest_plan)
    app.command()(score)
    app.command()(show)
    app.command()(check)
    app.add_typer(export_app, name="export")
    app.add_typer(quarantine_app, name="quarantine")
