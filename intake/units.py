"""Height and weight as a Michigan patient gives them (feet and inches, pounds) or in metric.

The answers always store centimeters (A04H) and kilograms (A04W), whole numbers, as the catalogue
says; triage reads those. These plain functions convert at the form's edge. No Django here.
"""

from __future__ import annotations

from dataclasses import dataclass

CM_PER_INCH = 2.54
LB_PER_KG = 2.20462

US = "us"
METRIC = "metric"

# The catalogue's human ranges (A04H 50-250 cm, A04W 3-350 kg) in US units, rounded inwards.
MIN_INCHES, MAX_INCHES = 20, 98  # 1 ft 8 in (50.8 cm) to 8 ft 2 in (248.9 cm)
MIN_POUNDS, MAX_POUNDS = 7, 771  # 3.2 kg to 349.7 kg


def cm_from_feet_inches(feet: int, inches: int) -> int:
    """Whole centimeters for a height in feet and inches."""
    return round((feet * 12 + inches) * CM_PER_INCH)


def feet_inches_from_cm(cm: int) -> tuple[int, int]:
    """The nearest whole feet and inches for a height in centimeters."""
    total = round(cm / CM_PER_INCH)
    return total // 12, total % 12


def kg_from_pounds(pounds: int) -> int:
    return round(pounds / LB_PER_KG)


def pounds_from_kg(kg: int) -> int:
    return round(kg * LB_PER_KG)


def feet_inches(total_inches: int) -> str:
    feet, inches = divmod(total_inches, 12)
    return f"{feet} ft {inches} in"


HEIGHT_RANGE_US = f"between {feet_inches(MIN_INCHES)} and {feet_inches(MAX_INCHES)}"
WEIGHT_RANGE_US = f"between {MIN_POUNDS} and {MAX_POUNDS} pounds"


@dataclass(frozen=True)
class Height:
    """What the patient typed for A04H in US units, checked and converted."""

    feet: int | None
    inches: int | None

    def problem(self) -> str:
        """Why this is not a height we can store ('' when it is fine or left empty)."""
        if self.feet is None and self.inches is None:
            return ""
        if self.feet is None:
            return f"Enter the feet as well as the inches, for example 5 feet 7 inches ({HEIGHT_RANGE_US})"
        if self.inches is not None and not 0 <= self.inches <= 11:
            return "Enter the inches as a whole number from 0 to 11"
        total = self.feet * 12 + (self.inches or 0)
        if not MIN_INCHES <= total <= MAX_INCHES:
            return f"Enter your height in feet and inches, {HEIGHT_RANGE_US}"
        return ""

    def cm(self) -> int | None:
        if self.feet is None:
            return None
        return cm_from_feet_inches(self.feet, self.inches or 0)


def weight_problem(pounds: int | None) -> str:
    if pounds is None or MIN_POUNDS <= pounds <= MAX_POUNDS:
        return ""
    return f"Enter your weight in pounds, {WEIGHT_RANGE_US}"


def describe_height(cm: int, units: str) -> str:
    """'5 ft 7 in (170 cm)' for a US patient, '170 cm' in metric."""
    if units == METRIC:
        return f"{cm} cm"
    feet, inches = feet_inches_from_cm(cm)
    return f"{feet} ft {inches} in ({cm} cm)"


def describe_weight(kg: int, units: str) -> str:
    return f"{kg} kg" if units == METRIC else f"{pounds_from_kg(kg)} lb ({kg} kg)"


def _whole(raw: object) -> int | None:
    try:
        return int(str(raw).strip())
    except ValueError:
        return None


def convert_typed(typed: dict[str, str], to: str) -> dict[str, str]:
    """Height and weight typed on a page, in the other units (what cannot be read is left out)."""
    out: dict[str, str] = {}
    if to == METRIC:
        feet, inches = _whole(typed.get("A04H_ft", "")), _whole(typed.get("A04H_in", ""))
        if feet is not None and not Height(feet, inches).problem():
            out["A04H"] = str(cm_from_feet_inches(feet, inches or 0))
        pounds = _whole(typed.get("A04W_lb", ""))
        if pounds is not None and not weight_problem(pounds):
            out["A04W"] = str(kg_from_pounds(pounds))
    else:
        cm, kg = _whole(typed.get("A04H", "")), _whole(typed.get("A04W", ""))
        if cm is not None and cm > 0:
            feet, inches = feet_inches_from_cm(cm)
            out.update({"A04H_ft": str(feet), "A04H_in": str(inches)})
        if kg is not None and kg > 0:
            out["A04W_lb"] = str(pounds_from_kg(kg))
    return out
