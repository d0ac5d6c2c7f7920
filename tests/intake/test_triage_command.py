"""`manage.py triage FILE|-` prints the assessment as JSON, or the problems with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.intake.triage.answer_sets import answers
from tests.services import REPO


def _triage(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "triage", *args],
        input=stdin,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_prints_an_emergency_for_a_pop_read_from_stdin():
    result = _triage("-", stdin=json.dumps(answers(S01="yes")))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["urgency"] == "emergency"
    assert "E1" in outcome["rules"]
    assert outcome["likely_conditions"][0]["code"] == "achilles_rupture"


def test_it_prints_a_routine_outcome_indented():
    result = _triage("-", stdin=json.dumps(answers(C01="yes_eases")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith('{\n  "version": ')
    outcome = json.loads(result.stdout)
    assert outcome["urgency"] == "routine"
    assert outcome["rules"] == ["R1"]


def test_it_reads_a_file(tmp_path: Path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(answers(D06="yes")), encoding="utf-8")
    result = _triage(str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["rules"] == ["U9"]


def test_invalid_answers_exit_2_with_each_problem_on_stderr():
    result = _triage("-", stdin=json.dumps(answers(S01="maybe", A01=None)))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert lines == ["S01: 'maybe' is not one of yes, no, unsure", "A01: an answer is required"]


def test_invalid_json_exits_2_with_nothing_on_stdout():
    result = _triage("-", stdin="{not json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Not valid JSON")


def test_a_missing_file_exits_2(tmp_path: Path):
    result = _triage(str(tmp_path / "absent.json"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Cannot read" in result.stderr


def test_it_reports_policy_2026_12_1_and_its_new_rules():
    calf = answers(S07="yes", S07a=["long_journey"], S07b="no", B04="2_6w")
    result = _triage("-", stdin=json.dumps(calf))
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout)
    assert outcome["version"] == "2026.12-1"
    assert (outcome["urgency"], outcome["rules"]) == ("urgent", ["U11"])


def test_it_refuses_an_unknown_code_for_a_new_item():
    result = _triage("-", stdin=json.dumps(answers(S07="yes", S07a=[], S07b="bigger")))
    assert result.returncode == 2
    assert result.stderr.strip() == "S07b: 'bigger' is not one of yes, no, unsure"
