"""Checking the content blocks a territory's documents read: defaults and overrides alike.

Each YAML block in effect (the territory's override, else the default of content/) is read and
validated against its schema; every problem is located by file and key, a misspelt key gets the
closest known one, and all are collected with the territory's other data problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from generator.errors import Location, Problems, display_path
from generator.messages import _
from generator.resources import CONTENT
from generator.territory.config import setting_key
from generator.territory.content import OVERLAID, SCHEMAS, Block
from generator.territory.content_references import reference_problems
from generator.territory.table_files import ReadError, checked_entry, shown_path
from generator.territory.validation_messages import explained, suggestion
from generator.territory.yaml_files import YamlProblem, overlaid, read_yaml


def schema_of(relative: str) -> type[Block] | None:
    """The schema of a block by its path under content/ or overrides/, if it has one."""
    parts = relative.split("/")
    if parts[0] == "departements" and len(parts) == 3:
        relative = f"departements/*/{parts[2]}"
    return SCHEMAS.get(relative)


def blocks_in_effect(folder: Path, departement: str) -> dict[str, Path]:
    """Each YAML block the territory's documents may read, by relative path: override first."""
    found: dict[str, Path] = {}
    for root in (CONTENT, folder / "overrides"):
        for path in sorted(root.rglob("*.yaml")) if root.is_dir() else []:
            relative = path.relative_to(root).as_posix()
            parts = relative.split("/")
            if parts[0] == "departements" and parts[1:2] != [departement]:
                continue
            found[relative] = path
    return found


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for inner in get_args(annotation):
        yield from _models_in(inner)


def known_keys(model: type[BaseModel]) -> set[str]:
    """Every key the schema knows, at any depth: where to look for what a misspelt key meant."""
    names = set(model.model_fields)
    for info in model.model_fields.values():
        for inner in _models_in(info.annotation):
            names |= known_keys(inner)
    return names


def _message(item: Any, schema: type[Block]) -> str:
    if item["type"] == "missing":
        return _("missing — this key is required")
    if item["type"] == "extra_forbidden":
        return _("unknown key") + suggestion(str(item["loc"][-1]), known_keys(schema))
    return explained(item)


def read_block(
    path: Path, schema: type[Block], problems: Problems, under: Path | None = None
) -> Block | None:
    """The validated block, or None with its problems added, each with its file and key.

    `under`: the default block an override is laid over (`OVERLAID`), validated together."""
    shown = display_path(path)
    try:
        data = read_yaml(path)
        if under is not None:
            data = overlaid(read_yaml(under), data)
    except YamlProblem as error:
        problems.add(Location(shown, key=error.key), str(error))
        return None
    try:
        return schema.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            key = setting_key(item["loc"]) or None
            problems.add(Location(shown, key=key), _message(item, schema))
        return None


def check_content(folder: Path, departement: str, problems: Problems) -> dict[str, Block]:
    """The valid content blocks in effect for the territory in `folder`, by relative path;
    every problem of the others is added to `problems`."""
    blocks: dict[str, tuple[Path, Block]] = {}
    for relative, path in blocks_in_effect(folder, departement).items():
        try:
            if path.is_relative_to(folder):  # an override: no symbolic link out
                checked_entry(path, folder)
        except ReadError as error:
            problems.add(Location(shown_path(path)), str(error))
            continue
        schema = schema_of(relative)
        under = CONTENT / relative if relative in OVERLAID and path.is_relative_to(folder) else None
        block = read_block(path, schema, problems, under) if schema is not None else None
        if block is not None:
            blocks[relative] = (path, block)
    reference_problems(blocks, problems)
    return {relative: block for relative, (_, block) in blocks.items()}
