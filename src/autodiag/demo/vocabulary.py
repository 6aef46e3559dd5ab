"""The demo's words: invented town and person names, school kinds, and the free texts that
structures write, per engagement (points forts, besoins d'appui)."""

from __future__ import annotations

# --- Name material (invented) --------------------------------------------------------
TOWN_STEMS = (
    "Saint-Aubin", "Sainte-Colombe", "Villebrune", "Montclair", "Beaulieu", "Fontenay",
    "Roquebrune", "Champvert", "Mirecourt", "Valbonne", "Aurignac", "Bellegarde",
    "Clairefont", "Lormont", "Pontarlier", "Vieux-Moulin", "Saint-Éloi", "Sainte-Hélène",
    "Longchamp", "Rochefontaine", "Malaucène", "Châteaubrun", "Écouviez", "Bréval",
    "Mornas", "La Ferté", "Bourg-Fidèle", "Villers", "Saint-Julien", "Aiguebelle",
    "Hautefort", "Fleurance", "Crozon", "Évreuil", "Aubigny", "Montfaucon", "Vernet",
    "Saint-Amand", "Carvin", "Belcastel", "Pradelles", "Orgelet", "Marcillac",
)
TOWN_SUFFIXES = (
    "-sur-Loire", "-sur-Mer", "-les-Bains", "-en-Vexin", "-d’Azergues", "-la-Forêt",
    "-le-Château", "-sur-Orne", "-en-Bresse", "-du-Lac", "-l’Abbaye", "-de-Provence",
    "-sur-Vézère", "-d'Armagnac", "", "", "", "",
)
RIVERS = (
    "Sèvre", "Armance", "Vézère", "Orvanne", "Brenne", "Lauze", "Aveyrac", "Isole",
    "Dourbie", "Sorne", "Aubette", "Ouanne", "Serein", "Vrille",
)
PERSONS = (
    "Colette", "George-Sand", "Aimé-Césaire", "Louise-Michel", "Jules-Verne",
    "Simone-Veil", "Marguerite-Yourcenar", "Jean-Giono", "Olympe-de-Gouges",
    "Albert-Camus", "Émile-Zola", "Marie-Curie",
)
RESEARCH_DOMAINS = (
    "sciences de la mer", "agronomie et environnement", "santé publique",
    "histoire de l'art", "sciences sociales", "informatique et automatique",
    "géologie et ressources minérales", "biologie végétale", "études médiévales",
    "archéologie préventive", "climatologie", "linguistique", "écologie des montagnes",
    "économie du développement", "physique des particules", "sciences de l’éducation",
    "démographie", "hydrologie", "neurosciences", "études byzantines",
)
SCHOOL_KINDS = (
    "l'École nationale supérieure des mines {of_town}",
    "l'École supérieure d'agronomie {of_town}",
    "l'École nationale d'architecture {of_town}",
    "l'École supérieure de commerce {of_town}",
    "l’École d'ingénieurs en {domain} {of_town}",
    "l'École nationale vétérinaire {of_town}",
    "l'École supérieure d'art et de design {of_town}",
    "l'Institut d'études politiques {of_town}",
)
NATIONAL_NAMES = (
    "Bibliothèque nationale des arts et du patrimoine",
    "Bibliothèque nationale de l'Outre-mer",
    "Bibliothèque nationale des sciences et techniques",
    "Médiathèque nationale du cinéma et de l’image",
    "Bibliothèque nationale de musique et de danse",
    "Bibliothèque nationale des langues et civilisations du monde",
    "Bibliothèque nationale de géographie et des cartes",
    "Bibliothèque nationale du droit et des institutions",
    "Bibliothèque nationale de la mer et du littoral",
    "Bibliothèque nationale d'histoire contemporaine",
)

# --- Free-text pools, per engagement: (points forts, besoins d'appui) -----------------
FREE_TEXTS: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {
    1: (
        (
            "Équipe d'accueil très attentive, les usagers soulignent la qualité de l'accueil.",
            "Charte d'accueil commune à toutes les bibliothèques du réseau, affichée à l'entrée.",
            "Formation « accueil des publics » suivie par la quasi-totalité des agents.",
            "Les agents se présentent systématiquement et portent un badge nominatif.",
            "Espaces d'accueil rénovés : banque d'accueil abaissée, coin d'attente confortable.",
            "Procédure claire en cas d'incivilité, connue de tous les agents.\n"
            "Les faits sont recensés et partagés en réunion d'équipe.",
            "Bonne ambiance de travail qui se ressent dans la relation avec les lecteurs.",
            "Les retards de retour sont traités avec souplesse : c’est notre façon d’appliquer le droit à l’erreur.",
            "Accueil bilingue français-anglais pour les chercheurs étrangers.",
            "RAS",
        ),
        (
            "Formation à la gestion des situations de tension pour les nouveaux agents.",
            "Besoin d'outils pour recenser les incivilités de façon homogène.",
            "Mieux faire connaître le droit à l'erreur aux équipes, notion encore floue.",
            "Organiser des visites mystère avec d'autres structures du réseau.",
            "Un modèle de charte d’accueil adaptable serait le bienvenu.",
            "Soutien des agents après une agression verbale : qui contacter ?",
            "Former les vacataires et moniteurs étudiants à l'accueil.\n"
            "Le turn-over rend la tâche difficile.",
            "Aide pour rédiger un règlement intérieur plus lisible.",
            "Mutualiser des formations « posture d’accueil » à l’échelle du réseau.",
            "RAS",
        ),
    ),
    2: (
        (
            "Horaires d'ouverture étendus en soirée et le samedi.",
            "Site internet à jour, horaires et fermetures exceptionnelles annoncés sur tous les canaux.",
            "Bâtiment entièrement accessible aux personnes à mobilité réduite.",
            "Service de questions-réponses en ligne animé par l'équipe, réponse sous 48 h.",
            "Boucle magnétique à l'accueil et collections en gros caractères.",
            "Prise de rendez-vous en ligne pour les formations et l'accompagnement à la recherche.",
            "Les informations affichées sur place et en ligne sont vérifiées chaque trimestre.",
            "Ouverture le dimanche pendant la période des examens.",
            "Navette documentaire et portage à domicile pour les lecteurs empêchés.",
            "Fiche de l’annuaire de l’administration mise à jour en même temps que le site.",
        ),
        (
            "Mise en conformité RGAA du site internet : besoin d'un accompagnement technique.",
            "Budget nécessaire pour l'installation d'un ascenseur dans l'annexe.",
            "Pas de standard téléphonique dédié, les appels sont difficiles à absorber aux heures de pointe.",
            "Rédaction de la déclaration d'accessibilité numérique.",
            "Extension des horaires impossible sans recrutement supplémentaire.",
            "Signalétique extérieure à revoir avec la collectivité.\n"
            "Le bâtiment reste difficile à trouver depuis l’arrêt de bus.",
            "Outil de messagerie instantanée : quelle solution choisir ?",
            "Accueil des publics sourds et malentendants à améliorer (visio-interprétation).",
            "Coût estimé de la mise en accessibilité : 45 000 €, financement à trouver.",
            "RAS",
        ),
    ),
    3: (
        (
            "Ateliers numériques hebdomadaires pour les publics éloignés du numérique.",
            "Conseiller numérique présent deux jours par semaine.",
            "Portage de livres à domicile et dépôts en EHPAD.",
            "Bonne orientation vers les services partenaires (CAF, France services, CCAS).",
            "Accompagnement personnalisé des doctorants pour leur bibliographie.",
            "Bibliobus qui dessert une quarantaine de communes rurales.",
            "Lettre d'information mensuelle qui présente les nouveaux services aux usagers.",
            "Accueil adapté des publics en situation de handicap : matériel et agents référents.",
            "Actions « hors les murs » l’été dans les parcs et sur les marchés.",
            "Permanences d'écrivain public en partenariat avec une association.",
        ),
        (
            "Former les agents à l'accompagnement aux démarches en ligne.",
            "Manque de temps pour développer les actions d'aller-vers.",
            "Identifier les bons interlocuteurs pour orienter les usagers hors de notre champ.",
            "Exploiter les statistiques de prêt pour anticiper les besoins : besoin d'outils.",
            "Partenariats à construire avec les acteurs sociaux du territoire.",
            "Accueil des publics non francophones : supports traduits à créer.",
            "Besoin de matériel mobile (tablettes, connexion 4G) pour les actions hors les murs.",
            "Définir ce qu'est une demande urgente dans une bibliothèque.\n"
            "Nos équipes ne savent pas toujours prioriser.",
            "Lutte contre le non-recours : comment une bibliothèque peut-elle y contribuer ?",
            "RAS",
        ),
    ),
    4: (
        (
            "Toutes les demandes écrites reçoivent une réponse, la plupart sous 72 h.",
            "Délais de réponse affichés sur le site et globalement respectés.",
            "Suivi des demandes de prêt entre bibliothèques avec notification automatique.",
            "Boîte mail générique partagée, traitée chaque jour par un agent de permanence.",
            "Tableau de bord mensuel des délais de traitement des suggestions d'achat.",
            "Les usagers sont prévenus par SMS quand leur réservation est disponible.",
            "Délai moyen de réponse aux questions en ligne : 1,5 jour ouvré.",
            "Procédure de relance en cas de retard connue de l'équipe.",
            "Réponse systématique aux courriers, même lorsque la demande ne nous concerne pas.",
            "RAS",
        ),
        (
            "Aucun outil de suivi de l'avancement des demandes pour l'usager.",
            "Mesurer les délais sans logiciel dédié est fastidieux.",
            "Informer l'usager en cas de retard : pas de procédure formalisée.",
            "Besoin d'un outil de gestion des demandes partagé par toute l'équipe.",
            "Les demandes arrivent par trop de canaux différents, difficile d’en garantir le suivi.",
            "Définir des délais cibles réalistes avec la direction.",
            "Le prêt entre bibliothèques dépend de partenaires dont nous ne maîtrisons pas les délais.",
            "Mettre en place un accusé de réception automatique avec délai annoncé.\n"
            "Le paramétrage de la messagerie nous bloque.",
            "Aide pour construire un indicateur de délai fiable.",
            "RAS",
        ),
    ),
    5: (
        (
            "Guide du lecteur réécrit en langage clair.",
            "Formations des étudiants à la recherche documentaire, supports simples et illustrés.",
            "Documents en « facile à lire et à comprendre » disponibles pour l'inscription.",
            "Relecture croisée des supports de communication avant diffusion.",
            "Formulaire d'inscription réduit à une seule page.",
            "Signalétique intérieure repensée avec des pictogrammes.",
            "Courriers types harmonisés et simplifiés pour tout le réseau.",
            "Informations pratiques traduites en anglais, espagnol et arabe.",
            "Tutoriels vidéo courts pour les outils les plus complexes (catalogue, bases de données).",
            "RAS",
        ),
        (
            "Formation au langage clair pour les agents qui rédigent les courriers.",
            "Associer les usagers à la simplification des formulaires : méthode à trouver.",
            "Supports FALC : besoin d'un prestataire ou d'une formation.",
            "Le règlement intérieur reste trop long et juridique.",
            "Traductions des documents essentiels : pas de budget dédié.",
            "Harmoniser les messages entre le site, les affiches et les courriels.\n"
            "Chaque service rédige de son côté.",
            "Les conditions d’inscription restent complexes pour les publics extérieurs.",
            "Un outil de mesure de la lisibilité des textes serait utile.",
            "Besoin d'exemples de documents simplifiés dans d'autres bibliothèques.",
            "RAS",
        ),
    ),
    6: (
        (
            "Indicateurs de fréquentation et de satisfaction suivis chaque mois.",
            "Résultats de l'enquête de satisfaction affichés à l'accueil.",
            "Rapport annuel d'activité publié en ligne avec les résultats de qualité.",
            "Analyse des résultats en réunion d'équipe chaque trimestre.",
            "Tableau de bord partagé avec la tutelle.",
            "Premiers indicateurs communs mesurés cette année.",
            "Affichage « Vos avis, nos résultats » dans le hall.",
            "Participation à l'enquête nationale de satisfaction des bibliothèques.",
            "Données de fréquentation disponibles en temps réel grâce aux compteurs.",
            "RAS",
        ),
        (
            "Nous ne savons pas quels indicateurs communs s'appliquent aux bibliothèques.",
            "Besoin d'un outil pour collecter et publier les indicateurs.",
            "Publication en ligne des résultats : le site ne le permet pas.",
            "Fréquence de mesure des indicateurs difficile à tenir avec l'équipe actuelle.",
            "Aide pour analyser les résultats et en tirer un plan d’actions.",
            "Un modèle d'affichage des résultats serait utile.\n"
            "Nous n'avons pas de graphiste.",
            "Définir des indicateurs adaptés aux bibliothèques de recherche.",
            "Accompagnement du réseau pour le déploiement des indicateurs.",
            "Les résultats sont mesurés mais jamais communiqués aux usagers.",
            "RAS",
        ),
    ),
    7: (
        (
            "Enquête de satisfaction annuelle avec plus de 800 réponses.",
            "Comité d'usagers réuni deux fois par an.",
            "Boîte à idées physique et en ligne, réponses affichées chaque mois.",
            "Référent Services Publics + désigné et identifié par toute l’équipe.",
            "Plan d'actions d'amélioration suivi en comité de direction.",
            "Auto-diagnostic réalisé en équipe, avec les agents d'accueil.",
            "Focus groupes avec les étudiants lors de la rénovation des espaces.",
            "« Vous avez dit, nous avons fait » : affichage des améliorations obtenues grâce aux avis.",
            "Échanges de bonnes pratiques réguliers avec les autres bibliothèques du réseau.",
            "RAS",
        ),
        (
            "Formaliser un plan d'actions d'amélioration et le suivre dans le temps.",
            "Mieux faire connaître les engagements Services Publics + aux agents.",
            "Outil de recueil des avis en ligne à mettre en place (bouton « Je donne mon avis »).",
            "Analyser les parcours usagers : méthode et accompagnement souhaités.",
            "Répondre aux avis publiés en ligne : qui en a la charge ?",
            "Associer davantage les agents d'accueil à la démarche d'amélioration.",
            "Recenser les irritants de manière structurée.\n"
            "Aujourd'hui les remontées sont orales.",
            "Évaluer l'effet des actions menées : quels indicateurs ?",
            "Temps dédié au référent Services Publics + insuffisant.",
            "RAS",
        ),
    ),
    8: (
        (
            "Plan de sobriété mis en œuvre : chauffage à 19 °C et éclairage LED.",
            "Tri des déchets dans tous les espaces, y compris les espaces publics.",
            "Désherbage des collections avec dons aux associations et recyclage.",
            "Grainothèque et ateliers « zéro déchet » pour les usagers.",
            "Critères environnementaux intégrés au marché de fournitures.",
            "Réemploi du mobilier lors du réaménagement de la salle de lecture.",
            "Forfait mobilités durables utilisé par un tiers des agents.",
            "Impression recto verso par défaut et sensibilisation à la sobriété numérique.",
            "Bilan carbone réalisé avec notre tutelle.",
            "RAS",
        ),
        (
            "Mesurer les consommations énergétiques : les compteurs ne sont pas individualisés.",
            "Impliquer les usagers dans les actions environnementales.",
            "Marchés publics : comment intégrer des critères environnementaux pertinents ?",
            "Bâtiment ancien et énergivore, travaux d’isolation estimés à 1,2 M€.",
            "Suivi du volume de déchets : besoin d'un outil simple.",
            "Sensibiliser les agents aux écogestes sans moyens dédiés.",
            "Sobriété numérique : accompagnement de la DSI nécessaire.\n"
            "Les serveurs ne dépendent pas de nous.",
            "Mutualiser le réemploi du mobilier entre établissements du réseau.",
            "Manque d'un référent développement durable dans la structure.",
            "RAS",
        ),
    ),
}


# --- Data model ----------------------------------------------------------------------
