"""What rendering a user's template in a limited child process costs:
`python -m tools.bench_templates`.

Prints, beside same-run baselines (medians of N runs; printed, never asserted):

- one draft rendered in-process (how a default template renders, and how a user's
  template rendered before it moved to a child) vs the same template rendered by
  `template_process.render_isolated`;
- a template that builds a 300 MB string in one call: how long the child takes to
  refuse it (in-process it would build it, and 4 GB as readily);
- the compose screen in a headless Textual app: push to the first draft shown (the
  default's, rendered on the spot) and to the user's template's draft (from the
  worker), with and without a user template.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

MINE = "Subject: Mine\n\nDear {{ greeting }}, about {{ topic }}: QQMINEQQ\n"
BOMB = "Subject: Hi\n\n{{ '{0:>{1}}'.format('a', '300000000') | length }}\n"


def _median_ms(run: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _fixture() -> tuple[object, object, datetime, object]:
    from followup_tui.domain.model import Application, Contact, Interview, Rules

    tz = ZoneInfo("Australia/Sydney")
    interview = Interview(
        "i1", "2026-11-20T10:00:00+11:00", interviewers=("Priya Shah",),
        topics=("the housing strategy",), fit_points=("five years of consultations",),
    )
    application = Application(
        "a1", "Acme", "Planner", contacts=(Contact("Priya Shah", "", "p@example.org", ""),),
        interviews=(interview,),
    )
    return application, interview, datetime(2026, 11, 20, 16, 0, tzinfo=tz), Rules(tz=tz)


def bench_rendering(times: int) -> None:
    from followup_tui.domain.drafts import draft_context
    from followup_tui.domain.model import Kind
    from followup_tui.drafting.template_process import render_isolated
    from followup_tui.drafting.templates import TemplateError, render_source
    from followup_tui.settings.config import Config

    application, interview, now, rules = _fixture()
    context = draft_context(
        application, interview, Kind.THANK_YOU, now=now, rules=rules,  # type: ignore[arg-type]
        name=Config().name,
    )
    inside = _median_ms(lambda: render_source(MINE, context, "mine.txt.j2"), times)
    child = _median_ms(lambda: render_isolated(MINE, context, "mine.txt.j2"), times)
    print(f"one draft, in-process (baseline):          {inside:8.1f} ms")
    print(f"one draft, in a limited child process:     {child:8.1f} ms")

    def refused() -> None:
        try:
            render_isolated(BOMB, context, "bomb.txt.j2")
        except TemplateError:
            return
        raise AssertionError("the 300 MB template was not refused")

    print(f"a 300 MB template refused by the child:    {_median_ms(refused, times):8.1f} ms")


def bench_compose(times: int) -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    from followup_tui.domain.model import Kind
    from followup_tui.settings.config import Config
    from followup_tui.tui.screens.compose import ComposeScreen

    application, interview, now, rules = _fixture()

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("home")

    async def measure(with_template: bool) -> tuple[float, float]:
        firsts: list[float] = []
        finals: list[float] = []
        app = Host()
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(times):
                screen = ComposeScreen(
                    application, "i1", Kind.THANK_YOU, now, Config(), rules, {},  # type: ignore[arg-type]
                )
                start = time.perf_counter()
                await app.push_screen(screen)
                while not screen.is_mounted or not screen.body:
                    await asyncio.sleep(0.0005)
                firsts.append(time.perf_counter() - start)
                while with_template and "QQMINEQQ" not in screen.body:
                    await asyncio.sleep(0.0005)
                finals.append(time.perf_counter() - start)
                app.pop_screen()
                await pilot.pause()
        return statistics.median(firsts) * 1000, statistics.median(finals) * 1000

    with tempfile.TemporaryDirectory() as folder:
        os.environ["FOLLOWUP_TUI_CONFIG_DIR"] = folder
        first, _ = asyncio.run(measure(False))
        print(f"compose, default template: draft shown     {first:8.1f} ms")
        (Path(folder) / "templates").mkdir()
        (Path(folder) / "templates" / "thank_you.txt.j2").write_text(MINE)
        first, final = asyncio.run(measure(True))
        print(f"compose, user template: default shown      {first:8.1f} ms")
        print(f"compose, user template: its draft shown    {final:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=15, help="runs per figure (median)")
    args = parser.parse_args()
    bench_rendering(args.times)
    bench_compose(args.times)


if __name__ == "__main__":
    main()
