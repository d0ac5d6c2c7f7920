"""The heel-pain questionnaire as data: the one place a question lives (spec: questionnaire.md).

Forms, admin labels, the pre-visit summary and validation are all derived from ITEMS. Change a
question here, bump VERSION, and re-run the triage tests. This module is long because it is the
whole questionnaire; it holds no logic beyond the look-ups at the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from intake.triage.items import Choice, Item, Section, When, both, either, when, when_ticked

# Stored with each intake; bump on any change to an item, a code or a rule.
VERSION = "2026.12-1"

SECTIONS: tuple[Section, ...] = (
    Section(
        "S",
        "Safety questions",
        "A few quick questions to check whether you need help right away. If you are filling this "
        "in for someone else, answer every question about them.",
    ),
    Section("A", "About you", "A little about you, so we ask the right questions."),
    Section("B", "Where and when it hurts", "Where the pain is and how it started."),
    Section("C", "Your pain", "What the pain feels like and what makes it better or worse."),
    Section(
        "D",
        "Other joints and inflammation",
        "Some heel pain comes from inflammation that affects other joints too.",
    ),
    Section("E", "Your health", "Health conditions that can change how we look after your heel."),
    Section(
        "F",
        "Medicines and treatment",
        "Some medicines affect tendons. Tell us what you have tried.",
    ),
    Section("H", "Anything else", "Anything you would like the podiatrist to know before your visit."),
)


def _c(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(code, label) for code, label in pairs)


def _female_12_to_50(answers: Mapping[str, object]) -> bool:
    age = answers.get("A01")
    return (
        answers.get("A02") == "female"
        and isinstance(age, int)
        and not isinstance(age, bool)
        and 12 <= age <= 50
    )


S = partial(Item, section="S", red_flag=True, required=True)
A = partial(Item, section="A")
B = partial(Item, section="B")
C = partial(Item, section="C")
D = partial(Item, section="D")
E = partial(Item, section="E")
F = partial(Item, section="F")
H = partial(Item, section="H")

_AFTER_INJURY = when("S02", "yes")
_CALF = when("S07", "yes", "unsure")

HEEL_SPOTS = _c(
    ("plantar_medial", "Bottom of the heel, inner side or front edge"),
    ("plantar_central", "Bottom of the heel, in the center"),
    ("heel_sides", "Sides of the heel, or the whole heel bone"),
    ("insertion", "Back of the heel, where the tendon meets the bone"),
    ("midportion", "The tendon, a few finger-widths above the heel"),
    ("back_bump", "A bump at the back of the heel where shoes rub"),
    ("medial_ankle", "Inner ankle or inner side of the heel"),
    ("lateral", "Outer side of the heel or ankle"),
    ("calf", "The calf"),
)

NRS_HINT = "0 means no pain and 10 the worst pain you can imagine."

ITEMS: tuple[Item, ...] = (
    # S: safety screen, always first.
    S(
        id="S01",
        kind="YNU",
        question="In the last 7 days, did you feel or hear a “pop” or “snap” at the back of your "
        "heel, ankle or lower leg, or feel as if someone kicked or hit you there?",
        hint="Answer yes even if you can still walk or stand on tiptoe.",
    ),
    S(
        id="S02",
        kind="YN",
        question="Did the pain start with an injury?",
        hint="For example a fall from a height, a hard landing on your heels, an accident, "
        "something heavy landing on your foot, or a bad twist.",
    ),
    S(
        id="S02a",
        kind="YN",
        question="Can you take 4 steps on that foot right now?",
        hint="Limping is fine.",
        condition=_AFTER_INJURY,
    ),
    S(
        id="S02b",
        kind="YNU",
        question="Straight after the injury, could you take 4 steps on that foot?",
        hint="Limping counts as yes.",
        condition=_AFTER_INJURY,
    ),
    S(
        id="S02c",
        kind="YN",
        question="Is your foot or ankle an odd shape, or is there a wound where bone might show?",
        condition=_AFTER_INJURY,
    ),
    S(
        id="S02d",
        kind="SC",
        question="How long ago was the injury?",
        choices=_c(
            ("lt_24h", "Less than 24 hours ago"),
            ("1_10_days", "1 to 10 days ago"),
            ("gt_10_days", "More than 10 days ago"),
        ),
        condition=_AFTER_INJURY,
    ),
    S(
        id="S02e",
        kind="YNU",
        question="Has your foot been x-rayed since the injury?",
        condition=both(_AFTER_INJURY, when("S02d", "gt_10_days")),
    ),
    S(id="S03", kind="YNU", question="Do you have diabetes?"),
    S(
        id="S04",
        kind="MC",
        question="Is your heel or foot red, hot to the touch, or swollen?",
        choices=_c(("red", "Red"), ("hot", "Hot to the touch"), ("swollen", "Swollen")),
    ),
    S(
        id="S04a",
        kind="SC",
        question="How big is the red, hot or swollen area?",
        choices=_c(
            ("shoe_rub_spot", "Only a small spot where the shoe rubs"),
            ("larger_area", "A larger area, or the whole heel or foot"),
        ),
        condition=when_ticked("S04"),
    ),
    S(
        id="S05",
        kind="YNU",
        question="Do you have a fever (100.4°F / 38°C or more), chills or shivers, or do you "
        "feel very unwell?",
    ),
    S(
        id="S06",
        kind="YN",
        question="Is there an open wound, blister, ulcer, puncture or crack in the skin of that foot?",
    ),
    S(
        id="S06a",
        kind="YNU",
        question="Is there pus or other fluid coming from it, a bad smell, or redness spreading from it?",
        condition=when("S06", "yes"),
    ),
    S(
        id="S07",
        kind="YNU",
        question="Is the calf of one leg swollen, warm or painful to touch?",
        hint="Not just a tight calf.",
    ),
    S(
        id="S07a",
        kind="MC",
        question="In the last 12 weeks, has any of these applied to you?",
        choices=_c(
            ("cast_boot_splint", "A cast, walking boot or splint that holds the ankle (not a night splint)"),
            ("surgery", "An operation"),
            ("bedbound_3_days", "3 days or more mostly in bed"),
            ("long_journey", "A long journey by car, bus, train or plane"),
            ("previous_clot", "A blood clot in the past (at any time)"),
            ("cancer_treatment", "Treatment for cancer"),
        ),
        condition=_CALF,
    ),
    S(
        id="S07b",
        kind="YNU",
        question="Is that calf visibly swollen, or bigger than the other one?",
        condition=_CALF,
    ),
    S(
        id="S08",
        kind="YN",
        question="Do you have chest pain or sudden shortness of breath, or are you coughing up blood?",
    ),
    S(
        id="S09",
        kind="YNU",
        question="Is your foot cold, pale, gray or blue compared with the other one, has it "
        "suddenly gone numb, or can you not lift it?",
    ),
    # A: about you.
    A(
        id="A01",
        kind="INT",
        question="How old are you?",
        hint="Your age in years.",
        required=True,
        min_value=1,
        max_value=120,
        unit="years",
    ),
    A(
        id="A02",
        kind="SC",
        question="What sex were you recorded as at birth?",
        hint="This helps us ask the right health questions.",
        choices=_c(
            ("female", "Female"),
            ("male", "Male"),
            ("intersex", "Intersex"),
            ("prefer_not", "Prefer not to say"),
        ),
    ),
    A(
        id="A03",
        kind="SC",
        question="Who is filling in this form?",
        required=True,
        choices=_c(
            ("self", "I am the patient"),
            ("parent", "A parent or guardian, for a child"),
            ("carer", "A carer or relative, for someone else"),
        ),
    ),
    A(
        id="A04H",
        kind="INT",
        question="How tall are you?",
        hint="Optional.",
        min_value=50,
        max_value=250,
        unit="cm",
    ),
    A(
        id="A04W",
        kind="INT",
        question="How much do you weigh?",
        hint="Optional.",
        min_value=3,
        max_value=350,
        unit="kg",
    ),
    A(
        id="A05",
        kind="SC",
        question="How many hours a day are you on your feet at work?",
        hint="Count standing and walking. School counts as work.",
        choices=_c(
            ("lt_2", "Less than 2 hours"),
            ("2_4", "2 to 4 hours"),
            ("4_8", "4 to 8 hours"),
            ("gt_8", "More than 8 hours"),
        ),
    ),
    A(
        id="A06",
        kind="MC",
        question="Which sports or exercise do you do?",
        choices=_c(
            ("running", "Running"),
            ("soccer", "Soccer"),
            ("basketball", "Basketball"),
            ("racket", "Tennis, squash or other racket sports"),
            ("gymnastics_dance", "Gymnastics or dance"),
            ("military", "Military or police training"),
            ("walking", "Walking or hiking"),
            ("other", "Something else"),
        ),
    ),
    # B: where and when.
    B(
        id="B01",
        kind="SC",
        question="Which foot hurts?",
        required=True,
        choices=_c(("left", "Left"), ("right", "Right"), ("both", "Both")),
    ),
    B(
        id="B02",
        kind="SC",
        question="Where does it hurt most?",
        hint="If it hurts in more than one place, choose where it hurts most.",
        required=True,
        choices=HEEL_SPOTS,
        diagram=True,
    ),
    B(
        id="B02b",
        kind="SC",
        question="Does it also hurt in a second spot?",
        hint="Optional. Leave this out if there is only one painful spot.",
        choices=HEEL_SPOTS,
        diagram=True,
    ),
    B(
        id="B03",
        kind="SC",
        question="How did the pain start?",
        required=True,
        choices=_c(
            ("sudden", "Suddenly, at one moment"),
            ("days", "Over a few days"),
            ("gradual", "Gradually, over weeks or longer"),
        ),
    ),
    B(
        id="B04",
        kind="SC",
        question="How long have you had this pain?",
        required=True,
        choices=_c(
            ("lt_1w", "Less than 1 week"),
            ("1_2w", "1 to 2 weeks"),
            ("2_6w", "2 to 6 weeks"),
            ("6w_3m", "6 weeks to 3 months"),
            ("3_12m", "3 to 12 months"),
            ("gt_1y", "More than a year"),
        ),
    ),
    B(
        id="B05",
        kind="MC",
        question="In the 2 months before the pain started, did any of these change?",
        choices=_c(
            ("new_sport", "Started a new sport or activity"),
            ("more_training", "Trained more, faster, harder or on more hills"),
            ("return_after_break", "Went back to sport after a break"),
            ("harder_surface", "Moved to a harder surface"),
            ("new_shoes", "Changed shoes"),
            ("marching_standing", "More marching or standing"),
        ),
    ),
    B(
        id="B06",
        kind="SC",
        question="At any time since the pain started, did you feel a pop or snap, or feel as if "
        "someone kicked you, at the back of the heel or ankle?",
        choices=_c(
            ("no", "No"),
            ("1_4_weeks", "Yes, 1 to 4 weeks ago"),
            ("gt_4_weeks", "Yes, more than 4 weeks ago"),
        ),
        condition=when("S01", "no"),
    ),
    B(
        id="B07",
        kind="SC",
        question="Since then, has a doctor examined the tendon for a tear?",
        choices=_c(
            ("no", "No"),
            ("examined_not_torn", "Yes, and I was told it is not torn"),
            ("torn_in_treatment", "Yes, it is torn and I am being treated for it"),
        ),
        condition=either(when("S01", "yes", "unsure"), when("B06", "1_4_weeks", "gt_4_weeks")),
    ),
    # C: pain pattern.
    C(
        id="C01",
        kind="SC",
        question="Are your first steps the worst, after getting out of bed or after sitting?",
        choices=_c(
            ("yes_eases", "Yes, and it eases as I keep moving"),
            ("yes_stays", "Yes, and it stays bad"),
            ("no", "No"),
        ),
    ),
    C(
        id="C02",
        kind="SC",
        question="As you keep walking, what happens to the pain?",
        choices=_c(("eases", "It eases"), ("same", "It stays the same"), ("worse", "It gets worse")),
    ),
    C(
        id="C03",
        kind="YN",
        question="Is it worse at the end of the day, or after standing for a long time?",
    ),
    C(
        id="C04",
        kind="SC",
        question="What happens to the pain when you exercise?",
        choices=_c(
            ("no_exercise", "I do not exercise at the moment"),
            ("no_pain", "No pain during exercise"),
            ("warms_up", "It hurts at first, then eases as I warm up"),
            ("worse_until_stop", "It gets worse until I have to stop"),
            ("after", "It hurts afterwards"),
        ),
    ),
    C(
        id="C05",
        kind="SC",
        question="Does it hurt while you are resting?",
        choices=_c(("no", "No"), ("sometimes", "Sometimes"), ("mostly", "Most of the time")),
    ),
    C(
        id="C06",
        kind="SC",
        question="Does the pain wake you at night?",
        choices=_c(("no", "No"), ("sometimes", "Sometimes"), ("most_nights", "Most nights")),
    ),
    C(id="C07", kind="YN", question="Is the pain there all the time, whatever you do?"),
    C(
        id="C08",
        kind="YNU",
        question="Is it getting steadily worse, even though you have cut back on activity?",
    ),
    C(
        id="C09",
        kind="MC",
        question="Which words describe the pain?",
        choices=_c(
            ("sharp", "Sharp or stabbing"),
            ("throbbing", "Throbbing"),
            ("dull", "Dull ache"),
            ("deep_bruise", "Deep, like a bruise"),
            ("burning", "Burning"),
            ("tingling", "Tingling or pins and needles"),
            ("numbness", "Numbness"),
            ("shooting", "Shooting or like an electric shock"),
        ),
    ),
    C(
        id="C10",
        kind="SC",
        question="Does numbness or tingling spread into the sole of your foot or your toes?",
        choices=_c(("no", "No"), ("one_foot", "Yes, in one foot"), ("both_feet", "Yes, in both feet")),
    ),
    C(
        id="C11",
        kind="YN",
        question="Is it worse barefoot on hard floors, and better in cushioned shoes?",
    ),
    C(
        id="C12",
        kind="YN",
        question="Does the back of your shoe make it hurt, and is it better in open-back shoes?",
    ),
    C(id="C13", kind="YN", question="Is it worse walking uphill or going upstairs?"),
    C(
        id="C14",
        kind="SC",
        question="Optional check: does it hurt when you squeeze both sides of your heel bone?",
        hint="Squeeze the sides of the heel between your thumb and fingers. Skip this if it hurts "
        "too much to try.",
        choices=_c(
            ("a_lot", "Yes, a lot"),
            ("a_little", "Yes, a little"),
            ("no", "No"),
            ("not_tried", "I did not try"),
        ),
    ),
    C(
        id="C15",
        kind="SC",
        question="Optional check: can you rise up on tiptoe on the painful leg alone?",
        hint="Hold on to something for balance. Stop if it hurts a lot.",
        choices=_c(
            ("easy", "Yes, easily"),
            ("painful", "Yes, but it hurts"),
            ("weak", "Only a little, or it feels weak"),
            ("unable", "No, I cannot"),
            ("not_tried", "I did not try"),
        ),
    ),
    C(
        id="C16",
        kind="YNU",
        question="Can you feel a dip, dent or gap in the tendon at the back of your ankle?",
    ),
    C(
        id="C17",
        kind="MC",
        question="Do you have any of these lumps?",
        choices=_c(
            ("tendon_lump", "A lump or thickening in the tendon above the heel"),
            ("bony_bump", "A hard, bony bump at the back of the heel"),
            ("soft_swelling", "A soft swelling at the back of the heel"),
        ),
    ),
    C(
        id="C18",
        kind="SC",
        question="Is there any bruising?",
        choices=_c(
            ("none", "No bruising"),
            ("heel", "On the heel"),
            ("back_of_ankle", "At the back of the ankle"),
            ("sole", "On the sole of the foot"),
        ),
    ),
    C(
        id="C19",
        kind="SC",
        question="How are you walking?",
        choices=_c(("normal", "Normally"), ("limping", "With a limp"), ("barely", "I can barely walk")),
    ),
    C(id="C20", kind="NRS", question="How bad is the pain right now?", hint=NRS_HINT),
    C(
        id="C21",
        kind="NRS",
        question="How bad was the pain at its worst in the past week?",
        hint=NRS_HINT,
    ),
    C(
        id="C22",
        kind="NRS",
        question="How bad is the pain with your first steps in the morning?",
        hint=NRS_HINT,
    ),
    # D: joints and inflammation.
    D(
        id="D01",
        kind="MC",
        question="Do you have pain or swelling in any other joints or tendons?",
        choices=_c(
            ("other_heel", "The other heel"),
            ("knees", "Knees"),
            ("ankles", "Ankles"),
            ("fingers", "Fingers"),
            ("toes", "Toes"),
        ),
    ),
    D(
        id="D02",
        kind="SC",
        question="When you get up in the morning, how long does any stiffness last?",
        choices=_c(
            ("none", "No stiffness"),
            ("lt_15", "Less than 15 minutes"),
            ("15_30", "15 to 30 minutes"),
            ("30_60", "30 minutes to an hour"),
            ("gt_60", "More than an hour"),
        ),
    ),
    D(
        id="D03",
        kind="YN",
        question="Is the pain or stiffness better when you move, and worse when you rest?",
    ),
    D(
        id="D04",
        kind="YN",
        question="Do you have low back or buttock pain that started before age 45 and has lasted "
        "more than 3 months?",
    ),
    D(
        id="D04a",
        kind="MC",
        question="Which of these fit your back or buttock pain?",
        choices=_c(
            ("onset_before_35", "It started before age 35"),
            ("wakes_second_half_night", "It wakes me in the second half of the night"),
            ("buttock_pain", "Pain in the buttocks, sometimes switching sides"),
            ("better_with_movement", "It gets better when I move"),
            ("better_with_nsaids", "Anti-inflammatory painkillers (like ibuprofen) help a lot"),
        ),
        condition=when("D04", "yes"),
    ),
    D(
        id="D05",
        kind="MC",
        question="Do any of these apply to you?",
        choices=_c(
            ("psoriasis_self", "I have psoriasis (a skin condition)"),
            ("psoriasis_family", "A parent, brother or sister has psoriasis"),
            ("spa_family", "A close relative has ankylosing spondylitis or spondyloarthritis"),
            ("ibd_self", "I have Crohn's disease or ulcerative colitis"),
            ("uveitis_self", "I have had uveitis or iritis (an inflamed eye)"),
        ),
    ),
    D(
        id="D06",
        kind="YN",
        question="Is one of your eyes red and painful right now, sensitive to light, or blurred?",
    ),
    D(
        id="D07",
        kind="YN",
        question="In the last 6 weeks, have you had diarrhea, or a urinary or genital infection?",
    ),
    D(id="D08", kind="YN", question="Has a whole toe or finger swollen up like a sausage?"),
    D(
        id="D09",
        kind="MC",
        question="Has a doctor told you that you have any of these?",
        choices=_c(
            ("gout", "Gout"),
            ("ra", "Rheumatoid arthritis"),
            ("psa", "Psoriatic arthritis"),
            ("as", "Ankylosing spondylitis (axial spondyloarthritis)"),
            ("lupus", "Lupus"),
        ),
    ),
    # E: medical background.
    E(
        id="E01",
        kind="MC",
        question="About your diabetes: do any of these apply to you?",
        choices=_c(
            ("neuropathy", "Nerve damage in the feet (neuropathy)"),
            ("past_ulcer", "A foot ulcer in the past"),
            ("amputation", "An amputation (any part of a foot or leg)"),
            ("kidney", "Kidney disease"),
            ("poor_circulation", "Poor circulation in the legs"),
        ),
        condition=when("S03", "yes", "unsure"),
    ),
    E(
        id="E02",
        kind="YN",
        question="Do you have numbness or burning in both feet, as if you were wearing socks?",
    ),
    E(
        id="E03",
        kind="YN",
        question="Do you get cramping calf pain when walking that eases with rest, or have "
        "you been told you have poor circulation?",
    ),
    E(
        id="E04",
        kind="SC",
        question="Have you ever had cancer?",
        choices=_c(
            ("no", "No"),
            ("current", "Yes, I have it now or I am being treated"),
            ("past", "Yes, in the past"),
        ),
    ),
    E(
        id="E05",
        kind="YN",
        question="Have you lost weight without trying (more than 10 lb / 5 kg), or had night sweats?",
    ),
    E(
        id="E06",
        kind="YN",
        question="Have you had a stress fracture before, or been told you have osteoporosis or low "
        "bone density?",
    ),
    E(
        id="E07",
        kind="SC",
        question="Have your periods stopped, or been irregular, for 3 months or more?",
        hint="Not counting pregnancy or breastfeeding.",
        choices=_c(("yes", "Yes"), ("no", "No"), ("prefer_not", "Prefer not to say")),
        condition=When(
            test=_female_12_to_50,
            depends_on=("A01", "A02"),
            text="A02 is female and A01 is 12 to 50",
        ),
    ),
    E(
        id="E08",
        kind="SC",
        question="Are you restricting what you eat, or trying hard to lose weight, while training?",
        choices=_c(("yes", "Yes"), ("no", "No"), ("prefer_not", "Prefer not to say")),
    ),
    E(id="E09", kind="YN", question="Have you had a kidney, heart or lung transplant?"),
    # F: medicines and treatment so far.
    F(
        id="F01",
        kind="SC",
        question="Have you taken any of these antibiotics: ciprofloxacin, levofloxacin, "
        "moxifloxacin, ofloxacin or norfloxacin?",
        hint="Brand names include Cipro and Levaquin.",
        choices=_c(
            ("now", "Yes, I am taking it now"),
            ("lt_1m", "Yes, in the last month"),
            ("1_6m", "Yes, 1 to 6 months ago"),
            ("no", "No"),
            ("unsure", "Not sure"),
        ),
    ),
    F(
        id="F02",
        kind="YNU",
        question="Are you taking steroid tablets (like prednisone), or have you in the last 3 months?",
    ),
    F(
        id="F03",
        kind="SC",
        question="Have you had a steroid (cortisone) injection in your heel, Achilles "
        "tendon or the back of your ankle?",
        choices=_c(
            ("no", "No"),
            ("lt_6m", "Yes, in the last 6 months"),
            ("gt_6m", "Yes, more than 6 months ago"),
        ),
    ),
    F(
        id="F04",
        kind="YN",
        question="Do you take a blood thinner?",
        hint="For example warfarin, apixaban (Eliquis) or rivaroxaban (Xarelto).",
    ),
    F(
        id="F05",
        kind="YN",
        question="Do you take a medicine that lowers your immunity?",
        hint="For example after a transplant, or for rheumatoid arthritis, Crohn's disease or cancer.",
    ),
    F(
        id="F06",
        kind="MC",
        question="What have you tried so far for this pain?",
        choices=_c(
            ("rest", "Rest"),
            ("stretching", "Stretching"),
            ("insoles", "Insoles or heel cups"),
            ("night_splint", "A night splint"),
            ("painkillers", "Painkillers or anti-inflammatories"),
            ("physio", "Physical therapy"),
            ("shockwave", "Shockwave therapy"),
            ("boot", "A walking boot or cast"),
            ("injection", "An injection"),
            ("surgery", "Surgery"),
        ),
    ),
    F(id="F07", kind="TXT", question="What has helped most so far?", hint="Optional."),
    # H: free text.
    H(
        id="H01",
        kind="TXT",
        question="Is there anything else you would like the podiatrist to know?",
        hint="Optional.",
    ),
    H(
        id="H02",
        kind="TXT",
        question="What is your main goal for this visit?",
        hint="Optional. For example: walk without pain, get back to running, or find out what it is.",
    ),
)

ITEMS_BY_ID: dict[str, Item] = {item.id: item for item in ITEMS}
_BY_SECTION: dict[str, tuple[Item, ...]] = {
    section.code: tuple(item for item in ITEMS if item.section == section.code) for section in SECTIONS
}


def items_in(section_code: str) -> tuple[Item, ...]:
    """The items of one section, in questionnaire order."""
    return _BY_SECTION.get(section_code, ())


def applies(item: Item, answers: Mapping[str, object]) -> bool:
    """Whether `item` is asked, given the answers so far (a missing answer never raises)."""
    return item.condition is None or item.condition(answers)
