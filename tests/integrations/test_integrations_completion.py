"""Completion scripts run in a real bash: commands, options, and interview ids from a database."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from followup_tui.cli.main import build_parser
from followup_tui.integrations.completion import (
    completion_script,
    interview_ids,
)
from tests.support.cli import SAMPLE, Runner

# the hidden command as this interpreter runs it (until `followup-tui` answers it itself)
CALLBACK = (sys.executable, "-m", "followup_tui.integrations.completion")


def shell(name: str) -> str:
    """The shell's path; CI installs it (.ci/run), elsewhere its tests are skipped."""
    found = shutil.which(name)
    if found is None:
        message = f"{name} is not installed (apt-get install {name}; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def commands() -> list[str]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    return sorted(sub.choices)


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    made = Runner(tmp_path)
    document = json.loads(json.dumps(SAMPLE))
    document["applications"][1]["interviews"].append(
        {"id": "globex-2", "starts_at": "2026-11-26T14:00:00+11:00"}
    )
    assert made.run("import", str(made.write_json("sample.json", document))).returncode == 0
    return made


@pytest.fixture
def bash_script(tmp_path: Path) -> Path:
    path = tmp_path / "followup-tui.bash"
    path.write_text(completion_script(build_parser(), "bash", callback=CALLBACK))
    return path


def complete(script: Path, line: str, env: dict[str, str]) -> list[str]:
    """What bash offers for `line` (its last word is the one being completed; a line
    ending in a space completes an empty word), through the function the script
    registered for followup-tui."""
    words = []
    for word in shlex.split(line):
        # as readline breaks them (= is in COMP_WORDBREAKS): --db=x is --db, =, x
        name, equals, value = word.partition("=")
        words += [name, equals, value] if word.startswith("--") and equals else [word]
    words += [""] if line.endswith(" ") else []
    program = f"""
source {shlex.quote(str(script))}
spec=$(complete -p followup-tui)
function=${{spec##*-F }}; function=${{function%% *}}
COMP_WORDS=({" ".join(shlex.quote(w) for w in words)})
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
COMP_LINE={shlex.quote(line)}
COMP_POINT=${{#COMP_LINE}}
"$function" followup-tui "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return sorted(word for word in done.stdout.splitlines() if word)


def test_bash_completes_the_commands(bash_script, runner):
    assert complete(bash_script, "followup-tui ", runner.env) == commands()
    assert complete(bash_script, "followup-tui d", runner.env) == ["draft", "due"]
    assert complete(bash_script, "followup-tui --db x.db ex", runner.env) == ["export"]


def test_bash_completes_options_and_their_choices(bash_script, runner):
    offered = complete(bash_script, "followup-tui due --", runner.env)
    assert {"--all", "--json", "--db", "--now", "--help"} <= set(offered)
    assert "--interview" not in offered
    assert complete(bash_script, "followup-tui draft --k", runner.env) == ["--kind"]
    assert complete(bash_script, "followup-tui export --format ", runner.env) == ["csv", "ics", "json"]
    # --color is global: offered, with its choices, before and after the command
    assert "--color" in offered
    assert complete(bash_script, "followup-tui --color ", runner.env) == ["always", "auto", "never"]
    assert complete(bash_script, "followup-tui due --color n", runner.env) == ["never"]
    line = "followup-tui --color never draft --interview glo"
    assert complete(bash_script, line, runner.env) == ["globex-1", "globex-2"]


def test_bash_completes_interview_ids_from_the_database(bash_script, runner):
    everyone = ["acme-planner-1", "globex-1", "globex-2"]
    assert complete(bash_script, "followup-tui draft --interview ", runner.env) == everyone
    assert complete(bash_script, "followup-tui draft --interview glo", runner.env) == [
        "globex-1", "globex-2",
    ]
    assert complete(bash_script, "followup-tui check - --interview acme", runner.env) == [
        "acme-planner-1"
    ]


def test_a_db_typed_on_the_line_is_the_one_read(bash_script, runner, tmp_path):
    (tmp_path / "other").mkdir()
    other = Runner(tmp_path / "other")
    document = {
        "format": "followup-tui",
        "version": 1,
        "applications": [
            {
                "id": "initech",
                "company": "Initech",
                "role": "Tester",
                "interviews": [{"id": "initech-1", "starts_at": "2026-11-20T10:00:00+11:00"}],
            }
        ],
    }
    assert other.run("import", str(other.write_json("i.json", document))).returncode == 0
    line = f"followup-tui --db {other.db} draft --interview "
    assert complete(bash_script, line, runner.env) == ["initech-1"]
    line = f"followup-tui draft --db={other.db} --interview i"
    assert complete(bash_script, line, runner.env) == ["initech-1"]


def test_no_database_completes_nothing_and_says_nothing(bash_script, runner, tmp_path):
    env = {**runner.env, "FOLLOWUP_TUI_DB": str(tmp_path / "nowhere" / "none.db")}
    assert complete(bash_script, "followup-tui draft --interview ", env) == []
    done = subprocess.run(
        [*CALLBACK, "--", ""], capture_output=True, text=True, env=env, timeout=60
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_ids_a_shell_cannot_take_as_one_word_are_left_out(runner):
    conn = sqlite3.connect(runner.db)
    with conn:
        conn.execute(
            "INSERT INTO interviews (id, application_id, starts_at) VALUES "
            "('acme two', 'acme-planner', '2026-11-21T10:00:00+11:00'), "
            "('acme-\x1b[2J', 'acme-planner', '2026-11-21T10:00:00+11:00')"
        )
    conn.close()
    assert interview_ids(runner.db, "acme") == ["acme-planner-1"]
    assert interview_ids(runner.db, "%") == []  # a prefix, not a pattern


def test_another_programs_database_completes_nothing(tmp_path):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE interviews (id TEXT PRIMARY KEY)")
    conn.execute("INSERT INTO interviews VALUES ('x-1')")
    conn.commit()
    conn.close()
    assert interview_ids(foreign) == []


@pytest.mark.parametrize("shell_name", ["zsh", "fish"])
def test_zsh_and_fish_scripts_call_back_for_ids(shell_name):
    # running them needs those shells (not installed in CI): at least their syntax
    # where the shell is here, and the callback in every case
    script = completion_script(build_parser(), shell_name, callback=CALLBACK)
    assert shlex.join(CALLBACK) in script
    done = subprocess.run([shell(shell_name), "-n"], input=script, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_an_unknown_shell_is_refused():
    with pytest.raises(ValueError, match="choose one of bash, zsh, fish"):
        completion_script(build_parser(), "tcsh")


def test_fish_completes_commands_options_and_ids(runner, tmp_path):
    fish = shell("fish")
    script = tmp_path / "followup-tui.fish"
    script.write_text(completion_script(build_parser(), "fish", callback=CALLBACK))

    def offered(line: str) -> list[str]:
        done = subprocess.run(
            [fish, "--no-config", "-c", f"source {shlex.quote(str(script))}; complete -C {shlex.quote(line)}"],
            capture_output=True, text=True, env=runner.env, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return sorted(row.split("\t")[0] for row in done.stdout.splitlines())

    assert offered("followup-tui d") == ["draft", "due"]
    assert {"--all", "--json"} <= set(offered("followup-tui due --"))
    assert offered("followup-tui draft --interview glo") == ["globex-1", "globex-2"]


ZSH_DRIVER = r"""
zmodload zsh/zpty
zpty -b z zsh -f -i
zpty -w z "fpath=(${(q)FP} \$fpath); autoload -U compinit; compinit -u; PROMPT='> '; unsetopt list_ambiguous"
zpty -w -n z "$LINE"$'\t'
# read until every expected word is listed (or give up after ~30 s and show what came)
local all="" chunk
for attempt in {1..150}; do
  while zpty -r -t z chunk; do all+=$chunk; done
  local missing=0 word
  for word in ${(s: :)EXPECT}; do [[ $all == *$word* ]] || missing=1; done
  (( missing )) || break
  sleep 0.2
done
print -r -- "$all"
zpty -d z
"""


def test_zsh_completes_commands_and_ids_in_a_real_shell(runner, tmp_path):
    zsh = shell("zsh")
    functions = tmp_path / "zfunc"
    functions.mkdir()
    (functions / "_followup-tui").write_text(
        completion_script(build_parser(), "zsh", callback=CALLBACK)
    )

    def listed(line: str, expect: str) -> str:
        done = subprocess.run(
            [zsh, "-f", "-c", ZSH_DRIVER],
            capture_output=True,
            text=True,
            timeout=90,
            env={**runner.env, "FP": str(functions), "LINE": line, "EXPECT": expect},
        )
        # what zsh drew after the line was typed: the listing (and the line again)
        return done.stdout.split(line, 1)[-1]

    ids = listed("followup-tui draft --interview glo", "globex-1 globex-2")
    assert "globex-1" in ids and "globex-2" in ids and "acme-planner-1" not in ids
    commands = listed("followup-tui d", "draft due")
    assert "draft" in commands and "due" in commands and "export" not in commands
