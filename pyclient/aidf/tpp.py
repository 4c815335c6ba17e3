"""TPP, performance density and the ECCN 3A090 paragraph of a chip, from its datasheet figures.

The arithmetic follows the Technical Notes to ECCN 3A090 (15 CFR part 774, Supp. No. 1):
TPP = 2 x MacTOPS x bit length, aggregated over all processing units (Note 1), at the bit length
giving the highest TPP (Note 2), dense figures only (Note 3); performance density = TPP / applicable
die area in mm2 (Note 4). A datasheet's TOPS/TFLOPS already count a multiply-accumulate as two
operations, so TPP = TOPS x bit length.

Arithmetic is exact (fractions): a float would put 4,799.999... or 4,800.000...1 on the wrong side
of a threshold. Thresholds, citations and request limits come from the policy data and the request
schema, so this module classifies exactly as policies/aidf/chips/classify.rego does, on the same
rounded-up figures a request carries (docs/interpretations.md, items 27 and 28).
"""
from __future__ import annotations

import dataclasses
import decimal
import json
import math
from fractions import Fraction

from . import policy_set, resources
from .validation import DENSITY_PLACES

# No die is larger than a 300 mm wafer; a bigger --die-area is a typo, not a chip.
WAFER_AREA_MM2 = Fraction(round(math.pi * 150 ** 2))
# Figures are read as decimals between 10^-12 and 10^13: anything else is a typo, and bounding the
# exponent keeps the exact arithmetic small (Fraction(Decimal("1e999999")) would not be).
MIN_EXPONENT, MAX_EXPONENT = -12, 12

# Paragraphs in the order policies/aidf/chips/classify.rego tries them: the first one met wins.
ORDER = ("note1", "3A090.a.1", "3A090.a.2", "3A090.b.1", "3A090.b.2")
ECCN_OF = {"3A090.a.1": "3A090.a", "3A090.a.2": "3A090.a", "3A090.b.1": "3A090.b", "3A090.b.2": "3A090.b"}
# The policy's reason codes, whose catalogue entries carry each paragraph's citation.
REASON_CODE = {"3A090.a.1": "CLS_3A090_A1", "3A090.a.2": "CLS_3A090_A2", "3A090.b.1": "CLS_3A090_B1",
               "3A090.b.2": "CLS_3A090_B2", "note1": "CLS_NOTE1", "none": "CLS_BELOW_3A090"}
SUPPLEMENT = "15 CFR part 774, Supp. No. 1"
TECHNICAL_NOTE = "Technical Note {} to ECCN 3A090"


class BadFigures(ValueError):
    """Figures that cannot describe a chip a request could carry; the message says which, in one line."""


class PolicyDataError(RuntimeError):
    """The policy data or the request schema lacks what the classification needs."""


@dataclasses.dataclass(frozen=True)
class Figure:
    """One datasheet figure: a throughput at one bit length."""

    throughput: Fraction
    bits: int


@dataclasses.dataclass(frozen=True)
class Chip:
    figures: tuple[Figure, ...]
    die_area: Fraction  # mm2, of one die when dies > 1
    mac: bool = False  # figures are MacTOPS (multiply-accumulates), not TOPS (operations)
    sparse: bool = False  # figures are with sparsity: halved to dense (Technical Note 3)
    dies: int = 1  # identical logic dies; figures and die_area are per die
    data_center: bool = True  # designed or marketed for data centers (Note 1 to 3A090.a and .b)


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the classification reads from the policy data and the request schema."""

    thresholds: dict[str, Fraction]
    citations: dict[str, str]  # reason code -> citation
    licence_citations: dict[str, str]  # "3A090.a" -> the licence requirement's citation
    max_tpp: int
    max_density: Fraction
    max_quantity: int
    max_description: int
    revision: str | None


@dataclasses.dataclass(frozen=True)
class Step:
    text: str
    citation: str


@dataclasses.dataclass(frozen=True)
class Test:
    paragraph: str
    test: str
    met: bool


@dataclasses.dataclass(frozen=True)
class Result:
    chip: Chip
    steps: tuple[Step, ...]
    tpp_exact: Fraction
    highest_bits: int
    density_exact: Fraction
    tpp: int  # per unit, rounded up: what the request carries
    density: decimal.Decimal  # rounded up to DENSITY_PLACES
    tests: tuple[Test, ...]
    paragraph: str  # "3A090.a.1" ... or "note1" / "none"
    exact_paragraph: str  # on the unrounded figures; differs only at a hair's breadth of a threshold

    @property
    def eccn(self) -> str | None:
        return ECCN_OF.get(self.paragraph)


# --- policy data -------------------------------------------------------------------------------
_THRESHOLD_KEYS = ("note1_tpp_below", "a1_tpp_min", "a2_tpp_min", "a2_density_min", "b1_tpp_min", "b1_tpp_below",
                   "b1_density_min", "b1_density_below", "b2_tpp_min", "b2_density_min", "b2_density_below")
_FACTS: dict[str, Facts] = {}


def facts() -> Facts:
    """The policy data of AIDF_POLICY_DIR (or the shipped policies), read once per tree."""
    try:
        root = resources.policies_dir()
    except (OSError, ValueError) as exc:
        raise PolicyDataError(f"cannot find the policies: {exc}") from exc
    if str(root) not in _FACTS:
        try:
            data = policy_set.load(root).data["aidf"]["facts"]
            schema = json.loads((resources.schemas_dir() / "export_chips.schema.json").read_text(encoding="utf-8"))
            _FACTS[str(root)] = _facts_from(data, schema)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PolicyDataError(f"cannot read the 3A090 thresholds from the policy data: "
                                  f"{type(exc).__name__}: {exc}") from exc
    return _FACTS[str(root)]


def _number(value) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number")
    return Fraction(str(value))  # 5.92 as written, not its binary approximation


def _facts_from(data: dict, schema: dict) -> Facts:
    thresholds = {key: _number(data["params"]["thresholds_3a090"][key]) for key in _THRESHOLD_KEYS}
    entries = data["catalogue"]["entries"]
    item = schema["properties"]["items"]["items"]["properties"]
    return Facts(
        thresholds=thresholds,
        citations={code: entries[code]["citation"] for code in REASON_CODE.values()},
        licence_citations={eccn: data["eccns"]["entries"][eccn]["citation"] for eccn in set(ECCN_OF.values())},
        max_tpp=int(item["tpp_per_unit"]["maximum"]),
        max_density=_number(item["performance_density"]["maximum"]),
        max_quantity=int(item["quantity"]["maximum"]),
        max_description=int(item["description"]["maxLength"]),
        revision=data["params"].get("policy_revision"),
    )


# --- numbers -----------------------------------------------------------------------------------
def parse_figure(text: str) -> Fraction:
    """A positive decimal as a person writes it ("1,978.9", "300", "0.5"), exactly. BadFigures
    (one line) otherwise."""
    cleaned = text.strip()
    if "," in cleaned:
        whole, _, fraction = cleaned.partition(".")
        groups = whole.split(",")
        if not (groups[0].isdigit() and len(groups[0]) <= 3 and all(g.isdigit() and len(g) == 3 for g in groups[1:])):
            raise BadFigures(f"{text!r} is not a number (thousands separators go every three digits: 1,978.9)")
        cleaned = "".join(groups) + ("." + fraction if fraction or cleaned.endswith(".") else "")
    try:
        value = decimal.Decimal(cleaned) if len(cleaned) <= 40 else None
    except decimal.InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise BadFigures(f"{text!r} is not a number")
    if value <= 0:
        raise BadFigures(f"{text!r} is not above zero")
    if not MIN_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
        raise BadFigures(f"{text!r} is out of range (10^{MIN_EXPONENT} to 10^{MAX_EXPONENT + 1})")
    return Fraction(value)


def _ceil_places(value: Fraction, places: int) -> decimal.Decimal:
    scale = 10 ** places
    return decimal.Decimal(math.ceil(value * scale)) / decimal.Decimal(scale)


def exact_decimal(value: Fraction) -> decimal.Decimal | None:
    """The value as a finite decimal of at most 6 places, or None when it has no such form."""
    scaled = value * 10 ** 6
    if scaled.denominator != 1:
        return None
    return (decimal.Decimal(scaled.numerator) / decimal.Decimal(10 ** 6)).normalize()


def show(value: Fraction | int | decimal.Decimal) -> str:
    """15831.2 -> "15,831.2"; a value with no short decimal form -> "19.448649 (rounded)"."""
    if isinstance(value, (int, decimal.Decimal)):
        value = Fraction(value)
    exact = exact_decimal(value)
    if exact is not None:
        return f"{exact:,f}"
    rounded = (decimal.Decimal(round(value * 10 ** 6)) / decimal.Decimal(10 ** 6)).normalize()
    return f"{rounded:,f} (rounded)"


def as_json_number(value: Fraction | decimal.Decimal):
    """An int when whole, else a float (six places at most for a value with no short decimal form)."""
    value = Fraction(value)
    if value.denominator == 1:
        return int(value)
    exact = exact_decimal(value)
    return float(exact) if exact is not None else round(float(value), 6)


# --- classification ----------------------------------------------------------------------------
def paragraph_tests(tpp: Fraction, density: Fraction, data_center: bool, t: dict[str, Fraction]) -> tuple[Test, ...]:
    """Each paragraph's test, worded with the policy's thresholds, and whether the chip meets it.
    Mirrors policies/aidf/chips/classify.rego (_note1, _a1, _a2, _b1, _b2)."""
    n = show
    return (
        Test("note1", f"not designed or marketed for data centers, and TPP below {n(t['note1_tpp_below'])}",
             not data_center and tpp < t["note1_tpp_below"]),
        Test("3A090.a.1", f"TPP {n(t['a1_tpp_min'])} or more", tpp >= t["a1_tpp_min"]),
        Test("3A090.a.2", f"TPP {n(t['a2_tpp_min'])} or more, and density {n(t['a2_density_min'])} or more",
             tpp >= t["a2_tpp_min"] and density >= t["a2_density_min"]),
        Test("3A090.b.1", f"TPP {n(t['b1_tpp_min'])} or more and below {n(t['b1_tpp_below'])}, and density "
                          f"{n(t['b1_density_min'])} or more and below {n(t['b1_density_below'])}",
             t["b1_tpp_min"] <= tpp < t["b1_tpp_below"] and t["b1_density_min"] <= density < t["b1_density_below"]),
        Test("3A090.b.2", f"TPP {n(t['b2_tpp_min'])} or more, and density {n(t['b2_density_min'])} or more and "
                          f"below {n(t['b2_density_below'])}",
             tpp >= t["b2_tpp_min"] and t["b2_density_min"] <= density < t["b2_density_below"]),
    )


def first_met(found: tuple[Test, ...]) -> str:
    return next((x.paragraph for x in found if x.met), "none")


def classify(chip: Chip, f: Facts) -> Result:
    """The arithmetic step by step, and the paragraph the chip falls under. BadFigures when the
    figures give a chip no request can carry."""
    if not chip.figures:
        raise BadFigures("give at least one --tops N --bits B pair")
    if chip.die_area > WAFER_AREA_MM2:
        raise BadFigures(f"a die area of {show(chip.die_area)} mm2 is larger than a 300 mm wafer "
                         f"({show(WAFER_AREA_MM2)} mm2)")
    note = TECHNICAL_NOTE.format
    unit = "MacTOPS" if chip.mac else "TOPS"
    steps: list[Step] = []
    per_bits: list[tuple[Fraction, int]] = []
    for figure in chip.figures:
        label = f"{figure.bits}-bit"
        dense = figure.throughput
        if chip.sparse:
            dense = figure.throughput / 2
            steps.append(Step(f"{label}: {show(figure.throughput)} {unit} with sparsity / 2 = {show(dense)} {unit} "
                              "dense", note(3)))
        if chip.mac:
            tpp = 2 * dense * figure.bits
            steps.append(Step(f"{label}: TPP = 2 x {show(dense)} MacTOPS x {figure.bits} bits = {show(tpp)}", note(1)))
        else:
            tpp = dense * figure.bits
            # Said once: a datasheet's TOPS already count each multiply-accumulate twice.
            why = "" if per_bits else (" (TOPS count a multiply-accumulate as 2 operations: TOPS x bit length = "
                                       "2 x MacTOPS x bit length)")
            steps.append(Step(f"{label}: TPP = {show(dense)} TOPS x {figure.bits} bits = {show(tpp)}{why}", note(1)))
        per_bits.append((tpp, figure.bits))
    best, best_bits = max(per_bits, key=lambda pair: pair[0])  # the first of equal ones: stable
    if len(per_bits) > 1:
        steps.append(Step(f"highest TPP of the {len(per_bits)} bit lengths: {show(best)} ({best_bits}-bit)", note(2)))
    tpp_exact, area = best, chip.die_area
    if chip.dies > 1:
        tpp_exact, area = best * chip.dies, chip.die_area * chip.dies
        steps.append(Step(f"TPP over {chip.dies} dies: {show(best)} x {chip.dies} = {show(tpp_exact)}", note(1)))
        steps.append(Step(f"applicable die area: {show(chip.die_area)} mm2 x {chip.dies} dies = {show(area)} mm2",
                          note(4)))
    density_exact = tpp_exact / area
    steps.append(Step(f"performance density = {show(tpp_exact)} / {show(area)} mm2 = {show(density_exact)}", note(4)))
    tpp_whole = math.ceil(tpp_exact)
    density = _ceil_places(density_exact, DENSITY_PLACES)
    steps.append(Step(f"as a request carries them (both rounded up): TPP {show(tpp_whole)}, "
                      f"performance density {show(density)}", "docs/interpretations.md, items 27 and 28"))
    if tpp_whole > f.max_tpp:
        raise BadFigures(f"the figures give a TPP of {show(tpp_whole)} per chip, more than the {f.max_tpp:,} an "
                         "export_chips request accepts; check --tops, --bits and --dies")
    if Fraction(density) > f.max_density:
        raise BadFigures(f"the figures give a performance density of {show(density)}, more than the "
                         f"{show(f.max_density)} an export_chips request accepts; check --die-area")
    found = paragraph_tests(Fraction(tpp_whole), Fraction(density), chip.data_center, f.thresholds)
    return Result(chip=chip, steps=tuple(steps), tpp_exact=tpp_exact, highest_bits=best_bits,
                  density_exact=density_exact, tpp=tpp_whole, density=density, tests=found,
                  paragraph=first_met(found),
                  exact_paragraph=first_met(paragraph_tests(tpp_exact, density_exact, chip.data_center, f.thresholds)))


def citation(paragraph: str, f: Facts) -> str:
    """"15 CFR part 774, Supp. No. 1, ECCN 3A090.a.1; Technical Notes to 3A090" and the like."""
    return f"{SUPPLEMENT}, {f.citations[REASON_CODE[paragraph]]}"


def item(result: Result, *, quantity: int = 1, description: str | None = None) -> dict:
    """An export_chips items[] entry. It gives the chip's parameters and no ECCN, so the policy
    classifies it itself (a declared eccn would be taken as given)."""
    entry = {"quantity": quantity, "tpp_per_unit": result.tpp,
             "performance_density": as_json_number(result.density),
             "designed_for_data_centers": result.chip.data_center}
    return {"description": description, **entry} if description else entry
