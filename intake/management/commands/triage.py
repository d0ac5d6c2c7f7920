"""Assess a set of questionnaire answers from a JSON file or stdin and print the outcome as JSON.

    python manage.py triage answers.json
    echo '{"S01": "yes", ...}' | python manage.py triage -

Exit status 2 with each problem on stderr (and nothing on stdout) when the input is not valid JSON
or the answers do not fit the questionnaire. Touches no database.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand

from intake import triage

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Assess questionnaire answers (a JSON object; '-' reads stdin) and print the outcome."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="JSON file of answers (item id to answer), or - for stdin")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        try:
            text = self._read(file, options.get("stdin") or sys.stdin)
            answers = json.loads(text)
            assessment = triage.assess(answers)
        except OSError as error:
            self._fail([f"Cannot read {file}: {error.strerror or error}"])
        except json.JSONDecodeError as error:
            self._fail([f"Not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"])
        except triage.InvalidAnswers as error:
            self._fail(error.messages)
        self.stdout.write(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))

    @staticmethod
    def _read(file: str, stdin: Any) -> str:
        if file == "-":
            return stdin.read()
        return Path(file).read_text(encoding="utf-8")

    def _fail(self, problems: list[str]) -> NoReturn:
        for problem in problems:
            self.stderr.write(problem)
        raise SystemExit(INVALID_INPUT)
