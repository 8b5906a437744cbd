"""What `draft` and `check` share: the compose screen's work, from the shell.

No Textual here (the commands must start fast); the `draft` and `check` commands
call `run_draft` and `run_check` with their parsed arguments and `Context`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from followup_tui.domain.checks import CheckResult, run_checks
from followup_tui.domain.model import Application, Interview, Kind
from followup_tui.errors import UserError
from followup_tui.text import printable

if TYPE_CHECKING:
    from followup_tui.cli.context import Context


class UnknownInterviewError(UserError):
    """No interview with the id the user gave."""


def find_interview(ctx: Context, interview_id: str) -> tuple[Application, Interview]:
    """The interview with `interview_id` (or a unique prefix of it) and its application.

    UserError naming the fault if there is none, or listing the candidates when
    the prefix starts several ids.
    """
    with ctx.open_store(create=False) as store:
        owner = store.interview_owner(interview_id)
        if owner is None:
            # a unique prefix will do, as with git's commit ids
            owners = store.interview_owners()
            candidates = sorted(iv for iv in owners if iv.startswith(interview_id))
            if len(candidates) == 1:
                interview_id = candidates[0]
                owner = owners[interview_id]
            elif len(candidates) > 1 and interview_id:
                shown = ", ".join(candidates[:10])
                more = f" and {len(candidates) - 10} more" if len(candidates) > 10 else ""
                raise UnknownInterviewError(
                    f"{interview_id!r} is the start of {len(candidates)} interview ids: "
                    f"{shown}{more}. Give more of the id."
                )
        application = store.load_application(owner) if owner else None
        # an application id given by mistake: name its interviews
        named = None if application else store.load_application(interview_id)
    interview = application.interview(interview_id) if application else None
    if application is None or interview is None:
        if named is not None and named.interviews:
            ids = ", ".join(iv.id for iv in named.interviews)
            hint = f"{interview_id!r} is an application; its interviews are: {ids}."
        else:
            hint = ("`followup-tui due --all --json` lists the ids (the \"interview\" key), "
                    "as does the detail pane of the app.")
        raise UnknownInterviewError(f"no interview with id {interview_id!r}. {hint}")
    return application, interview


def run_draft(args: Any, ctx: Context) -> int:
    """Print the draft the compose screen would start from."""
    from followup_tui.drafting.templates import render_draft

    application, interview = find_interview(ctx, args.interview)
    kind = Kind(args.kind)
    draft = render_draft(
        application, interview, kind, now=ctx.now(), rules=ctx.rules, config=ctx.config
    )
    if args.json:
        from followup_tui.cli.output import emit_json
        from followup_tui.domain.drafts import recipients

        emit_json({
            "interview": interview.id,
            "kind": kind.value,
            "subject": draft.subject,
            "to": recipients(application, interview),
            "body": draft.body,
        })
    else:
        text = draft.as_text()
        if sys.stdout.isatty():
            from followup_tui.cli.output import terminal_text

            text = terminal_text(text)  # to a pipe or a file the draft stays exact
        sys.stdout.write(text)
    if kind is Kind.THANK_YOU and not (ctx.config.name or ctx.config.signature):
        where = ctx.config.path or "config.toml"
        print(f'Tip: add  name = "Your Name"  to {where} to sign your drafts.', file=sys.stderr)
    return 0


def decode_draft(raw: bytes, source: str) -> str:
    """The draft's text; a UserError naming the file when it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UserError(
            f"{source}: is not UTF-8 text (byte {error.start + 1} cannot be read); "
            "save the draft as UTF-8 and try again."
        ) from error


def format_results(results: list[CheckResult], *, colour: bool = False) -> str:
    """One line per check: ✓ (passes), ! (passes, but read the note) or ✗ (fails)."""

    from followup_tui.cli.output import painter

    paint = painter(colour)
    lines = []
    for result in results:
        if not result.ok:
            mark = paint("1;31", "✗")
        elif result.warning:
            mark = paint("1;33", "!")
        else:
            mark = paint("32", "✓")
        lines.append(f"{mark} {result.name}: {printable(result.detail, single_line=True)}")
    failed = sum(1 for r in results if not r.ok)
    lines.append("All checks pass." if not failed else f"{failed} of {len(results)} checks fail.")
    return "\n".join(lines) + "\n"


def run_check(args: Any, ctx: Context) -> int:
    """Check a draft (file or '-') against the advice; 0 all pass, 1 some fail."""
    from followup_tui.cli.output import emit_json, read_input, use_colour

    source = "standard input" if args.file == "-" else args.file
    text = decode_draft(read_input(args.file), source)
    application, interview = find_interview(ctx, args.interview)
    results = run_checks(
        text,
        application,
        interview,
        Kind.THANK_YOU,
        ctx.now(),
        ctx.rules,
        ctx.config.max_words,
    )
    if args.json:
        emit_json([result.as_json() for result in results])
    else:
        colour = use_colour(sys.stdout, ctx.color)
        sys.stdout.write(format_results(results, colour=colour))
    return 0 if all(result.ok for result in results) else 1
