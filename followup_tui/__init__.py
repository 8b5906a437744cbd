"""followup-tui: which interview follow-ups are due today, and help writing them."""

__version__ = "0.1.0"
