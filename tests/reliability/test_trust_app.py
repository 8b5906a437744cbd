"""Issue 12: the app meets a damaged database as the commands do: exit 2, the file named."""

from __future__ import annotations

import os
from pathlib import Path

from followup_tui.domain.model import Rules
from followup_tui.settings.clock import Clock
from followup_tui.settings.config import Config
from followup_tui.storage.store import Store
from followup_tui.tui.app import FollowupApp
from tests.support.app import APP_NOW, APP_TZ
from tests.support.cli import Runner
from tests.support.reliability import write_generated


async def test_the_app_exits_2_naming_a_damaged_database(tmp_path: Path, capfd) -> None:
    cli = Runner(tmp_path)
    assert cli.run("import", str(write_generated(tmp_path / "big.json", 2_000))).returncode == 0
    assert cli.run("backup").returncode == 0
    (backup,) = (cli.db.parent / "backups").glob("*.db")
    size = cli.db.stat().st_size
    with cli.db.open("r+b") as handle:
        handle.seek(size // 2 - (size // 2) % 4096)
        handle.write(os.urandom(4096 * 8))
    before = cli.db.read_bytes()
    with Store(cli.db) as store:
        app = FollowupApp(store, Clock(APP_TZ, APP_NOW), Rules(APP_TZ), Config(),
                          daily_backup=False)
        async with app.run_test() as pilot:
            for _ in range(100):
                if app.return_code is not None:
                    break
                await pilot.pause(0.05)
    assert app.return_code == 2
    out, err = capfd.readouterr()
    # Rich wraps the printed message: compared without its line breaks
    message = "".join((out + err).split())
    assert "".join(str(cli.db).split()) in message and "damaged" in message
    assert "".join(str(backup).split()) in message
    assert "Traceback" not in out + err
    assert cli.db.read_bytes() == before
