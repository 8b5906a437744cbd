"""The draft checks of SPEC §2 (A2-A4), each a small pure function.

Every check returns a `CheckResult` whose `name` is stable (it is the `check`
key of `followup-tui check --json`) and whose `detail` is a sentence a person
can act on. A check that cannot apply (no topic was recorded, say) passes and
says why, so a draft is never failed for something the user did not record.

Matching is forgiving in the ways people write: case, accents, punctuation
and simple English plurals do not matter ("Community consultations!" mentions
the topic "community consultation"), and a long topic or fit point counts as
echoed when nearly all of its key words are there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from followup_tui.domain.drafts import HONORIFICS, name_words, split_draft
from followup_tui.domain.model import Application, Interview, Kind, Rules
from followup_tui.domain.rules import add_real_time, format_moment, interview_end

MAX_PARAGRAPHS = 3


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One check's verdict on a draft.

    `warning` marks a passing check whose detail is still worth reading (a
    late thank-you): it never fails the draft.
    """

    name: str
    ok: bool
    detail: str
    warning: bool = False

    def as_json(self) -> dict[str, object]:
        return {"check": self.name, "ok": self.ok, "detail": self.detail}


# --- normalising text ----------------------------------------------------------

_WORD = re.compile(r"\w+(?:'\w+)*")
# Scripts written without spaces between words: match them as plain substrings.
_UNSPACED = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u0e00-\u0e7f\uac00-\ud7af]"
)
_STOPWORDS = frozenset(
    """a an and the of to in on for with at by from about as into over my your our their
    its it is are was were be i we you this that these those""".split()  # noqa: SIM905
)


def _fold(text: str) -> str:
    """Lower case without accents; curly apostrophes made straight."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    """A plural's singular, roughly: strategies → strategy, boxes → box, topics → topic."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The words of `text`, folded and stemmed, in order."""
    return [_stem(w) for w in _WORD.findall(_fold(text))]


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits between spaces and punctuation."""
    return len(_WORD.findall(text))


def _key_words(phrase: str) -> list[str]:
    found = words(phrase)
    keys = [w for w in found if w not in _STOPWORDS]
    return keys or found


def _needed(count: int) -> int:
    """How many of a phrase's key words must appear: all of a short one, most of a long one."""
    return count if count <= 2 else count - max(1, count // 4)


def mentions(text: str, phrase: str) -> bool:
    """Whether `text` mentions `phrase`, forgiving case, accents, punctuation and plurals."""
    if _UNSPACED.search(phrase):
        return _fold(phrase).strip() in _fold(text)
    keys = _key_words(phrase)
    if not keys:
        # nothing word-like (an emoji, say): look for it as it was written
        folded = _fold(phrase).strip()
        return bool(folded) and folded in _fold(text)
    present = set(words(text))
    return sum(1 for key in set(keys) if key in present) >= _needed(len(set(keys)))


def _has_phrase(text_words: list[str], phrase_words: list[str]) -> bool:
    if not phrase_words:
        return False
    size = len(phrase_words)
    return any(text_words[i : i + size] == phrase_words for i in range(len(text_words) - size + 1))


# --- the draft's shape ----------------------------------------------------------------

_GREETING_WORDS = ("dear", "hi", "hello", "hey", "good morning", "good afternoon", "greetings")
_SIGN_OFFS = re.compile(
    r"^(kind |warm |best |with )?(regards|wishes|thanks|thank you|sincerely|cheers|best|warmly|"
    r"yours|all the best|many thanks|with gratitude|talk soon|respectfully)\b",
)


def blocks(body: str) -> list[str]:
    """The body's blocks of text: runs of non-blank lines."""
    return [b.strip() for b in re.split(r"\n[ \t]*\n", body.strip()) if b.strip()]


def greeting_line(body: str) -> str:
    """The first non-blank line of the body, where a greeting belongs."""
    for line in body.splitlines():
        if line.strip():
            return line.strip()
    return ""


def _is_greeting(block: str) -> bool:
    if "\n" in block or word_count(block) > 10:
        return False
    folded = _fold(block)
    return folded.startswith(_GREETING_WORDS) or block.rstrip().endswith((",", ":", "!", "，"))


def _is_sign_off(block: str) -> bool:
    lines = block.splitlines()
    if _SIGN_OFFS.match(_fold(lines[0]).strip()) and word_count(lines[0]) <= 5:
        return True
    # a bare signature: a few short lines with no sentence in them
    return len(lines) <= 6 and all(
        word_count(line) <= 6 and not line.rstrip().endswith((".", "?")) for line in lines
    )


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs: its blocks without the greeting line and the sign-off."""
    parts = blocks(body)
    if parts and _is_greeting(parts[0]):
        parts = parts[1:]
    if parts and _is_sign_off(parts[-1]):
        parts = parts[:-1]
    return parts


# --- the checks ------------------------------------------------------------------------


def check_length(body: str, max_words: int) -> CheckResult:
    """A2: short — at most `max_words` words."""
    count = word_count(body)
    if count == 0:
        return CheckResult("length", False, "The draft is empty: write a few warm sentences.")
    if count > max_words:
        return CheckResult(
            "length",
            False,
            f"{count} words: cut it to {max_words} or fewer. A couple of short paragraphs "
            "is all it needs.",
        )
    return CheckResult("length", True, f"{count} words (at most {max_words}).")


def check_paragraphs(body: str) -> CheckResult:
    """A2: a couple of paragraphs — at most three, not counting greeting and sign-off."""
    count = len(paragraphs(body))
    if count == 0:
        return CheckResult(
            "paragraphs",
            False,
            "No paragraphs yet: thank them, say you are interested, say why you fit.",
        )
    if count > MAX_PARAGRAPHS:
        return CheckResult(
            "paragraphs",
            False,
            f"{count} paragraphs: keep it to {MAX_PARAGRAPHS} or fewer (greeting and sign-off "
            "not counted).",
        )
    noun = "paragraph" if count == 1 else "paragraphs"
    return CheckResult("paragraphs", True, f"{count} {noun} (at most {MAX_PARAGRAPHS}).")


_THANKS = re.compile(
    r"\b(thank|thanks|thankful|grateful|gratitude|appreciat\w*|merci|gracias|danke|grazie|"
    r"obrigad[oa]|dank)\b|谢|ありがとう|감사"
)


def _says(name: str, pattern: re.Pattern[str], body: str, found: str, missing: str) -> CheckResult:
    """A check that passes when `pattern` occurs in the folded body."""
    if pattern.search(_fold(body)):
        return CheckResult(name, True, found)
    return CheckResult(name, False, missing)


def check_thanks(body: str) -> CheckResult:
    """A2/A4: thanks them, however it went."""
    return _says(
        "thanks",
        _THANKS,
        body,
        "Thanks them for their time.",
        "No thanks yet: thank them for their time, whatever you think of how it went.",
    )


_INTEREST = re.compile(
    r"\b(interest\w*|excit\w*|enthusias\w*|keen|eager\w*|look(ing)? forward|would love|"
    r"love to|motivated|want to join|hope to join|hope to hear)\b"
)


def check_interest(body: str) -> CheckResult:
    """A2: says they are still interested."""
    return _says(
        "interest",
        _INTEREST,
        body,
        "Says you are still interested.",
        'Say that you are still interested in the role ("I remain very interested in ...").',
    )


def _quoted(phrases: Iterable[str], limit: int = 3) -> str:
    items = [f"“{p.strip()}”" for p in phrases if p.strip()]
    more = len(items) - limit
    text = ", ".join(items[:limit])
    return f"{text} (and {more} more)" if more > 0 else text


# What joins the parts of a recorded topic: "loyalty card data and basket analysis".
_TOPIC_JOINS = re.compile(r"\s+(?:and|or|&|plus|as well as)\s+|\s*[,;/+]\s*", re.I)


def mentions_topic(text: str, topic: str) -> bool:
    """Whether `text` mentions `topic`, or one part of it ("your loyalty card data" names
    the topic "loyalty card data and basket analysis")."""
    if mentions(text, topic):
        return True
    parts = [part for part in _TOPIC_JOINS.split(topic) if part.strip()]
    return len(parts) > 1 and any(mentions(text, part) for part in parts)


def _echoes(
    name: str,
    body: str,
    recorded: Iterable[str],
    unrecorded: str,
    found: str,
    missing: str,
    matches: Callable[[str, str], bool] = mentions,
) -> CheckResult:
    """A check that passes when the body mentions one of the `recorded` phrases.

    With nothing recorded it passes with the `unrecorded` advice; `found` and
    `missing` are formats for the phrase found and for the recorded ones.
    """
    phrases = [p.strip() for p in recorded if p.strip()]
    if not phrases:
        return CheckResult(name, True, unrecorded)
    for phrase in phrases:
        if matches(body, phrase):
            return CheckResult(name, True, found.format(f"“{phrase}”"))
    return CheckResult(name, False, missing.format(_quoted(phrases)))


def check_fit_point(body: str, interview: Interview) -> CheckResult:
    """A2: says why they fit, echoing a fit point recorded for the interview."""
    return _echoes(
        "fit_point",
        body,
        interview.fit_points,
        "No fit point recorded for this interview; say in a sentence why you fit.",
        "Says why you fit: {}.",
        "Say why you fit, for example: {}.",
    )


def check_topic(body: str, interview: Interview) -> CheckResult:
    """A3: mentions at least one topic recorded for the interview."""
    return _echoes(
        "topic",
        body,
        interview.topics,
        "No topic recorded for this interview; mention something specific you discussed.",
        "Mentions what you discussed: {}.",
        "Mention something you discussed, so it is not a generic note: {}.",
        mentions_topic,
    )


def _name_forms(name: str) -> list[list[str]]:
    """The word sequences that count as greeting `name`: the whole name or any part of it."""
    parts = [w for w in name_words(name) if len(w) > 1 or _UNSPACED.search(w)]
    proper = [w for w in parts if w.casefold() not in HONORIFICS] or parts
    forms = [words(name)] + [words(part) for part in proper]
    return [form for form in forms if form]


def names_someone(text: str, name: str) -> bool:
    """Whether `text` names the person recorded as `name` (full name, first or last name)."""
    if _UNSPACED.search(name):
        return _fold(name).replace(" ", "") in _fold(text).replace(" ", "")
    text_words = words(text)
    return any(_has_phrase(text_words, form) for form in _name_forms(name))


def check_greeting(body: str, interview: Interview) -> CheckResult:
    """A4: greets the interviewer by name, when a name is recorded."""
    names = [n.strip() for n in interview.interviewers if n.strip()]
    if not names:
        return CheckResult(
            "greeting", True, "No interviewer recorded; greet them by name if you know it."
        )
    line = greeting_line(body)
    for name in names:
        if names_someone(line, name):
            return CheckResult("greeting", True, f"Greets {name} by name.")
    who = " or ".join(names[:3])
    return CheckResult(
        "greeting", False, f'Open by greeting {who} by name ("Dear {names[0].split()[0]},").'
    )


_ALWAYS_GENERIC = (
    (re.compile(r"\bto whom it may concern\b"), "To whom it may concern"),
    (re.compile(r"\bdear (sir|madam)\b"), "Dear Sir/Madam"),
)
_GENERIC_WHEN_NAMED = (
    (re.compile(r"\bdear hiring (manager|team|panel)\b"), "Dear Hiring Manager"),
)


def check_no_generic_opener(body: str, interview: Interview) -> CheckResult:
    """A3: no opener that could go to anyone."""
    folded = " ".join(_WORD.findall(_fold(body)))
    named = any(n.strip() for n in interview.interviewers)
    patterns = _ALWAYS_GENERIC + (_GENERIC_WHEN_NAMED if named else ())
    for pattern, label in patterns:
        if pattern.search(folded):
            better = (
                "their name" if not named else f"“Dear {interview.interviewers[0].split()[0]},”"
            )
            return CheckResult(
                "no_generic_opener",
                False,
                f"“{label}” reads like a form letter: use {better} instead.",
            )
    return CheckResult("no_generic_opener", True, "No generic opener.")


def check_signature(body: str) -> CheckResult:
    """A sign-off carries a name: "Kind regards," with nothing under it is unfinished."""
    parts = blocks(body)
    last = parts[-1].splitlines() if parts else []
    folded = _fold(last[0]).strip() if len(last) == 1 else ""
    sign_off = _SIGN_OFFS.match(folded)
    # the whole line is a sign-off ("Kind regards,"), not a sentence that starts like one
    if sign_off and not folded[sign_off.end():].strip(" ,.!-\u2014"):
        return CheckResult(
            "signature",
            False,
            f"“{last[0].strip()}” has no name under it: sign with your name "
            "(set name or signature in config.toml and new drafts sign themselves).",
        )
    return CheckResult("signature", True, "Signed with a name (or no sign-off).")


def check_timing(
    application: Application, interview: Interview, now: datetime, rules: Rules
) -> CheckResult:
    """A1, kindly: a late thank-you is still worth sending, so lateness only warns."""
    del application  # the same signature as the other context checks
    tz = rules.tz
    today = now.astimezone(tz).date()
    try:
        end = interview_end(interview, tz)
    except ValueError:
        return CheckResult("timing", True, "The interview's time could not be read.")
    deadline = add_real_time(end, rules.thank_you_window, tz)
    hours = f"{rules.thank_you_window_hours:g}-hour"
    if now < end:
        return CheckResult(
            "timing",
            True,
            f"The interview ends {format_moment(end, tz, today)}; send it after that, by "
            f"{format_moment(deadline, tz, today)}.",
        )
    if now <= deadline:
        return CheckResult(
            "timing", True, f"On time: send it by {format_moment(deadline, tz, today)}."
        )
    return CheckResult(
        "timing",
        True,
        f"The {hours} window closed {format_moment(deadline, tz, today)}. It is late, but a "
        "thank-you is still worth sending: send it today.",
        warning=True,
    )


# --- call notes ------------------------------------------------------------------------------


def check_ask_for(body: str, interview: Interview) -> CheckResult:
    """A call's notes say whom to ask for."""
    names = [n.strip() for n in interview.interviewers if n.strip()]
    if not names:
        return CheckResult(
            "ask_for", True, "No interviewer recorded; ask for whoever interviewed you."
        )
    for name in names:
        if names_someone(body, name):
            return CheckResult("ask_for", True, f"Says whom to ask for: {name}.")
    return CheckResult("ask_for", False, f"Note whom to ask for: {' or '.join(names[:3])}.")


# --- all of them ---------------------------------------------------------------------------


def run_checks(
    text: str,
    application: Application,
    interview: Interview,
    kind: Kind,
    now: datetime,
    rules: Rules,
    max_words: int,
) -> list[CheckResult]:
    """Every check that applies to a draft of `kind`, in a stable order.

    `text` may start with a `Subject:` line; only the body is checked. A call's
    talking points are checked for what a call needs (whom to ask for, a topic,
    a fit point, interest), not for an email's shape.
    """
    body = split_draft(text).body
    if kind is Kind.CALL:
        return [
            check_ask_for(body, interview),
            check_interest(body),
            check_topic(body, interview),
            check_fit_point(body, interview),
        ]
    return [
        check_length(body, max_words),
        check_paragraphs(body),
        check_thanks(body),
        check_interest(body),
        check_fit_point(body, interview),
        check_topic(body, interview),
        check_greeting(body, interview),
        check_no_generic_opener(body, interview),
        check_signature(body),
        check_timing(application, interview, now, rules),
    ]


#: The stable names of the thank-you checks, in the order `run_checks` returns them.
THANK_YOU_CHECKS = (
    "length",
    "paragraphs",
    "thanks",
    "interest",
    "fit_point",
    "topic",
    "greeting",
    "no_generic_opener",
    "signature",
    "timing",
)
CALL_CHECKS = ("ask_for", "interest", "topic", "fit_point")
