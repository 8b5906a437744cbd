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
    """followup_tui/interchange/data carries a copy of shared/spec/interchange.schema.next.json (the
    format with the optional additions of SPEC §6-§9, adopted here): keep them one."""
    spec = Path(__file__).resolve().parents[3] / "shared" / "spec"
    shared = spec / "interchange.schema.next.json"
    if not shared.exists():
        pytest.skip("no shared/ beside this checkout")
    packaged = (Path(followup_tui.domain.__file__).parents[1] / "interchange" / "data"
                / "interchange.schema.json")
    assert packaged.read_bytes() == shared.read_bytes()


def test_the_import_contracts_hold() -> None:
    """pyproject.toml's import-linter contracts: the layer order, no cycles within the
    command line, the storage and the app, and nothing imports the app but its launcher."""
    root = Path(__file__).resolve().parents[2]
    tool = Path(sys.executable).parent / "lint-imports"
    if not tool.exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([str(tool)], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_wheel_ships_the_product_only() -> None:
    """Benchmarks, the screenshot tool and data generators live in tools/, outside the
    package: nothing under followup_tui/ is a development tool."""
    package = Path(followup_tui.domain.__file__).parents[1]
    names = {path.stem for path in package.rglob("*.py")}
    assert not {n for n in names if n.startswith("bench") or n == "screenshots"}
