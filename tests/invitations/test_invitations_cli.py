"""`followup-tui import FILE.ics` through the installed command, on real files (SPEC §7)."""

from __future__ import annotations

import json
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import invitations as corpus
from tests.support.cli import SAMPLE, Runner

NEW_ROLE = ("--company", "Nordwerk", "--role", "Developer")


@pytest.fixture
def berlin(tmp_path: Path) -> Runner:
    """A new user in Berlin whose config names their own address."""
    runner = Runner(tmp_path, tz="Europe/Berlin")
    (tmp_path / "config" / "config.toml").write_text(f'me = ["{corpus.ME}"]\n')
    return runner


@pytest.fixture
def sydney(tmp_path: Path) -> Runner:
    runner = Runner(tmp_path, tz="Australia/Sydney")
    (tmp_path / "config" / "config.toml").write_text(f'me = ["{corpus.ME}"]\n')
    return runner


def ics(runner: Runner, name: str, data: bytes) -> str:
    path = runner.tmp / name
    path.write_bytes(data)
    return str(path)


def ok(done: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done


def refused(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("followup-tui: error: ")
    return done.stderr


def exported(runner: Runner) -> dict:
    return json.loads(ok(runner.run("export")).stdout)


def generation(runner: Runner) -> int:
    """The database's data generation: it moves with every write of data."""
    with sqlite3.connect(runner.db) as conn:
        return int(conn.execute("SELECT n FROM data_generation").fetchone()[0])


def due(runner: Runner, now: str) -> list[dict]:
    return json.loads(ok(runner.run("--now", now, "due", "--all", "--json")).stdout)


# --- a new user: Teams across the end of summer time -----------------------------------


def test_teams_invitation_for_a_new_user_names_the_organizer_then_makes_the_application(
    berlin: Runner,
) -> None:
    # Saturday 24 October 2026, the evening before Berlin's clocks go back
    path = ics(berlin, "invite.ics", corpus.teams(start="20261024T170000", end="20261024T180000"))
    error = refused(berlin.run("import", path))
    assert "Jonas Müller <jonas.mueller@nordwerk.example>" in error
    assert "--application ID" in error and "--company NAME --role ROLE" in error
    assert "Nothing was imported" in error
    assert not berlin.db.exists()  # a failed first import leaves no database behind

    done = ok(berlin.run("import", path, *NEW_ROLE))
    assert done.stdout.splitlines() == [
        f"{path}: 1 new application, 1 interview added.",
        "  New application: Nordwerk (Developer).",
        "  Nordwerk (Developer): add interview “Technical interview” on Sat 24 Oct 2026 "
        "17:00–18:00.",
    ]
    (app,) = exported(berlin)["applications"]
    (interview,) = app["interviews"]
    assert interview["starts_at"] == "2026-10-24T17:00:00+02:00"
    assert interview["ends_at"] == "2026-10-24T18:00:00+02:00"
    assert interview["format"] == "video"
    assert interview["interviewers"] == ["Jonas Müller", "Lena Schmidt"]  # not the user
    assert interview["uid"].startswith("040000008200E00074C5B7101A82E008")
    assert [c["email"] for c in app["contacts"]] == [
        "jonas.mueller@nordwerk.example", "lena.schmidt@nordwerk.example",
    ]
    # the thank-you's 24 hours run across the change to winter time: 17:00 CET
    (follow_up,) = due(berlin, "2026-10-24T19:00")
    assert (follow_up["kind"], follow_up["state"]) == ("thank_you", "due")
    assert follow_up["due_at"] == "2026-10-25T17:00:00+01:00"


def test_without_me_in_the_config_the_user_is_taken_for_an_interviewer(tmp_path: Path) -> None:
    runner = Runner(tmp_path, tz="Europe/Berlin")
    ok(runner.run("import", ics(runner, "invite.ics", corpus.teams()), *NEW_ROLE))
    (interview,) = exported(runner)["applications"][0]["interviews"]
    assert interview["interviewers"] == ["Jonas Müller", "Alex Example", "Lena Schmidt"]


def test_a_bad_me_in_the_config_is_refused_with_its_line(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    (tmp_path / "config" / "config.toml").write_text('name = "Alex"\nme = ["not an address"]\n')
    error = refused(runner.run("import", ics(runner, "invite.ics", corpus.teams()), *NEW_ROLE))
    assert "line 2" in error and "'me'" in error


# --- Google, Sydney, across the start of summer time; a reschedule -----------------------


def test_google_invitation_joins_an_application_by_its_organizer(sydney: Runner) -> None:
    ok(sydney.run("import", sydney.write_json("sample.json", SAMPLE)))
    # Priya's address in the sample is another one: teach it the council's
    ok(sydney.run("import", ics(sydney, "first.ics", corpus.google(
        start="20261003T000000Z", end="20261003T010000Z")), "--application", "acme-planner"))
    # the same organizer's next invitation is matched by address, no choice needed
    done = ok(sydney.run("import", ics(sydney, "second.ics", corpus.google(
        uid="second-round@google.com", summary="Second round",
        start="20261009T230000Z", end="20261010T000000Z"))))
    assert "Acme Shire Council (Senior Planner): add interview “Second round” on Sat 10 Oct " \
           "2026 10:00–11:00." in done.stdout
    app = next(a for a in exported(sydney)["applications"] if a["id"] == "acme-planner")
    assert [iv["starts_at"] for iv in app["interviews"]] == [
        "2026-11-20T10:00:00+11:00",  # the sample's
        "2026-10-03T10:00:00+10:00",  # before the clocks go forward (AEST)
        "2026-10-10T10:00:00+11:00",  # after (AEDT)
    ]


def test_a_reschedule_moves_the_thank_you_clock_and_leaves_a_note(sydney: Runner) -> None:
    first = ics(sydney, "invite.ics", corpus.google(start="20261002T000000Z",
                                                    end="20261002T010000Z"))
    ok(sydney.run("import", first, "--company", "Acme Shire Council", "--role", "Planner"))
    (before,) = due(sydney, "2026-10-01T09:00")
    assert before["due_at"] == "2026-10-03T11:00:00+10:00"
    # moved across the start of summer time: Monday 5 October, 10:00 AEDT
    moved = ics(sydney, "moved.ics", corpus.google(start="20261004T230000Z",
                                                   end="20261005T000000Z", sequence=1))
    done = ok(sydney.run("import", moved))
    assert done.stdout.splitlines()[1] == (
        "  Acme Shire Council (Planner): interview “First round: Senior Planner”: moved from "
        "Fri 02 Oct 2026 10:00–11:00 to Mon 05 Oct 2026 10:00–11:00."
    )
    (after,) = due(sydney, "2026-10-03T12:00")  # the old deadline has passed: not overdue
    assert (after["state"], after["due_at"]) == ("waiting", "2026-10-06T11:00:00+11:00")
    (app,) = exported(sydney)["applications"]
    (note,) = [e for e in app["events"] if e["type"] == "note"]
    assert note["text"] == ("Interview moved from Fri 02 Oct 2026 10:00–11:00 to "
                            "Mon 05 Oct 2026 10:00–11:00 (invitation update)")
    assert (note["source"], note["interview"]) == ("calendar", app["interviews"][0]["id"])
    # the old version again, later: ignored, and said
    again = ok(sydney.run("import", first))
    assert "ignored an older invitation (version 0; version 1 is recorded)" in again.stdout
    assert exported(sydney)["applications"] == [app]


def test_the_on_event_hook_hears_the_reschedule_note(sydney: Runner) -> None:
    folder = sydney.tmp / "config" / "hooks"
    folder.mkdir()
    heard = sydney.tmp / "heard.jsonl"
    hook = folder / "on-event"
    hook.write_text(f"#!/bin/sh\ncat >> {heard}\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    ok(sydney.run("import", ics(sydney, "a.ics", corpus.google()), "--company", "Acme",
                  "--role", "Planner"))
    assert not heard.exists()  # a new interview is not an event
    ok(sydney.run("import", ics(sydney, "b.ics", corpus.google(
        sequence=1, start="20261120T230000Z", end="20261121T000000Z"))))
    (payload,) = [json.loads(line) for line in heard.read_text().splitlines()]
    assert (payload["type"], payload["source"], payload["application"]) == (
        "note", "calendar", "acme-planner")
    assert payload["text"].startswith("Interview moved from Fri 20 Nov 2026 10:00–11:00 to Sat 21")


# --- cancel, restore, twice ----------------------------------------------------------------


def test_a_cancellation_leaves_no_follow_ups_and_a_later_request_restores_it(
    berlin: Runner,
) -> None:
    ok(berlin.run("import", ics(berlin, "invite.ics", corpus.teams()), *NEW_ROLE))
    assert [f["kind"] for f in due(berlin, "2026-10-23T12:00")] == ["thank_you"]
    cancel = ics(berlin, "cancel.ics", corpus.teams(method="CANCEL", sequence=1))
    done = ok(berlin.run("import", cancel))
    assert done.stdout.splitlines() == [
        f"{cancel}: 1 cancelled.",
        "  Nordwerk (Developer): interview “Technical interview”: cancelled (on Fri 23 Oct "
        "2026 10:00).",
    ]
    assert due(berlin, "2026-10-23T12:00") == []
    (app,) = exported(berlin)["applications"]
    assert app["interviews"][0]["cancelled"] is True
    assert [(e["type"], e["text"], e["source"]) for e in app["events"]] == [
        ("note", "Interview cancelled (invitation cancelled)", "calendar"),
    ]
    ok(berlin.run("import", ics(berlin, "again.ics", corpus.teams(sequence=2))))
    assert [f["kind"] for f in due(berlin, "2026-10-23T12:00")] == ["thank_you"]
    assert "cancelled" not in exported(berlin)["applications"][0]["interviews"][0]


def test_importing_the_same_file_twice_changes_nothing(berlin: Runner) -> None:
    path = ics(berlin, "invite.ics", corpus.teams())
    ok(berlin.run("import", path, *NEW_ROLE))
    first = generation(berlin)
    before = exported(berlin)
    done = ok(berlin.run("import", path, "--json"))
    assert json.loads(done.stdout) == [{
        "kind": "unchanged", "application": "nordwerk-developer",
        "interview": "nordwerk-developer-1", "uid": before["applications"][0]["interviews"][0]["uid"],
        "line": 20, "moved": None,
        "message": "Nordwerk (Developer): interview “Technical interview”: already up to date.",
    }]
    assert exported(berlin) == before
    assert generation(berlin) == first  # not one row of data written


def test_json_output_lists_each_change_as_an_object(berlin: Runner) -> None:
    done = ok(berlin.run("import", ics(berlin, "invite.ics", corpus.teams()), *NEW_ROLE,
                         "--json"))
    changes = json.loads(done.stdout)
    assert [c["kind"] for c in changes] == ["new_application", "add_interview"]
    assert changes[1]["interview"] == "nordwerk-developer-1"
    assert done.stderr.strip() == f"{berlin.tmp / 'invite.ics'}: 1 new application, " \
                                  "1 interview added."


# --- recognising a calendar -------------------------------------------------------------


def test_standard_input_is_recognised_by_its_content(berlin: Runner) -> None:
    done = ok(berlin.run("import", "-", *NEW_ROLE, stdin=corpus.teams()))
    assert done.stdout.startswith("standard input: 1 new application, 1 interview added.")


def test_format_ics_reads_a_file_of_any_name(berlin: Runner) -> None:
    path = berlin.tmp / "invite.txt"
    path.write_bytes(b"\r\n" + corpus.teams())
    ok(berlin.run("import", str(path), "--format", "ics", *NEW_ROLE))
    assert len(exported(berlin)["applications"]) == 1


def test_choosing_an_application_is_for_invitations_only(berlin: Runner) -> None:
    error = refused(berlin.run("import", berlin.write_json("s.json", SAMPLE), "--application",
                               "acme-planner"))
    assert "for invitations (.ics) only" in error


def test_json_import_is_as_it_was(sydney: Runner) -> None:
    done = ok(sydney.run("import", sydney.write_json("s.json", SAMPLE)))
    assert done.stdout == ""
    assert done.stderr == (f"Imported 2 application(s) from {sydney.tmp / 's.json'}: 2 new, "
                           "0 updated, 3 new event(s).\n")


# --- refusals: exit 2, the line named, nothing imported -------------------------------------


def test_our_own_export_is_refused(sydney: Runner) -> None:
    ok(sydney.run("import", sydney.write_json("s.json", SAMPLE)))
    path = sydney.tmp / "followups.ics"
    ok(sydney.run("--now", "2026-11-21T09:00", "export", "--format", "ics", "-o", str(path)))
    before = exported(sydney)
    error = refused(sydney.run("import", str(path)))
    assert "followup-tui" in error and "export" in error
    assert exported(sydney) == before


def unfolded_line_8() -> bytes:
    """A mail program rewrapped the file: line 8 lost the space that made it a continuation."""
    good = corpus.one_event("UID:f1\nDTSTART:20261120T000000Z\nDESCRIPTION:" + "word " * 30)
    lines = good.split(b"\r\n")
    assert lines[7].startswith(b" ")
    lines[7] = lines[7].lstrip()
    return b"\r\n".join(lines)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (corpus.teams().replace(b"END:VCALENDAR\r\n", b""), "line"),
        (unfolded_line_8(), "Line 8 of the calendar is not an iCalendar line"),
        (b"BEGIN:VCALENDAR\r\nthis is not a calendar\r\n", "line"),
        (corpus.one_event("UID:x\nDTSTART;VALUE=DATE:20261120\nSUMMARY:All day"), "all-day"),
        (b"", ""),
    ],
    ids=["never-closed", "broken-fold", "garbage", "all-day-only", "empty"],
)
def test_bad_calendars_exit_2_naming_the_fault(sydney: Runner, data: bytes, words: str) -> None:
    ok(sydney.run("import", sydney.write_json("s.json", SAMPLE)))
    before = exported(sydney)
    error = refused(sydney.run("import", ics(sydney, "bad.ics", data), "--application",
                               "acme-planner"))
    assert words in error
    assert "Nothing was imported" in error
    assert exported(sydney) == before


def test_a_calendar_with_one_unmatched_invitation_imports_none_of_it(berlin: Runner) -> None:
    ok(berlin.run("import", ics(berlin, "invite.ics", corpus.teams()), *NEW_ROLE))
    before = exported(berlin)
    # a move of the known interview, and an invitation from a stranger: all or nothing
    both = corpus.teams(sequence=1, start="20261023T140000", end="20261023T144500").replace(
        b"END:VCALENDAR\r\n", b"") + corpus.zoom().split(b"METHOD:REQUEST\r\n", 1)[1]
    error = refused(berlin.run("import", ics(berlin, "both.ics", both)))
    assert "Riley Park <riley@kitelabs.example>" in error
    assert exported(berlin) == before


def test_the_import_of_an_invitation_never_loads_textual(berlin: Runner) -> None:
    path = ics(berlin, "invite.ics", corpus.teams())
    code = (
        "import sys\nfrom followup_tui.cli.main import main\n"
        f"rc = main(['import', {path!r}, *{list(NEW_ROLE)!r}])\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "assert not bad, bad\nsys.exit(rc)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=berlin.env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr


def test_json_import_with_json_prints_its_counts(sydney: Runner) -> None:
    done = ok(sydney.run("import", sydney.write_json("s.json", SAMPLE), "--json"))
    counts = json.loads(done.stdout)  # the JSON import's keys: see README, --json
    assert {k: counts[k] for k in ("applications_added", "applications_updated",
                                   "events_added")} == {
        "applications_added": 2, "applications_updated": 0, "events_added": 3,
    }


def test_half_a_new_application_is_refused(berlin: Runner) -> None:
    error = refused(berlin.run("import", ics(berlin, "invite.ics", corpus.teams()),
                               "--company", "Nordwerk"))
    assert "Give both --company and --role" in error
    error = refused(berlin.run("import", ics(berlin, "invite.ics", corpus.teams()),
                               "--application", "nope"))
    assert "There is no application with the id 'nope'" in error
    assert not berlin.db.exists()
