"""The draft checks (SPEC §2, A2-A4): each passes good drafts and fails bad ones."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_tui.domain import checks
from followup_tui.domain.checks import (
    CALL_CHECKS,
    THANK_YOU_CHECKS,
    mentions,
    paragraphs,
    run_checks,
)
from followup_tui.domain.drafts import greeting_name, split_draft
from followup_tui.domain.model import Contact, Interview, Kind
from followup_tui.drafting.templates import render_draft
from followup_tui.settings.config import Config
from tests.support.compose import APPLICATION, GOOD_DRAFT, INTERVIEW, LATE, NOW, RULES

BODY = split_draft(GOOD_DRAFT).body


def results(text: str, interview: Interview = INTERVIEW, **kwargs: object) -> dict[str, object]:
    found = run_checks(
        text,
        APPLICATION.replace(interviews=(interview,)),
        interview,
        kwargs.get("kind", Kind.THANK_YOU),  # type: ignore[arg-type]
        kwargs.get("now", NOW),  # type: ignore[arg-type]
        RULES,
        kwargs.get("max_words", 200),  # type: ignore[arg-type]
    )
    return {r.name: r for r in found}


def test_a_good_draft_passes_every_check() -> None:
    found = results(GOOD_DRAFT)
    assert list(found) == list(THANK_YOU_CHECKS)
    assert all(r.ok for r in found.values()), found  # type: ignore[attr-defined]


def test_empty_draft_fails_what_it_must_and_says_so() -> None:
    found = results("")
    for name in ("length", "paragraphs", "thanks", "interest", "fit_point", "topic", "greeting"):
        assert not found[name].ok, name  # type: ignore[attr-defined]
    assert "empty" in found["length"].detail  # type: ignore[attr-defined]
    # a form letter it is not: the opener check has nothing to object to
    assert found["no_generic_opener"].ok  # type: ignore[attr-defined]


# --- length ------------------------------------------------------------------------


def test_length_passes_short_and_fails_long() -> None:
    assert checks.check_length(BODY, 200).ok
    long_body = BODY + "\n\n" + " ".join(["word"] * 250)
    result = checks.check_length(long_body, 200)
    assert not result.ok
    assert "cut it to 200" in result.detail


def test_length_respects_configured_max_words() -> None:
    assert not checks.check_length(BODY, 20).ok
    assert "20 or fewer" in checks.check_length(BODY, 20).detail


def test_very_long_draft_is_checked_quickly_and_fails_length() -> None:
    huge = "Dear Priya,\n\n" + ("Thank you for the chat about housing. " * 20_000)
    found = results(huge)
    assert not found["length"].ok  # type: ignore[attr-defined]
    assert found["thanks"].ok  # type: ignore[attr-defined]


def test_emoji_are_not_words() -> None:
    assert checks.word_count("Thank you 🙏 so much 🎉🎉") == 4


# --- paragraphs --------------------------------------------------------------------


def test_greeting_and_sign_off_are_not_paragraphs() -> None:
    assert len(paragraphs(BODY)) == 2
    assert checks.check_paragraphs(BODY).ok


def test_four_paragraphs_fail() -> None:
    body = "Dear Priya,\n\nOne.\n\nTwo.\n\nThree.\n\nFour.\n\nKind regards,\nSam"
    result = checks.check_paragraphs(body)
    assert not result.ok
    assert "4 paragraphs" in result.detail


def test_bare_signature_block_is_not_a_paragraph() -> None:
    body = "Hi Priya,\n\nOne.\n\nTwo.\n\nThree.\n\nSam Lee\nPlanner\n0400 000 000"
    assert checks.check_paragraphs(body).ok


# --- thanks and interest ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Thank you for your time.",
        "THANKS again!",
        "I really appreciated it.",
        "Merci beaucoup",
        "非常感谢您的时间",
        "I'm grateful 🙏",
    ],
)
def test_thanks_found(text: str) -> None:
    assert checks.check_thanks(text).ok


@pytest.mark.parametrize("text", ["", "It was a meeting.", "🙏🙏🙏", "Thankless task"])
def test_thanks_missing(text: str) -> None:
    result = checks.check_thanks(text)
    assert not result.ok
    assert "thank them" in result.detail


@pytest.mark.parametrize(
    "text",
    [
        "I remain very interested.",
        "I'm excited about the role",
        "Still keen!",
        "I look forward to hearing from you",
        "I’d love to join — ENTHUSIASTIC 🎉",
    ],
)
def test_interest_found(text: str) -> None:
    assert checks.check_interest(text).ok


@pytest.mark.parametrize("text", ["", "Thank you.", "Regards"])
def test_interest_missing(text: str) -> None:
    assert not checks.check_interest(text).ok


# --- fit point and topic ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "My five years running council consultations.",
        "I have spent FIVE YEARS running consultations for the council!",
        "five-years running council consultation",  # punctuation and singular
    ],
)
def test_fit_point_echoed(text: str) -> None:
    assert checks.check_fit_point(text, INTERVIEW).ok


def test_fit_point_missing_names_the_recorded_ones() -> None:
    result = checks.check_fit_point("I would be great.", INTERVIEW)
    assert not result.ok
    assert "five years running council consultations" in result.detail


def test_fit_point_not_recorded_passes_with_advice() -> None:
    result = checks.check_fit_point("", INTERVIEW.replace(fit_points=()))
    assert result.ok
    assert "No fit point recorded" in result.detail


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("We talked about the NEW housing strategies.", "the new housing strategy"),
        ("community-consultation, again", "community consultation"),
        ("Community consultations!", "community consultation"),
        ("about the Städtebau plan", "stadtebau"),
        ("我们讨论了城市规划。", "城市规划"),
        ("the 🚀 launch", "🚀"),
    ],
)
def test_topic_mentioned_forgivingly(text: str, topic: str) -> None:
    assert mentions(text, topic)
    interview = INTERVIEW.replace(topics=(topic,))
    assert checks.check_topic(text, interview).ok


@pytest.mark.parametrize("text", ["", "We talked about strategy.", "Housing was mentioned.", "🚀"])
def test_topic_not_mentioned(text: str) -> None:
    result = checks.check_topic(text, INTERVIEW)
    assert not result.ok
    assert "the new housing strategy" in result.detail


def test_topic_names_part_of_a_recorded_topic() -> None:
    interview = INTERVIEW.replace(topics=("loyalty card data and basket analysis",))
    text = "I enjoyed hearing how you use your loyalty card data."
    assert checks.check_topic(text, interview).ok
    assert not checks.check_topic("I enjoyed hearing about your cards.", interview).ok


def test_an_empty_sign_off_fails_the_signature_check() -> None:
    body = "Dear Priya,\n\nThank you for your time.\n\nKind regards,\n"
    result = checks.check_signature(body)
    assert not result.ok
    assert "Kind regards," in result.detail
    assert checks.check_signature(body + "Sam Lee\n").ok
    assert checks.check_signature("Dear Priya,\n\nThank you for your time.").ok


def test_topic_not_recorded_passes_with_advice() -> None:
    result = checks.check_topic("", INTERVIEW.replace(topics=()))
    assert result.ok
    assert "No topic recorded" in result.detail


# --- greeting and openers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Priya Shah", "Dear Priya,"),
        ("Priya Shah", "Hi Ms Shah,"),
        ("Zoë Ångström", "Dear Zoë,"),
        ("Zoë Ångström", "Dear Zoe Angstrom,"),
        ("José Álvarez", "Hola José:"),
        ("李小龙", "李小龙先生，您好"),
        ("李小龙", "Dear 李小龙,"),
        ("Seán O’Brien", "Dear Seán O'Brien 👋"),
        ("Dr Amara Okafor", "Dear Dr Okafor,"),
    ],
)
def test_greeting_by_name(name: str, greeting: str) -> None:
    interview = INTERVIEW.replace(interviewers=(name,))
    result = checks.check_greeting(f"{greeting}\n\nThank you.", interview)
    assert result.ok, result.detail


@pytest.mark.parametrize(
    ("name", "greeting"),
    [
        ("Priya Shah", "Dear Hiring Manager,"),
        ("Zoë Ångström", "Hello,"),
        ("李小龙", "Dear Sir,"),
        ("José Álvarez", "Hi Josefina,"),
        ("Priya Shah", ""),
    ],
)
def test_greeting_without_the_name_fails(name: str, greeting: str) -> None:
    interview = INTERVIEW.replace(interviewers=(name,))
    # the name further down does not make a greeting
    result = checks.check_greeting(f"{greeting}\n\nThank you.\n\nPriya, I enjoyed it.", interview)
    assert not result.ok
    assert name in result.detail


def test_greeting_with_no_interviewer_recorded_passes() -> None:
    result = checks.check_greeting("Hello,", INTERVIEW.replace(interviewers=()))
    assert result.ok


def test_greeting_any_of_several_interviewers() -> None:
    interview = INTERVIEW.replace(interviewers=("Priya Shah", "Tom Lee"))
    assert checks.check_greeting("Dear Tom,\n\n...", interview).ok


@pytest.mark.parametrize(
    "opener",
    ["To whom it may concern,", "Dear Sir/Madam,", "Dear Sir or Madam", "dear hiring manager"],
)
def test_generic_openers_fail_when_a_name_is_known(opener: str) -> None:
    result = checks.check_no_generic_opener(f"{opener}\n\nThanks.", INTERVIEW)
    assert not result.ok
    assert "form letter" in result.detail


def test_dear_hiring_manager_is_fine_when_no_name_is_known() -> None:
    nameless = INTERVIEW.replace(interviewers=())
    assert checks.check_no_generic_opener("Dear Hiring Manager,", nameless).ok
    assert not checks.check_no_generic_opener("To whom it may concern", nameless).ok


# --- timing ---------------------------------------------------------------------------------


def test_timing_on_time_passes() -> None:
    result = checks.check_timing(APPLICATION, INTERVIEW, NOW, RULES)
    assert result.ok and not result.warning
    assert "send it by" in result.detail


def test_timing_late_warns_kindly_but_passes() -> None:
    result = checks.check_timing(APPLICATION, INTERVIEW, LATE, RULES)
    assert result.ok and result.warning
    assert "still worth sending" in result.detail


def test_timing_before_the_interview_ends() -> None:
    early = NOW.replace(hour=9)
    result = checks.check_timing(APPLICATION, INTERVIEW, early, RULES)
    assert result.ok
    assert "ends" in result.detail


# --- run_checks ------------------------------------------------------------------------------


def test_subject_line_is_not_the_body() -> None:
    # thanks in the subject only does not count
    found = results("Subject: Thank you\n\nDear Priya,\n\nGreat chat.")
    assert not found["thanks"].ok  # type: ignore[attr-defined]


def test_call_notes_are_checked_for_what_a_call_needs() -> None:
    found = results(
        "Ask for Priya Shah. Still keen. Housing strategy. Five years running council "
        "consultations.",
        kind=Kind.CALL,
    )
    assert list(found) == list(CALL_CHECKS)
    assert all(r.ok for r in found.values())  # type: ignore[attr-defined]
    assert not results("Call them.", kind=Kind.CALL)["ask_for"].ok  # type: ignore[attr-defined]


def test_check_names_are_snake_case_and_json_shaped() -> None:
    for result in run_checks(GOOD_DRAFT, APPLICATION, INTERVIEW, Kind.THANK_YOU, NOW, RULES, 200):
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", result.name)
        assert set(result.as_json()) == {"check", "ok", "detail"}
        assert result.detail.strip()


# --- the default draft passes (property) -----------------------------------------------------

_LETTERS = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzéèüöäåøñçłßšžıİ") + list("αβγδεζηθλμπσω") + list("абвгдежз")
)
_NAME_WORD = st.builds(
    lambda first, rest: first.upper() + rest,
    _LETTERS,
    st.text(_LETTERS, min_size=1, max_size=9),
)
_CJK_NAME = st.text(st.sampled_from(list("李小龙王张陈刘杨黄赵周吴徐孙马")), min_size=2, max_size=4)
_PERSON = st.one_of(
    st.lists(_NAME_WORD, min_size=1, max_size=3).map(" ".join),
    _CJK_NAME,
    st.sampled_from(["Zoë Ångström", "José Álvarez", "李小龙", "Seán O'Brien", "Dr Amara Okafor"]),
)
_PHRASE_WORD = st.one_of(
    st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyz")), min_size=2, max_size=10),
    st.sampled_from(["housing", "strategies", "Python", "café", "data-pipelines", "🚀", "API's"]),
)
_PHRASE = st.lists(_PHRASE_WORD, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    interviewers=st.lists(_PERSON, min_size=1, max_size=3),
    topics=st.lists(_PHRASE, min_size=1, max_size=3),
    fit_points=st.lists(_PHRASE, min_size=1, max_size=2),
    company=_PHRASE,
    role=_PHRASE,
    name=st.one_of(st.just(""), _PERSON),
    late=st.booleans(),
)
def test_default_draft_passes_every_check(
    interviewers: list[str],
    topics: list[str],
    fit_points: list[str],
    company: str,
    role: str,
    name: str,
    late: bool,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    interview = INTERVIEW.replace(
        interviewers=tuple(interviewers),
        topics=tuple(topics),
        fit_points=tuple(fit_points),
    )
    application = APPLICATION.replace(
        company=company,
        role=role,
        contacts=tuple(Contact(n, email="x@example.org") for n in interviewers),
        interviews=(interview,),
    )
    now = LATE if late else NOW
    empty = tmp_path_factory.getbasetemp() / "no-templates"
    for kind in Kind:
        draft = render_draft(
            application,
            interview,
            kind,
            now=now,
            rules=RULES,
            config=Config(name=name),
            directory=empty,
        )
        found = run_checks(draft.as_text(), application, interview, kind, now, RULES, 200)
        failing = [r.name for r in found if not r.ok]
        # with no name to sign with, the draft's sign-off is empty and says so
        unsigned = ["signature"] if kind is Kind.THANK_YOU and not name.strip() else []
        assert failing == unsigned, (draft.as_text(), failing)


def test_greeting_name_prefers_the_first_name() -> None:
    assert greeting_name("Zoë Ångström") == "Zoë"
    assert greeting_name("Dr Amara Okafor") == "Dr Amara Okafor"
    assert greeting_name("李小龙") == "李小龙"


def test_checks_are_fast_enough_to_run_on_every_keystroke() -> None:
    import time

    text = GOOD_DRAFT * 10
    start = time.perf_counter()
    for _ in range(50):
        run_checks(
            text, APPLICATION, INTERVIEW, Kind.THANK_YOU, NOW + timedelta(hours=1), RULES, 200
        )
    assert (time.perf_counter() - start) / 50 < 0.02
