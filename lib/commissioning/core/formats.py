"""Numbers as the study prints them: one rounding (`percent_half_up`) and thousands separators."""

from __future__ import annotations

from fractions import Fraction

from ..errors import ParameterError


def percent_half_up(numerator: int, denominator: int) -> int:
    """`numerator / denominator` as a whole percentage, rounded half up, computed exactly.

    This is how the study prints shares: 9 of 72 is exactly 12.5% and is printed as 13%.

    Returns
    -------
    int

    Raises
    ------
    ParameterError
        When `denominator` is not positive.

    Examples
    --------
    >>> percent_half_up(9, 72), percent_half_up(15, 72), percent_half_up(1, 3)
    (13, 21, 33)
    """
    if denominator <= 0:
        raise ParameterError("denominator", denominator, allowed="a positive whole number")
    value = Fraction(100 * int(numerator), int(denominator)) + Fraction(1, 2)
    return int(value.numerator // value.denominator)


def thousands(n, lang: str = "en") -> str:
    """A whole number with the thousands separator of `lang`: 519,988 in English, 519.988 in Dutch.

    Returns
    -------
    str
        Numbers below 1,000 as they are; anything that is not a whole number as `str(n)`.

    Examples
    --------
    >>> thousands(519988), thousands(519988, "nl"), thousands(72, "nl"), thousands(-11113, "nl")
    ('519,988', '519.988', '72', '-11.113')
    """
    try:
        value = int(n)
    except (TypeError, ValueError):
        return str(n)
    if value != n:
        return str(n)
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "nl" else text
