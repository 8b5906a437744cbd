"""Write the README's screenshots: the real app on demo data at a fixed moment and size.

    python -m tools.screenshots            # screenshots/*.svg at 120x40
    python -m tools.screenshots --size 80x24 --out /tmp/shots

The same scenes drive the snapshot tests (tests/test_app_snapshots.py), so what
the README shows is what the tests check.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

#: The fixed moment and zone of every screenshot: a Wednesday morning in Sydney.
SHOT_TZ = ZoneInfo("Australia/Sydney")
SHOT_NOW = datetime(2026, 11, 25, 9, 0, tzinfo=SHOT_TZ)

Scene = Callable[[Any], Awaitable[None]]


async def settle(pilot: Any) -> None:
    """Wait for the app to go quiet and stop anything that blinks."""
    await pilot.pause()
    from textual.widgets import Input, TextArea

    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


async def review(pilot: Any) -> None:
    await settle(pilot)


async def review_detail(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("j", "j")
    await settle(pilot)


async def timeline(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)


async def insights(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("4")
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


async def add_form(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("a")
    await pilot.pause()
    await pilot.press("i")  # an interview for the selected application
    await pilot.pause()
    await pilot.press(*"fri 10am")  # the form starts at When
    await settle(pilot)


async def compose(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("c")  # the overdue thank-you at the top of the list
    await pilot.pause(0.3)  # the checks run once typing pauses
    await settle(pilot)


async def inbox(pilot: Any) -> None:
    # the demo's mail, scanned once the app is up: the other scenes stay as they were
    from followup_tui.interchange.demo import populate_mail

    populate_mail(pilot.app.store, SHOT_NOW, SHOT_TZ)
    await settle(pilot)
    await pilot.press("3")
    await settle(pilot)


#: A Teams invitation from a demo contact (Lumen's Mei Lin) for the import form's scene.
SCENE_INVITATION = """BEGIN:VCALENDAR
METHOD:REQUEST
PRODID:Microsoft Exchange Server 2010
VERSION:2.0
BEGIN:VEVENT
ORGANIZER;CN=Mei Lin:mailto:mei@lumen.example
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=Alex Example:mailto:alex@example.com
ATTENDEE;ROLE=REQ-PARTICIPANT;CN=Omar Haddad:mailto:omar@lumen.example
DESCRIPTION:Second round with the platform team.\\nJoin: https://teams.microsoft.com/l/meetup-join/19%3ameeting_demo
UID:040000008200E00074C5B7101A82E00800000000DEMO0001
SUMMARY:Second round: platform team
DTSTART;TZID=AUS Eastern Standard Time:20261127T140000
DTEND;TZID=AUS Eastern Standard Time:20261127T150000
DTSTAMP:20261124T230000Z
SEQUENCE:0
STATUS:CONFIRMED
LOCATION:Microsoft Teams Meeting
END:VEVENT
END:VCALENDAR
"""


async def import_invitation(pilot: Any) -> None:
    """`i`, a path typed, the preview of what it would change (nothing saved yet)."""
    path = Path(tempfile.gettempdir()) / "followup-tui-invite.ics"
    path.write_bytes(SCENE_INVITATION.replace("\n", "\r\n").encode())
    await settle(pilot)
    await pilot.press("i")
    await pilot.pause()
    await pilot.press(*str(path), "enter")
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)


async def help_panel(pilot: Any) -> None:
    await settle(pilot)
    await pilot.press("question_mark")
    await settle(pilot)


SCENES: dict[str, Scene] = {
    "review": review,
    "review-detail": review_detail,
    "timeline": timeline,
    "insights": insights,
    "add-interview": add_form,
    "compose": compose,
    "import-invitation": import_invitation,
    "help": help_panel,
    "inbox": inbox,
}


def demo_app(folder: Path, now: datetime = SHOT_NOW) -> Any:
    """The app on a fresh demo database in `folder`, its clock pinned at `now`."""
    from followup_tui.domain.model import Rules
    from followup_tui.interchange.demo import populate
    from followup_tui.settings.clock import Clock
    from followup_tui.settings.config import Config
    from followup_tui.storage.store import Store
    from followup_tui.tui import make_app

    store = Store(folder / "demo.db")
    populate(store, now, SHOT_TZ)
    return make_app(store, Clock(SHOT_TZ, now), Rules(SHOT_TZ), Config(), demo=True,
                    daily_backup=False)


async def _shoot(name: str, scene: Scene, out: Path, size: tuple[int, int]) -> Path:
    with tempfile.TemporaryDirectory() as folder:
        app = demo_app(Path(folder))
        async with app.run_test(size=size) as pilot:
            await scene(pilot)
            path = out / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(out))
        app.store.close()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="screenshots", help="folder for the SVGs")
    parser.add_argument("--size", default="120x40", help="terminal size, COLUMNSxROWS")
    args = parser.parse_args(argv)
    columns, rows = (int(part) for part in args.size.lower().split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    import os

    # the developer's config (theme…) must not change the pictures
    with tempfile.TemporaryDirectory() as config:
        os.environ["FOLLOWUP_TUI_CONFIG_DIR"] = config
        for name, scene in SCENES.items():
            path = asyncio.run(_shoot(name, scene, out, (columns, rows)))
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
