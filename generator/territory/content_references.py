"""What one content block names in another: a law cited by its code, a legal point by its code.

Each block can be valid on its own and name a law that cadre-legal.yaml does not hold; the
documents would then stop on a bare KeyError. These checks say which file and key to fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rapidfuzz import process

from generator.errors import Location, Problems, display_path
from generator.messages import _
from generator.territory.content import (
    ApplicantRights,
    Block,
    CiaTexts,
    DeliberationTexts,
    Glossary,
    GuichetChecklists,
    LegalFramework,
    PpgdidContent,
)

LAWS = "national/cadre-legal.yaml"
RIGHTS = "national/information-demandeur.yaml"


def _unknown(code: str, known: Iterable[str], where: str) -> str:
    found = process.extractOne(code, list(known), score_cutoff=70)
    hint = _(' — did you mean "{guess}"?', guess=found[0]) if found else ""
    return _('no text "{code}" in {where}{hint}', code=code, where=where, hint=hint)


def reference_problems(blocks: dict[str, tuple[Path, Block]], problems: Problems) -> None:
    """Codes that point to nothing, and abbreviations defined twice, among valid blocks."""
    laws = blocks.get(LAWS)
    codes = [t.code for t in laws[1].textes] if laws and isinstance(laws[1], LegalFramework) else []
    for path, block in blocks.values():
        shown = display_path(path)
        cited: list[tuple[str, str]] = []
        if isinstance(block, DeliberationTexts):
            for n, v in enumerate(block.visas, start=1):
                if isinstance(v, str):
                    cited.append((f"visas[{n}]", v))
                elif v.code:  # a Visa written out (texte) cites nothing
                    cited.append((f"visas[{n}]", v.code))
            cited += [
                (f"lois_reforme[{n}]", law if isinstance(law, str) else law.code)
                for n, law in enumerate(block.lois_reforme, start=1)
            ]
        elif isinstance(block, CiaTexts):
            cited += [(f"textes[{n}].code", t.code) for n, t in enumerate(block.textes, start=1)]
        elif isinstance(block, Glossary):
            cited += [
                (f"sigles[{n}].texte", e.texte)
                for n, e in enumerate(block.sigles, start=1)
                if e.texte
            ]
            _defined_twice(block, shown, problems)
        elif isinstance(block, PpgdidContent):
            _points_covered(block, shown, problems)
        elif isinstance(block, GuichetChecklists):
            _rights_known(block, blocks.get(RIGHTS), shown, problems)
        if laws is None:
            continue
        for key, code in cited:
            if code not in codes:
                problems.add(Location(shown, key=key), _unknown(code, codes, LAWS))


def _rights_known(
    checklists: GuichetChecklists,
    rights: tuple[Path, Block] | None,
    shown: str,
    problems: Problems,
) -> None:
    """Each « loi: » line of a guichet checklist names a point of information-demandeur.yaml."""
    if rights is None or not isinstance(rights[1], ApplicantRights):
        return
    codes = [i.code for i in rights[1].informations]
    for level in checklists.niveaux:
        for n, item in enumerate(level.informations, start=1):
            if item.loi is None or item.loi in codes:
                continue
            found = process.extractOne(item.loi, codes, score_cutoff=70)
            hint = f' — did you mean "{found[0]}"?' if found else f" — known: {', '.join(codes)}"
            problems.add(
                Location(shown, key=f"niveaux[niveau {level.niveau}].informations[{n}].loi"),
                _('no point "{code}" in {where}{hint}', code=item.loi, where=RIGHTS, hint=hint),
            )


def _defined_twice(glossary: Glossary, shown: str, problems: Problems) -> None:
    seen: set[str] = set()
    for entry in glossary.sigles:
        if entry.sigle in seen:
            where = Location(shown, key=entry.sigle)
            problems.add(
                where, _("{sigle} is defined twice — keep one definition", sigle=entry.sigle)
            )
        seen.add(entry.sigle)


def _points_covered(content: PpgdidContent, shown: str, problems: Problems) -> None:
    codes = [p.code for p in content.points]
    for n, chapter in enumerate(content.chapitres, start=1):
        for m, item in enumerate(chapter.couvre, start=1):
            if item.point not in codes:
                found = process.extractOne(item.point, codes, score_cutoff=70)
                hint = _(' — did you mean "{guess}"?', guess=found[0]) if found else ""
                problems.add(
                    Location(shown, key=f"chapitres[{n}].couvre[{m}].point"),
                    _(
                        'no point "{point}" in the points of this file{hint}',
                        point=item.point,
                        hint=hint,
                    ),
                )
