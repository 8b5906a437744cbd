"""followup-tui among the terminal's other programs (SPEC §8).

Hooks, `notify`'s memory, desktop notifications and shell completion. Nothing
here loads Textual: these run from the CLI, cron and shells, and must start fast.
"""
