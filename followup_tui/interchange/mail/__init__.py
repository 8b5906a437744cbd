"""Facts from the mailbox (SPEC §6): read new mail read-only, match it to an
application, and store what it suggests for the user to accept or dismiss.

Suggestion types are plain strings (see `classification.SUGGESTION_TYPES`): they name
the event types they become when accepted.

    create_mail_tables(connection)                      # once, in a migration
    result = scan(connection, [MaildirSource(path)], applications, me, rules,
                  since=default_since(connection, now))
"""

from __future__ import annotations

import importlib
from typing import Any

# Exports load on first use (PEP 562): a scan with nothing new must not pay for
# imapclient, the email package's policies or the reply parser.
_EXPORTS = {
    "SUGGESTION_TYPES": "classification", "Suggestion": "classification",
    "classify": "classification",
    "ImapSettings": "imap", "ImapSource": "imap", "run_password_command": "imap",
    "PUBLIC_MAIL_PROVIDERS": "matching", "Match": "matching", "Matcher": "matching",
    "MailFacts": "message", "html_to_text": "message", "new_text": "message",
    "parse_message": "message", "return_date": "returns", "ScanResult": "scanning",
    "ScanSummary": "scanning", "default_since": "scanning", "scan": "scanning",
    "create_mail_tables": "schema", "MaildirSource": "sources", "MailError": "sources",
    "MboxSource": "sources", "Source": "sources", "suggestions": "inbox",
    "suggestion_json": "inbox", "settle": "inbox", "MailSettings": "settings",
    "mail_settings": "settings", "settings_of": "settings", "reopen": "inbox",
    "pending_count": "inbox", "Accepted": "accepting", "accept": "accepting",
    "event_for": "accepting", "plan_for": "accepting", "MAIL_SOURCE": "accepting",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "MAIL_SOURCE", "Accepted", "accept", "event_for", "mail_settings", "pending_count",
    "plan_for", "reopen", "settings_of", "settle", "suggestion_json", "suggestions",
    "MailSettings",
    "PUBLIC_MAIL_PROVIDERS", "SUGGESTION_TYPES", "ImapSettings", "ImapSource", "MailError",
    "MailFacts", "MaildirSource", "Match", "Matcher", "MboxSource", "ScanResult", "ScanSummary",
    "Source", "Suggestion", "classify", "create_mail_tables", "default_since", "html_to_text",
    "new_text", "parse_message", "return_date", "run_password_command", "scan",
]
