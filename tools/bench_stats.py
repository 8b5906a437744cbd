"""Time `stats` beside `due` in one run: `python -m tools.bench_stats [--count N]`.

Generates N applications (default 10,000) with tools.bench's generator,
imports them into a throw-away database, then times in this process, best of
a few runs:

- `due`: `followup_tui.cli.main.due_items`, as the command runs it (the follow-up
  cache refreshed once, then read) — the same-run baseline;
- `stats`: as the command runs it (`cache.insight_stats`: the follow-up cache
  refreshed, each application's kept `insights.Standing` read and added up);
  the applications loaded from the database and the figures computed afresh
  (the command's fallback when the file cannot be written); and the computation
  alone on loaded applications, beside the follow-ups computed in memory
  (`cache.compute`) on the same ones;
  and the figures from each application's `insights.Facts` computed beforehand
  (what a cache of them, kept like the follow-up cache, would leave to do).

The cyclic garbage collector is off while timing, as `followup_tui.cli.main`
turns it off for every command. The goal (issue 17) is stats within 2x due.
Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from followup_tui.cli.commands.due import due_items
from followup_tui.cli.context import Context
from followup_tui.domain.insights import facts, stats, stats_of_facts
from followup_tui.interchange.document import read_document
from followup_tui.settings.config import Config
from followup_tui.storage import cache
from followup_tui.storage.store import Store
from tools.bench import generate


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The shortest of `runs` wall-clock timings of `work()`, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="applications (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (best is shown)")
    args = parser.parse_args(argv)
    gc.disable()  # as the command line does for a command (see the module's docstring)
    now = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    config = Config(timezone="UTC")
    with tempfile.TemporaryDirectory(prefix="followup-bench-stats-") as tmp:
        db = Path(tmp) / "apps.db"
        ctx = Context(str(db), now.isoformat(), config)
        with ctx.open_store() as store:
            store.import_applications(read_document(generate(args.count, now), ctx.rules.tz))
        rules, at = ctx.rules, ctx.now()

        first_due = best_of(1, lambda: due_items(ctx, all_states=False))  # fills the cache
        due = best_of(args.runs, lambda: due_items(ctx, all_states=False))
        mark = cache.stamp(ctx.rules, config.holidays_fingerprint)

        def cached_stats() -> object:
            with ctx.open_store(create=False) as store:
                return cache.insight_stats(store, ctx.now(), ctx.rules, mark)

        through_cache = best_of(args.runs, cached_stats)

        def load() -> list[object]:
            with Store(db) as store:
                return store.load_all(details=False)  # type: ignore[return-value]

        def load_and_stats() -> object:
            with Store(db) as store:
                return stats(store.load_all(details=False), at, rules)

        loaded = best_of(args.runs, load)
        with Store(db) as store:
            apps = store.load_all(details=False)
        full = best_of(args.runs, load_and_stats)
        alone = best_of(args.runs, lambda: stats(apps, at, rules))
        follow_ups = best_of(
            args.runs, lambda: cache.compute(apps, at, rules, all_states=False)
        )
        kept = [facts(app, rules) for app in apps]
        from_facts = best_of(args.runs, lambda: stats_of_facts(kept, at, rules))
        figures = stats(apps, at, rules)

    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {args.count} "
          f"applications; best of {args.runs} runs")
    print(f"  due (due_items, cache warm)       {due * 1000:8.1f} ms   "
          f"(first run, filling the cache: {first_due * 1000:.1f} ms)")
    print(f"  stats (the command: from the cache) {through_cache * 1000:6.1f} ms   "
          f"= {through_cache / due:.2f}x due")
    print(f"  stats (load + compute afresh)     {full * 1000:8.1f} ms   "
          f"= {full / due:.2f}x due  (loading alone: {loaded * 1000:.1f} ms)")
    print(f"  stats computation alone           {alone * 1000:8.1f} ms")
    print(f"  stats from kept Facts             {from_facts * 1000:8.1f} ms   "
          f"= {from_facts / due:.2f}x due  (what a cache of insights.Facts would leave)")
    print(f"  follow-ups computed in memory     {follow_ups * 1000:8.1f} ms   "
          f"(cache.compute on the same applications; stats = {alone / follow_ups:.2f}x)")
    print(f"  figures: {figures.applications} applications, funnel {tuple(figures.funnel)}, "
          f"{len(figures.ghosted)} ghosted")
    gc.enable()
    return 0


if __name__ == "__main__":
    sys.exit(main())
