"""What the scanner needs from one message: parties, date, automatic-reply marks,
the new text (quoted history left out) and any calendar part.

Bad mail is normal mail: a header that does not parse, an unknown charset, an
HTML-only body or a cut-off attachment gives what can be read and never raises.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from followup_tui.interchange.mail.sources import BODY_CAP

#: The most of a decoded text part kept (and handed to the reply parser).
TEXT_CAP = 100_000
EXCERPT_LINES = 6
EXCERPT_CHARS = 500

_CALENDAR_TYPES = ("text/calendar", "application/ics")
_AUTO_SUBJECTS = (
    "automatic reply", "auto:", "out of office", "autoreply", "auto reply", "auto-reply",
    # Outlook's localised "Automatic reply:"
    "réponse automatique", "automatische antwort", "respuesta automática",
    "absence du bureau", "abwesenheitsnotiz", "fuera de la oficina",
)


@dataclass(frozen=True, slots=True)
class MailFacts:
    """One parsed message, as the matcher and classifier read it."""

    message_id: str
    sender: str  # the From address, lower case ("" when unreadable)
    recipients: tuple[str, ...]  # To and Cc addresses, lower case
    date: datetime | None  # aware
    subject: str
    auto_reply: str | None  # why it is an automatic reply, e.g. "Auto-Submitted: auto-replied"
    text: str  # the whole readable text (capped)
    new_text: str  # the text without quoted history
    calendar: bytes | None = None
    defects: tuple[str, ...] = field(default=())

    @property
    def excerpt(self) -> str:
        """The first lines of the new text, for the Inbox (raw: show through printable())."""
        lines = [line.strip() for line in self.new_text.splitlines() if line.strip()]
        return "\n".join(lines[:EXCERPT_LINES])[:EXCERPT_CHARS]


class _TextOfHtml(HTMLParser):
    """The text of an HTML body: tags dropped, scripts and styles left out."""

    _SKIP = frozenset({"script", "style", "head", "title"})
    _BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0
        self.quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quote_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        elif tag in self._BREAKS:
            self.parts.append("\n")
        if tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self.quote_depth:
            # quoted history in HTML mail: mark it as a plain-text reply would
            data = "\n".join("> " + line for line in data.splitlines())
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML body (standard library only)."""
    parser = _TextOfHtml()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - malformed HTML still gives what was read
        pass
    text = "".join(parser.parts)
    return re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text).strip()


def _addresses(message: Message, name: str) -> list[str]:
    values = [str(value) for value in message.get_all(name, [])]
    found = []
    for _display, address in getaddresses(values):
        address = address.strip().strip("<>").lower()
        if "@" in address:
            found.append(address)
    return found


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # noqa: BLE001 - a header the policy cannot parse
        return ""
    return "" if value is None else str(value)


def _date(message: Message) -> datetime | None:
    raw = _header(message, "Date")
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _auto_reply(message: Message, subject: str) -> str | None:
    submitted = _header(message, "Auto-Submitted").strip()
    if submitted and submitted.split(";")[0].strip().lower() != "no":
        return f"Auto-Submitted: {submitted}"
    for name in ("X-Autoreply", "X-Autorespond"):
        value = _header(message, name).strip()
        if value:
            return f"{name}: {value}"
    precedence = _header(message, "Precedence").strip().lower()
    if precedence == "auto_reply":
        return "Precedence: auto_reply"
    folded = subject.strip().lower()
    for start in _AUTO_SUBJECTS:
        if folded.startswith(start):
            return f'subject starts "{subject.strip()[: len(start)]}"'
    return None


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        text = content if isinstance(content, str) else ""
    except (LookupError, ValueError, AssertionError, AttributeError):
        # unknown or lying charset: decode the bytes leniently instead
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    return text[:TEXT_CAP]


def _body(message: EmailMessage) -> tuple[str, bytes | None]:
    plain: str | None = None
    html: str | None = None
    calendar: bytes | None = None
    for part in message.walk():
        if part.is_multipart():
            continue
        kind = part.get_content_type()
        if kind in _CALENDAR_TYPES and calendar is None:
            payload = part.get_payload(decode=True)
            calendar = payload if isinstance(payload, bytes) and payload else None
            continue
        if part.get_content_disposition() == "attachment":
            continue  # never decoded
        if kind == "text/plain" and plain is None:
            plain = _part_text(part)
        elif kind == "text/html" and html is None:
            html = _part_text(part)
    if plain is not None and plain.strip():
        return plain, calendar
    if html is not None:
        return html_to_text(html), calendar
    return plain or "", calendar


def new_text(text: str) -> str:
    """The text without quoted history or a forwarded thread (mail-parser-reply)."""
    from mailparser_reply import EmailReplyParser  # noqa: PLC0415 - only matched mail

    try:
        reply = EmailReplyParser(languages=["en", "de", "fr", "es"]).parse_reply(text)
    except Exception:  # noqa: BLE001 - a parser slip must not lose the message
        reply = None
    reply = reply if reply is not None else text
    # Lines quoted with ">" are history even when no "On ... wrote:" line introduces them.
    kept = [line for line in reply.splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(kept).strip()


def synthetic_message_id(raw_headers: bytes) -> str:
    """A stable stand-in for a missing Message-ID: a digest of the headers."""
    return f"<{hashlib.sha256(raw_headers).hexdigest()[:32]}@followup-tui.invalid>"


def parse_message(raw: bytes, fallback_date: datetime | None = None) -> MailFacts:
    """Read `raw` (possibly cut off at BODY_CAP) into MailFacts; never raises."""
    message = BytesParser(policy=policy.default).parsebytes(raw[:BODY_CAP])
    assert isinstance(message, EmailMessage)
    senders = _addresses(message, "From")
    recipients = tuple(_addresses(message, "To") + _addresses(message, "Cc"))
    subject = " ".join(_header(message, "Subject").split())
    message_id = _header(message, "Message-ID").strip()
    if not message_id:
        head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
        message_id = synthetic_message_id(head)
    try:
        text, calendar = _body(message)
    except Exception:  # noqa: BLE001 - a structure the parser cannot walk
        text, calendar = "", None
    return MailFacts(
        message_id=message_id,
        sender=senders[0] if senders else "",
        recipients=recipients,
        date=_date(message) or fallback_date,
        subject=subject,
        auto_reply=_auto_reply(message, subject),
        text=text,
        new_text=new_text(text),
        calendar=calendar,
        defects=tuple(type(defect).__name__ for defect in message.defects),
    )

