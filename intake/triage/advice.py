"""What the patient reads after the questionnaire: how soon to be seen and what to do until then.

Plain words only. The patient never reads a diagnosis or a condition's name (questionnaire.md,
Principle 5): the advice says how soon and why in general terms, and that the podiatrist decides.
"""

from __future__ import annotations

from collections.abc import Collection

from intake.triage.results import Advice, Urgency

SAFETY_NET_INTRO = "Before your visit, get urgent care (call 911 or go to an emergency department) if:"
SAFETY_NET: tuple[str, ...] = (
    "you feel or hear a pop or snap at the back of your heel or leg",
    "you cannot walk or put weight on the foot",
    "your foot turns hot, red or swollen",
    "you get a fever, chills or feel very unwell",
    "your calf swells or becomes painful",
    "your foot turns cold, pale or blue",
)

PODIATRIST_DECIDES = (
    "These answers are not a diagnosis. The podiatrist will examine you and decide what is "
    "causing the pain and what to do about it."
)

CALL_911_RULES = frozenset({"E0", "E6"})
CALF_SWELLS = "If the calf swells, seek same-day care: go to urgent care or an emergency department that day."

_HEADLINE = {
    Urgency.EMERGENCY: "Some of your answers need a same-day check: go to an emergency department "
    "or urgent care now",
    Urgency.URGENT: "Some of your answers need a check within 24 to 48 hours",
    Urgency.SOON: "Please book a visit within the next 7 days",
    Urgency.ROUTINE: "You can book a routine appointment",
}
_HOW_SOON = {
    Urgency.EMERGENCY: "Now. Do not wait for an appointment with us.",
    Urgency.URGENT: "Within 24 to 48 hours",
    Urgency.SOON: "Within 7 days",
    Urgency.ROUTINE: "At the next routine appointment that suits you",
}
_WHAT_TO_DO = {
    Urgency.EMERGENCY: (
        "Go to the nearest emergency department or urgent care now. Do not wait for an appointment with us.",
        "If you can, take a list of your medicines with you.",
    ),
    Urgency.URGENT: (
        "Book one of the urgent appointments we offer you, or call the clinic today.",
        "Until you are seen, rest the foot and avoid the activities that make it hurt.",
    ),
    Urgency.SOON: (
        "Book an appointment within the next 7 days.",
        "Until then, cut back on the activities that make the pain worse.",
    ),
    Urgency.ROUTINE: (
        "Book the next routine appointment that suits you.",
        "Until then, cut back on the activities that make it hurt, wear supportive, cushioned "
        "shoes, and gently stretch your calf and the sole of your foot if that is comfortable.",
    ),
}
# Extra steps some rules ask of the patient; their own urgency already decides how soon.
_RULE_STEPS = {
    "U2": (
        "Contact the doctor who prescribed your antibiotic today and tell them about this pain.",
        "Avoid exercise and sport until you are seen.",
    ),
    "U3": (
        "Take the load off your foot: no running or jumping, walk as little as you can, and wear "
        "cushioned shoes.",
    ),
    "U5": ("Keep the wound clean and covered, and keep weight off that foot as much as you can.",),
    "U9": ("See an eye doctor today about your red or painful eye.",),
    "U10": (
        "Until you are seen, do not run, jump or push off hard on that leg. If it gives way or you "
        "cannot walk on it, go to urgent care or an emergency department.",
    ),
    "U11": (CALF_SWELLS,),
    "U12": (
        "Please be seen within one working day. Check the foot every day and keep weight off it "
        "as much as you can.",
    ),
    "S4": (
        "Until you are seen, avoid sudden, explosive movements such as sprinting, jumping or "
        "pushing off hard.",
    ),
    "S7": ("Your foot has not had an x-ray since the injury: the podiatrist may ask for one.",),
    "S8": (CALF_SWELLS,),
}
# Rules whose urgent level means one working day rather than 24 to 48 hours.
ONE_WORKING_DAY_RULES = frozenset({"U5", "U12"})


def advice_for(urgency: Urgency, fired: Collection[str]) -> Advice:
    """The patient's advice for an outcome, given the ids of the rules that fired."""
    call_911 = urgency is Urgency.EMERGENCY and bool(CALL_911_RULES.intersection(fired))
    headline = _HEADLINE[urgency]
    steps = list(_WHAT_TO_DO[urgency])
    if call_911:
        headline = "Call 911 now"
        steps = [
            "Call 911 now. Do not drive yourself.",
            "Tell them about your symptoms and that you have heel or leg pain.",
        ]
    how_soon = _HOW_SOON[urgency]
    if urgency is Urgency.URGENT and ONE_WORKING_DAY_RULES.intersection(fired):
        how_soon = "Within 1 working day"
    if urgency is not Urgency.EMERGENCY:
        # In an emergency the one instruction is to go now; the rest can wait.
        for rule_id, rule_steps in _RULE_STEPS.items():
            if rule_id in fired:
                steps.extend(rule_steps)
    steps.append(PODIATRIST_DECIDES)
    return Advice(
        headline=headline,
        what_to_do=tuple(steps),
        how_soon=how_soon,
        call_911=call_911,
        safety_net=SAFETY_NET,
        safety_net_intro=SAFETY_NET_INTRO,
    )
