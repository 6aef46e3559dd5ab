"""The programme's open data in the reports: « Ce que la structure publie, ce que disent les
usagers » (structure report), « Déclaré et observé » and the rates by parent structure
(network report). Rendering only: the figures come from the API (sql/marts/indicator_results,
declared_vs_observed, parent_summary), the rule of the questions to check from
autodiag.analysis.observed."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from autodiag import formatting as fmt
from autodiag.analysis import observed
from autodiag.analysis.frames import group_by, records
from autodiag.analysis.privacy import MASKED, Confidentiality
from autodiag.reports import charts
from autodiag.reports.masking import masked_note
from autodiag.reports.page import Report
from autodiag.reports.tables import code_cell, table

STRUCTURE_HEADING = "Ce que la structure publie, ce que disent les usagers"
NETWORK_HEADING = "Déclaré et observé"
MATCH_NOTE = (
    "Résultats d'indicateurs rattachés par le code Services Publics + ; expériences d'usagers rattachées "
    "par le nom exact de la structure et son réseau (casse, accents et espaces ignorés), jamais par "
    "ressemblance : une expérience dont le nom désigne plusieurs structures du réseau n'est comptée pour "
    "aucune (autodiag check les liste)."
)
E6 = "E6 — résultats de qualité de service publiés"
E7 = "E7 — avis des usagers pris en compte"


@dataclass
class OpenData:
    """A campaign's open data, by structure code: latest results and declared/observed rows."""

    results: dict = field(default_factory=dict)  # code -> latest indicator results
    facts: dict = field(default_factory=dict)  # code -> declared_vs_observed row
    loaded: bool = False  # any open-data file in the base


def load(db, campaign: int, code: str | None = None, network: str | None = None) -> OpenData:
    if db.query("select count(*) as n from opendata_files")["n"].iloc[0] == 0:
        return OpenData()
    results = [r for r in records(db.indicator_results(network=network, code=code)) if r["derniere"]]
    facts = records(db.declared_vs_observed(campaign, network))
    return OpenData(group_by(results, "code_structure"), {r["code_structure"]: r for r in facts}, True)


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _share(value) -> str:
    return "--" if _missing(value) else fmt.rate(value)


def _value(value: float, unit: str | None) -> str:
    decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 1
    return fmt.number(value, decimals) + (f" {unit}" if unit and unit != "%" else " %" if unit == "%" else "")


def _date(value) -> str:
    return "--" if _missing(value) or value is None else value.strftime("%d/%m/%Y")


# --- structure report ---------------------------------------------------------------------------


def structure_section(report: Report, code: str, data: OpenData | None, privacy: Confidentiality) -> None:
    report.heading(STRUCTURE_HEADING)
    fact = (data.facts.get(code) if data else None) or {}
    results = data.results.get(code, []) if data else []
    if not results and not fact.get("experiences"):
        report.text(
            "Aucune donnée ouverte du programme pour cette structure : ni résultat d'indicateur publié, ni "
            "expérience d'usager rattachée"
            + (
                "."
                if data and data.loaded
                else " (aucun fichier de données ouvertes chargé : autodiag ingest-opendata)."
            ),
            "empty",
        )
        return
    report.text(
        "Ce que votre structure déclare dans l'auto-diagnostic, à côté de ce que le programme publie : vos "
        "résultats d'indicateurs et les expériences de vos usagers.",
        "note",
    )
    report.html(
        table(
            ["Engagement (déclaré)", "Votre taux", "Observé dans les données ouvertes", "Valeur"],
            [
                [
                    E6,
                    fmt.rate(fact.get("taux_e6")),
                    "Part des indicateurs du réseau dont un résultat est publié",
                    _share(fact.get("part_indicateurs")),
                ],
                [
                    E7,
                    fmt.rate(fact.get("taux_e7")),
                    "Part des expériences d'usagers avec une réponse publiée",
                    _share(fact.get("part_repondues")),
                ],
            ],
            numeric=[1, 3],
        )
    )
    _results_table(report, results, privacy)
    _experiences_table(report, fact)
    report.text(MATCH_NOTE, "note")


def _results_table(report: Report, results: list, privacy: Confidentiality) -> None:
    report.heading("Vos résultats d'indicateurs publiés", 3)
    if not results:
        report.text("Aucun résultat d'indicateur publié.", "empty")
        return
    rows, masked = [], False
    for r in results:
        enough = privacy.enough(r["structures_reseau"])
        masked = masked or not enough
        median = _value(r["mediane_reseau"], r["unite"]) if enough else MASKED
        rows.append(
            [
                r["intitule_usager"] or r["indicateur"],
                r["code_indicateur"],
                _value(r["valeur"], r["unite"]),
                _date(r["date_mise_a_jour"]),
                r["frequence"] or "--",
                median,
                fmt.number(r["structures_reseau"]),
            ]
        )
    report.html(
        table(
            [
                "Indicateur",
                "Code",
                "Votre dernier résultat",
                "Mis à jour le",
                "Fréquence",
                "Médiane du réseau (derniers résultats)",
                "Structures du réseau",
            ],
            rows,
            numeric=[2, 5, 6],
        )
    )
    if masked:
        report.html(masked_note(privacy))


def _experiences_table(report: Report, fact: dict) -> None:
    report.heading("Les expériences de vos usagers", 3)
    n = fact.get("experiences") or 0
    if not n:
        report.text("Aucune expérience d'usager publiée rattachée à votre structure.", "empty")
        return
    days = fact.get("jours_mediane")
    report.html(
        table(
            [
                "Expériences publiées",
                "Positives",
                "Neutres",
                "Négatives",
                "Avec une réponse publiée",
                "Délai médian de réponse",
            ],
            [
                [
                    fmt.number(n),
                    _share(fact["part_positives"]),
                    _share(fact["part_neutres"]),
                    _share(fact["part_negatives"]),
                    _share(fact["part_repondues"]),
                    "--" if _missing(days) else f"{fmt.number(days, 1)} jour(s)",
                ]
            ],
            numeric=range(6),
        )
    )
    report.text(
        "Délai de réponse : de la publication de l'expérience à la réponse de la structure (ou, à défaut de "
        "date de réponse, à la date de l'action engagée).",
        "note",
    )


# --- network report -----------------------------------------------------------------------------


def network_section(
    report: Report, db, campaign: int, network: str, privacy: Confidentiality, links: dict
) -> None:
    report.heading(NETWORK_HEADING)
    data = load(db, campaign, network=network)
    facts = [f for f in data.facts.values() if f["reseau"] == network]
    observed_any = [f for f in facts if f["indicateurs_attendus"] or f["experiences"]]
    if not observed_any:
        report.text(
            "Aucune donnée ouverte du programme pour les structures de ce réseau"
            + ("." if data.loaded else " (aucun fichier chargé : autodiag ingest-opendata)."),
            "empty",
        )
        _parents(report, db, campaign, network, privacy)
        return
    report.text(
        "Ce que les structures déclarent (taux des engagements 6 et 7 de l'auto-diagnostic) face à ce que "
        "montrent les données ouvertes du programme : la part des indicateurs du réseau dont elles publient un "
        "résultat, la part des expériences d'usagers auxquelles elles ont répondu publiquement.",
        "note",
    )
    _scatter(report, facts, campaign, privacy)
    _questions(report, facts, links)
    report.text(MATCH_NOTE, "note")
    _parents(report, db, campaign, network, privacy)


def _scatter(report: Report, facts: list, campaign: int, privacy: Confidentiality) -> None:
    pairs = [
        ("taux_e6", "part_indicateurs", "E6 / indicateurs publiés", 6, "circle"),
        ("taux_e7", "part_repondues", "E7 / expériences avec réponse", 7, "diamond"),
    ]
    data = []
    for declared, seen, name, engagement, symbol in pairs:
        points = [f for f in facts if not _missing(f[declared]) and not _missing(f[seen])]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": charts.label(name),
                "x": [f[seen] for f in points],
                "y": [f[declared] for f in points],
                "text": [charts.label(f"{f['code_structure']} — {f['nom_structure']}") for f in points],
                "marker": {
                    "symbol": symbol,
                    "size": 10,
                    "color": charts.colour(engagement),
                    "line": {"color": "#1E1E1E", "width": 1},
                },
                "hovertemplate": "%{text}<br>observé : %{x:.1f} %<br>déclaré : %{y:.1f} %<extra>"
                + charts.label(name)
                + "</extra>",
            }
        )
    layout = charts.layout(
        f"Déclaré (taux E6, E7) et observé (données ouvertes), {campaign}",
        460,
        xaxis={**charts.rate_axis("Observé : part publiée ou répondue (%)"), "range": [-5, 105]},
        yaxis={**charts.rate_axis("Déclaré : taux d'atteinte (%)"), "range": [-5, 105]},
    )
    rows = [
        [
            f["code_structure"],
            f["nom_structure"],
            fmt.rate(f["taux_e6"]),
            _share(f["part_indicateurs"]),
            fmt.rate(f["taux_e7"]),
            _share(f["part_repondues"]),
            fmt.number(f["experiences"]),
        ]
        for f in facts
    ]
    report.chart(
        {"data": data, "layout": layout},
        table(
            [
                "Code",
                "Structure",
                "Taux E6",
                "Indicateurs publiés",
                "Taux E7",
                "Expériences avec réponse",
                "Expériences",
            ],
            rows,
            numeric=[2, 3, 4, 5, 6],
            nowrap=[0],
            sortable=True,
        ),
    )
    shares = [f["part_repondues"] for f in facts if not _missing(f["part_repondues"])]
    if privacy.enough(len(shares)):
        report.text(
            f"Médiane du réseau : {fmt.rate(_median(shares))} des expériences ont une réponse publiée "
            f"({fmt.number(len(shares))} structures avec au moins une expérience).",
            "note",
        )
    else:
        report.html(masked_note(privacy))


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _questions(report: Report, facts: list, links: dict) -> None:
    report.heading("Structures où déclaré et observé divergent : questions à vérifier", 3)
    high, low = fmt.number(observed.HIGH_RATE), fmt.number(observed.LOW_ANSWERED)
    report.text(
        f"Règle : E6 d'au moins {high} % sans aucun indicateur publié (dans un réseau dont des résultats sont "
        f"publiés), ou E7 d'au moins {high} % avec moins de {low} % des expériences d'usagers ayant une "
        "réponse publiée. Ce sont des questions à poser, pas des verdicts : les données ouvertes peuvent "
        "être en retard, nommer la structure autrement, ou la structure publier ailleurs.",
        "note",
    )
    rows = []
    for f in facts:
        if f["question_e6"]:
            rows.append(
                [
                    code_cell(f["code_structure"], links),
                    f["nom_structure"],
                    "E6",
                    fmt.rate(f["taux_e6"]),
                    f"aucun des {fmt.number(f['indicateurs_attendus'])} indicateurs du réseau publié",
                    "Où la structure publie-t-elle ses résultats de qualité de service ?",
                ]
            )
        if f["question_e7"]:
            rows.append(
                [
                    code_cell(f["code_structure"], links),
                    f["nom_structure"],
                    "E7",
                    fmt.rate(f["taux_e7"]),
                    f"{fmt.number(f['repondues'])} expérience(s) avec réponse sur {fmt.number(f['experiences'])} "
                    f"({fmt.rate(f['part_repondues'])})",
                    "Comment les avis des usagers reçoivent-ils une réponse ?",
                ]
            )
    if not rows:
        report.text("Aucune structure du réseau ne relève de ces règles.", "empty")
        return
    report.html(
        table(
            ["Code", "Structure", "Engagement", "Taux déclaré", "Observé", "Question à vérifier"],
            rows,
            numeric=[3],
            nowrap=[0],
            sortable=True,
        )
    )


def _parents(report: Report, db, campaign: int, network: str, privacy: Confidentiality) -> None:
    """The network's rates by parent structure (level N), masked under the minimum group size."""
    rows = records(db.parent_summary(campaign, network))
    if not rows:
        return
    report.heading("Taux par structure parente (niveau N)", 3)
    report.text(
        "Les structures parentes viennent du fichier des structures des données ouvertes (code de la "
        "structure parent). Le taux d'une structure parente est la moyenne des taux de ses sites, comme "
        "partout ailleurs ; les sites sans structure parente n'y figurent pas.",
        "note",
    )
    engagements = sorted({r["engagement"] for r in rows if r["level"] == "engagement"})
    by_parent = group_by(rows, "code_parent")
    lines, masked = [], False
    for parent, items in sorted(by_parent.items()):
        units = {r["unit"]: r for r in items}
        overall = units.get("global")
        ok = privacy.visible(overall)
        masked = masked or not ok
        lines.append(
            [parent, overall["nom_parent"], fmt.number(overall["n_sites"]), privacy.shown(overall, "mean")]
            + [privacy.shown(units.get(f"E{e}"), "mean") for e in engagements]
        )
    report.html(
        table(
            ["Code", "Structure parente", "Sites", "Taux global moyen"] + [f"E{e}" for e in engagements],
            lines,
            numeric=range(2, 4 + len(engagements)),
            nowrap=[0],
            sortable=True,
        )
    )
    if masked:
        report.html(masked_note(privacy))
