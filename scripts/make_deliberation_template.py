"""Build templates/deliberation/deliberation.docx, the Word template of council deliberations.

The template is what a secretariat opens in Word or LibreOffice to adjust wording or layout; this
script is its reviewable source. Tags are docxtpl's: {{ value }} in a paragraph, and a paragraph
of its own holding {%p for ... %} / {%p endfor %} to repeat the paragraphs between them. Run
again after editing this file; the output is byte-identical for identical input:

    .venv/bin/python scripts/make_deliberation_template.py
"""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.render.zipfix import normalise_zip  # noqa: E402

OUT = ROOT / "templates" / "deliberation" / "deliberation.docx"
FONT = "Arial"  # LibreOffice lays it out with Liberation Sans, metric-compatible
BLUE = RGBColor(0x1F, 0x3A, 0x5F)

EXPOSE_BEFORE_ORIENTATIONS = [
    "Rendre l'accès au logement social plus lisible, plus transparent et plus équitable, alors "
    "que la demande reste forte, est depuis plusieurs années un enjeu majeur pour les pouvoirs "
    "publics et les acteurs du logement social. Depuis {{ reforme.debut }}, les règles de "
    "l'information des demandeurs, de la gestion de la demande et des attributions ont été "
    "largement revues, afin :",
]
REFORM_AIMS = [
    "de mieux informer le demandeur, en toute transparence ;",
    "de rendre son parcours plus lisible et de lui donner un rôle actif dans sa demande ;",
    "de traiter les demandes plus efficacement ;",
    "de rendre les attributions plus équitables.",
]
EXPOSE_LAWS = [
    "Les lois {{ reforme.lois }} ont confié aux intercommunalités le pilotage de cette réforme.",
    "Pour les attributions, la réforme repose sur un document cadre, qui fixe les orientations "
    "et les objectifs, et sur une convention intercommunale d'attribution (CIA), qui traduit les "
    "engagements de chaque partenaire.{% if documents.attributions %} Pour {{ epci.nom_article }}, "
    "ces deux documents sont réunis dans {{ documents.attributions | le }}.{% endif %}",
    "Le diagnostic partagé a conduit les élus de {{ epci.nom_article }} et leurs partenaires à "
    "retenir {{ orientations_compte }} pour les attributions :",
]
EXPOSE_BILAN = (
    "Chaque année, {{ epci.nom_article }} dresse le bilan des attributions de logements sociaux "
    "au regard des orientations et des objectifs de la convention intercommunale d'attribution ; "
    "ce bilan est présenté au {{ conseil.nom }}."
)
EXPOSE_GUICHETS = (
    "Pour la gestion de la demande et l'information des demandeurs, la réforme repose sur le plan "
    "partenarial de gestion de la demande de logement social et d'information des demandeurs "
    "(PPGDID). Il comprend la grille de cotation de la demande et organise le service d'accueil "
    "et d'information des demandeurs en {{ guichets_niveaux }} de guichets :"
)


def styles(document: docx.document.Document) -> None:
    """Named styles a secretariat can change once for the whole document."""
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "fr-FR")
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    bullet = document.styles["List Bullet"]
    bullet.font.name, bullet.font.size = FONT, Pt(10)
    bullet.paragraph_format.space_after = Pt(3)

    def add(name: str, size: float = 10, bold: bool = False, **layout: object) -> None:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size, style.font.bold = Pt(size), bold
        for key, value in layout.items():
            setattr(style.paragraph_format, key, value)

    add("Collectivité", 11, True, alignment=WD_ALIGN_PARAGRAPH.LEFT, space_after=Pt(0))
    add("Titre délibération", 15, True, alignment=WD_ALIGN_PARAGRAPH.CENTER, space_before=Pt(18))
    document.styles["Titre délibération"].font.color.rgb = BLUE
    document.styles["Titre délibération"].font.all_caps = True
    add("Séance", 11, True, alignment=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(12))
    add("Cellule", 9.5, alignment=WD_ALIGN_PARAGRAPH.LEFT, space_after=Pt(2))
    add("Objet", 11, True, space_before=Pt(6), space_after=Pt(10), keep_with_next=True)
    add("Visa", space_after=Pt(2))
    add("Décision", space_before=Pt(8), keep_with_next=True)
    add("Article", space_before=Pt(4), keep_together=True)
    add("Retrait", left_indent=Cm(0.63))
    add("Signature", alignment=WD_ALIGN_PARAGRAPH.CENTER, space_after=Pt(0), keep_with_next=True)


#: The outcome of the vote and the decision it makes, from vote.issue (see deliberation_context).
OUTCOME = (
    "{% if vote.issue == 'rejet' %}Rejetée"
    "{% elif vote.issue == 'majorite' %}Adoptée à la majorité"
    "{% elif vote.issue == 'unanimite' %}Adoptée à l'unanimité"
    "{% elif vote.issue == 'unanimite_exprimes' %}Adoptée à l'unanimité des suffrages exprimés"
    "{% else %}{{ a_renseigner }}{% endif %}"
)
#: What the law says of an orientation's figure (see cia_orientations.legal_note).
LEGAL_NOTE = (
    "{% if orientation.mention %} ({% if orientation.mention.minimum is none %}"
    "la loi ne fixe pas de chiffre{% elif orientation.mention.au_dela %}au-delà du taux de "
    "{{ orientation.mention.minimum | pourcent_cible }} fixé par la loi Égalité et citoyenneté"
    "{% elif orientation.mention.en_deca %}taux adapté par les orientations de la CIL, la loi "
    "Égalité et citoyenneté fixant {{ orientation.mention.minimum | pourcent_cible }}"
    "{% else %}taux fixé par la loi Égalité et citoyenneté, que les orientations de la CIL "
    "peuvent adapter{% endif %}){% endif %}"
)
#: A level of guichets: its title and role, then the open guichets and those planned.
GUICHETS = (
    "{{ niveau.titre }}{% if niveau.role %}, pour {{ niveau.role }}{% endif %} : "
    "{{ niveau.ouverts | liste }}{% if niveau.ouverts and niveau.prevus %} ; {% endif %}"
    "{% if niveau.prevus %}en projet : {{ niveau.prevus | liste }}{% endif %}"
    "{% if not niveau.ouverts and not niveau.prevus %}{{ a_renseigner }}{% endif %}."
)
#: One proxy; without a member list, the number of members represented; « Néant » when nobody
#: gave one (never while the header counts some).
PROXY = (
    "{% if p %}{{ p.mandant }} donne pouvoir à {{ p.mandataire or a_renseigner }}"
    "{% elif seance.procurations %}{{ seance.procurations }} "
    "{{ 'membre représenté' if seance.procurations == 1 else 'membres représentés' }}"
    "{% elif seance.representes == a_renseigner %}{{ a_renseigner }}{% else %}Néant{% endif %}"
)
#: How the body met: convened in time or on its date; in number (quorum) or not (only after a
#: second convocation, said in the next paragraph).
OPENING = (
    "{{ seance.ouverture }}, {{ conseil.sujet }}{% if conseil.delegation %}, "
    "{{ conseil.delegation }}{% endif %}, {% if seance.convocation_reguliere %}régulièrement "
    "convoqué{% else %}convoqué le {{ seance.convocation }}{% endif %}, s'est réuni{% if "
    "seance.quorum_atteint %} au nombre prescrit par la loi{% endif %}, {{ seance.lieu }}, sous "
    "la présidence de {{ seance.president }}, {{ seance.president_qualite }}."
)
#: The text cited is the quorum rule in force on the sitting's date: the CGCT, or the health
#: emergency's derogation (content/national/regles.yaml, quorum-organe-deliberant).
SECOND_CONVOCATION = (
    "Le quorum n'ayant pas été atteint à la séance du {{ seance.seconde_convocation }}, "
    "{{ conseil.nom | le }} a été convoqué à nouveau ; il délibère valablement sans condition de "
    "quorum ({{ seance.quorum_texte }}{% if not conseil.communal and not "
    "seance.quorum_derogatoire %}, applicable par l'article L5211-1 du même code{% endif %})."
)
QUORUM = (
    "{% if seance.seconde_convocation and not seance.quorum_atteint %}non requis (seconde "
    "convocation){% else %}{{ seance.quorum }}{% if seance.quorum_derogatoire %} (tiers des "
    "membres en exercice, {{ seance.quorum_texte }}){% endif %}{% endif %}"
)
DECISION = (
    "{% if vote.issue == 'rejet' %}Rejette les propositions ci-dessus, à la majorité."
    "{% elif vote.issue == 'majorite' %}Décide, à la majorité :"
    "{% elif vote.issue == 'unanimite' %}Décide, à l'unanimité :"
    "{% elif vote.issue == 'unanimite_exprimes' %}Décide, à l'unanimité des suffrages exprimés :"
    "{% else %}Décide : {{ a_renseigner }}{% endif %}"
)


def para(container, text: str = "", style: str = "Normal", label: str = "", gap: float = 0) -> Any:
    """A paragraph, with an optional bold label before its text and extra space above."""
    paragraph = container.add_paragraph(style=style)
    label, text = label.replace(" :", "\u00a0:"), text.replace(" :", "\u00a0:")
    if label:
        paragraph.add_run(label).bold = True
    if text:
        paragraph.add_run(text)
    if gap:
        paragraph.paragraph_format.space_before = Pt(gap)
    return paragraph


def loop(container, header: str, body: list[tuple[str, str, str]], footer: str) -> None:
    """docxtpl repeats the paragraphs between two tag paragraphs ({%p for %} ... {%p endfor %})."""
    para(container, header)
    for text, style, label in body:
        para(container, text, style, label)
    para(container, footer)


def header_table(document: docx.document.Document) -> None:
    """The sitting at a glance on the left, who sat on the right, as on the councils' acts."""
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    for column, cell, width in zip(table.columns, (left, right), (Cm(5.8), Cm(11.2)), strict=True):
        column.width = cell.width = width
    left.paragraphs[0].style = document.styles["Cellule"]
    left.paragraphs[0].add_run("NOMBRE DE MEMBRES").bold = True
    for label, value, gap in (
        ("En exercice : ", "{{ seance.en_exercice }}", 0),
        ("Présents : ", "{{ seance.presents }}", 0),
        ("", "{%p if seance.suppleants %}", -1),
        ("dont suppléants : ", "{{ seance.suppleants }}", 0),
        ("", "{%p endif %}", -1),
        ("Représentés : ", "{{ seance.representes }}", 0),
        ("Présents ou représentés : ", "{{ seance.presents_ou_representes }}", 0),
        ("Quorum : ", QUORUM, 0),
        ("Nombre de suffrages : ", "{{ seance.suffrages }}", 0),
        ("Date de convocation : ", "{{ seance.convocation }}", 8),
        ("Date d'affichage : ", "{{ seance.affichage }}", 0),
        ("VOTE : ", OUTCOME, 8),
        ("Pour : ", "{{ vote.pour }}", 0),
        ("Contre : ", "{{ vote.contre }}", 0),
        ("Abstention : ", "{{ vote.abstention }}", 0),
    ):
        if gap < 0:  # a tag paragraph of its own
            para(left, value)
        else:
            para(left, value, "Cellule", label, gap)
    right.paragraphs[0].style = document.styles["Cellule"]
    right.paragraphs[0].add_run(OPENING)
    para(right, "{%p if seance.seconde_convocation %}")
    para(right, SECOND_CONVOCATION, "Cellule")
    para(right, "{%p endif %}")
    para(right, "{{ seance.liste_presents }}", "Cellule", "Étaient présents : ")
    para(right, "", "Cellule", "Procuration(s) :")
    loop(
        right,
        "{%p for p in seance.pouvoirs or [none] %}",
        [(PROXY, "Cellule", "")],
        "{%p endfor %}",
    )
    para(right, "{{ seance.absents }}", "Cellule", "Absent(s) : ")
    para(right, "{{ seance.excuses }}", "Cellule", "Excusé(s) : ")
    para(right, "{{ seance.secretaire }}", "Cellule", "Secrétaire de séance : ")


def signatures(document: docx.document.Document) -> None:
    """Quality and name, room to sign (3.5 cm at least), a date line; never split by a page."""
    table = document.add_table(rows=3, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    room, dated = table.rows[1], table.rows[2]
    room.height, room.height_rule = Cm(3.5), WD_ROW_HEIGHT_RULE.AT_LEAST
    for cell in room.cells:
        cell.paragraphs[0].style = document.styles["Signature"]
        cell.paragraphs[0].add_run("Signature :".replace(" :", "\u00a0:")).italic = True
    for cell in dated.cells:
        cell.paragraphs[0].style = document.styles["Signature"]
        cell.paragraphs[0].paragraph_format.keep_with_next = False
        cell.paragraphs[0].add_run("Date\u00a0: ……………………………")
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell, title, name in zip(
        table.rows[0].cells,
        (
            "{{ 'La' if seance.secretaire_feminin else 'Le' }} secrétaire de séance",
            "{{ rapporteur.signature }}",
        ),
        ("{{ seance.secretaire }}", "{{ seance.president }}"),
        strict=True,
    ):
        cell.paragraphs[0].style = document.styles["Signature"]
        cell.paragraphs[0].add_run(title)
        para(cell, name, "Signature")


def body(document: docx.document.Document) -> None:
    para(document, "{{ collectivite.entete }}", "Collectivité")
    para(document, "{{ collectivite.departement }}", "Collectivité")
    para(document, "Délibération du {{ conseil.nom }}", "Titre délibération")
    para(document, "Séance du {{ seance.date }}", "Séance")
    header_table(document)
    para(document, "{{ seance.numero_acte }}", label="Numéro interne de l'acte : ", gap=10)
    para(document, "{{ objet }}", "Objet", "Objet : ")
    para(document, "{{ rapporteur.expose }} expose :")
    for text in EXPOSE_BEFORE_ORIENTATIONS:
        para(document, text)
    for text in REFORM_AIMS:
        para(document, text, "List Bullet")
    para(document, EXPOSE_LAWS[0])
    para(document, "{%p if approuve.attributions %}")
    for text in EXPOSE_LAWS[1:]:
        para(document, text)
    loop(
        document,
        "{%p for orientation in orientations %}",
        [
            ("", "List Bullet", "{{ orientation.titre }}"),
            ("{{ orientation.objectif }}" + LEGAL_NOTE + ".", "Retrait", "Objectif : "),
            ("{%p if orientation.precision %}", "Normal", ""),
            ("{{ orientation.precision }}", "Retrait", ""),
            ("{%p endif %}", "Normal", ""),
        ],
        "{%p endfor %}",
    )
    para(document, "{%p endif %}")
    para(document, "{%p if approuve.ppgdid or approuve.annexes %}")
    para(document, EXPOSE_GUICHETS)
    loop(
        document,
        "{%p for niveau in guichets %}",
        [(GUICHETS, "List Bullet", "Niveau {{ niveau.numero }} — ")],
        "{%p endfor %}",
    )
    para(document, "{%p endif %}")
    para(document, "{%p if approuve.bilan %}")
    para(document, EXPOSE_BILAN)
    para(document, "{%p endif %}")
    para(document, "{%p if engagements and (approuve.ppgdid or approuve.attributions) %}")
    para(document, "Ces documents engagent {{ collectivite.nom_article }} à :")
    loop(document, "{%p for e in engagements %}", [("{{ e }}", "List Bullet", "")], "{%p endfor %}")
    para(document, "{%p endif %}")
    para(document, "Il est proposé au {{ conseil.nom }} :")
    loop(
        document,
        "{%p for a in articles %}",
        [("{{ a.texte }}", "List Bullet", "")],
        "{%p endfor %}",
    )
    loop(document, "{%p for visa in visas %}", [("{{ visa }} ;", "Visa", "VU ")], "{%p endfor %}")
    heard = (
        "{{ conseil.nom | le | majuscule }}, {{ rapporteur.entendu }} "
        "entendu{{ 'e' if rapporteur.feminin }}, après en avoir délibéré,"
    )
    para(document, heard, "Décision")
    para(document, "", "Décision", label=DECISION)
    loop(
        document,
        "{%p for article in articles %}",
        [("{{ article.texte }}", "Article", "Article {{ article.numero }} : ")],
        "{%p endfor %}",
    )
    para(
        document, "Fait {{ seance.fait_a }}, le {{ seance.date_longue }}."
    ).paragraph_format.keep_with_next = True
    para(document).paragraph_format.keep_with_next = True
    signatures(document)


def build() -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2)
    section.top_margin, section.bottom_margin = Cm(1.8), Cm(1.8)
    styles(document)
    body(document)
    properties = document.core_properties
    fixed = datetime(2025, 1, 1, tzinfo=UTC)
    properties.title = "Délibération sur le PPGDID, la CIA et leur bilan"
    properties.author = properties.last_modified_by = "cil"
    properties.subject = properties.keywords = properties.comments = properties.category = ""
    properties.language = "fr-FR"
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = fixed
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(build())
    print(f"wrote {OUT.relative_to(ROOT)}")
