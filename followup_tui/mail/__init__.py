"""Facts from the mailbox (SPEC §6): read new mail read-only, match it to an
application, and store what it suggests for the user to accept or dismiss.

Suggestion types are plain strings (see `classify.SUGGESTION_TYPES`): they name
the event types they become when accepted.

    create_mail_tables(connection)                      # once, in a migration
    result = scan(connection, [MaildirSource(path)], applications, me, rules,
                  since=default_since(connection, now))
"""

from followup_tui.mail.classify import SUGGESTION_TYPES, Suggestion, classify
from followup_tui.mail.imap import ImapSettings, ImapSource, run_password_command
from followup_tui.mail.matching import PUBLIC_MAIL_PROVIDERS, Match, Matcher
from followup_tui.mail.message import MailFacts, html_to_text, new_text, parse_message
from followup_tui.mail.returns import return_date
from followup_tui.mail.scan import ScanResult, ScanSummary, default_since, scan
from followup_tui.mail.schema import create_mail_tables
from followup_tui.mail.sources import MaildirSource, MailError, MboxSource, Source

__all__ = [
    "PUBLIC_MAIL_PROVIDERS", "SUGGESTION_TYPES", "ImapSettings", "ImapSource", "MailError",
    "MailFacts", "MaildirSource", "Match", "Matcher", "MboxSource", "ScanResult", "ScanSummary",
    "Source", "Suggestion", "classify", "create_mail_tables", "default_since", "html_to_text",
    "new_text", "parse_message", "return_date", "run_password_command", "scan",
]
