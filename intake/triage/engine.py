"""assess(): validated answers in, the triage outcome out (rules, flags, likely causes, advice)."""

from __future__ import annotations

from collections.abc import Mapping

from intake.triage.advice import advice_for
from intake.triage.catalogue import VERSION
from intake.triage.causes import exam_prompts, rank
from intake.triage.facts import Answers
from intake.triage.flags import flags_for
from intake.triage.results import Assessment, RuleHit, Urgency, evidence
from intake.triage.rules import RULES, Rule
from intake.triage.validation import validate

# Only these levels make a rule's cause a must-list for staff (questionnaire.md, likely causes).
_FORCING = frozenset({Urgency.EMERGENCY, Urgency.URGENT})
# Exam prompts that belong to a rule rather than to a likely cause (S7's x-ray request).
_RULE_EXAMS = tuple((rule.id, rule.exam) for rule in RULES if rule.exam)


def fire(clean: Answers, rules: tuple[Rule, ...]) -> tuple[tuple[RuleHit, ...], tuple[str, ...]]:
    """The rules that fire on cleaned answers, most urgent first (R1 when none), and the causes
    the emergency and urgent ones point to, in rule order."""
    hits: list[RuleHit] = []
    forced: list[str] = []
    for rule in rules:
        ids = rule.test(clean)
        if not ids:
            continue
        hits.append(RuleHit(rule.id, rule.level, rule.title, rule.reason, evidence(clean, ids)))
        if rule.cause and rule.level in _FORCING and rule.cause not in forced:
            forced.append(rule.cause)
    if hits:
        # Highest level wins; then the rules in order, most urgent first, for staff.
        hits.sort(key=lambda hit: -hit.level.rank)
    else:
        hits.append(RuleHit("R1", Urgency.ROUTINE, "No rule fired", "No red flags in the answers.", ()))
    return tuple(hits), tuple(forced)


def assess(answers: Mapping[str, object]) -> Assessment:
    """The triage outcome for `answers`; InvalidAnswers when they do not fit the catalogue."""
    clean = validate(answers)
    hits, forced = fire(clean, RULES)
    urgency = hits[0].level
    fired = {hit.id for hit in hits}
    ranked = rank(clean, forced)
    return Assessment(
        version=VERSION,
        urgency=urgency,
        rules=hits,
        flags=flags_for(clean, fired),
        likely_conditions=ranked,
        exam_prompts=exam_prompts(ranked, clean, forced, _RULE_EXAMS, fired),
        advice=advice_for(urgency, fired),
    )
