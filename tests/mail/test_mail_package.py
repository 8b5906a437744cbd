"""The mail package's lazy exports (PEP 562) stay reachable whatever was imported first."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import followup_tui.interchange.mail as mail


def test_no_export_is_named_like_a_submodule() -> None:
    # a submodule imported first would shadow an export of its name (it once did: classify)
    submodules = {info.name for info in pkgutil.iter_modules(mail.__path__)}
    assert not set(mail._EXPORTS) & submodules


def test_every_export_resolves_after_every_submodule_is_imported() -> None:
    code = (
        "import importlib, pkgutil\n"
        "import followup_tui.interchange.mail as mail\n"
        "for info in pkgutil.iter_modules(mail.__path__):\n"
        "    importlib.import_module(f'{mail.__name__}.{info.name}')\n"
        "for name, module in mail._EXPORTS.items():\n"
        "    got = getattr(mail, name)\n"
        "    want = getattr(importlib.import_module(f'{mail.__name__}.{module}'), name)\n"
        "    assert got is want, name\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
