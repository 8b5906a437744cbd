"""Rendering a user's template in a child process with hard limits on memory and time.

The sandbox in `followup_tui.drafting.templates` refuses what it can see coming (huge ranges,
wide format widths, deep macros) and its watchdog stops long loops, but a single
C-level call can still build gigabytes before any check runs: `'{0:>{1}}'.format('a',
'4000000000')`, or `replace` chained a few times. So a template the user wrote is
rendered here, in a fresh interpreter whose address space (`RLIMIT_AS`) and CPU time
(`RLIMIT_CPU`) are capped by the kernel, under a wall-clock deadline kept by the
parent, which kills it. Whatever the template does, the caller gets its text or a
`TemplateError` within about `TIME_LIMIT + STARTUP_ALLOWANCE` seconds.

The child speaks JSON: it reads `{"source", "context", "origin", "time_limit",
"max_chars"}` on standard input and writes `{"text": ...}` or `{"error": ...}`.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from typing import Any

from followup_tui.drafting.templates import MAX_OUTPUT_CHARS, TIME_LIMIT, TemplateError

#: The child's whole address space: the interpreter and jinja2 take ~40 MB of it.
MEMORY_LIMIT = 256 * 1024 * 1024
#: Time for the child to start and import jinja2, beyond the template's own limit.
STARTUP_ALLOWANCE = 3.0
#: Largest reply read back (the text is capped at MAX_OUTPUT_CHARS before it is sent).
MAX_REPLY_BYTES = 1_000_000


def render_isolated(
    source: str,
    context: dict[str, object],
    origin: str,
    *,
    time_limit: float = TIME_LIMIT,
    max_chars: int = MAX_OUTPUT_CHARS,
    memory_limit: int = MEMORY_LIMIT,
) -> str:
    """Render template text like `templates.render_source`, in a limited child process.

    Raises `TemplateError` naming `origin` (and the line, where the child could tell)
    when the template is faulty or exceeds the memory or time it is allowed.
    """
    request = json.dumps(
        {
            "source": source,
            "context": context,
            "origin": origin,
            "time_limit": time_limit,
            "max_chars": max_chars,
        }
    ).encode("utf-8")
    deadline = time_limit + STARTUP_ALLOWANCE
    argv = [sys.executable, "-m", __name__, str(memory_limit), str(int(time_limit) + 2)]
    try:
        child = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
            start_new_session=True,  # a terminal's ctrl+c is for the app, not the child
        )
    except OSError as error:
        raise TemplateError(
            f"template {origin}: cannot be rendered ({error.strerror})."
        ) from error
    try:
        out, _ = child.communicate(request, timeout=deadline)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise TemplateError(
            f"template {origin}: it ran for more than {deadline:g} seconds (is a loop too long?)."
        ) from None
    if child.returncode == 0 and len(out) <= MAX_REPLY_BYTES:
        try:
            reply = json.loads(out)
        except ValueError:
            reply = None
        if isinstance(reply, dict):
            if isinstance(reply.get("text"), str):
                return str(reply["text"])
            if isinstance(reply.get("error"), str):
                raise TemplateError(reply["error"])
    if child.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        reason = "it used more time than a draft should"
    else:
        reason = "it needs more memory than a draft should"
    raise TemplateError(f"template {origin}: {reason}.")


def _limit(memory_limit: int, cpu_seconds: int) -> None:
    """Cap this process before it touches the template: the kernel enforces these."""
    import resource

    def cap(which: int, soft: int, hard: int) -> None:
        # never above a hard limit set already (raising it would fail): the lower wins
        _, current = resource.getrlimit(which)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(which, (soft, hard))

    cap(resource.RLIMIT_AS, memory_limit, memory_limit)
    cap(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 1)
    cap(resource.RLIMIT_FSIZE, 0, 0)  # a template writes no files
    cap(resource.RLIMIT_CORE, 0, 0)


def _child(memory_limit: int, cpu_seconds: int) -> int:
    from followup_tui.drafting.templates import render_source

    _limit(memory_limit, cpu_seconds)
    request: dict[str, Any] = json.loads(sys.stdin.buffer.read())
    try:
        text = render_source(
            request["source"],
            request["context"],
            request["origin"],
            time_limit=float(request["time_limit"]),
            max_chars=int(request["max_chars"]),
        )
        reply: dict[str, str] = {"text": text}
    except TemplateError as error:
        reply = {"error": str(error)}
    sys.stdout.buffer.write(json.dumps(reply).encode("utf-8"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_child(int(sys.argv[1]), int(sys.argv[2])))
