"""Snapshots of the app's screens on demo data at a fixed moment and size.

The scenes are those of `python -m tools.screenshots`; the clock is
pinned, cursor blink is off, and the config dir is a temp one (conftest).
Refresh with `pytest tests/test_app_snapshots.py --snapshot-update` after a
deliberate change, and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from tools.screenshots import SCENES, demo_app


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_screen_120x40(scene: str, snap_compare, tmp_path) -> None:
    app = demo_app(tmp_path)
    try:
        assert snap_compare(app, terminal_size=(120, 40), run_before=SCENES[scene])
    finally:
        app.store.close()


@pytest.mark.parametrize("scene", ["review", "add-interview", "import-invitation", "insights"])
def test_screen_80x24(scene: str, snap_compare, tmp_path) -> None:
    app = demo_app(tmp_path)
    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=SCENES[scene])
    finally:
        app.store.close()
