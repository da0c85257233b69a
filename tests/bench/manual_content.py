#!/usr/bin/env python3
"""A realistic manuel qualité, about forty pages once rendered: every kind of section — the
required texts, three procedures, two organigrammes of 16 and 15 posts, ten fiches de poste, the
tools and indicators tables. Deterministic.

usage: manual_content.py json   the sections as `cedre manuel apercu` reads them
       manual_content.py html   the same content as one HTML page (needs the `markdown` module)
"""

import html
import json
import random
import sys

random.seed(2026)
WORDS = (
    "accompagnement salarié parcours insertion engagement bilan échéance régulation pédagogique "
    "équipe référent accueil entretien évaluation compétences mission observatoire partenaire "
    "formation emploi durable structure association projet objectif moyens suivi procédure outil "
    "indicateur amélioration satisfaction demandeur chantier encadrant technique mise situation "
    "travail heures contrat orientation prescripteur territoire réunion compte-rendu décision"
).split()
NAMES = "Claire Karim Awa Julien Sophie Nadia Thomas Inès Marc Léa Hugo Fatou Paul Emma Yann Chloé".split()
SURNAMES = "Morel Diallo Martin Benali Le Goff Robert Petit Garnier Caron Kerouac Roux Blanc".split()


def sentence(n):
    words = [random.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def paragraph(sentences=5):
    return " ".join(sentence(random.randint(10, 22)) for _ in range(sentences))


def text(paragraphs=4, items=5):
    out = [paragraph(), ""]
    out += [f"## {random.choice(WORDS).capitalize()} et {random.choice(WORDS)}", ""]
    for _ in range(paragraphs):
        out += [paragraph(random.randint(3, 6)), ""]
    out += [f"- **{random.choice(WORDS)}** : {sentence(10)}" for _ in range(items)] + [""]
    out += [f"{i}. {sentence(12)}" for i in range(1, items + 1)] + [""]
    return "\n".join(out)


def person():
    return f"{random.choice(NAMES)} {random.choice(SURNAMES)}"


def chart(teams):
    """A direction, then teams: (team head, [posts below it])."""
    nodes = [{"id": 1, "post": "Direction", "holder": person(), "parent": None}]
    for head, posts in teams:
        head_id = len(nodes) + 1
        nodes.append({"id": head_id, "post": head, "holder": person(), "parent": 1})
        for post in posts:
            nodes.append({"id": len(nodes) + 1, "post": post, "holder": person(), "parent": head_id})
    return {"organigramme": {"nodes": nodes}}


HIERARCHY = chart([
    ("Responsable administrative et financière", ["Comptable", "Assistante administrative", "Chargée de paie"]),
    ("Responsable technique", ["Encadrant technique d'insertion — espaces verts", "Encadrant technique d'insertion — bâtiment",
                               "Encadrant technique d'insertion — recyclerie", "Chef d'équipe"]),
    ("Responsable de l'accompagnement", ["Accompagnatrice socioprofessionnelle", "Accompagnateur socioprofessionnel",
                                         "Conseillère en insertion professionnelle"]),
    ("Chargé de relations entreprises", ["Chargée de mission formation"]),
])
FUNCTIONS = chart([
    ("Référent qualité", ["Suivi des indicateurs", "Tenue du manuel qualité", "Enquêtes de satisfaction"]),
    ("Mission accueil", ["Pré-accueil", "Entretien d'accueil", "Évaluation partagée"]),
    ("Mission insertion", ["Contractualisation des engagements", "Régulation pédagogique", "Bilans"]),
    ("Mission observatoire", ["Rapport d'activité"]),
])
POSTS = [n["post"] for n in HIERARCHY["organigramme"]["nodes"]]


def fiche(i):
    return {"fiche_de_poste": {
        "title": POSTS[i + 2],
        "reports_to": random.choice(POSTS[:5]),
        "purpose": paragraph(2),
        "missions": [sentence(12) for _ in range(8)],
        "competences": [sentence(6) for _ in range(6)],
        "conditions": paragraph(1),
    }}


PROCEDURES = ["Procédure de contractualisation des engagements", "Procédure de mobilisation des heures de travail",
              "Procédure de régulation pédagogique"]
TOOLS = {"outils": [{"tool": sentence(3)[:-1], "phase": random.choice(["Accueil", "Parcours", "Sortie", "Observatoire"]),
                     "procedure": random.choice(PROCEDURES)} for _ in range(24)]}
INDICATORS = {"indicateurs": [{"indicator": sentence(4)[:-1], "value": f"{random.randint(3, 250)}",
                               "period": "2025", "comment": sentence(6)} for _ in range(24)]}

SECTIONS = [("Présentation de l'organisme et historique", "presentation", text()),
            ("Projet associatif", "projet_associatif", text()),
            ("Priorités et axes de développement", "priorites", text()),
            ("Diffusion interne du manuel", "diffusion", text()),
            ("Organigramme hiérarchique", "organigramme_hierarchique", json.dumps(HIERARCHY, ensure_ascii=False)),
            ("Organigramme fonctionnel", "organigramme_fonctionnel", json.dumps(FUNCTIONS, ensure_ascii=False)),
            ("Schéma de fonctionnement", "fonctionnement", text(paragraphs=6))]
SECTIONS += [(p, "procedure", text(paragraphs=6)) for p in PROCEDURES]
SECTIONS += [(f"Fiche de poste — {POSTS[i + 2]}", "fiche_de_poste", json.dumps(fiche(i), ensure_ascii=False))
             for i in range(10)]
SECTIONS += [("Référencement des outils", "outils", json.dumps(TOOLS, ensure_ascii=False)),
             ("Indicateurs d'activité", "indicateurs", json.dumps(INDICATORS, ensure_ascii=False)),
             ("Amélioration du système qualité", "amelioration", text(paragraphs=5))]


def as_html():
    import markdown

    def table(headers, rows):
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table><tr>{head}</tr>{body}</table>"

    def tree(nodes, parent=None):
        items = [n for n in nodes if n["parent"] == parent]
        if not items:
            return ""
        return "<ul class=org>" + "".join(
            f"<li><span>{html.escape(n['post'])}<br><i>{html.escape(n['holder'])}</i></span>{tree(nodes, n['id'])}</li>"
            for n in items) + "</ul>"

    parts = []
    for title, kind, body in SECTIONS:
        parts.append(f"<h1>{html.escape(title)}</h1>")
        if kind.startswith("organigramme"):
            parts.append(tree(json.loads(body)["organigramme"]["nodes"]))
        elif kind == "fiche_de_poste":
            f = json.loads(body)["fiche_de_poste"]
            parts.append(table(["Rubrique", "Contenu"], [
                ("Intitulé du poste", f["title"]), ("Rattachement hiérarchique", f["reports_to"]),
                ("Finalité du poste", f["purpose"]), ("Missions et activités", " • ".join(f["missions"])),
                ("Compétences requises", " • ".join(f["competences"])), ("Conditions d'exercice", f["conditions"])]))
        elif kind == "outils":
            parts.append(table(["Outil", "Mission ou phase", "Procédure qui l'utilise"],
                               [(r["tool"], r["phase"], r["procedure"]) for r in json.loads(body)["outils"]]))
        elif kind == "indicateurs":
            parts.append(table(["Indicateur", "Valeur", "Période", "Source, commentaire"],
                               [(r["indicator"], r["value"], r["period"], r["comment"])
                                for r in json.loads(body)["indicateurs"]]))
        else:
            parts.append(markdown.markdown(body))
    style = ("body{font-family:serif;font-size:10.5pt;margin:2cm} h1{page-break-before:always;color:#1d5c4d} "
             "table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:2px} "
             ".org{display:flex;gap:8px;list-style:none;padding:0;margin:12px 0} .org .org{flex-direction:column} "
             ".org span{display:inline-block;border:1px solid #1d5c4d;background:#eef5f2;padding:4px;font-size:8pt;width:132pt}")
    return (f"<!doctype html><html lang=fr><meta charset=utf-8><style>{style}</style><body>"
            + "".join(parts) + "</body></html>")


if sys.argv[1:] == ["html"]:
    print(as_html())
else:
    print(json.dumps([{"titre": t, "type": k, "corps": b} for t, k, b in SECTIONS], ensure_ascii=False, indent=1))
