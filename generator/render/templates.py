"""Jinja environment for Markdown templates, with override folders and readable errors."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from generator.errors import Location, TemplateError, display_path
from generator.grammar import FILTERS as GRAMMAR
from generator.messages import _
from generator.render.compiled import compiled
from generator.render.escape import escape_markdown, table
from generator.render.typography import typeset_markdown

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class TemplateProblem(TemplateError):
    """A template bug or a missing variable, worded for the person who edits templates.

    `template` is the template's name relative to its search folder, `line` the template line
    when Jinja knows it; `str(e)` reads "annexes.md.j2, line 12: 'guichets' is undefined".
    """

    def __init__(self, template: str, message: str, line: int | None = None) -> None:
        self.template = template
        self.line = line
        super().__init__(message, Location(template, line=line))


def confined(path: Path, folder: Path) -> Path:
    """`path`, a file found in `folder`, provided it stays there once links are followed.

    A territory's overrides are written by its staff: a link from overrides/ to /etc/passwd or
    to another territory must not make cil read (and print) that file.
    """
    target = path.resolve()
    if not target.is_relative_to(folder.resolve()):
        message = (
            f"a link to {target}, outside {display_path(folder)}: refused — put the file itself "
            "in that folder"
        )
        raise TemplateError(message, Location(display_path(path)))
    return path


class _TrackingLoader(jinja2.FileSystemLoader):
    """Remembers every template name it served, so a build knows what its output depends on.

    A template must lie inside the folder it is found in, links followed (`confined`).
    """

    def __init__(self, searchpath: Sequence[str]) -> None:
        super().__init__(searchpath)
        self.served: set[str] = set()

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source = super().get_source(environment, template)
        filename = Path(source[1])
        folder = next(
            Path(f) for f in self.searchpath if filename.is_relative_to(os.path.normpath(f))
        )
        confined(filename, folder)
        self.served.add(template)
        return source


def templates_used(env: jinja2.Environment) -> set[str]:
    """Names of the templates this environment has loaded so far (includes, imports too)."""
    loader = env.loader
    return set(loader.served) if isinstance(loader, _TrackingLoader) else set()


@jinja2.pass_eval_context
def _finalize(eval_ctx: jinja2.nodes.EvalContext, value: Any) -> Any:
    """Every `{{ expression }}` passes here before output.

    Asking for the eval context stops Jinja from finalizing constants at compile time, where it
    would HTML-escape `{{ "*x*" }}` first and hand us a Markup we must not touch.
    """
    return escape_markdown(value)


def make_environment(
    search_paths: Sequence[Path],
    filters: Mapping[str, Callable[..., Any]] = _EMPTY,
    globals: Mapping[str, Any] = _EMPTY,
) -> jinja2.Environment:
    """A Jinja environment whose `{{ expressions }}` come out as literal text in Markdown.

    Earlier folders in `search_paths` win: a territory's override folder listed first replaces a
    template of the same relative path. Autoescaping is on so that macros, `caller()` and
    `{% set %}` blocks produce `Markup` (already Markdown) and are not escaped twice; `finalize`
    escapes every other value for Markdown (instead of HTML). The `e`/`escape` filters escape for
    Markdown too, `|safe` lets raw Markdown through. The grammar filters (`le`, `du`, `compte`…)
    are always there: templates phrase every sentence.

    Templates may come from a territory's overrides, written by its staff: they run in Jinja's
    sandbox, which refuses Python internals (`__globals__`, `__class__`...), so an override can
    only show what the context gives it. (Not the immutable sandbox: templates build lists.)
    """
    env = Sandbox(
        loader=_TrackingLoader([os.fspath(p) for p in search_paths]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters.update({"e": escape_markdown, "escape": escape_markdown, "md": escape_markdown})
    env.globals["table"] = table
    env.filters.update(GRAMMAR)
    env.filters.update(filters)
    env.globals.update(globals)
    return env


_FENCE = ("```", "~~~")


def headings_apart(markdown: str) -> str:
    """A blank line before every heading a template wrote right after text.

    Jinja's `trim_blocks` eats the line end after a tag that closes a text line (`…suivi.{% endif
    %}`), and pandoc reads a `## Titre` glued to the line above as text of that paragraph. Data
    cannot start a line with `#`: values come out escaped (`\\#`)."""
    lines = markdown.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith(_FENCE):
            fenced = not fenced
        elif (
            not fenced
            and index
            and lines[index - 1].strip()
            and line.startswith("#")
            and line.lstrip("#").startswith(" ")
            and len(line) - len(line.lstrip("#")) <= 6
        ):
            lines[index] = "\n" + line
    return "\n".join(lines)


def render_markdown(
    env: jinja2.Environment,
    template_name: str,
    context: Mapping[str, Any],
    typeset: bool = True,
) -> str:
    """Render a template to Markdown in French typography (`typeset_markdown`: every format is
    made from this Markdown); any template failure becomes a `TemplateProblem`.

    `typeset=False` is for a rendering nobody reads (`cil check`): the pass cannot fail, and on
    a big annex it costs seconds."""
    try:
        text = headings_apart(env.get_template(template_name).render(context))
        return typeset_markdown(text) if typeset else text
    except TemplateError:
        raise
    except jinja2.TemplateSyntaxError as exc:
        name = exc.name or _relative_name(env, exc.filename) or template_name
        raise TemplateProblem(name, exc.message or str(exc), exc.lineno) from exc
    except jinja2.TemplateNotFound as exc:
        where, line = _location(env, exc.__traceback__, template_name)
        searched = ", ".join(_search_paths(env))
        message = _("template {name!r} not found in {searched}", name=exc.name, searched=searched)
        raise TemplateProblem(where, message, line) from exc
    except Exception as exc:  # a template bug: undefined variable, bad filter argument...
        where, line = _location(env, exc.__traceback__, template_name)
        message = str(exc) if isinstance(exc, jinja2.TemplateError) else _describe(exc)
        if isinstance(exc, SecurityError):
            message = unsafe(exc)
        raise TemplateProblem(where, message, line) from exc


#: The longest string or list, the largest number, a template may make with * or **.
MAX_SIZE = 1_000_000


class Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, which also refuses `*` and `**` that would make a huge value
    (`{{ "x" * 10**10 }}` would take the machine's memory): the sandbox bounds ranges only."""

    intercepted_binops = frozenset({"*", "**"})
    #: Templates compiled from strings, kept by the environment (see `from_string`).
    _KEPT = 512

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        """A template compiled once per environment and source: the texts of the deliberations
        and the parts of a Word template are rendered again for every sitting."""
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if self.overlayed:  # an overlay shares its parent's attributes: compile afresh
            return super().from_string(source)
        compiled: dict[tuple[str, Any], Any] = self.__dict__.setdefault("_compiled", {})
        key = (source, self.autoescape)  # docxtpl sets autoescape, which changes the code
        if key not in compiled:
            if len(compiled) >= self._KEPT:
                compiled.clear()
            compiled[key] = super().from_string(source)
        return compiled[key]

    def compile(  # type: ignore[override]
        self,
        source: Any,
        name: str | None = None,
        filename: str | None = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        """Code compiled before, by this process or an earlier cil, is taken back
        (`render.compiled`)."""
        if raw or defer_init or not isinstance(source, str):
            return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
        return compiled(
            self,
            source,
            name,
            filename,
            lambda: super(Sandbox, self).compile(source, name, filename),
        )

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and _huge_power(left, right):
            raise SecurityError(
                _("the power {left} ** {right} is too large", left=repr(left), right=repr(right))
            )
        if operator == "*":
            for value, times in ((left, right), (right, left)):
                sized = isinstance(value, str | list | tuple) and isinstance(times, int)
                if sized and len(value) * times > MAX_SIZE:
                    raise SecurityError(
                        _("repeating a value {times} times is too large", times=times)
                    )
        return super().call_binop(context, operator, left, right)


def _huge_power(left: Any, right: Any) -> bool:
    if not isinstance(left, int | float) or not isinstance(right, int | float):
        return False
    return abs(right) > 64 or (abs(left) > 1 and abs(right) * math.log10(abs(left)) > 100)


def unsafe(exc: SecurityError) -> str:
    """What the sandbox refused, said as such: it is an attempt, not a typo."""
    return f"unsafe operation refused by the template sandbox ({exc})"


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _search_paths(env: jinja2.Environment) -> list[str]:
    loader = env.loader
    return list(loader.searchpath) if isinstance(loader, jinja2.FileSystemLoader) else []


def _relative_name(env: jinja2.Environment, filename: str | None) -> str | None:
    """The template name of a file, as it would be passed to `get_template`."""
    if not filename:
        return None
    path = Path(filename).resolve()
    for folder in _search_paths(env):
        try:
            return path.relative_to(Path(folder).resolve()).as_posix()
        except ValueError:
            continue
    return None


def _location(
    env: jinja2.Environment, tb: TracebackType | None, default: str
) -> tuple[str, int | None]:
    """The innermost template frame of a traceback (Jinja rewrites frames to template lines)."""
    where, line = default, None
    while tb is not None:
        name = _relative_name(env, tb.tb_frame.f_code.co_filename)
        if name is not None:
            where, line = name, tb.tb_lineno
        tb = tb.tb_next
    return where, line
