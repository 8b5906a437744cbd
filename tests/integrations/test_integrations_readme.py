"""The README's examples are real: its hook scripts and `jq` lines, run as a user would.

The hook scripts are taken from README.md as they are printed there, installed
in a config directory's `hooks/`, and run by the installed command on a real
database: the git hook against a real repository, the push hook against a real
HTTP server on 127.0.0.1 (the only edit: its URL, the line a user edits too).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.cli import SAMPLE, Runner, command

README = Path(__file__).parents[2] / "README.md"
PUSH_URL = "https://push.example.org/followup-tui"
DUE = "2026-11-24T16:00"
OVERDUE = "2026-11-28T10:00"


def readme_blocks(language: str) -> list[str]:
    """The README's fenced code blocks in `language`, in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def readme_hooks() -> dict[str, str]:
    """The hook scripts the README shows: by file name, from their `# …/hooks/NAME` line."""
    found = {}
    for block in readme_blocks("sh"):
        lines = block.splitlines()
        if lines and lines[0] == "#!/bin/sh":
            match = re.fullmatch(r"# ~/\.config/followup-tui/hooks/([\w.-]+)", lines[1])
            assert match, f"a README hook names its file on its second line: {lines[1]!r}"
            found[match.group(1)] = block
    return found


def needs(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"{', '.join(missing)} not installed (.ci/run installs them)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def install(runner: Runner, name: str, script: str) -> Path:
    folder = runner.tmp / "config" / "hooks"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(script, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def user(tmp_path: Path) -> Runner:
    """A user with a home of their own and followup-tui on their PATH (as a hook sees it)."""
    runner = Runner(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    runner.env["HOME"] = str(home)
    runner.env["PATH"] = f"{Path(command()[0]).parent}{os.pathsep}{runner.env['PATH']}"
    return runner


def test_the_readme_shows_the_two_hooks() -> None:
    assert sorted(readme_hooks()) == ["on-due-push", "on-event-git"]


# --- the git hook -------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def test_the_git_hook_commits_each_change(user: Runner) -> None:
    needs("git")
    repo = Path(user.env["HOME"]) / "followup-history"
    repo.mkdir()
    git(repo, "init", "--quiet")
    git(repo, "config", "user.name", "Sam Seeker")
    git(repo, "config", "user.email", "sam@example.org")
    install(user, "on-event-git", readme_hooks()["on-event-git"])

    sample = user.write_json("sample.json", SAMPLE)
    first = user.run("import", str(sample))
    assert first.returncode == 0 and "followup-tui: hook" not in first.stderr, first.stderr
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"
    assert (repo / "followup.json").read_text() == user.run("export").stdout

    # nothing new recorded: no event, no run, no empty commit
    assert user.run("import", str(sample)).returncode == 0
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "1"

    sent = copy.deepcopy(SAMPLE)
    sent["applications"][1]["events"] = [
        {"at": "2026-11-24T17:00:00+11:00", "type": "thank_you_sent", "interview": "globex-1"}
    ]
    assert user.run("import", str(user.write_json("sent.json", sent))).returncode == 0
    assert git(repo, "rev-list", "--count", "HEAD").strip() == "2"
    committed = json.loads(git(repo, "show", "HEAD:followup.json"))
    assert [e["type"] for e in committed["applications"][1]["events"]] == ["thank_you_sent"]
    assert git(repo, "log", "-1", "--format=%s").startswith("followup-tui: ")


def test_the_git_hook_exports_the_database_chosen_with_db(user: Runner) -> None:
    needs("git")
    repo = Path(user.env["HOME"]) / "followup-history"
    repo.mkdir()
    git(repo, "init", "--quiet")
    git(repo, "config", "user.name", "Sam Seeker")
    git(repo, "config", "user.email", "sam@example.org")
    install(user, "on-event-git", readme_hooks()["on-event-git"])
    del user.env["FOLLOWUP_TUI_DB"]
    chosen = user.tmp / "elsewhere.db"
    done = user.run("--db", str(chosen), "import", str(user.write_json("s.json", SAMPLE)))
    assert done.returncode == 0 and "followup-tui: hook" not in done.stderr, done.stderr
    exported = json.loads((repo / "followup.json").read_text())
    assert [a["id"] for a in exported["applications"]] == ["acme-planner", "globex-analyst"]
    assert (repo / "followup.json").read_text() == user.run("--db", str(chosen), "export").stdout


def test_the_git_hook_without_its_repository_is_reported_and_loses_nothing(user: Runner) -> None:
    install(user, "on-event-git", readme_hooks()["on-event-git"])
    done = user.run("import", str(user.write_json("sample.json", SAMPLE)))
    assert done.returncode == 0
    assert "hook on-event-git failed (exit status 1)" in done.stderr
    assert len(json.loads(user.run("export").stdout)["applications"]) == 2


# --- the push hook ----------------------------------------------------------------------


class Webhook:
    """A webhook on 127.0.0.1 that records each POST (headers and body)."""

    def __init__(self, status: int = 200) -> None:
        self.posts: list[dict] = []
        self.status = status
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hook.posts.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body.decode()}
                )
                self.send_response(hook.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/followup-tui"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    running = Webhook()
    yield running
    running.close()


def push_hook(url: str) -> str:
    script = readme_hooks()["on-due-push"]
    assert f'url="{PUSH_URL}"' in script  # the line the user edits
    return script.replace(PUSH_URL, url)


def test_the_push_hook_posts_what_notify_tells_and_every_change(user: Runner, webhook) -> None:
    needs("curl")
    assert user.run("import", str(user.write_json("sample.json", SAMPLE))).returncode == 0
    pushing = install(user, "on-due-push", push_hook(webhook.url))
    (pushing.parent / "on-event-push").symlink_to(pushing.name)  # "link the same script"

    told = user.run("--now", DUE, "notify", "--json")
    assert told.returncode == 0 and told.stderr == "", told.stderr
    (post,) = webhook.posts
    assert post["path"] == "/followup-tui"
    assert post["headers"]["Content-Type"] == "application/json"
    assert post["headers"]["X-Followup-Hook"] == "on-due"
    assert json.loads(post["body"]) == json.loads(told.stdout)
    assert [(t["company"], t["state"]) for t in json.loads(post["body"])] == [("Globex", "due")]

    # nothing new: nothing posted
    assert user.run("--now", "2026-11-24T16:15", "notify").returncode == 0
    assert len(webhook.posts) == 1

    sent = copy.deepcopy(SAMPLE)
    sent["applications"][1]["events"] = [
        {"at": "2026-11-24T17:00:00+11:00", "type": "thank_you_sent", "interview": "globex-1"}
    ]
    assert user.run("import", str(user.write_json("sent.json", sent))).returncode == 0
    change = webhook.posts[1]
    assert change["headers"]["X-Followup-Hook"] == "on-event"
    (event,) = [json.loads(line) for line in change["body"].splitlines()]
    assert (event["company"], event["type"], event["source"]) == (
        "Globex", "thank_you_sent", "import",
    )


def test_a_webhook_that_refuses_is_reported_and_notify_still_remembers(user: Runner) -> None:
    needs("curl")
    refusing = Webhook(status=500)
    try:
        assert user.run("import", str(user.write_json("sample.json", SAMPLE))).returncode == 0
        install(user, "on-due-push", push_hook(refusing.url))
        done = user.run("--now", DUE, "notify", "--json")
        assert done.returncode == 0
        assert "hook on-due-push failed (exit status 22)" in done.stderr
        assert len(refusing.posts) == 1
        # told is told: the failing hook undid nothing
        assert json.loads(user.run("--now", DUE, "notify", "--json").stdout) == []
    finally:
        refusing.close()


# --- the jq lines -------------------------------------------------------------------------


def test_the_readme_jq_lines_do_what_they_say(user: Runner) -> None:
    needs("jq")
    assert user.run("import", str(user.write_json("sample.json", SAMPLE))).returncode == 0
    (block,) = [b for b in readme_blocks("sh") if "| jq " in b]
    overdue, count, backup = [line for line in block.splitlines() if line.startswith("followup-tui ")]
    env = {**user.env, "FOLLOWUP_TUI_NOW": OVERDUE}

    def shell(line: str) -> str:
        done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env)
        assert (done.returncode, done.stderr) == (0, ""), done.stderr
        return done.stdout

    # at OVERDUE, globex's thank-you is late and acme's call is held back (suppressed)
    assert shell(overdue) == "Globex: thank_you\n"
    assert shell(count) == "1\n"
    copy_path = Path(shell(backup).rstrip("\n"))
    assert copy_path.parent == user.db.parent / "backups" and copy_path.is_file()
