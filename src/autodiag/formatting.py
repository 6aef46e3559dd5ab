"""French display of figures: the one place where rates are rounded.

Rates stay unrounded everywhere else. Rounding is half-up on the decimal value the float
stands for (31.25 -> 31,3, where Python's round() gives 31.2).
"""

from __future__ import annotations

import functools
import math
from decimal import ROUND_HALF_UP, Decimal

NO_RATE = "--%"
NO_POINTS = "--"


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def round_half_up(value: float, decimals: int = 1) -> Decimal:
    # repr() gives the shortest decimal that round-trips: 31.25 stays 31.25, not 31.249999…
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _french(number: Decimal) -> str:
    text = format(number, "f")
    if text.startswith("-") and Decimal(text) == 0:
        text = text[1:]
    whole, _, decimals = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    grouped = f"{int(digits):,}".replace(",", " ")
    return sign + grouped + ("," + decimals if decimals else "")


def rate(value: float | None) -> str:
    """Global and engagement rates: '61,1 %' (one decimal, always)."""
    if _is_missing(value):
        return "-- %"
    return _rate_text(float(value))


# A national report prints a hundred thousand rates, most of them many times over (a rate is a
# ratio of small counts): each distinct value is rounded and written once.
@functools.lru_cache(maxsize=1 << 16)
def _rate_text(value: float) -> str:
    return _french(round_half_up(value)) + " %"


def theme_rate(value: float | None) -> str:
    """Theme rates as in the structure report: '68,8%', '45%', '100%', '--%'."""
    if _is_missing(value):
        return NO_RATE
    return _theme_rate_text(float(value))


@functools.lru_cache(maxsize=1 << 16)
def _theme_rate_text(value: float) -> str:
    rounded = round_half_up(value)
    if rounded == rounded.to_integral_value():
        rounded = rounded.quantize(Decimal(1))
    return _french(rounded) + "%"


def points(value: float | None, applicable: int | None = None) -> str:
    """Points validated: '5,5', '10,5', '5,25', '2'; '--' when nothing is applicable."""
    if _is_missing(value) or applicable == 0:
        return NO_POINTS
    number = Decimal(repr(float(value))).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return _french(number)


def number(value: float | int | None, decimals: int = 0) -> str:
    """Counts and other figures in French format ('1 250', '3,5')."""
    if _is_missing(value):
        return "--"
    return _french(round_half_up(value, decimals))
