#!/usr/bin/env python3
"""A realistic manuel qualité in Markdown, about forty pages once rendered: the required
contents, three procedures, ten fiches de poste, tables of tools and indicators. Deterministic."""

import random

random.seed(2026)
WORDS = (
    "accompagnement salarié parcours insertion engagement bilan échéance régulation pédagogique "
    "équipe référent accueil entretien évaluation compétences mission observatoire partenaire "
    "formation emploi durable structure association projet objectif moyens suivi procédure outil "
    "indicateur amélioration satisfaction demandeur chantier encadrant technique mise situation "
    "travail heures contrat orientation prescripteur territoire réunion compte-rendu décision"
).split()


def sentence(n):
    words = [random.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(sentences=5):
    return " ".join(sentence(random.randint(10, 22)) for _ in range(sentences))


def section(title, paragraphs=4, items=5, table=False):
    out = [f"# {title}", "", paragraph(), ""]
    out += [f"## {random.choice(WORDS).capitalize()} et {random.choice(WORDS)}", ""]
    for _ in range(paragraphs):
        out += [paragraph(random.randint(3, 6)), ""]
    out += [f"- **{random.choice(WORDS)}** : {sentence(10)}" for _ in range(items)] + [""]
    out += [f"{i}. {sentence(12)}" for i in range(1, items + 1)] + [""]
    if table:
        out += ["| Outil | Phase | Procédure |", "|---|---|---|"]
        out += [f"| {sentence(3)} | {random.choice(WORDS)} | {sentence(4)} |" for _ in range(12)] + [""]
    return "\n".join(out)


parts = [
    section("Présentation de l'organisme et historique"),
    section("Projet associatif"),
    section("Priorités et axes de développement"),
    section("Diffusion interne du manuel"),
    section("Schéma de fonctionnement", paragraphs=6),
    section("Procédure de contractualisation des engagements", paragraphs=6),
    section("Procédure de mobilisation des heures de travail", paragraphs=6),
    section("Procédure de régulation pédagogique", paragraphs=6),
    section("Référencement des outils", table=True),
    section("Indicateurs d'activité", table=True),
    section("Amélioration du système qualité", paragraphs=5),
]
parts += [section(f"Fiche de poste {i} — {random.choice(WORDS)}", paragraphs=3, items=6) for i in range(1, 11)]
print("\n\n".join(parts))
