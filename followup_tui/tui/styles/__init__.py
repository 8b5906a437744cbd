"""The app's stylesheets: every screen loads its `.tcss` from this folder."""

from pathlib import Path

STYLES = Path(__file__).parent
