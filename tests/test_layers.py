"""The layers of STYLE.md hold at run time, not just by convention."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import followup_tui.domain

DOMAIN = sorted(
    f"followup_tui.domain.{path.stem}"
    for path in Path(followup_tui.domain.__file__).parent.glob("*.py")
    if path.stem != "__init__"
)


@pytest.mark.parametrize("module", DOMAIN)
def test_domain_imports_no_ui_no_database(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = [m for m in ('textual', 'rich', 'sqlite3', 'sqlite_utils') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_domain_package_never_reads_the_clock() -> None:
    for path in Path(followup_tui.domain.__file__).parent.glob("*.py"):
        text = path.read_text()
        for call in ("datetime.now(", "date.today(", "time.time(", "datetime.utcnow("):
            assert call not in text, f"{path.name} reads the clock with {call}"


def test_the_packaged_schema_is_the_shared_spec() -> None:
    """followup_tui/data carries a copy of shared/spec/interchange.schema.next.json (the
    format with the optional additions of SPEC §6-§9, adopted here): keep them one."""
    spec = Path(__file__).resolve().parents[2] / "shared" / "spec"
    shared = spec / "interchange.schema.next.json"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    packaged = Path(followup_tui.domain.__file__).parents[1] / "data" / "interchange.schema.json"
    assert packaged.read_bytes() == shared.read_bytes()
