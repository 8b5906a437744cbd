"""Rendering draft templates, in a sandbox.

The defaults ship in `followup_tui/templates/` (`thank_you.txt.j2`,
`call.txt.j2`); a file of the same name in the config directory's `templates/`
replaces one. A rendered template's first line may be `Subject: ...`; see
`followup_tui.domain.drafts.split_draft`.

A template is user-editable text, so it is treated as untrusted:

- jinja2's `ImmutableSandboxedEnvironment` refuses attributes starting with
  `_` and Python internals, calls to unsafe callables, and changes to lists
  and dicts;
- the environment has no loader and a template that uses `include`, `import`,
  `from` or `extends` is refused before it runs, so it cannot read a file;
- runaway templates are contained: `range()` is capped, `*`, `**`, `+` and
  `%` refuse results that would be huge, filters refuse huge numbers, macros
  cannot recurse deeply, rendering stops after `TIME_LIMIT` seconds, and the
  output is cut off at `MAX_OUTPUT_CHARS`.

Every failure is a `TemplateError` (a `UserError`) naming the template and,
where it can, the line.
"""

from __future__ import annotations

import functools
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any

from jinja2 import StrictUndefined, nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.exceptions import TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace

from followup_tui.domain.drafts import Draft, draft_context, split_draft
from followup_tui.domain.model import Application, Interview, Kind, Rules
from followup_tui.errors import UserError
from followup_tui.settings.config import Config, config_dir

TEMPLATE_NAMES: dict[Kind, str] = {Kind.THANK_YOU: "thank_you.txt.j2", Kind.CALL: "call.txt.j2"}
DEFAULT_DIR = Path(__file__).parent / "templates"

MAX_OUTPUT_CHARS = 20_000
MAX_RANGE = 1_000
#: Largest string, list or number (in bits) an operator may produce.
MAX_SIZE = 100_000
#: Largest number passed to a filter or method (a width, a count).
MAX_ARGUMENT = 100_000
MAX_MACRO_DEPTH = 12
TIME_LIMIT = 2.0


class TemplateError(UserError):
    """A template cannot be rendered; the message names it, the line, and the fault."""


class _Refused(SecurityError):
    """A runaway template stopped by one of our limits."""


# --- limits --------------------------------------------------------------------


def _capped_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _Refused(f"range() of {len(numbers)} numbers is too long (at most {MAX_RANGE})")
    return numbers


def _size(value: Any) -> int:
    if isinstance(value, bool):
        return 1
    if isinstance(value, int):
        return value.bit_length()
    if isinstance(value, str | list | tuple | dict):
        return len(value)
    return 0


def _check_argument(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_ARGUMENT:
        raise _Refused(f"the number {value} is too large here (at most {MAX_ARGUMENT})")


class _LimitedNamespace(Namespace):
    """`namespace()` whose values cannot grow without bound."""

    def __setitem__(self, name: str, value: Any) -> None:
        if _size(value) > MAX_SIZE:
            raise _Refused(f"the value for {name!r} is too large")
        super().__setitem__(name, value)


# printf-style and str.format widths or precisions of five digits or more
_WIDE_FORMAT = re.compile(r"%[-#0 +]*(\d{5,}|\*)|%[-#0 +]*\d*\.\d{5,}")
_WIDE_FORMAT_SPEC = re.compile(r"\{[^{}]*:[^{}]*\d{5,}[^{}]*\}")


class _Environment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, int | float) and isinstance(left, int | float):
                bits = max(1, _size(int(abs(left))))
                if abs(right) > 1 and bits * abs(right) > MAX_SIZE:
                    raise _Refused(f"{left} ** {right} is too large")
        elif operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                if _size(left) + _size(right) > MAX_SIZE:
                    raise _Refused("the product is too large")
            else:
                count = right if isinstance(right, int) else left
                if isinstance(count, int) and max(_size(left), _size(right)) * count > MAX_SIZE:
                    raise _Refused("repeating that would make a value too large")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_SIZE:
                raise _Refused("the sum is too large")
        elif operator == "%" and isinstance(left, str) and _WIDE_FORMAT.search(left):
            raise _Refused("that format width is too large")
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and _WIDE_FORMAT_SPEC.search(owner):
            raise _Refused("that format width is too large")
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        for value in (*args, *kwargs.values()):
            _check_argument(value)
        return super().call(__context, __obj, *args, **kwargs)


def _guard_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            _check_argument(value)
        wide = _WIDE_FORMAT.search, _WIDE_FORMAT_SPEC.search
        if name == "format" and args and isinstance(args[0], str) and any(w(args[0]) for w in wide):
            raise _Refused("that format width is too large")
        return function(*args, **kwargs)

    return guarded


@functools.cache
def environment() -> _Environment:
    """The one sandboxed environment: no loader, strict about undefined names."""
    env = _Environment(
        loader=None,
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.clear()
    env.globals.update(
        range=_capped_range, namespace=_LimitedNamespace, cycler=Cycler, joiner=Joiner
    )
    env.filters = {name: _guard_filter(name, f) for name, f in env.filters.items()}
    return env


_FORBIDDEN_NODES = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)


class _Watchdog:
    """Stops a template that runs too long or recurses too deep (via `sys.settrace`)."""

    def __init__(self, filename: str, time_limit: float) -> None:
        self.filename = filename
        self.deadline = time.monotonic() + time_limit
        self.time_limit = time_limit
        self.lines = 0

    def _depth(self, frame: FrameType | None) -> int:
        depth = 0
        while frame is not None:
            if frame.f_code.co_filename == self.filename:
                depth += 1
            frame = frame.f_back
        return depth

    def on_call(self, frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != self.filename:
            return None
        if self._depth(frame) > MAX_MACRO_DEPTH:
            raise _Refused(f"macros or recursive loops nest more than {MAX_MACRO_DEPTH} deep")
        return self.on_line

    def on_line(self, frame: FrameType, event: str, arg: Any) -> Any:
        self.lines += 1
        if self.lines % 256 == 0 and time.monotonic() > self.deadline:
            raise _Refused(
                f"it ran for more than {self.time_limit:g} seconds (is a loop too long?)"
            )
        return self.on_line


# --- loading and rendering -----------------------------------------------------------


def user_template_dir() -> Path:
    return config_dir() / "templates"


def template_source(kind: Kind, directory: Path | None = None) -> tuple[str, str]:
    """The template text for `kind` and where it came from (a path people can open)."""
    name = TEMPLATE_NAMES[kind]
    override = (directory or user_template_dir()) / name
    path = override if override.is_file() else DEFAULT_DIR / name
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except UnicodeDecodeError as error:
        raise TemplateError(f"{path}: is not UTF-8 text ({error.reason}).") from error
    except OSError as error:
        raise TemplateError(f"{path}: cannot be read ({error.strerror}).") from error


def _line_of(error: BaseException, filename: str) -> int | None:
    line = getattr(error, "lineno", None)
    if isinstance(error, TemplateSyntaxError) and line:
        return int(line)
    for frame in reversed(traceback.extract_tb(error.__traceback__)):
        if frame.filename == filename and frame.lineno:
            return frame.lineno
    return None


def _fail(origin: str, line: int | None, message: str) -> TemplateError:
    where = f"{origin}, line {line}" if line else origin
    return TemplateError(f"template {where}: {message}")


def render_source(
    source: str,
    context: dict[str, object],
    origin: str,
    *,
    time_limit: float = TIME_LIMIT,
    max_chars: int = MAX_OUTPUT_CHARS,
) -> str:
    """Render template text in the sandbox; `origin` names it in errors.

    Output beyond `max_chars` is cut off (with a note), never an error.
    """
    env = environment()
    try:
        tree = env.parse(source, name=origin, filename=origin)
    except TemplateSyntaxError as error:
        raise _fail(origin, error.lineno, f"{error.message}.") from None
    for node in tree.find_all(_FORBIDDEN_NODES):
        word = type(node).__name__.lower().replace("fromimport", "from ... import")
        raise _fail(
            origin,
            node.lineno,
            f"'{word}' is not allowed: a template cannot read other files or templates.",
        )
    try:
        code = env.compile(tree, name=origin, filename=origin)
        template = env.template_class.from_code(env, code, env.make_globals(None))
    except JinjaTemplateError as error:
        raise _fail(origin, _line_of(error, origin), f"{error}.") from None

    watchdog = _Watchdog(origin, time_limit)
    previous = sys.gettrace()
    chunks: list[str] = []
    size = 0
    truncated = False
    sys.settrace(watchdog.on_call)
    try:
        stream: Iterator[str] = template.generate(**context)
        for chunk in stream:
            chunks.append(chunk)
            size += len(chunk)
            if size > max_chars:
                truncated = True
                break
    except RecursionError:
        raise _fail(origin, None, "it calls itself without end (recursion).") from None
    except MemoryError as error:
        line = _line_of(error, origin)
        raise _fail(origin, line, "it needs more memory than a draft should.") from None
    except Exception as error:  # noqa: BLE001 - any fault in a template is the template's
        line = _line_of(error, origin)
        message = str(error) or type(error).__name__
        raise _fail(origin, line, message.rstrip(".") + ".") from None
    finally:
        sys.settrace(previous)
    text = "".join(chunks)
    if truncated:
        text = text[:max_chars] + f"\n[… cut off at {max_chars} characters]\n"
    return text


def render_draft(
    application: Application,
    interview: Interview,
    kind: Kind,
    *,
    now: datetime,
    rules: Rules,
    config: Config,
    directory: Path | None = None,
) -> Draft:
    """The draft for one follow-up, from the user's template or the default.

    A user's template is rendered in a child process with hard memory and time
    limits (`followup_tui.drafting.template_process`); the defaults, ours, render here.
    """
    source, origin = template_source(kind, directory)
    context = draft_context(
        application,
        interview,
        kind,
        now=now,
        rules=rules,
        name=config.name,
        signature=config.signature,
    )
    if is_default(origin):
        return split_draft(render_source(source, context, origin))
    from followup_tui.drafting.template_process import render_isolated

    return split_draft(render_isolated(source, context, origin))


def is_default(origin: str) -> bool:
    """Whether a template (named as `template_source` names it) is one we ship."""
    return Path(origin).parent == DEFAULT_DIR


def has_user_template(kind: Kind, directory: Path | None = None) -> bool:
    """Whether the user has their own template for `kind`."""
    return ((directory or user_template_dir()) / TEMPLATE_NAMES[kind]).is_file()
