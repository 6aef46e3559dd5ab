"""The dashboard's map: the mean global rate by département, nationally and per network, drawn
as plain SVG paths in the page (no plotly geo trace: those fetch a world topology from a CDN).

Geometry: data/geo/departements.svg (svg-maps, CC BY 4.0; data/geo/LICENCE-departements.txt),
metropolitan France; the overseas départements are drawn here as labelled boxes beside it.
Colours: five classes of a colour-blind-safe sequential scale (ColorBrewer YlGnBu), each with
its legend; a département under the minimum group size is hatched grey, one without any
structure white. A table gives the same figures, and a <select> shows one network's map."""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET

from autodiag import formatting as fmt
from autodiag.analysis.frames import records
from autodiag.analysis.privacy import MASKED, Confidentiality
from autodiag.paths import DEPARTEMENTS_SVG
from autodiag.reports.masking import masked_note
from autodiag.reports.page import Report
from autodiag.reports.tables import esc, script_json, table

HEADING = "Carte : taux global moyen par département"
ATTRIBUTION = (
    "Carte des départements : Victor Cazanave, svg-maps (CC BY 4.0) ; outre-mer en cases étiquetées."
)
# (upper bound excluded, colour, legend) — dark text stays readable on the light classes only,
# so the map carries no text on the paths; the legend and the table give the figures.
CLASSES = (
    (40, "#ffffcc", "moins de 40 %"),
    (50, "#a1dab4", "40 à moins de 50 %"),
    (60, "#41b6c4", "50 à moins de 60 %"),
    (70, "#2c7fb8", "60 à moins de 70 %"),
    (101, "#253494", "70 % et plus"),
)
MASKED_FILL = "url(#masque)"
EMPTY_FILL = "#ffffff"
OVERSEAS = (
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
)
BOX = (-92, 40, 72, 56, 14)  # x, first y, width, height, gap of the overseas boxes (map units)
VIEWBOX = "-100 0 713 585"


@functools.cache
def shapes() -> dict[str, tuple[str, str]]:
    """département code -> (name, SVG path data), read once from data/geo/departements.svg."""
    root = ET.fromstring(DEPARTEMENTS_SVG.read_text(encoding="utf-8"))
    return {
        p.get("id"): (p.get("aria-label"), p.get("d")) for p in root.iter("{http://www.w3.org/2000/svg}path")
    }


def names() -> dict[str, str]:
    return {**{code: name for code, (name, _) in shapes().items()}, **dict(OVERSEAS)}


def fill(row: dict | None, privacy: Confidentiality) -> str:
    if row is None or not row["n_structures"]:
        return EMPTY_FILL
    if not privacy.enough(row["n_rated"]):
        return MASKED_FILL
    return next(colour for bound, colour, _ in CLASSES if row["mean"] < bound)


def title(code: str, row: dict | None, privacy: Confidentiality) -> str:
    name = names().get(code, code)
    if row is None or not row["n_structures"]:
        return f"{code} {name} : aucune structure"
    n = f"{fmt.number(row['n_structures'])} structure(s)"
    if not privacy.enough(row["n_rated"]):
        return f"{code} {name} : {n}, taux {MASKED}"
    return f"{code} {name} : {fmt.rate(row['mean'])} ({n})"


def svg(by_code: dict, privacy: Confidentiality, caption: str) -> str:
    """The map, every département a path with its colour and a <title> read on hover."""
    parts = [
        f'<svg class="departements" viewBox="{VIEWBOX}" width="620" height="510" role="img" '
        f'aria-labelledby="carte-titre"><title id="carte-titre">{esc(caption)}</title>'
        '<defs><pattern id="masque" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d9d9d9"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#737373" stroke-width="2"/></pattern></defs>'
    ]
    for code, (_, d) in shapes().items():
        row = by_code.get(code)
        parts.append(
            f'<path data-dep="{esc(code)}" d="{esc(d)}" fill="{fill(row, privacy)}" stroke="#ffffff" '
            f'stroke-width="0.8"><title>{esc(title(code, row, privacy))}</title></path>'
        )
    x, y, w, h, gap = BOX
    for i, (code, name) in enumerate(OVERSEAS):
        row = by_code.get(code)
        top = y + i * (h + gap)
        parts.append(
            f'<g data-dep="{esc(code)}"><rect x="{x}" y="{top}" width="{w}" height="{h}" rx="4" '
            f'fill="{fill(row, privacy)}" stroke="#595959" stroke-width="0.8">'
            f"<title>{esc(title(code, row, privacy))}</title></rect>"
            f'<text x="{x + w / 2}" y="{top + h + 11}" text-anchor="middle" font-size="10" '
            f'fill="#1E1E1E">{esc(code)} {esc(name)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def legend(privacy: Confidentiality) -> str:
    items = [(colour, text) for _, colour, text in CLASSES]
    items += [
        ("#d9d9d9", f"masqué (moins de {privacy.min_group_size} structures)"),
        (EMPTY_FILL, "aucune structure"),
    ]
    return (
        '<ul class="map-legend">'
        + "".join(f'<li><span style="background:{c}"></span>{esc(t)}</li>' for c, t in items)
        + "</ul>"
    )


def rows_of(frame_rows: list, network: str | None) -> dict:
    return {
        r["departement"]: r for r in frame_rows if r["reseau"] == network and r["departement"] is not None
    }


def figures_table(by_code: dict, unknown: dict | None, privacy: Confidentiality, caption: str) -> str:
    rows = []
    for code in sorted(by_code, key=lambda c: (len(c) > 2, c)):
        r = by_code[code]
        rows.append(
            [
                code,
                names().get(code, "--"),
                fmt.number(r["n_structures"]),
                fmt.rate(r["mean"]) if privacy.enough(r["n_rated"]) else MASKED,
            ]
        )
    if unknown:
        rows.append(
            [
                "--",
                "département inconnu (code postal absent ou illisible)",
                fmt.number(unknown["n_structures"]),
                fmt.rate(unknown["mean"]) if privacy.enough(unknown["n_rated"]) else MASKED,
            ]
        )
    return table(
        ["Département", "Nom", "Structures", "Taux global moyen"],
        rows,
        numeric=[2, 3],
        nowrap=[0],
        sortable=True,
        caption=caption,
    )


SCRIPT = """
(function () {
  var select = document.getElementById('carte-reseau');
  var data = JSON.parse(document.getElementById('carte-data').textContent);
  if (!select) return;
  select.addEventListener('change', function () {
    var scope = data[select.value];
    document.querySelectorAll('svg.departements [data-dep]').forEach(function (el) {
      var shape = el.tagName.toLowerCase() === 'g' ? el.querySelector('rect') : el;
      var cell = scope[el.getAttribute('data-dep')];
      shape.setAttribute('fill', cell[0]);
      shape.querySelector('title').textContent = cell[1];
    });
    document.querySelectorAll('[data-carte-table]').forEach(function (t) {
      t.hidden = t.getAttribute('data-carte-table') !== select.value;
    });
  });
})();
"""


def section(report: Report, db, privacy: Confidentiality) -> None:
    campaigns = db.campaigns()
    if not campaigns:
        return
    campaign = campaigns[-1]
    frame = records(db.departement_summary(campaign))
    networks = sorted({r["reseau"] for r in frame if r["reseau"] is not None})
    report.heading(HEADING)
    report.text(
        f"Campagne {campaign}. Le département vient du code postal de la structure (données ouvertes, à "
        "défaut la localisation de l'export) : ses deux premiers chiffres, trois pour l'outre-mer (97x, "
        "98x), 2A et 2B pour la Corse. Le survol d'un département donne son taux et son nombre de "
        "structures ; le tableau donne les mêmes chiffres.",
        "note",
    )
    scopes = {"": (None, "National")} | {str(i + 1): (n, n) for i, n in enumerate(networks)}
    by_scope = {net: rows_of(frame, net) for net, _ in scopes.values()}  # once per scope, not per department
    data = {
        key: {
            code: [fill(by_scope[net].get(code), privacy), title(code, by_scope[net].get(code), privacy)]
            for code in [*shapes(), *(c for c, _ in OVERSEAS)]
        }
        for key, (net, _) in scopes.items()
    }
    options = "".join(f'<option value="{esc(k)}">{esc(label)}</option>' for k, (_, label) in scopes.items())
    tables = "".join(
        f'<div data-carte-table="{esc(key)}"{"" if key == "" else " hidden"}>'
        + figures_table(
            rows_of(frame, net),
            next((r for r in frame if r["reseau"] == net and r["departement"] is None), None),
            privacy,
            f"{label}, campagne {campaign}",
        )
        + "</div>"
        for key, (net, label) in scopes.items()
    )
    report.html(
        '<div class="filters"><label for="carte-reseau">Réseau<select id="carte-reseau">'
        + options
        + "</select></label></div>"
        + svg(rows_of(frame, None), privacy, f"Taux global moyen par département, campagne {campaign}")
        + legend(privacy)
        + f'<p class="note">{esc(ATTRIBUTION)}</p>'
        + "<details><summary>Tableau : les mêmes chiffres par département</summary>"
        + tables
        + "</details>"
        + f'<script type="application/json" id="carte-data">{script_json(data)}</script><script>{SCRIPT}</script>'
    )
    report.html(masked_note(privacy))
