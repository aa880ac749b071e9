"""The comparison of two years as a page: blocks paired, words marked, data cells literal."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from generator.web.diffs import (
    ADDED,
    CHANGED,
    REDRAWN,
    REMOVED,
    SNAPSHOT,
    blocks,
    plain,
    word_changes,
)
from generator.web.jobs import DIFF
from tests.web.conftest import log_in

T = "/t/cc-rhone-crussol"
SHOWN = {
    "from": 2024,
    "to": 2025,
    "tables": [
        {
            "name": "guichets",
            "description": "les lieux d'accueil",
            "key": ["organisme", "commune"],
            "added": ["<script>alert(1)</script> · Cornas"],
            "removed": ["CCAS · Boffres"],
            "changed": [
                [
                    "Mairie · Cornas",
                    [["horaires", "lundi", "mardi", ""], ["logements", "12", "15", "+3"]],
                ]
            ],
        }
    ],
    "unchanged": ["cotation"],
    "objectives": [],
    "without_qpv": False,
    "documents": [
        {
            "stem": "cia",
            "title": "Convention intercommunale d'attribution",
            "sections": [
                [
                    "Annexes",
                    [
                        ["avant", "Les annexes décrivent 2024."],
                        ["après", "Les annexes décrivent 2025."],
                    ],
                ]
            ],
        },
        {"stem": "bilan", "title": "Bilan", "sections": []},
        {"stem": "deliberation", "title": "Délibération", "sections": None},
    ],
    "only_in": [],
}


def test_removed_then_added_paragraphs_pair_in_order_as_changed_ones() -> None:
    found = blocks(
        [
            ("avant", "Le plan court de 2024 à 2029."),
            ("avant", "Trois guichets accueillent le public."),
            ("après", "Le plan court de 2025 à 2030."),
            ("après", "Quatre guichets accueillent le public."),
            ("après", "Un nouveau paragraphe sans rapport aucun avec le reste."),
        ]
    )
    assert [b.kind for b in found] == [CHANGED, CHANGED, ADDED]
    assert [t for t, changed in found[0].before if changed] == ["2024", "2029"]
    assert [t for t, changed in found[1].after if changed] == ["Quatre"]


def test_unlike_paragraphs_show_as_one_removed_and_one_added() -> None:
    found = blocks([("avant", "Les bailleurs signent."), ("après", "Annexe 7 : 12 %.")])
    assert [b.kind for b in found] == [REMOVED, ADDED]


def test_a_chart_whose_caption_stays_is_said_redrawn() -> None:
    found = blocks(
        [
            ("avant", "![Part des attributions](cia-2024-part.png){width=80%}"),
            ("après", "![Part des attributions](cia-2025-part.png){width=80%}"),
        ]
    )
    assert [b.kind for b in found] == [REDRAWN]
    assert found[0].after == [("graphique « Part des attributions »", False)]


def test_a_block_reads_as_plain_text() -> None:
    assert (
        plain(r"- **Ajouté** \*5 % \[ici\] [le site](https://x.fr)") == "Ajouté *5 % [ici] le site"
    )
    assert plain("ligne un\u2028ligne deux") == "ligne un ligne deux"


@given(st.text(max_size=60), st.text(max_size=60))
def test_the_pieces_of_both_texts_put_back_together_give_the_texts(old: str, new: str) -> None:
    before, after, likeness = word_changes(old, new)
    assert "".join(t for t, _ in before) == old and "".join(t for t, _ in after) == new
    assert 0 <= likeness <= 1
    if old == new:
        assert not any(changed for _, changed in before + after)


def _comparison(
    client: TestClient, territory: str = "cc-rhone-crussol", status: str = "terminé"
) -> int:
    application = client.app.state.application  # type: ignore[attr-defined]
    request = {"from": 2024, "to": 2025, "documents": None}
    job = application.store.add_job(territory, DIFF, "editeur", request)
    folder = application._job_folder(application.store.job(job))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / SNAPSHOT).write_text(json.dumps(SHOWN), encoding="utf-8")
    application.store.update_job(job, status=status, files=["cia.redline.docx"])
    return int(job)


def test_the_comparison_page_marks_each_change_in_words_and_keeps_cells_literal(
    client: TestClient,
) -> None:
    job = _comparison(client)
    log_in(client, "lecteur")
    page = client.get(f"{T}/annees/{job}")
    assert page.status_code == 200
    html = page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; · Cornas" in html and "<script>alert" not in html
    assert '<span class="marque-ecart ajout">Ajoutée</span>' in html
    assert '<span class="marque-ecart retrait">Supprimée</span></td><th scope="row">CCAS' in html
    before, after = '<span class="sr">avant : </span>12', '<span class="sr">après : </span>15'
    assert f"<del>{before}</del> → <ins>{after}</ins> (+3)" in html
    assert '<del><span class="sr">supprimé : </span>2024</del>' in html
    assert '<ins><span class="sr">ajouté : </span>2025</ins>' in html
    assert f'href="{T}/travaux/{job}/fichiers/cia.redline.docx"' in html
    assert "Documents inchangés : Bilan." in html
    assert "Tables inchangées : cotation." in html


def test_the_comparison_page_is_read_as_the_territory_is(client: TestClient) -> None:
    mine, theirs = _comparison(client), _comparison(client, "cc-grand-pic-saint-loup")
    running = _comparison(client, status="en cours")
    log_in(client, "mairie-cornas")
    assert client.get(f"{T}/annees/{mine}").status_code == 403
    client.cookies.clear()
    log_in(client, "editeur")
    assert client.get(f"{T}/annees/{theirs}").status_code == 404
    assert client.get(f"/t/cc-grand-pic-saint-loup/annees/{theirs}").status_code == 403
    waiting = client.get(f"{T}/annees/{running}", follow_redirects=False)
    assert waiting.headers["location"] == f"{T}/travaux/{running}"
