"""The action plan to fill (``autodiag export plan``): every improvement lever of a structure for
a campaign (autodiag.analysis.levers), its figures and the structures to contact, with empty
columns for the team (action, pilote, échéance, statut, commentaire). XLSX (a first sheet
explains how to use it, « Statut » is a dropdown) or CSV (« ; », UTF-8 with BOM, French
decimals). Every text cell is neutralised for spreadsheets (safe_files.safe_text).

The team sends it back with ``autodiag ingest-plan`` (autodiag.ingest.plans): the columns,
the sheet's name and the structure and campaign on every row are what it reads."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from autodiag import formatting as fmt
from autodiag.analysis.levers import Lever, LeverReader, contact_text
from autodiag.analysis.privacy import DEFAULT as DEFAULT_PRIVACY
from autodiag.analysis.privacy import MASKED, Confidentiality
from autodiag.api import Autodiag
from autodiag.exports.files import OutputError
from autodiag.ingest import plans as plan_format
from autodiag.safe_files import atomic_file, atomic_folder, safe_text
from autodiag.slugs import unique_slugs

PLAN_FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
WIDTHS = [6, 9, 40, 13, 12, 12, 30, 14, 11, 11, 24, 14, 14, 60, 10, 8, 22, 10, 9, 9]
CONTACTS = 5  # structures to contact named per lever, best first
LINE = 15  # points: the height of one line of text in a row
TEAM_FILL = "#FFF6D5"  # the columns the team fills


@dataclass
class PlanData:
    code: str
    name: str
    network: str
    typologie: str | None
    campaign: int
    version: str
    global_rate: float | None
    levers: list[Lever]


def plan_format_of(out: Path, requested: str | None) -> str:
    suffix = Path(out).suffix.lower()
    fmt_name = (requested or PLAN_FORMATS.get(suffix, "")).lower()
    if fmt_name not in PLAN_FORMATS.values():
        raise OutputError(
            f"{out} : un plan s'écrit en .xlsx ou .csv"
            + (f" (--format {requested} inconnu)" if requested else "")
        )
    if suffix in PLAN_FORMATS and PLAN_FORMATS[suffix] != fmt_name:
        raise OutputError(f"--format {fmt_name} contredit l'extension « {suffix} » de {out}")
    return fmt_name


def read_plan_data(
    db: Autodiag, code: str, campaign: int, privacy: Confidentiality, reader: LeverReader | None = None
) -> PlanData:
    identity = db.con.execute(
        "select s.nom_structure, s.reseau, s.typologie, s.version, g.rate from retained_submissions s "
        "left join retained_scores g on g.submission_id = s.submission_id and g.level = 'global' "
        "where s.code_structure = $code and s.campagne = $c",
        {"code": code, "c": campaign},
    ).fetchone()
    reader = reader or LeverReader(db.con, campaign)
    return PlanData(
        code, identity[0], identity[1], identity[2], campaign, identity[3], identity[4], reader(code, privacy)
    )


def write_plan(
    db_path: Path,
    code: str,
    campaign: int,
    out: Path,
    fmt_name: str | None = None,
    privacy: Confidentiality = DEFAULT_PRIVACY,
) -> int:
    """One structure's plan; returns its number of levers."""
    kind = plan_format_of(out, fmt_name)
    with Autodiag(db_path) as db:
        campaign, _, code = db.resolve(campaign, None, code)
        db.check_scope(campaign, None, code)
        data = read_plan_data(db, code, campaign, privacy)
    with atomic_file(out) as partial:
        (write_xlsx if kind == "xlsx" else write_csv)(data, partial, privacy)
    return len(data.levers)


def write_network_plans(
    db_path: Path,
    campaign: int,
    network: str,
    folder: Path,
    fmt_name: str = "xlsx",
    privacy: Confidentiality = DEFAULT_PRIVACY,
) -> list[Path]:
    """One plan per structure of the network in ``folder`` (swapped in whole); the paths written."""
    kind = plan_format_of(Path(f"plan.{fmt_name}"), fmt_name)
    written = []
    with Autodiag(db_path) as db:
        campaign, network, _ = db.resolve(campaign, network)
        codes = [
            r[0]
            for r in db.con.execute(
                "select code_structure from retained_submissions where campagne = $c and reseau = $n order by 1",
                {"c": campaign, "n": network},
            ).fetchall()
        ]
        reader = LeverReader(db.con, campaign)
        reader.plan(codes)
        slugs = unique_slugs(codes)
        with atomic_folder(folder) as partial:
            for code in codes:
                data = read_plan_data(db, code, campaign, privacy, reader)
                name = f"plan-{slugs[code]}-{campaign}.{kind}"
                (write_xlsx if kind == "xlsx" else write_csv)(data, partial / name, privacy)
                written.append(Path(folder) / name)
    return written


def share_text(share, privacy: Confidentiality, known: bool = True) -> str:
    if not known:
        return "--"
    if share.n_answered is None:
        return MASKED
    return f"{share.n_yes} sur {share.n_answered} ({fmt.rate(share.share)})"


def lever_cells(
    data: PlanData, rank: int, lever: Lever, privacy: Confidentiality, filled: dict | None = None
) -> list:
    """One lever's cells in plan_format.COLUMNS order (gains as numbers); the team's columns
    empty, or ``filled[question_id]`` (what a script fills in: the demo's plans)."""
    contacts = "\n".join(contact_text(c) for c in lever.contacts[:CONTACTS]) or "--"
    if len(lever.contacts) > CONTACTS:
        contacts += f"\net {len(lever.contacts) - CONTACTS} autre(s) (API : Autodiag.levers)"
    return [
        rank,
        lever.question_id,
        lever.question or "",
        lever.answer,
        float(lever.engagement_gain),
        float(lever.global_gain),
        *(filled or {}).get(lever.question_id, [""] * len(plan_format.TEAM_COLUMNS)),
        share_text(lever.typology, privacy, bool(lever.typologie)),
        share_text(lever.network, privacy),
        contacts,
        f"E{lever.engagement}",
        lever.theme,
        lever.theme_title,
        data.code,
        data.campaign,
        data.version,
    ]


def row_height(cells: list, widths: list[int]) -> float:
    """Enough height for the longest wrapped cell (spreadsheets do not grow rows written by a program)."""
    lines = 1
    for cell, width in zip(cells, widths):
        if isinstance(cell, str) and cell:
            lines = max(lines, sum(-(-max(len(part), 1) // max(width - 1, 1)) for part in cell.split("\n")))
    return min(409, LINE * lines + 3)


def write_csv(data: PlanData, path: Path, privacy: Confidentiality) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(plan_format.COLUMNS)
        for rank, lever in enumerate(data.levers, 1):
            cells = lever_cells(data, rank, lever, privacy)
            writer.writerow([fmt.number(c, 2) if isinstance(c, float) else safe_text(c) for c in cells])


def guide_lines(data: PlanData, privacy: Confidentiality) -> list[tuple[str, str | None]]:
    """The first sheet: (text, style) lines."""
    statuses = ", ".join(f"« {s} »" for s in plan_format.STATUSES)
    return [
        (f"Plan d'action — {data.name} ({data.code})", "title"),
        (
            f"Campagne {data.campaign} — questionnaire {data.version} — réseau « {data.network} » — "
            f"taux d'atteinte global {fmt.rate(data.global_rate)}",
            None,
        ),
        ("", None),
        ("Comment s'en servir", "heading"),
        (
            f"1. La feuille « {plan_format.SHEET} » liste chaque question applicable qui vaut moins d'1 point "
            f"({len(data.levers)} pistes), de la plus forte à la plus faible.",
            None,
        ),
        (
            "2. Choisissez en équipe les pistes réalistes et réalisables localement, et remplissez pour chacune les "
            "colonnes sur fond jaune : Action, Pilote, Échéance, Statut, Commentaire. Laissez les autres lignes vides.",
            None,
        ),
        (f"3. Statut : choisissez dans la liste {statuses}. Mettez-le à jour au fil de l'année.", None),
        (
            "4. Ne modifiez ni les colonnes « Code structure », « Campagne » et « Question », ni le nom de la feuille : "
            "c'est par elles que le plan est relu. Le nom du fichier, lui, peut changer.",
            None,
        ),
        (
            "5. Renvoyez le fichier au référent de votre réseau ; il le charge avec « autodiag ingest-plan ». À la "
            "campagne suivante, votre rapport montre le « Suivi du plan d'action » : pour chaque action, ce que la "
            "question obtenait alors et maintenant.",
            None,
        ),
        ("", None),
        ("Comment lire les colonnes", "heading"),
        (
            "Gain de l'engagement, gain du taux global : de combien de points de pourcentage le taux monterait si la "
            "question atteignait 1 point. Une question applicable vaut 1/n des points de son engagement (n questions "
            "applicables) ; le taux global est la moyenne des engagements qui ont un taux.",
            None,
        ),
        (
            "« Oui » dans la même typologie, dans le réseau : parmi les autres structures de la campagne qui ont "
            "répondu à la question, combien obtiennent le point entier. Entre deux gains égaux, la piste la plus "
            "courante passe devant : ce qui est courant est à portée de main.",
            None,
        ),
        (
            f"« {MASKED} » : moins de {privacy.min_group_size} structures ont répondu, la part n'est pas montrée.",
            None,
        ),
        (
            "Structures à contacter : les structures de votre réseau qui réussissent le thème (au moins 75 %) et ont "
            "progressé depuis leur campagne précédente, ou qui n'ont pas de campagne antérieure comparable (règle "
            "« S'inspirer de »), avec leurs points forts sur l'engagement.",
            None,
        ),
    ]


def write_xlsx(data: PlanData, path: Path, privacy: Confidentiality, filled: dict | None = None) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(path), {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    _guide(book, data, privacy)
    sheet = book.add_worksheet(plan_format.SHEET)
    header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DDE4F0", "border": 1}
    )
    team_header = book.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#F5D76E", "border": 1}
    )
    text = book.add_format({"text_wrap": True, "valign": "top"})
    gain = book.add_format({"num_format": '0.0" pts"', "valign": "top"})
    team = book.add_format(
        {"text_wrap": True, "valign": "top", "bg_color": TEAM_FILL, "border": 1, "border_color": "#C9C9C9"}
    )
    teams = {plan_format.COLUMNS.index(c) for c in plan_format.TEAM_COLUMNS}
    for j, (name, width) in enumerate(zip(plan_format.COLUMNS, WIDTHS)):
        sheet.set_column(j, j, width)
        sheet.write_string(0, j, name, team_header if j in teams else header)
    for i, lever in enumerate(data.levers, 1):
        cells = lever_cells(data, i, lever, privacy, filled)
        sheet.set_row(i, row_height(cells, WIDTHS))
        for j, value in enumerate(cells):
            if j in teams:
                sheet.write_string(i, j, safe_text(value), team) if value else sheet.write_blank(
                    i, j, None, team
                )
            elif isinstance(value, float):
                sheet.write_number(i, j, value, gain)
            elif isinstance(value, int):
                sheet.write_number(i, j, value, text)
            else:
                sheet.write_string(i, j, safe_text(value), text)
    last = max(len(data.levers), 1)
    status = plan_format.COLUMNS.index(plan_format.STATUS)
    sheet.data_validation(
        1,
        status,
        last,
        status,
        {
            "validate": "list",
            "source": list(plan_format.STATUSES),
            "error_title": "Statut",
            "error_message": "Choisissez : " + ", ".join(plan_format.STATUSES) + ".",
        },
    )
    sheet.freeze_panes(1, 3)
    sheet.autofilter(0, 0, last, len(plan_format.COLUMNS) - 1)
    sheet.set_row(0, 62)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
    sheet.fit_to_pages(
        2, 0
    )  # the lever and the team's columns on the first page width, the rest on the second
    sheet.repeat_rows(0)
    sheet.repeat_columns(0, 1)
    book.close()


def _guide(book, data: PlanData, privacy: Confidentiality) -> None:
    sheet = book.add_worksheet(plan_format.GUIDE_SHEET)
    styles = {
        "title": book.add_format({"bold": True, "font_size": 14, "text_wrap": True}),
        "heading": book.add_format({"bold": True, "font_size": 12}),
        None: book.add_format({"text_wrap": True, "valign": "top"}),
    }
    sheet.set_column(0, 0, 95)
    for i, (line, style) in enumerate(guide_lines(data, privacy)):
        sheet.set_row(i, row_height([line], [95 if style is None else 70]) * (1.3 if style == "title" else 1))
        sheet.write_string(i, 0, safe_text(line), styles[style])
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
