"""The structure report (« Vision par structure »), as in the official report, plus the
structure against its network (median, quartiles) and against its previous campaign.

``build(db, campaign, code)`` makes one report (what the notebook calls);
``render_many(db, campaign)`` renders many pages in one process from frames loaded once
(what the build calls): same function, same content.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from autodiag import formatting as fmt
from autodiag.analysis import peers, versions
from autodiag.analysis import plans as plan_rule
from autodiag.analysis.batch_changes import BatchChanges
from autodiag.analysis.frames import THIN, coverage, group_by, previous_campaign, records, thin, totals
from autodiag.analysis.levers import LeverReader
from autodiag.analysis.privacy import DEFAULT, DEFAULT_MIN_GROUP_SIZE, MASKED, Confidentiality
from autodiag.api import Autodiag
from autodiag.labels import NO_DATA, TEXT_FIELDS, text_field_heading
from autodiag.reports import change_charts, charts, observed, references
from autodiag.reports.masking import masked_note
from autodiag.reports.page import Report
from autodiag.reports.tables import Html, definition_list, esc, quotes, searchable, table

METHOD_HTML = """
<h2>Les cotations appliquées dans l'auto-diagnostic</h2>
<p><strong>Présentation des résultats :</strong></p>
<ul>
<li>un score global, moyenne des notes obtenues sur les 8 engagements</li>
<li>un score par engagement, total des points obtenus sur les questions applicables</li>
<li>un score par thématique au sein des engagements, total des points obtenus sur les questions applicables</li>
</ul>
<p>Chaque question vaut 1 point maximum.</p>
<p>Chaque réponse est valorisée sur une échelle à 4 positions :</p>
<ul>
<li><strong>0 point</strong> : les exigences spécifiées ne sont pas respectées</li>
<li><strong>0,25 point</strong> : la mise en œuvre des dispositions prises a été initiée mais n'est pas finalisée et/ou n'est pas sécurisée, et ne garantit pas le respect des exigences</li>
<li><strong>0,75 point</strong> : le service public a mis en place des dispositions répondant aux exigences spécifiées mais certains éléments manquent encore pour répondre totalement aux exigences spécifiées</li>
<li><strong>1 point</strong> : les dispositions mises en place répondent aux exigences spécifiées et sont appropriées par les agents et appliquées</li>
</ul>
<p>Plusieurs cas de réponses possibles :</p>
<ul>
<li><strong>question avec plusieurs propositions, et une seule réponse possible</strong> : le score est déterminé au regard de la proposition sélectionnée</li>
<li><strong>question à choix multiples</strong> : le score est cumulatif et déterminé au regard du nombre de propositions sélectionnées</li>
</ul>
<p class="note">Les questions « non applicables » et les réponses non renseignées sont exclues du calcul des taux.</p>
"""


@dataclass
class Frames:
    """Everything a batch of structure reports needs, loaded once."""

    campaign: int
    previous_campaign: int | None  # the database's campaign before this one
    scores: dict  # code -> score records of the campaign
    history: dict  # code -> {campaign: global/engagement score records}, up to this campaign
    texts: dict  # code -> free-text records
    summary: dict  # (network, unit) -> network distribution record
    # (kind, key, unit) -> rates of the campaign's structures (peers.py); None: not loaded
    peers: dict | None = field(default_factory=dict)
    # (code, earlier campaign) -> engagement change rows (batch_changes); None: no decomposition section
    changes: Callable[[str, int], list] | None = field(default=None, repr=False)
    # (code, privacy) -> the structure's ranked improvement levers (analysis.levers); None: no section
    levers: Callable[[str, Confidentiality], list] | None = field(default=None, repr=False)
    # code -> the actions of the plan followed at this campaign (analysis.plans); None: no section
    follow_up: Callable[[str], list] | None = field(default=None, repr=False)
    peer_cells: dict = field(default_factory=dict, repr=False)  # memo of peer_cell
    open_data: observed.OpenData | None = None  # the programme's open data (ingest-opendata)

    def peer_cell(self, kind: str, key: object, unit: str, privacy: Confidentiality) -> str:
        """A peer group's median cell, computed once for all the pages that show it."""
        found = (kind, key, unit, privacy)
        if self.peers is None:
            raise ValueError("frames of one network: the peer groups' medians are in the site's data file")
        if found not in self.peer_cells:
            self.peer_cells[found] = peers.median_cell(self.peers.get((kind, key, unit)), privacy)
        return self.peer_cells[found]

    def earlier(self, code: str) -> int | None:
        """The structure's most recent campaign before this one, whichever year it is."""
        return previous_campaign(list(self.history.get(code, {})), self.campaign)


def load_frames(
    db: Autodiag,
    campaign: int,
    code: str | None = None,
    *,
    network: str | None = None,
    peers: bool = True,
    stats: dict | None = None,
) -> Frames:
    """The frames of one campaign: of every structure, of one structure (``code``), or of one
    network's structures (``network``). Site pages read the peer groups' medians from the
    campaign's data file: frames of one network, or loaded with ``peers=False``, have none.
    ``stats``: :func:`network_stats` of every network of the campaign, read once by the caller."""
    prev = previous_campaign(db.campaigns(), campaign)
    scores = db.scores(campaign=campaign, network=network, code=code)
    history = db.structure_history(code, up_to=campaign)
    if network is not None:
        history = history[history["code_structure"].isin(set(scores["code_structure"]))]
    texts = db.free_texts(campaign=campaign, network=network, code=code)
    own_network = scores["reseau"].iloc[0] if code is not None and not scores.empty else network
    frames = Frames(
        campaign=campaign,
        previous_campaign=prev,
        scores=group_by(records(scores), "code_structure"),
        history={k: group_by(v, "campagne") for k, v in group_by(records(history), "code_structure").items()},
        texts=group_by(records(texts), "code_structure"),
        summary=network_stats(db, campaign, own_network)
        if stats is None
        else {k: v for k, v in stats.items() if own_network is None or k[0] == own_network},
        peers=peer_rates(scores if code is None else db.scores(campaign=campaign))
        if peers and network is None
        else None,
    )
    frames.changes = BatchChanges(db, campaign, frames.earlier)
    frames.levers = LeverReader(db.con, campaign)
    frames.follow_up = plan_rule.FollowUp(db.con, campaign, code)
    frames.open_data = observed.load(db, campaign, code)
    return frames


def network_stats(db: Autodiag, campaign: int, network: str | None = None) -> dict:
    """(network, unit) -> the network's distribution record (global and engagements), of every
    network or of one."""
    return stats_by_network(records(db.network_summary(campaign)), network)


def stats_by_network(summary: list[dict], network: str | None = None) -> dict:
    """:func:`network_stats` from the records of ``db.network_summary``."""
    return {
        (r["reseau"], r["unit"]): r
        for r in summary
        if r["reseau"] is not None
        and r["level"] in ("global", "engagement")
        and (network is None or r["reseau"] == network)
    }


def peer_rates(scores) -> dict:
    """(kind, key, unit) -> rates of the campaign's structures (``scores``: a scores frame)."""
    return peers.peer_rates(records(scores[scores["level"].isin(["global", "engagement"])]))


def build(db: Autodiag, campaign: int, code: str, min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> Report:
    """The report of one structure (raises LookupError when it has no retained submission)."""
    privacy = Confidentiality(min_group_size)
    return build_from_frames(load_frames(db, campaign, code), code, privacy)


def render_many(
    db: Autodiag, campaign: int, codes: list[str] | None = None, privacy: Confidentiality = DEFAULT
) -> Iterator[tuple[str, Report]]:
    """(code, report) for every structure of the campaign (or ``codes``), frames loaded once."""
    frames = load_frames(db, campaign)
    codes = codes if codes is not None else sorted(frames.scores)
    frames.changes.plan(codes)
    frames.levers.plan(codes)
    for code in codes:
        yield code, build_from_frames(frames, code, privacy)


def build_from_frames(
    frames: Frames,
    code: str,
    privacy: Confidentiality = DEFAULT,
    nav: list | None = None,
    site: references.Site | None = None,
) -> Report:
    """``nav``: (text, href) links to the site's other pages (``autodiag build``); ``site``: the
    figures shared with other structures (network, peers, levers' shares and contacts) are read
    from the campaign's data file, not written in the page (:mod:`.references`)."""
    rows = frames.scores.get(code)
    if not rows:
        raise LookupError(f"aucune soumission retenue pour {code} en {frames.campaign}")
    identity = rows[0]
    overall = next(r for r in rows if r["level"] == "global")
    engagements = [r for r in rows if r["level"] == "engagement"]
    themes = group_by([r for r in rows if r["level"] == "theme"], "engagement")
    texts = frames.texts.get(code, [])

    report = Report(
        title=f"Résultats de l'auto-diagnostic — {identity['nom_structure']}",
        subtitle=f"Services Publics + — Vision par structure — campagne {frames.campaign} — questionnaire {overall['version']}",
        running_header=f"{identity['nom_structure']} ({code}) — campagne {frames.campaign}",
        nav=list(nav or []),
        references=site.hrefs if site else (),
    )
    _header(report, identity)
    _stakes(report)
    _overview(report, overall, engagements)
    if site is None:
        _against_network(report, identity, overall, engagements, frames, privacy)
        _against_peers(
            report, identity, overall, engagements, privacy, lambda *group: frames.peer_cell(*group, privacy)
        )
    else:
        _against_network_shared(report, identity, overall, engagements, frames, privacy)
        _against_peers(report, identity, overall, engagements, privacy)
    _history(report, code, frames)
    _against_previous(report, code, overall, engagements, frames)
    _why_changed(report, code, overall, frames)
    _follow_up(report, code, frames)
    _levers(report, code, engagements, frames, privacy, shared=site is not None)
    observed.structure_section(report, code, frames.open_data, privacy)
    for engagement in engagements:
        _engagement(report, engagement, themes.get(engagement["engagement"], []), texts)
    _methods(report)
    # The global rate is the mean over the engagements of the structure's questionnaire version.
    report.html(METHOD_HTML.replace("sur les 8 engagements", f"sur les {len(engagements)} engagements"))
    return report


def _header(report: Report, identity: dict) -> None:
    date = identity["date_enregistrement"]
    date_text = date.strftime("%d/%m/%Y %H:%M:%S") if date is not None else "--"
    report.heading("Vision par structure")
    report.html(
        definition_list(
            [
                ("Nom de votre structure locale :", identity["nom_structure"]),
                ("Typologie :", identity["typologie"] or "--"),
                ("Réseau :", identity["reseau"]),
                ("Localisation :", identity["localisation"] or "--"),
                (
                    "Nombre d'agents ayant contribué à ce diagnostic local :",
                    fmt.number(identity["nb_agents_contributeurs"]),
                ),
                (
                    "Nombre d'agents en interaction avec les usagers :",
                    fmt.number(identity["nb_agents_interaction"]),
                ),
                ("Date d'enregistrement :", date_text),
                (
                    "Le code Services Publics + de votre structure est le suivant :",
                    identity["code_structure"],
                ),
            ]
        )
    )
    report.text(
        "Ce code est défini par la plateforme Services Publics + et est indépendant des codes internes à votre réseau.",
        "note",
    )
    report.text(HEADER_CONTACT, "note")


STAKES_AIMS = [
    "repérer les écarts entre les pratiques du site et les engagements du programme ;",
    "bâtir ou compléter un plan d'actions d'amélioration à la portée de l'équipe ;",
    "tenir compte des attentes propres aux usagers du territoire ;",
    "associer les agents, en premier lieu ceux qui reçoivent le public, et les rendre acteurs de la démarche.",
]
# Short explanations shown under an engagement's detailed results.
ENGAGEMENT_NOTES = {
    # As printed in the official report (article L123-1 alinéa 3).
    1: (
        "Le droit à l'erreur est appliqué, sous réserve des exceptions prévues à l'article L123-1 alinéa 3 du "
        "code des relations entre le public et l'administration.\n"
        "Le droit à l'erreur est un principe juridique qui s'applique dans le cadre des rapports entre une "
        "administration et les usagers. Il consiste à ne pas appliquer systématiquement une sanction administrative "
        "lors d'un premier contrôle des déclarations faites à une administration, afin d'éviter qu'un oubli ou une "
        "erreur de bonne foi soit sanctionné dès le premier manquement."
    ),
    2: (
        "À propos de l'approche omnicanale : plutôt que d'ajouter des canaux de contact, il s'agit d'orienter "
        "chaque usager vers le canal qui lui convient au moment où il en a besoin, et de faire en sorte que "
        "les canaux (accueil sur place, téléphone, courriel, site internet…) s'enchaînent simplement et de "
        "façon cohérente, pour un parcours sans rupture."
    ),
}
# « Méthodes et outils » as in the official report: its links lead to the Services Publics +
# platform (the official PDF names the pages, not their addresses).
PLATFORM = "https://www.plus.transformation.gouv.fr/"
METHOD_RESOURCES = [
    "Les incontournables de l'amélioration continue",
    "La boîte à outils de l'écoute et de l'amélioration continue",
    "Le plan d'action d'amélioration",
    "Un kit : Parcours des usagers",
]
PLATFORM_LINKS = [
    "Consulter les expériences des usagers",
    "Consulter les résultats des services publics",
    "Consulter les documents administratifs simplifiés",
]
HEADER_CONTACT = (
    "Si les informations présentées ci-dessus ne correspondent pas à votre structure, veuillez-vous "
    "rapprocher directement du référent Services Publics + de votre réseau."
)


def _bullets(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in items) + "</ul>"


def _stakes(report: Report) -> None:
    report.heading("Les enjeux de l'auto-diagnostic")
    report.text(
        "Conduit chaque année, en équipe, par chaque site en contact avec le public, l'auto-diagnostic est "
        "l'un des leviers de l'amélioration continue voulue par le programme Services Publics +. Il permet de :"
    )
    report.html(_bullets(STAKES_AIMS))
    report.text(
        "Le questionnaire proposé par la DITP sert de support. Votre service public peut aussi s'appuyer sur "
        "sa propre démarche d'auto-diagnostic, pourvu qu'elle couvre les engagements communs du programme et "
        "qu'elle soit menée au plus près des usagers, quel que soit leur canal de contact."
    )


def _links(items: list[str]) -> str:
    return "<ul>" + "".join(f'<li><a href="{esc(PLATFORM)}">{esc(item)}</a></li>' for item in items) + "</ul>"


def _methods(report: Report) -> None:
    report.heading("Méthodes et outils")
    report.html(
        f'<p>Différentes ressources sont à votre disposition sur la <a href="{esc(PLATFORM)}">plateforme '
        "Services Publics +</a>. Elles vont vous permettre d'identifier et de mettre en place des plans "
        "d'actions d'amélioration continue dans votre structure :</p>"
    )
    report.html(_links(METHOD_RESOURCES))
    report.text("Sur la plateforme Services Publics +, vous avez également la possibilité de :")
    report.html(_links(PLATFORM_LINKS))


OVERVIEW_HEADING = "Votre taux d'atteinte au regard des {count} engagements du programme Services Publics +"


def _overview(report: Report, overall: dict, engagements: list[dict]) -> None:
    # Heading, rate and table printed together, as for each engagement.
    applicable, asked, missing = totals(engagements)
    report.html(
        f'<div class="keep"><h2>{esc(OVERVIEW_HEADING.format(count=len(engagements)))}</h2>'
        f'<p class="headline">{esc(fmt.rate(overall["rate"]))}</p>'
        f'<p class="note">{esc("Questions applicables : " + coverage(applicable, asked, missing))} (les questions '
        "« non applicable » et les réponses vides sont exclues des taux).</p>"
        + table(
            [
                "Vision par engagement",
                "Taux d'atteinte à la cible (en %) *",
                "Questions applicables (sur posées, vides)",
            ],
            [
                [e["title"], fmt.rate(e["rate"]), coverage(e["applicable"], e["n_questions"], e["missing"])]
                for e in engagements
            ],
            numeric=[1],
            keep=True,
        )
        + "</div>"
    )
    few = [f"E{e['engagement']}" for e in engagements if thin(e["applicable"], e["n_questions"])]
    if few:
        report.text(
            f"{', '.join(few)} : {THIN} (moins de la moitié des questions posées) ; le taux repose sur "
            "peu de réponses.",
            "masked",
        )
    report.text(
        "* le taux d'atteinte à la cible est calculé par rapport aux attendus du référentiel détaillé "
        "des engagements du programme Services Publics +",
        "note",
    )


def _against_network(
    report: Report,
    identity: dict,
    overall: dict,
    engagements: list[dict],
    frames: Frames,
    privacy: Confidentiality,
) -> None:
    network = identity["reseau"]
    report.heading("Votre structure au sein de son réseau")
    units = [("global", "Global", overall["rate"])] + [
        (e["unit"], f"E{e['engagement']}", e["rate"]) for e in engagements
    ]
    stats = [frames.summary.get((network, unit)) for unit, _, _ in units]
    if not privacy.visible(stats[0]):
        report.text(f"Réseau « {network} » : comparaison impossible.", None)
        report.html(masked_note(privacy))
        return
    rows = [
        [name, fmt.rate(value)]
        + [privacy.shown(s, field) for field in ("q1", "median", "q3")]
        + [fmt.number(s["n_rated"] if s else 0)]
        for (_, name, value), s in zip(units, stats)
    ]
    eng_stats = stats[1:]
    spec = charts.position_chart(
        [e["engagement"] for e in engagements],
        [e["rate"] for e in engagements],
        [privacy.masked_stat(s, "q1") for s in eng_stats],
        [privacy.masked_stat(s, "median") for s in eng_stats],
        [privacy.masked_stat(s, "q3") for s in eng_stats],
        f"Vos taux face à la médiane et aux quartiles du réseau ({frames.campaign})",
        name="Votre structure",
        group_name=NETWORK_GROUP,
    )
    report.chart(
        spec,
        table(
            NETWORK_COLUMNS,
            rows,
            numeric=[1, 2, 3, 4, 5],
            caption=f"Réseau « {network} », campagne {frames.campaign}",
        ),
    )
    if any(r[2] == MASKED for r in rows):
        report.html(masked_note(privacy))


NETWORK_COLUMNS = [
    "Engagement",
    "Votre taux",
    "1er quartile du réseau",
    "Médiane du réseau",
    "3e quartile du réseau",
    "Structures",
]
NETWORK_FIELDS = ("q1", "median", "q3", "n")
NETWORK_GROUP = "Réseau : médiane (Q1–Q3)"  # the shared columns, in the data file


def _against_network_shared(
    report: Report,
    identity: dict,
    overall: dict,
    engagements: list[dict],
    frames: Frames,
    privacy: Confidentiality,
) -> None:
    """The same section, the network's figures read from the data file: shown when the network
    is large enough, else « comparaison impossible »."""
    network = identity["reseau"]
    report.heading("Votre structure au sein de son réseau")
    units = [("global", "Global", overall["rate"])] + [
        (e["unit"], f"E{e['engagement']}", e["rate"]) for e in engagements
    ]
    rows = [
        [name, fmt.rate(value)] + [references.cell(network_key(unit, f)) for f in NETWORK_FIELDS]
        for unit, name, value in units
    ]
    blank = [None] * len(engagements)
    spec = charts.position_chart(
        [e["engagement"] for e in engagements],
        [e["rate"] for e in engagements],
        blank,
        blank,
        blank,
        f"Vos taux face à la médiane et aux quartiles du réseau ({frames.campaign})",
        name="Votre structure",
        group_name=NETWORK_GROUP,
    )
    eng_units = [e["unit"] for e in engagements]
    references.substitute(
        spec,
        charts.POSITION_GROUP,
        lambda name, i: position_key(eng_units[i], name),
    )
    visible = network_key("visible")
    report.html(f'<div data-ref-show="{esc(visible)}">')
    report.chart(
        spec,
        '<div id="reseau-chiffres">'
        + table(
            NETWORK_COLUMNS,
            rows,
            numeric=[1, 2, 3, 4, 5],
            caption=f"Réseau « {network} », campagne {frames.campaign}",
        )
        + "</div>",
    )
    report.html(references.masked_note_slot(masked_note(privacy), "reseau-chiffres") + "</div>")
    report.html(
        f'<div data-ref-hide="{esc(visible)}" hidden><p>{esc(f"Réseau « {network} » : comparaison impossible.")}</p>'
        f"{masked_note(privacy)}</div>"
    )


def _shared_peer_cell(kind: str, key: object, unit: str) -> str:
    return references.cell(references.key("pairs", kind, key, unit))


PEERS_NOTE = (
    "Médiane des taux des structures de la campagne, tous réseaux confondus, qui partagent la typologie "
    "de votre structure ou sa tranche d'agents en interaction avec les usagers ; entre parenthèses, "
    "le nombre de structures."
)


def _against_peers(
    report: Report,
    identity: dict,
    overall: dict,
    engagements: list[dict],
    privacy: Confidentiality,
    cell=None,
) -> None:
    """Beside the network: the medians of structures like this one, in every network.
    ``cell(kind, key, unit)``: a group's median cell; None: read from the site's data file."""
    report.heading("Votre structure parmi des structures comparables")
    found = peers.groups(identity)
    if not found:
        report.text("Typologie et nombre d'agents inconnus : pas de comparaison possible.", "empty")
        return
    report.text(PEERS_NOTE, "note")
    units = [("global", "Global", overall["rate"])] + [
        (e["unit"], f"E{e['engagement']}", e["rate"]) for e in engagements
    ]
    shared = cell is None
    cell = _shared_peer_cell if shared else cell
    rows = [
        [name, fmt.rate(value)] + [cell(kind, key, unit) for kind, _, key in found]
        for unit, name, value in units
    ]
    html_ = table(
        ["Engagement", "Votre taux"] + [label for _, label, _ in found],
        rows,
        numeric=range(1, 2 + len(found)),
    )
    if shared:
        report.html(
            f'<div id="pairs-chiffres">{html_}</div>'
            + references.masked_note_slot(masked_note(privacy), "pairs-chiffres")
        )
        return
    report.html(html_)
    if any(MASKED in row for row in rows):
        report.html(masked_note(privacy))


def _history(report: Report, code: str, frames: Frames) -> None:
    """Every campaign of the structure, one table per questionnaire version (engagement
    numbers do not mean the same thing from one version to the next)."""
    report.heading("Historique")
    history = frames.history.get(code, {})
    by_version: dict = {}
    for campaign in sorted(history):
        by_version.setdefault(history[campaign][0]["version"], []).append(campaign)
    report.text(
        f"Chaque campagne de la structure jusqu'à {frames.campaign} ({fmt.number(len(history))}), avec la "
        "version du questionnaire sur laquelle elle a répondu.",
        "note",
    )
    for version, campaigns in by_version.items():
        units = [(r["unit"], r["title"]) for r in history[campaigns[-1]] if r["level"] == "engagement"]
        rows = []
        for campaign in campaigns:
            rates = {r["unit"]: r["rate"] for r in history[campaign]}
            rows.append(
                [str(campaign), version, fmt.rate(rates.get("global"))]
                + [fmt.rate(rates.get(u)) for u, _ in units]
            )
        report.html(
            table(
                ["Campagne", "Questionnaire", "Global"] + [u for u, _ in units],
                rows,
                numeric=range(2, 3 + len(units)),
                caption=f"Questionnaire {version} ({len(units)} engagements)",
            )
        )
    if len(by_version) > 1:
        report.text(
            "Les engagements changent de numéro et de contenu d'un questionnaire à l'autre : la comparaison "
            "ci-dessous passe par la table de correspondance (liens « identique » ou « proche »).",
            "note",
        )


def _against_previous(
    report: Report, code: str, overall: dict, engagements: list[dict], frames: Frames
) -> None:
    report.heading("Évolution depuis la campagne précédente")
    prev_campaign = frames.earlier(code)
    if prev_campaign is None:
        report.text("Pas de résultat pour une campagne précédente : pas de comparaison possible.", "empty")
        return
    before = frames.history[code][prev_campaign]
    old, new = before[0]["version"], overall["version"]
    skipped = [c for c in range(prev_campaign + 1, frames.campaign)]
    if skipped:
        report.text(
            f"Comparaison avec {prev_campaign}, la dernière campagne à laquelle la structure a répondu "
            f"(pas de résultat en {', '.join(map(str, skipped))}).",
            "note",
        )
    previous = {r["unit"]: r["rate"] for r in before}
    rows, then = [], []
    glob = versions.source(old, new, "global", "global")
    rows.append(
        [
            "Global",
            fmt.rate(previous.get("global")) if glob.comparable else "--",
            fmt.rate(overall["rate"]),
            charts.signed(_delta(overall["rate"], previous.get("global")))
            if glob.comparable
            else "non comparable",
            versions.link_text(glob, old, new),
        ]
    )
    for e in engagements:
        found = versions.source(old, new, "engagement", e["unit"])
        rate = previous.get(found.unit) if found.comparable else None
        then.append(rate)
        rows.append(
            [
                f"E{e['engagement']}",
                fmt.rate(rate) if found.comparable else "--",
                fmt.rate(e["rate"]),
                charts.signed(_delta(e["rate"], rate)) if found.comparable else "non comparable",
                versions.link_text(found, old, new),
            ]
        )
    spec = charts.compare_bars(
        [e["engagement"] for e in engagements],
        [e["rate"] for e in engagements],
        then,
        f"Vos taux par engagement : {prev_campaign} et {frames.campaign}",
        current_name=str(frames.campaign),
        previous_name=str(prev_campaign),
    )
    report.chart(
        spec,
        table(
            [
                "Engagement",
                f"Campagne {prev_campaign} (questionnaire {old})",
                f"Campagne {frames.campaign} (questionnaire {new})",
                "Évolution",
                "Comparabilité",
            ],
            rows,
            numeric=[1, 2, 3],
        ),
    )


PARTS = (("answers", "Réponses"), ("applicability", "Applicabilité"), ("questionnaire", "Questionnaire"))


def _why_changed(report: Report, code: str, overall: dict, frames: Frames) -> None:
    """Each engagement's change split into answers, applicability and questionnaire (exact)."""
    prev_campaign = frames.earlier(code)
    if prev_campaign is None or frames.changes is None:
        return
    changes = frames.changes(code, prev_campaign)
    report.heading("Pourquoi vos taux ont changé", 3)
    report.text(
        "Chaque évolution se partage exactement en trois parts : les réponses (les mêmes questions, "
        "répondues autrement), l'applicabilité (des questions devenues applicables ou non applicables, "
        "une réponse vide comptant comme non applicable) et le questionnaire (des questions ajoutées ou "
        "retirées par un changement de version). Les trois parts s'additionnent pour donner l'évolution.",
        "note",
    )
    rows = []
    for r in changes:
        comparable = r["change"] is not None
        rows.append(
            [
                f"E{r['engagement']}",
                fmt.rate(r["rate_before"]),
                fmt.rate(r["rate_after"]),
                charts.signed(r["change"]) if comparable else "non comparable",
            ]
            + [charts.signed(r[k]) if comparable else "--" for k, _ in PARTS]
            + [r["link"]]
        )
    columns = [
        "Engagement",
        f"Taux {prev_campaign}",
        f"Taux {frames.campaign}",
        "Évolution",
        *(name for _, name in PARTS),
        "Lien",
    ]
    data = table(columns, rows, numeric=range(1, 7))
    before = frames.history[code][prev_campaign]
    same = before[0]["version"] == overall["version"]
    rated = [r for r in changes if r["change"] is not None]
    if same and rated and len(rated) == len(changes) and overall["rate"] is not None:
        # The global rate is the mean of the engagement rates: its change is the mean of their parts.
        parts = [sum(r[k] for r in rated) / len(rated) for k, _ in PARTS]
        then = next(r["rate"] for r in before if r["level"] == "global")
        spec = change_charts.waterfall(
            [f"Global {prev_campaign}", *(n for _, n in PARTS), f"Global {frames.campaign}"],
            [then, *parts, overall["rate"]],
            f"Évolution du taux global de {prev_campaign} à {frames.campaign}, en trois parts",
        )
        report.chart(spec, data)
    else:
        report.html(data)
        report.text(
            "Taux global non comparable d'un questionnaire à l'autre : pas de graphique en cascade.", "note"
        )


def _answer_cell(answer: str | None, points: float | None) -> str:
    if answer is None:
        return "--"
    return answer + (f" ({fmt.points(points)} pt)" if points is not None else "")


def _follow_up(report: Report, code: str, frames: Frames) -> None:
    """Each action of the structure's latest earlier plan: its status, and its question then and now."""
    if frames.follow_up is None:
        return
    actions = frames.follow_up(code)
    report.heading("Suivi du plan d'action")
    if not actions:
        report.text(
            "Aucun plan d'action chargé pour une campagne antérieure (autodiag export plan, puis "
            "autodiag ingest-plan).",
            "empty",
        )
        return
    first = actions[0]
    then, now = first.plan_campaign, first.campaign
    counted = plan_rule.counts(actions)
    report.text(
        f"Plan de la campagne {then} : {fmt.number(len(actions))} action(s) — "
        + " ; ".join(f"{fmt.number(n)} {plan_rule.OUTCOMES[k]}" for k, n in counted.items())
        + "."
    )
    report.text(
        "« Fait, amélioré » : la question obtient plus de points qu'au moment du plan ; « non comparable » : "
        "la question n'a pas d'équivalent dans le questionnaire actuel, ou n'était pas applicable alors ou "
        "maintenant. "
        + (
            ""
            if first.plan_version == first.version
            else "Le questionnaire a changé : chaque "
            "question est suivie par la table de correspondance (thèmes « identique »)."
        ),
        "note",
    )
    rows = [
        [
            f"{a.question_id} — {a.question or ''}",
            a.action or "--",
            a.pilote or "--",
            a.echeance or "--",
            a.statut or "--",
            _answer_cell(a.answer_then, a.points_then),
            _answer_cell(a.answer_now, a.points_now) if a.question_now else "question sans équivalent",
            plan_rule.OUTCOMES[a.outcome],
        ]
        for a in actions
    ]
    report.html(
        table(
            [
                "Question",
                "Action",
                "Pilote",
                "Échéance",
                "Statut",
                f"Réponse {then}",
                f"Réponse {now}",
                "Bilan",
            ],
            rows,
            caption=f"Actions du plan {then}, suivies en {now}",
        )
    )


LEVERS_SHOWN = 10


def share_cell(share, privacy: Confidentiality, known: bool = True) -> str:
    """« 5 sur 8 (62,5 %) »; the mask under the minimum group size; « -- » for no group."""
    if not known:
        return "--"
    if share.n_answered is None:
        return MASKED
    return f"{fmt.number(share.n_yes)} sur {fmt.number(share.n_answered)} ({fmt.rate(share.share)})"


def contacts_cell(contacts, shown: int = 2) -> str:
    names = [f"{c.code} {c.name}" for c in contacts[:shown]]
    more = len(contacts) - shown
    return " ; ".join(names) + (f" ; et {more} autre(s)" if more > 0 else "") if names else "--"


LEVER_COLUMNS = [
    "Rang",
    "Question",
    "Réponse donnée",
    "Gain de l'engagement",
    "Gain du taux global",
    "« Oui » dans la même typologie",
    "« Oui » dans le réseau",
    "Structures à contacter",
]


def share_key(grouping: str, group: object, version: str, question_id: str) -> str:
    """The data file's key of a share of « Oui » (its text; ``|n``: its value, for the order)."""
    # A network's shares are in its own data file: its name is not repeated in every key.
    return references.key("part", grouping, *(() if grouping == "reseau" else (group,)), version, question_id)


def contacts_key(theme: str) -> str:
    return references.key("contacts", theme)


def network_key(*parts: object) -> str:
    """A key of the network's data file (read only by its own structures' pages)."""
    return references.key("reseau", *parts)


def position_key(unit: str, part: str) -> str:
    return references.key("position", unit, part)


def _levers_shared(report: Report, code: str, found: list, frames: Frames, privacy: Confidentiality) -> None:
    """The levers' table, its shares of « Oui » and contacts read from the data file, every
    lever in the page in the order of its own gains; the page script orders them as
    analysis.levers.order_key does and shows the first LEVERS_SHOWN."""
    total = len(found)
    found = sorted(found, key=lambda lever: (-lever.global_gain, lever.position))
    # The order is by gain first: only the levers at least as strong as the LEVERS_SHOWN-th can
    # be shown, whatever the shares; those tied with it are all kept for the script to order.
    if len(found) > LEVERS_SHOWN:
        floor = found[LEVERS_SHOWN - 1].global_gain
        found = [lever for lever in found if lever.global_gain >= floor]
    network = frames.scores[code][0]["reseau"]
    rows = []
    for lever in found:
        typology = share_key("typologie", lever.typologie, lever.version, lever.question_id)
        own_network = share_key("reseau", network, lever.version, lever.question_id)
        mark = (
            f'<span data-lever data-gain="{float(lever.global_gain)!r}" data-position="{lever.position}" '
            f'data-common1="{esc(typology + "|n") if lever.typologie else ""}" data-common2="{esc(own_network + "|n")}">'
            f"{references.PENDING}</span>"
        )
        contacts = (
            f'<span data-contacts="{esc(contacts_key(lever.theme))}" data-self="{esc(code)}">'
            f"{references.PENDING}</span>"
        )
        rows.append(
            [
                Html(mark),
                f"{lever.question_id} — {lever.question or ''}",
                lever.answer,
                charts.signed(float(lever.engagement_gain)),
                charts.signed(float(lever.global_gain)),
                references.cell(typology) if lever.typologie else "--",
                references.cell(own_network),
                Html(contacts),
            ]
        )
    shown = min(LEVERS_SHOWN, len(rows))
    html_ = table(
        LEVER_COLUMNS,
        rows,
        numeric=[0, 3, 4],
        caption=f"Les {shown} pistes les plus fortes sur {total}",
    ).replace("<table ", f'<table data-levers="{LEVERS_SHOWN}" ', 1)
    report.html(
        f'<div id="pistes-chiffres">{html_}</div>'
        + references.masked_note_slot(masked_note(privacy), "pistes-chiffres")
    )


def _levers(
    report: Report,
    code: str,
    engagements: list[dict],
    frames: Frames,
    privacy: Confidentiality,
    shared: bool = False,
) -> None:
    """The strongest improvement levers, and what each engagement would add if all its levers were met."""
    if frames.levers is None:
        return
    found = frames.levers(code, privacy)
    report.heading("Pistes d'amélioration")
    if not found:
        report.text(
            "Toutes les questions applicables valent déjà 1 point : aucune piste d'amélioration.", "empty"
        )
        return
    report.text(
        "Chaque question applicable qui vaut moins d'1 point est une piste. Son gain est exact : une question "
        "vaut 1/n des points de son engagement (n questions applicables), et le taux global est la moyenne "
        "des engagements qui ont un taux. Les pistes sont classées par gain, puis par la part de « Oui » "
        "parmi les structures comparables (ce qui est courant est à portée de main). Les structures à "
        "contacter sont celles que la règle « S'inspirer de » retient sur le thème, dans votre réseau.",
        "note",
    )
    if shared:
        _levers_shared(report, code, found, frames, privacy)
    else:
        rows = [
            [
                str(rank),
                f"{lever.question_id} — {lever.question or ''}",
                lever.answer,
                charts.signed(float(lever.engagement_gain)),
                charts.signed(float(lever.global_gain)),
                share_cell(lever.typology, privacy, bool(lever.typologie)),
                share_cell(lever.network, privacy),
                contacts_cell(lever.contacts),
            ]
            for rank, lever in enumerate(found[:LEVERS_SHOWN], 1)
        ]
        report.html(
            table(
                LEVER_COLUMNS,
                rows,
                numeric=[0, 3, 4],
                caption=f"Les {len(rows)} pistes les plus fortes sur {len(found)}",
            )
        )
        if any(MASKED in row for row in rows):
            report.html(masked_note(privacy))
    by_engagement: dict[int, list] = {}
    for lever in found:
        by_engagement.setdefault(lever.engagement, []).append(lever)
    numbers = [e["engagement"] for e in engagements]
    totals_ = [float(sum(lv.global_gain for lv in by_engagement.get(n, []))) for n in numbers]
    spec = charts.gain_bars(
        numbers,
        totals_,
        f"Gain du taux global si toutes les pistes de chaque engagement "
        f"étaient atteintes ({frames.campaign})",
    )
    report.chart(
        spec,
        table(
            ["Engagement", "Votre taux", "Pistes", "Gain de l'engagement", "Gain du taux global"],
            [
                [
                    f"E{e['engagement']}",
                    fmt.rate(e["rate"]),
                    fmt.number(len(by_engagement.get(e["engagement"], []))),
                    charts.signed(
                        float(sum(lv.engagement_gain for lv in by_engagement.get(e["engagement"], [])))
                    ),
                    charts.signed(g),
                ]
                for e, g in zip(engagements, totals_)
            ],
            numeric=[1, 2, 3, 4],
        ),
    )
    report.text(
        "Le plan d'action à remplir par l'équipe (toutes les pistes, les structures à contacter et leurs "
        "points forts) : autodiag export plan --code " + code + f" --campagne {frames.campaign}.",
        "note",
    )


def _delta(current, previous):
    if current is None or previous is None:
        return None
    return current - previous


def _engagement(report: Report, engagement: dict, themes: list[dict], texts: list[dict]) -> None:
    number = int(engagement["engagement"])
    rows = [
        [
            t["title"],
            fmt.theme_rate(t["rate"]),
            fmt.points(t["points"], t["applicable"]),
            fmt.number(t["applicable"]),
        ]
        for t in themes
    ]
    rows.append(["Total", "-", fmt.points(engagement["points"]), fmt.number(engagement["applicable"])])
    # Heading, rate and table printed on one page (never the rate on one page, its table on the next).
    heading = f"Engagement {number} : {engagement['heading']}"
    report.html(
        f'<div class="keep"><h2>{esc(heading)}</h2>'
        f"<p><strong>Votre taux d'atteinte au regard de l'engagement {number}</strong></p>"
        f'<p class="headline">{esc(fmt.rate(engagement["rate"]))}</p>'
        + table(
            [
                "Résultats détaillés",
                "Taux d'atteinte à la cible",
                "Points validés",
                f"Nombre de questions applicables (sur {engagement['n_questions']} questions incluses au questionnaire)",
            ],
            rows,
            numeric=[1, 2, 3],
            total_rows=[len(rows) - 1],
            keep=True,
        )
        + "</div>"
    )
    if number in ENGAGEMENT_NOTES:
        for paragraph in ENGAGEMENT_NOTES[number].split("\n"):
            report.text(paragraph, "note")
    for text_field in TEXT_FIELDS:
        chosen = [t["text"] for t in texts if t["engagement"] == number and t["field"] == text_field]
        heading = text_field_heading(number, text_field)
        report.heading(heading, 3)
        report.html(searchable(quotes(chosen, empty=NO_DATA), heading))
