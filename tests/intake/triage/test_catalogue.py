"""The catalogue is the spec's questionnaire: same ids, kinds and codes, in the same order."""

from __future__ import annotations

import pytest

from intake.triage import ITEMS, ITEMS_BY_ID, SECTIONS, VERSION, applies, items_in

HEEL_REGIONS = (
    "plantar_medial",
    "plantar_central",
    "heel_sides",
    "insertion",
    "midportion",
    "back_bump",
    "medial_ankle",
    "lateral",
    "calf",
)
# Transcribed from questionnaire.md (kind, codes); YN/YNU items carry yes/no/unsure.
SPEC = {
    "S01": ("YNU", ()),
    "S02": ("YN", ()),
    "S02a": ("YN", ()),
    "S02b": ("YNU", ()),
    "S02c": ("YN", ()),
    "S02d": ("SC", ("lt_24h", "1_10_days", "gt_10_days")),
    "S02e": ("YNU", ()),
    "S03": ("YNU", ()),
    "S04": ("MC", ("red", "hot", "swollen")),
    "S04a": ("SC", ("shoe_rub_spot", "larger_area")),
    "S05": ("YNU", ()),
    "S06": ("YN", ()),
    "S06a": ("YNU", ()),
    "S07": ("YNU", ()),
    "S07a": (
        "MC",
        (
            "cast_boot_splint",
            "surgery",
            "bedbound_3_days",
            "long_journey",
            "previous_clot",
            "cancer_treatment",
        ),
    ),
    "S07b": ("YNU", ()),
    "S08": ("YN", ()),
    "S09": ("YNU", ()),
    "A01": ("INT", ()),
    "A02": ("SC", ("female", "male", "intersex", "prefer_not")),
    "A03": ("SC", ("self", "parent", "carer")),
    "A04H": ("INT", ()),
    "A04W": ("INT", ()),
    "A05": ("SC", ("lt_2", "2_4", "4_8", "gt_8")),
    "A06": (
        "MC",
        (
            "running",
            "soccer",
            "basketball",
            "racket",
            "gymnastics_dance",
            "military",
            "walking",
            "other",
        ),
    ),
    "B01": ("SC", ("left", "right", "both")),
    "B02": ("SC", HEEL_REGIONS),
    "B02b": ("SC", HEEL_REGIONS),  # "same codes as B02"
    "B03": ("SC", ("sudden", "days", "gradual")),
    "B04": ("SC", ("lt_1w", "1_2w", "2_6w", "6w_3m", "3_12m", "gt_1y")),
    "B05": (
        "MC",
        (
            "new_sport",
            "more_training",
            "return_after_break",
            "harder_surface",
            "new_shoes",
            "marching_standing",
        ),
    ),
    "B06": ("SC", ("no", "1_4_weeks", "gt_4_weeks")),
    "B07": ("SC", ("no", "examined_not_torn", "torn_in_treatment")),
    "C01": ("SC", ("yes_eases", "yes_stays", "no")),
    "C02": ("SC", ("eases", "same", "worse")),
    "C03": ("YN", ()),
    "C04": ("SC", ("no_exercise", "no_pain", "warms_up", "worse_until_stop", "after")),
    "C05": ("SC", ("no", "sometimes", "mostly")),
    "C06": ("SC", ("no", "sometimes", "most_nights")),
    "C07": ("YN", ()),
    "C08": ("YNU", ()),
    "C09": (
        "MC",
        (
            "sharp",
            "throbbing",
            "dull",
            "deep_bruise",
            "burning",
            "tingling",
            "numbness",
            "shooting",
        ),
    ),
    "C10": ("SC", ("no", "one_foot", "both_feet")),
    "C11": ("YN", ()),
    "C12": ("YN", ()),
    "C13": ("YN", ()),
    "C14": ("SC", ("a_lot", "a_little", "no", "not_tried")),
    "C15": ("SC", ("easy", "painful", "weak", "unable", "not_tried")),
    "C16": ("YNU", ()),
    "C17": ("MC", ("tendon_lump", "bony_bump", "soft_swelling")),
    "C18": ("SC", ("none", "heel", "back_of_ankle", "sole")),
    "C19": ("SC", ("normal", "limping", "barely")),
    "C20": ("NRS", ()),
    "C21": ("NRS", ()),
    "C22": ("NRS", ()),
    "D01": ("MC", ("other_heel", "knees", "ankles", "fingers", "toes")),
    "D02": ("SC", ("none", "lt_15", "15_30", "30_60", "gt_60")),
    "D03": ("YN", ()),
    "D04": ("YN", ()),
    "D04a": (
        "MC",
        (
            "onset_before_35",
            "wakes_second_half_night",
            "buttock_pain",
            "better_with_movement",
            "better_with_nsaids",
        ),
    ),
    "D05": ("MC", ("psoriasis_self", "psoriasis_family", "spa_family", "ibd_self", "uveitis_self")),
    "D06": ("YN", ()),
    "D07": ("YN", ()),
    "D08": ("YN", ()),
    "D09": ("MC", ("gout", "ra", "psa", "as", "lupus")),
    "E01": ("MC", ("neuropathy", "past_ulcer", "amputation", "kidney", "poor_circulation")),
    "E02": ("YN", ()),
    "E03": ("YN", ()),
    "E04": ("SC", ("no", "current", "past")),
    "E05": ("YN", ()),
    "E06": ("YN", ()),
    "E07": ("SC", ("yes", "no", "prefer_not")),
    "E08": ("SC", ("yes", "no", "prefer_not")),
    "E09": ("YN", ()),
    "F01": ("SC", ("now", "lt_1m", "1_6m", "no", "unsure")),
    "F02": ("YNU", ()),
    "F03": ("SC", ("no", "lt_6m", "gt_6m")),
    "F04": ("YN", ()),
    "F05": ("YN", ()),
    "F06": (
        "MC",
        (
            "rest",
            "stretching",
            "insoles",
            "night_splint",
            "painkillers",
            "physio",
            "shockwave",
            "boot",
            "injection",
            "surgery",
        ),
    ),
    "F07": ("TXT", ()),
    "H01": ("TXT", ()),
    "H02": ("TXT", ()),
}
YES_NO_CODES = {"YN": ("yes", "no"), "YNU": ("yes", "no", "unsure")}


def test_items_are_the_spec_items_in_spec_order():
    assert [item.id for item in ITEMS] == list(SPEC)


@pytest.mark.parametrize("item_id", list(SPEC))
def test_item_has_the_spec_kind_and_codes(item_id):
    item = ITEMS_BY_ID[item_id]
    kind, codes = SPEC[item_id]
    assert item.kind == kind
    assert item.codes == (codes or YES_NO_CODES.get(kind, ()))


def test_yes_no_items_read_yes_no_and_not_sure():
    assert [c.label for c in ITEMS_BY_ID["S01"].choices] == ["Yes", "No", "Not sure"]
    assert [c.label for c in ITEMS_BY_ID["S02"].choices] == ["Yes", "No"]


def test_every_item_has_a_question_and_every_choice_a_label():
    for item in ITEMS:
        assert item.question.strip(), item.id
        assert all(choice.label.strip() for choice in item.choices), item.id


def test_sections_come_in_spec_order_and_hold_every_item():
    assert [s.code for s in SECTIONS] == ["S", "A", "B", "C", "D", "E", "F", "H"]
    assert sum(len(items_in(s.code)) for s in SECTIONS) == len(ITEMS)
    assert items_in("S")[0].id == "S01"
    assert [item.id for item in items_in("H")] == ["H01", "H02"]


def test_safety_items_are_red_flags_and_only_they_are():
    assert {item.id for item in ITEMS if item.red_flag} == {i for i in SPEC if i.startswith("S")}


def test_only_the_heel_spot_items_show_the_diagram():
    assert {item.id for item in ITEMS if item.diagram} == {"B02", "B02b"}


def test_required_items_are_the_spec_list():
    required = {item.id for item in ITEMS if item.required}
    assert required == {i for i in SPEC if i.startswith("S")} | {
        "A01", "A03", "B01", "B02", "B03", "B04"
    }  # fmt: skip


def test_ranges_of_numbers_and_length_of_text():
    assert (ITEMS_BY_ID["A01"].min_value, ITEMS_BY_ID["A01"].max_value) == (1, 120)
    assert (ITEMS_BY_ID["C20"].min_value, ITEMS_BY_ID["C20"].max_value) == (0, 10)
    assert ITEMS_BY_ID["A04H"].min_value is not None and ITEMS_BY_ID["A04W"].max_value is not None
    assert {item.max_length for item in ITEMS if item.kind == "TXT"} == {2000}


def test_describe_gives_readable_answers():
    assert ITEMS_BY_ID["S01"].describe("unsure") == "Not sure"
    assert ITEMS_BY_ID["S04"].describe([]) == "None of these"
    assert ITEMS_BY_ID["S04"].describe(["red", "swollen"]) == "Red; Swollen"
    assert ITEMS_BY_ID["A01"].describe(40) == "40 years"
    assert ITEMS_BY_ID["C20"].describe(7) == "7 out of 10"
    assert ITEMS_BY_ID["H01"].describe("Ran a marathon") == "Ran a marathon"
    assert ITEMS_BY_ID["B02"].describe("insertion").startswith("Back of the heel")


@pytest.mark.parametrize(
    ("item_id", "shown", "hidden"),
    [
        ("S02a", {"S02": "yes"}, {"S02": "no"}),
        ("S04a", {"S04": ["red"]}, {"S04": []}),
        ("S06a", {"S06": "yes"}, {"S06": "no"}),
        ("S07a", {"S07": "unsure"}, {"S07": "no"}),
        ("S07b", {"S07": "yes"}, {"S07": "no"}),
        ("S07b", {"S07": "unsure"}, {}),
        ("S02e", {"S02": "yes", "S02d": "gt_10_days"}, {"S02": "yes", "S02d": "1_10_days"}),
        ("S02e", {"S02": "yes", "S02d": "gt_10_days"}, {"S02": "no", "S02d": "gt_10_days"}),
        ("S02e", {"S02": "yes", "S02d": "gt_10_days"}, {"S02": "yes"}),
        ("B06", {"S01": "no"}, {"S01": "unsure"}),
        ("B07", {"S01": "no", "B06": "gt_4_weeks"}, {"S01": "no", "B06": "no"}),
        ("B07", {"S01": "yes"}, {"S01": "no"}),
        ("D04a", {"D04": "yes"}, {"D04": "no"}),
        ("E01", {"S03": "unsure"}, {"S03": "no"}),
        ("E07", {"A02": "female", "A01": 12}, {"A02": "female", "A01": 51}),
        ("E07", {"A02": "female", "A01": 50}, {"A02": "male", "A01": 30}),
    ],
)
def test_follow_up_items_apply_only_after_their_answer(item_id, shown, hidden):
    item = ITEMS_BY_ID[item_id]
    assert applies(item, shown)
    assert not applies(item, hidden)


def test_applies_never_raises_on_missing_or_odd_answers():
    for item in ITEMS:
        assert applies(item, {}) in (True, False)
        assert applies(item, {"A01": "forty", "S04": "red", "A02": 3}) in (True, False)


def test_conditions_only_read_earlier_items():
    position = {item.id: n for n, item in enumerate(ITEMS)}
    for item in ITEMS:
        assert all(position[d] < position[item.id] for d in item.depends_on), item.id


def test_version_is_2026_12_1():
    assert VERSION == "2026.12-1"


def test_the_new_items_are_worded_as_the_spec_asks():
    assert "x-rayed since the injury" in ITEMS_BY_ID["S02e"].question
    assert "visibly swollen, or bigger than the other" in ITEMS_BY_ID["S07b"].question


def test_s07_no_longer_asks_about_a_tight_calf_and_s07a_leaves_out_a_night_splint():
    assert "tight," not in ITEMS_BY_ID["S07"].question
    assert "Not just a tight calf" in ITEMS_BY_ID["S07"].hint
    cast = ITEMS_BY_ID["S07a"].labels["cast_boot_splint"]
    assert "holds the ankle" in cast and "not a night splint" in cast


def test_s02e_says_both_of_its_conditions_in_words():
    assert ITEMS_BY_ID["S02e"].applies_when == "S02 is yes and S02d is gt_10_days"
    assert ITEMS_BY_ID["S02e"].depends_on == ("S02", "S02d")
