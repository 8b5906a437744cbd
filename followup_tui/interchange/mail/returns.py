"""The return date an automatic reply states, in English, French, German or Spanish.

"back on Monday 7 December", "de retour le 7 décembre", "ab dem 07.12. wieder
erreichbar", "estaré de vuelta el 7 de diciembre". A date without a year is the
next such date on or after the message's own date. No stated date: None (the
reply is still an absence, just without an end).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jänner enero ene",
        "february feb fevrier fevr fev februar febrero",
        "march mar mars marz marzo",
        "april apr avril avr abril abr",
        "may mai mayo",
        "june jun juin juni junio",
        "july jul juillet juil juli julio",
        "august aug aout august agosto ago",
        "september sep sept septembre septiembre setiembre",
        "october oct octobre oktober okt octubre",
        "november nov novembre noviembre",
        "december dec decembre dezember dez diciembre dic",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.|º)?"
_YEAR = r"(?:,?\s*(?P<year>20\d\d)\b)?"
# A weekday may come first ("Monday 7 December", "lundi 7", "Montag, 7."): skipped.
_DATES = (
    re.compile(rf"\b{_DAY}\s+(?:de\s+)?{_MONTH}(?:\s+de)?{_YEAR}"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}{_YEAR}"),
    re.compile(r"\b(?P<day>[0-3]?\d)[./](?P<nmonth>[01]?\d)(?:[./](?P<year>(?:20)?\d\d))?\b\.?"),
)
# The words that come before a return date; the date must follow within a few words.
_CUES = re.compile(
    r"\b(?:back|return(?:ing|s)?|returned|until|till|through|"  # en
    r"de retour|retour|jusqu'au|jusqu’au|jusqu'a|a partir du|des le|"  # fr (accents folded)
    r"wieder|zuruck|bis zum|bis|ab dem|ab|"  # de
    r"de vuelta|de regreso|regreso|regresare|volvere|hasta el|hasta|a partir del)\b",
)
_REACH = 60  # characters after a cue where its date may be


def _fold(text: str) -> str:
    """Lower case without accents, so "décembre" and "Zurück" read as plain words."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _date_at(text: str, start: int, after: date) -> tuple[date, int] | None:
    window = text[start : start + _REACH]
    best: tuple[int, date] | None = None
    for pattern in _DATES:
        match = pattern.search(window)
        if match is None:
            continue
        day = int(match["day"])
        groups = match.groupdict()
        month = _MONTHS[groups["month"]] if groups.get("month") else int(groups["nmonth"])
        year_text = match["year"]
        found = _make(day, month, year_text, after)
        if found is not None and (best is None or match.start() < best[0]):
            best = (match.start(), found)
    return (best[1], best[0]) if best else None


def _make(day: int, month: int, year_text: str | None, after: date) -> date | None:
    try:
        if year_text:
            year = int(year_text)
            return date(year + 2000 if year < 100 else year, month, day)
        candidate = date(after.year, month, day)
        if candidate < after:
            candidate = date(after.year + 1, month, day)
        return candidate
    except ValueError:  # 31 February, month 13: not a date
        return None


def return_date(text: str, sent_on: date) -> date | None:
    """The first return date `text` states after a cue word, or None."""
    folded = _fold(text)
    for cue in _CUES.finditer(folded):
        found = _date_at(folded, cue.end(), sent_on)
        if found is not None:
            return found[0]
    return None
