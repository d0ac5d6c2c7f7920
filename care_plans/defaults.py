"""The default care plans (../shared/docs/care-plans.md) as data, and how plans are suggested.

The data migration seeds `CarePlanTemplate` rows from `DEFAULT_PLANS`; staff then edit them in the
admin. The shared idea: first calm the irritated tissue, then correct the mechanics that overloaded
it. Plans never suggest cortisone injections (near the Achilles they carry a rupture risk).
"""

from __future__ import annotations

from typing import Any

CALL_SOONER: list[str] = [
    'A sudden "pop" or "snap"',
    "You cannot walk, or cannot stand on your toes",
    "Pain is getting worse despite rest",
    "New swelling, bruising, redness, fever, numbness or tingling",
    "Pain at rest or at night",
    "No improvement after two weeks of following the plan",
]

SAFETY_BLOCK = (
    "This plan is from your podiatrist for you alone; it is not a diagnosis for anyone else. "
    "Call the clinic with any questions. In an emergency call 911."
)

CHECKIN_DAYS = 14


def _phases(calm: list[str], fix: list[str]) -> list[dict[str, Any]]:
    return [
        {"title": "Phase 1: calm it", "goal": "Settle the irritated tissue", "steps": calm},
        {"title": "Phase 2: fix the cause", "goal": "Correct what overloaded it", "steps": fix},
    ]


_ACHILLES_CALM = [
    "Cut the painful load: fewer miles, no speed work or hills",
    "Ice, or a menthol gel (it can last about twice as long as ice)",
    "Heel-lift inserts",
    "Open-back or low-heel shoes",
]
_ACHILLES_FIX = [
    "Calf stretching, then progressive strengthening",
    "Supportive shoes with a good orthotic",
]

DEFAULT_PLANS: list[dict[str, Any]] = [
    {
        "slug": "achilles-tendinopathy",
        "title": "Achilles tendinopathy",
        "fits": ["achilles_tendinopathy_midportion", "achilles_tendinopathy_insertional"],
        "fits_text": "Achilles tendinitis or tendinosis, insertional or 2-6 cm above the heel",
        "phases": _phases(_ACHILLES_CALM, _ACHILLES_FIX),
        "time_course": "Mild: 2-4 weeks; chronic: 8-12 weeks with therapy",
    },
    {
        "slug": "retrocalcaneal-bursitis",
        "title": "Retrocalcaneal bursitis",
        "fits": ["retrocalcaneal_bursitis"],
        "fits_text": "Bursitis at the back of the heel",
        "phases": _phases(
            [*_ACHILLES_CALM, "Avoid rigid heel counters and high backs"],
            _ACHILLES_FIX,
        ),
        "time_course": "2-4 weeks",
    },
    {
        "slug": "haglunds-deformity",
        "title": "Haglund's deformity",
        "fits": ["haglund_deformity"],
        "fits_text": '"Pump bump": a bony lump at the back of the heel',
        "phases": _phases(
            ["Open-back or soft-backed shoes", "A heel pad or lift", "Ice after rubbing"],
            [
                "Footwear that clears the bump",
                "Orthotics for a high arch",
                "Surgery only if 6 months of care fail",
            ],
        ),
        "time_course": "Varies",
    },
    {
        "slug": "posterior-heel-spur",
        "title": "Posterior heel spur",
        "fits": ["achilles_tendinopathy_insertional"],
        "fits_text": "A spur where the Achilles inserts",
        "phases": _phases(
            [*_ACHILLES_CALM, "Relieve shoe pressure on the back of the heel"],
            [*_ACHILLES_FIX, "Surgery is reserved for a large spur with persistent pain"],
        ),
        "time_course": "8-12 weeks",
    },
    {
        "slug": "plantar-heel-pain",
        "title": "Plantar heel pain",
        "fits": ["plantar_fasciitis"],
        "fits_text": "Plantar fasciitis: first-step pain under the heel",
        "phases": _phases(
            [
                "Fewer painful miles",
                "Ice massage under the arch",
                "Menthol gel",
                "A massage stick for the calf",
            ],
            [
                "Calf and plantar-fascia stretching (a static night stretch helps)",
                "Strengthening",
                "Supportive shoes with arch-support orthotics (custom ones are not the first step)",
                "A compression brace or taping",
            ],
        ),
        "time_course": "Weeks to a few months",
    },
    {
        "slug": "heel-pad-pain",
        "title": "Heel pad pain",
        "fits": ["heel_pad_syndrome"],
        "fits_text": "Deep, bruise-like pain in the middle of the heel; fat pad thinning",
        "phases": _phases(
            ["Cushioned heel cups", "Avoid barefoot walking and hard surfaces"],
            ["Supportive, cushioned shoes"],
        ),
        "time_course": "Weeks",
    },
    {
        "slug": "stress-fracture",
        "title": "Suspected or confirmed stress fracture",
        "fits": ["calcaneal_stress_fracture"],
        "fits_text": "Calcaneal stress fracture",
        "phases": _phases(
            [
                "Stop running",
                "Protect the foot: walking boot or cast as directed, crutches or a knee scooter",
                "A boot rests the injury, but too long in it stiffens the leg and overloads the other side",
            ],
            ["Imaging as arranged", "A graded return to running only when cleared"],
        ),
        "time_course": "6-12 weeks",
    },
    {
        "slug": "severs-disease",
        "title": "Sever's disease",
        "fits": ["severs_disease"],
        "fits_text": "Heel growth-plate irritation in active children 8-15",
        "phases": _phases(
            ["Rest from the sport that hurts", "Heel cups"],
            ["Calf stretching", "A gradual return to sport"],
        ),
        "time_course": "Improves with rest",
    },
    {
        "slug": "nerve-irritation",
        "title": "Nerve irritation",
        "fits": ["nerve_entrapment"],
        "fits_text": "Burning, tingling or numbness at the heel",
        "phases": _phases(
            ["Take pressure off: footwear that does not compress", "Less load"],
            ["Assessment of the cause", "Orthotics where mechanics compress the nerve"],
        ),
        "time_course": "Varies",
    },
    {
        "slug": "achilles-tear",
        "title": "Achilles tear (after diagnosis)",
        "fits": ["achilles_rupture"],
        "fits_text": "A partial or full tear",
        "phases": _phases(
            [
                "Protect as directed: a boot with heel wedges",
                "Limited weight-bearing",
                "A knee scooter",
            ],
            ["The surgeon's or therapist's program"],
        ),
        "time_course": "8-12 weeks of therapy or more",
    },
]


def template_fields(plan: dict[str, Any], position: int) -> dict[str, Any]:
    """The CarePlanTemplate fields for one default plan (every plan shares the call-sooner list)."""
    return {
        "title": plan["title"],
        "fits": plan["fits"],
        "fits_text": plan["fits_text"],
        "phases": plan["phases"],
        "time_course": plan["time_course"],
        "call_sooner": list(CALL_SOONER),
        "position": position,
    }


def suggest(plans: list[Any], likely_codes: list[str]) -> list[Any]:
    """Plans ordered by fit: those matching a higher-ranked likely cause first, the rest after."""

    def rank(plan: Any) -> int:
        hits = [likely_codes.index(code) for code in plan.fits if code in likely_codes]
        return min(hits) if hits else len(likely_codes) + 1

    return sorted(plans, key=rank)
