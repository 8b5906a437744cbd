"""`python -m followup_tui.interchange.mail --db FILE --maildir DIR --me ADDRESS`: one scan.

A stand-in until `followup-tui mail scan` exists; the benchmark runs it as a process.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

from followup_tui.errors import UserError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m followup_tui.interchange.mail")
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--maildir", action="append", default=[])
    parser.add_argument("--mbox", action="append", default=[])
    parser.add_argument("--me", action="append", default=[])
    parser.add_argument("--since", help="ISO date; default 60 days back on a first scan")
    parser.add_argument("--now", help="ISO-8601 moment to scan as of")
    args = parser.parse_args(argv)

    from followup_tui.interchange.mail import (
        MaildirSource,
        MboxSource,
        create_mail_tables,
        default_since,
        scan,
    )
    from followup_tui.settings.config import load_config, rules_for
    from followup_tui.storage.store import Store
    from followup_tui.text import printable

    try:
        rules = rules_for(load_config())
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(rules.tz)
        if now.tzinfo is None:
            now = now.replace(tzinfo=rules.tz)
        with Store(args.db) as store:
            with store.locked() as conn:
                create_mail_tables(conn)
            since = (
                datetime.fromisoformat(args.since).replace(tzinfo=rules.tz)
                if args.since
                else default_since(store.conn, now)
            )
            sources = [MaildirSource(d) for d in args.maildir] + [MboxSource(m) for m in args.mbox]
            result = scan(store.conn, sources, store.load_all(), args.me, rules, since=since)
    except UserError as error:
        print(f"followup-tui: {error}", file=sys.stderr)
        return 2
    summary = result.summary
    print(json.dumps({
        "read": summary.read, "matched": summary.matched, "suggested": summary.suggested,
        "already": summary.already, "skipped": dict(summary.skipped),
    }))
    for s in result.suggestions:
        print(printable(f"{s.type}\t{s.application}\t{s.at}\t{s.reason}", single_line=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
