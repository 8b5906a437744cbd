"""A week of real use, from the shell: prefixes of interview ids, every import fault at once."""

from __future__ import annotations

import copy

from tests.support.cli import SAMPLE, Runner


def test_interview_accepts_a_unique_prefix_of_an_id(loaded: Runner) -> None:
    done = loaded.run("draft", "--interview", "glob", "--kind", "thank_you")
    assert done.returncode == 0, done.stderr
    assert "Globex" in done.stdout


def test_an_ambiguous_prefix_lists_the_candidates(loaded: Runner) -> None:
    doc = copy.deepcopy(SAMPLE)
    doc["applications"][1]["interviews"].append(
        {"id": "globex-2", "starts_at": "2026-11-26T14:00:00+11:00"}
    )
    assert loaded.run("import", str(loaded.write_json("two.json", doc))).returncode == 0
    done = loaded.run("draft", "--interview", "globex", "--kind", "thank_you")
    assert done.returncode == 2
    assert "globex-1, globex-2" in done.stderr
    assert "Traceback" not in done.stderr


def test_import_reports_schema_and_meaning_faults_in_one_pass(cli: Runner) -> None:
    doc = copy.deepcopy(SAMPLE)
    doc["applications"][0]["company"] = ""  # a schema fault
    doc["applications"][1]["interviews"][0]["starts_at"] = "2026-02-30T10:00"  # a meaning fault
    done = cli.run("import", str(cli.write_json("bad.json", doc)))
    assert done.returncode == 2
    assert "$.applications[0].company" in done.stderr
    assert "$.applications[1].interviews[0].starts_at" in done.stderr
    assert "Traceback" not in done.stderr


def test_faults_are_listed_in_document_order(cli: Runner) -> None:
    doc = copy.deepcopy(SAMPLE)
    doc["applications"] = [copy.deepcopy(SAMPLE["applications"][1]) for _ in range(11)]
    for index, app in enumerate(doc["applications"]):
        app["id"] = f"g{index}"
        app["interviews"][0]["id"] = f"g{index}-1"
    doc["applications"][10]["interviews"][0]["starts_at"] = "2026-02-30T10:00"
    doc["applications"][2]["company"] = ""
    done = cli.run("import", str(cli.write_json("bad.json", doc)))
    assert done.returncode == 2
    assert done.stderr.index("$.applications[2]") < done.stderr.index("$.applications[10]")
