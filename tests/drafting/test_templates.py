"""Templates: the defaults, user overrides, and hostile templates refused or contained."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from followup_tui.domain.drafts import draft_context
from followup_tui.domain.model import Kind
from followup_tui.drafting.templates import (
    MAX_OUTPUT_CHARS,
    TEMPLATE_NAMES,
    TemplateError,
    render_draft,
    render_source,
    template_source,
)
from followup_tui.settings.config import Config
from tests.support.compose import APPLICATION, INTERVIEW, NOW, RULES

CONTEXT = draft_context(APPLICATION, INTERVIEW, Kind.THANK_YOU, now=NOW, rules=RULES, name="Sam")


@pytest.fixture(autouse=True)
def _own_config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Ignore the developer's own templates."""
    monkeypatch.setenv("FOLLOWUP_TUI_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def render(source: str, **kwargs: object) -> str:
    return render_source(source, dict(CONTEXT), "hostile.txt.j2", **kwargs)  # type: ignore[arg-type]


def test_default_thank_you_is_warm_and_specific() -> None:
    draft = render_draft(
        APPLICATION, INTERVIEW, Kind.THANK_YOU, now=NOW, rules=RULES, config=Config(name="Sam Lee")
    )
    assert draft.subject == "Thank you — Senior Planner interview"
    assert draft.body.startswith("Dear Priya,")
    assert "the new housing strategy" in draft.body
    assert "five years running council consultations" in draft.body
    assert draft.body.endswith("Kind regards,\nSam Lee")


def test_default_call_gives_talking_points() -> None:
    draft = render_draft(APPLICATION, INTERVIEW, Kind.CALL, now=NOW, rules=RULES, config=Config())
    assert "ask for Priya Shah (Manager)" in draft.body
    assert "+61 2 5550 1234" in draft.body
    assert "decide by Fri 27 Nov" in draft.body
    assert "the new housing strategy" in draft.body


def test_signature_replaces_the_name() -> None:
    config = Config(name="Sam", signature="Sam Lee\n0400 000 000")
    draft = render_draft(
        APPLICATION, INTERVIEW, Kind.THANK_YOU, now=NOW, rules=RULES, config=config
    )
    assert draft.body.endswith("Kind regards,\nSam Lee\n0400 000 000")


def test_user_template_overrides_the_default(_own_config_dir: Path) -> None:
    folder = _own_config_dir / "templates"
    folder.mkdir(parents=True)
    (folder / TEMPLATE_NAMES[Kind.THANK_YOU]).write_text(
        "Subject: Hi {{ greeting }}\n\nCheers for {{ topic }}!\n", encoding="utf-8"
    )
    draft = render_draft(
        APPLICATION, INTERVIEW, Kind.THANK_YOU, now=NOW, rules=RULES, config=Config()
    )
    assert draft.subject == "Hi Priya"
    assert draft.body == "Cheers for the new housing strategy!"
    # the other kind still uses the default
    assert template_source(Kind.CALL)[1].endswith("followup_tui/drafting/templates/call.txt.j2")


def test_user_data_is_rendered_literally() -> None:
    assert render("{{ role }}") == "Senior Planner"
    context = dict(CONTEXT, role="{{ 7*7 }} [b]x[/b] <script>")
    assert render_source("{{ role }}", context, "t") == "{{ 7*7 }} [b]x[/b] <script>"


# --- broken templates: a clear error naming template and line ------------------------------------


def test_syntax_error_names_the_template_and_line() -> None:
    with pytest.raises(TemplateError) as error:
        render("line one\n{% if %}\n")
    assert "hostile.txt.j2, line 2" in str(error.value)


def test_undefined_name_names_the_line() -> None:
    with pytest.raises(TemplateError) as error:
        render("a\nb\n{{ interviewr }}")
    assert "line 3" in str(error.value)
    assert "interviewr" in str(error.value)


def test_runtime_error_names_the_line() -> None:
    with pytest.raises(TemplateError) as error:
        render("\n{{ 1 / 0 }}")
    assert "line 2" in str(error.value)


def test_broken_user_template_through_render_draft(_own_config_dir: Path) -> None:
    folder = _own_config_dir / "templates"
    folder.mkdir(parents=True)
    path = folder / TEMPLATE_NAMES[Kind.THANK_YOU]
    path.write_text("Dear {{ greeting }\n", encoding="utf-8")
    with pytest.raises(TemplateError) as error:
        render_draft(APPLICATION, INTERVIEW, Kind.THANK_YOU, now=NOW, rules=RULES, config=Config())
    assert f"{path}, line 1" in str(error.value)


def test_non_utf8_user_template(_own_config_dir: Path) -> None:
    folder = _own_config_dir / "templates"
    folder.mkdir(parents=True)
    (folder / TEMPLATE_NAMES[Kind.CALL]).write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(TemplateError, match="not UTF-8"):
        render_draft(APPLICATION, INTERVIEW, Kind.CALL, now=NOW, rules=RULES, config=Config())


# --- hostile templates: refused -------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ role.__class__ }}",
        "{{ topics.__len__() }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ namespace.__init__.__globals__['os'] }}",
        "{{ self._TemplateReference__context }}",
        "{{ ''['__class__'] }}",
        "{{ (''|attr('__class__')) }}",
        "{{ ''.format.__globals__ }}",
        "{{ '{0.__class__}'.format(role) }}",
        "{{ lipsum.__globals__ }}",
        "{{ config }}",
        "{{ request }}",
        "{{ topics.append('x') }}",
    ],
)
def test_internals_are_out_of_reach(source: str) -> None:
    with pytest.raises(TemplateError) as error:
        render(source)
    assert "hostile.txt.j2" in str(error.value)


@pytest.mark.parametrize(
    ("source", "word"),
    [
        ("{% include '/etc/passwd' %}", "include"),
        ("{% include 'thank_you.txt.j2' %}", "include"),
        ("x\n{% import 'os' as os %}", "import"),
        ("{% from 'os' import system %}", "from ... import"),
        ("{% extends '/etc/passwd' %}", "extends"),
        ("{% include ['/etc/hostname', '/etc/passwd'] ignore missing %}", "include"),
    ],
)
def test_files_and_modules_are_refused_before_rendering(source: str, word: str) -> None:
    with pytest.raises(TemplateError) as error:
        render(source)
    message = str(error.value)
    assert f"'{word}' is not allowed" in message
    assert "root:" not in message


def test_include_is_refused_with_its_line() -> None:
    with pytest.raises(TemplateError, match="line 3"):
        render("one\ntwo\n{% include '/etc/passwd' %}")


# --- runaway templates: contained ---------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "{% for i in range(10**9) %}x{% endfor %}",
        "{% for i in range(100000) %}{% endfor %}",
        "{{ 'x' * 10**9 }}",
        "{{ [1] * 10**9 }}",
        "{{ (10 ** 100) ** (10 ** 100) }}",
        "{{ 9 ** 999999 }}",
        "{{ '%099999999d' % 1 }}",
        "{{ 'x'.center(1000000000) }}",
        "{{ 'x' | center(1000000000) }}",
        "{{ 'x' | indent(1000000000) }}",
        "{{ '%0999999d' | format(1) }}",
        "{{ '%.999999f' % 1.5 }}",
        "{{ '{:>999999999}'.format(1) }}",
        "{{ '{0:>999999999}'.format_map({}) }}",
        "{{ topics | slice(1000000000) | list }}",
        "{% set ns = namespace(s='x' * 50000) %}{% for i in range(10) %}"
        "{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
        "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
    ],
)
def test_runaway_templates_are_stopped(source: str) -> None:
    start = time.monotonic()
    with pytest.raises(TemplateError) as error:
        render(source)
    assert time.monotonic() - start < 5
    assert "hostile.txt.j2" in str(error.value)


def test_long_running_loops_stop_at_the_time_limit() -> None:
    # each range is allowed; together they would run for minutes
    source = (
        "{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
        "{% endfor %}{% endfor %}{% endfor %}"
    )
    start = time.monotonic()
    with pytest.raises(TemplateError, match="more than 0.3 seconds"):
        render(source, time_limit=0.3)
    assert time.monotonic() - start < 3


def test_huge_output_is_cut_off_not_fatal() -> None:
    source = "{% for a in range(1000) %}{% for b in range(100) %}xxxxxxxxxx{% endfor %}{% endfor %}"
    text = render(source)
    assert len(text) < MAX_OUTPUT_CHARS + 100
    assert text.endswith(f"[… cut off at {MAX_OUTPUT_CHARS} characters]\n")


def test_reasonable_template_features_still_work() -> None:
    source = (
        "{% for t in topics %}{{ loop.index }}. {{ t | title }}\n{% endfor %}"
        "{{ range(3) | list | length }} {{ 'ab' * 3 }} {{ '%05d' % 42 }} {{ 2 ** 10 }}"
        "{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}"
        " {{ ns.n }} {{ '{} and {}'.format('a', 'b') }}"
    )
    assert render(source) == (
        "1. The New Housing Strategy\n2. Community Consultation\n3 ababab 00042 1024 10 a and b"
    )
