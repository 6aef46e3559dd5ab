"""The demo's open-data files, in the portal's formats, about the demo's own structures:

- export-structures.csv (labels, UTF-8 with BOM, CRLF): every structure, and a parent level
  (« tête de réseau » per territory) above most sites of each network;
- export-resultats.json (technical names): indicator results for some structures, not others,
  more often for those whose self-diagnostic rates E6 well;
- export-indicateurs.csv (technical names): the indicators of each network, with their unit;
- export-expa-c-riences.csv (labels, BOM, CRLF, dates JJ/MM/AAAA): user experiences, answered
  or not, names written as users' tools write them (case and spaces vary); one names a
  structure the base does not know (shown as unmatched).

STR-24 (the real BU Clermont Auvergne) gets the figures of its library page: visitors, opening
days and web visits, and experiences praising the calm and regretting the wait at the entrance."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from pathlib import Path

from autodiag.demo.generator import Structure

SEED_CODE = "STR-24"
PARENTS_PER_NETWORK = 3
INDICATORS = (  # code, title, title for users, unit type, unit, typical value, spread
    ("IND-27", "Taux de satisfaction des usagers", "Usagers satisfaits", "Pourcentage", "%", 82, 8),
    (
        "IND-12",
        "Délai moyen de réponse aux courriels",
        "Délai de réponse à vos courriels",
        "Durée",
        "jours",
        4,
        2,
    ),
    ("IND-31", "Nombre de visiteurs", "Visiteurs accueillis", "Nombre", "visiteurs par an", 90000, 40000),
    ("IND-32", "Nombre de jours d'ouverture", "Jours d'ouverture", "Nombre", "jours par an", 250, 25),
    (
        "IND-33",
        "Visites du site internet",
        "Visites du site internet",
        "Nombre",
        "visites par an",
        150000,
        60000,
    ),
)
SEED_RESULTS = {"IND-27": 91.0, "IND-12": 2.0, "IND-31": 1262000.0, "IND-32": 283.0, "IND-33": 474000.0}
TAGS = ("reactivite", "relation", "action", "information_explication")
SEED_EXPERIENCES = (
    ("Un lieu calme pour travailler", "Positif", "Le calme des salles de lecture est appréciable.", True),
    ("Attente à l'entrée", "Négatif", "Trop d'attente à l'entrée aux heures de pointe.", True),
    ("Personnel disponible", "Positif", "Les bibliothécaires prennent le temps d'expliquer.", False),
    ("Calme et lumière", "Positif", "Très calme, bien éclairé.", True),
    ("File d'attente", "Négatif", "Une file d'attente à l'entrée le matin.", False),
    ("Horaires", "Neutre", "Horaires corrects, le samedi serait bienvenu.", False),
    ("Réservation de salle", "Positif", "Réservation simple en ligne.", False),
)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """« ; », UTF-8 with a BOM, CRLF: the portal's CSV download."""

    def cell(value) -> str:
        text = "" if value is None else str(value)
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ';"\n\r') else text

    lines = [";".join(map(cell, header))] + [";".join(map(cell, row)) for row in rows]
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    return path


def _parents(rng: random.Random, structures: list[Structure]) -> dict[str, tuple[str, str]]:
    """code -> (parent code, parent name): a few parents per network, most sites under one."""
    found = {}
    by_network: dict[str, list[Structure]] = {}
    for s in structures:
        by_network.setdefault(s.network.name, []).append(s)
    for index, (network, members) in enumerate(sorted(by_network.items())):
        parents = [
            (f"TR-{index + 1}{k + 1}", f"{network} — tête de réseau {k + 1}")
            for k in range(PARENTS_PER_NETWORK)
        ]
        for s in members:
            if s.code == SEED_CODE:
                found[s.code] = parents[0]
            elif rng.random() < 0.85:
                found[s.code] = parents[rng.randrange(PARENTS_PER_NETWORK)]
    return found


def _structures(path: Path, structures: list[Structure], parents: dict) -> Path:
    header = [
        "Code SP de la structure",
        "Réseau",
        "Intitulé de la typologie",
        "Intitulé de la structure",
        "Description de la structure",
        "Identifiant de la structure",
        "Code SP structure parent",
        "Code postal",
        "Commune",
    ]
    rows = [
        [
            s.code,
            s.network.name,
            s.typologie,
            s.name,
            "",
            f"ID-{s.number}",
            parents.get(s.code, ("", ""))[0],
            s.postcode,
            "",
        ]
        for s in structures
    ]
    for code, name in sorted(set(parents.values())):
        network = name.split(" — ")[0]
        rows.append([code, network, "Tête de réseau", name, "", "", "", "75007", "Paris"])
    return _csv(path, header, rows)


def _results(rng: random.Random, path: Path, structures: list[Structure]) -> Path:
    records = []
    for s in structures:
        publishes = s.code == SEED_CODE or rng.random() < _sigmoid(1.2 * (s.level + s.profile[6]) - 0.2)
        if not publishes:
            continue
        chosen = INDICATORS if s.code == SEED_CODE else [i for i in INDICATORS if rng.random() < 0.7]
        for code, title, _, _, _, typical, spread in chosen:
            for year in (2023, 2024) if rng.random() < 0.6 or s.code == SEED_CODE else (2024,):
                value = SEED_RESULTS[code] if s.code == SEED_CODE else max(0.0, rng.gauss(typical, spread))
                if s.code == SEED_CODE and year == 2023:
                    value = round(value * 0.95)
                records.append(
                    {
                        "code_sp_du_resultat": f"RES-{s.number}-{code}-{year}",
                        "intitule_du_reseau": s.network.name,
                        "typologie": s.typologie,
                        "intitule_de_la_structure": s.name,
                        "code_sp_structure": s.code,
                        "titre_original_de_l_indicateur": title,
                        "code_sp_de_l_indicateur": code,
                        "valeur": round(value, 1),
                        "date_de_mise_a_jour": f"{year}-12-31",
                        "frequence": "annuelle",
                    }
                )
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _indicators(path: Path, structures: list[Structure]) -> Path:
    header = [
        "reseau",
        "intitule_original_de_l_indicateur",
        "intitule_usager_de_l_indicateur",
        "type_d_indicateur",
        "sources_et_methodes",
        "type_d_unite",
        "unite",
        "code_sp_de_l_indicateur",
    ]
    rows = [
        [network, title, users, "Indicateur commun", "Données de la structure", unit_type, unit, code]
        for network in sorted({s.network.name for s in structures})
        for code, title, users, unit_type, unit, _, _ in INDICATORS
    ]
    # Technical names, without BOM, LF: the other way the portal's CSV reaches users.
    path.write_text("\n".join(";".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")
    return path


def _spelled(rng: random.Random, name: str) -> str:
    """How a name may be written elsewhere: same words, case or spaces changed now and then."""
    roll = rng.random()
    return name.upper() if roll < 0.05 else name.replace(" ", "  ", 1) if roll < 0.1 else name


def _experience(rng, s: Structure, number: int, title: str, feeling: str, text: str, answered: bool) -> list:
    written = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(330))
    published = written + dt.timedelta(days=rng.randrange(1, 5))
    action = published + dt.timedelta(days=rng.randrange(1, 40)) if answered else None
    tags = ["Oui" if rng.random() < 0.3 else "" for _ in TAGS]
    return [
        f"EXP-{number:05d}",
        "Publiée",
        written.strftime("%d/%m/%Y"),
        published.strftime("%d/%m/%Y"),
        title,
        text,
        feeling,
        *tags,
        "Oui" if feeling == "Négatif" and rng.random() < 0.5 else "",
        s.typologie,
        _spelled(rng, s.name),
        s.network.name,
        "Merci pour votre retour, nous en tenons compte." if answered else "",
        action.strftime("%d/%m/%Y") if action else "",
    ]


def _experiences(rng: random.Random, path: Path, structures: list[Structure]) -> Path:
    header = [
        "Id expérience",
        "État expérience",
        "Écrit le",
        "Date de publication",
        "Titre",
        "Description",
        "Ressenti usager",
        "Réactivité",
        "Relation",
        "Action",
        "Information explication",
        "Amélioration de service à considérer",
        "Intitulé typologie 1",
        "Intitulé structure 1",
        "Intitulé réseau 1",
        "Réponse structure 1",
        "Date action engagée",
    ]
    rows: list[list] = []
    for s in structures:
        if s.code == SEED_CODE:
            for title, feeling, text, answered in SEED_EXPERIENCES:
                rows.append(_experience(rng, s, len(rows) + 1, title, feeling, text, answered))
            continue
        if rng.random() < 0.35:
            continue
        answering = _sigmoid(1.5 * (s.level + s.profile[7]) - 0.5 + rng.gauss(0, 1))
        for _ in range(rng.randrange(1, 12)):
            feeling = rng.choices(("Positif", "Neutre", "Négatif"), (0.55, 0.2, 0.25))[0]
            rows.append(
                _experience(
                    rng,
                    s,
                    len(rows) + 1,
                    "Mon passage",
                    feeling,
                    "Retour d'expérience.",
                    rng.random() < answering,
                )
            )
    stranger = structures[0]
    rows.append(_experience(rng, stranger, len(rows) + 1, "Fermé", "Négatif", "Porte close.", False))
    rows[-1][13] = "Point lecture du quartier des Minimes"  # a structure the base does not know
    return _csv(path, header, rows)


def write_open_data(out_dir: Path, structures: list[Structure], seed: int) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 21)  # its own draws: the answer exports stay the same bytes
    parents = _parents(rng, structures)
    return [
        _structures(out_dir / "export-structures.csv", structures, parents),
        _results(rng, out_dir / "export-resultats.json", structures),
        _indicators(out_dir / "export-indicateurs.csv", structures),
        _experiences(rng, out_dir / "export-expa-c-riences.csv", structures),
    ]
