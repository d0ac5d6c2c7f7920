"""The portal speaks American English: no British spelling in what a patient or staff member reads
(templates, emails, and the strings of the code: questions, labels, rules, messages).

Identifiers are not words a person reads (`tumour_or_infection` is a stored cause code), and
docstrings and comments are for developers; both are left out.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "accounts",
    "booking",
    "care_plans",
    "clinic",
    "intake",
    "messaging",
    "ratelimits",
    "roles",
    "waitlist",
)
BRITISH = re.compile(
    r"\b(tumours?|colours?|centres?|behaviours?|programmes?|favour\w*|honour\w*|"
    r"labour\w*|neighbour\w*|catalogues?|organis\w*|recognis\w*|apologis\w*|summaris\w*|minimis\w*|"
    r"licence|defence|paediatr\w*|orthopaed\w*|oedema|haem\w*|anaesth\w*|fibres?|metres?|litres?|"
    r"grey|enrols|enrolment|travell\w*|judgement|practise[sd]?)\b",
    re.IGNORECASE,
)


def _british(text: str) -> list[str]:
    return BRITISH.findall(text)


def _template_text(path: Path) -> str:
    """A template less its comments, variables and tags (names, not words)."""
    return re.sub(
        r"{#.*?#}|{% comment %}.*?{% endcomment %}|{{.*?}}|{%.*?%}", "", path.read_text(), flags=re.S
    )


def _strings_read_by_people(path: Path) -> list[str]:
    """The string constants of a module, less its docstrings."""
    tree = ast.parse(path.read_text(), filename=str(path))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_templates_use_american_spelling():
    found = {
        str(path.relative_to(ROOT)): words
        for path in sorted((ROOT / "templates").rglob("*"))
        if path.is_file() and (words := _british(_template_text(path)))
    }
    assert found == {}


def test_the_codes_strings_use_american_spelling():
    found = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            words = [word for text in _strings_read_by_people(path) for word in _british(text)]
            if words:
                found[str(path.relative_to(ROOT))] = words
    assert found == {}


def test_the_check_finds_british_spelling():
    assert _british("Possible tumour; the centre; a colour; tumour_or_infection; color") == [
        "tumour", "centre", "colour",
    ]  # fmt: skip
