"""A quantifier of the study ('vrijwel alle', 'de meeste', ...) as a range of shares, and how a
rule holds a share, a difference or a mode against it. The table of them is read from
data/quantifiers.csv by `commissioning.data.quantifiers.load_quantifiers`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ParameterError


APPLIES_TO = ("share", "difference", "mode", "correlation", "ratio", "hedge")


_EPS = 1e-9


@dataclass(frozen=True)
class Quantifier:
    """One quantifier: its words in Dutch and English, what it applies to, its range and why.

    Examples
    --------
    >>> q = Quantifier("most", "de meeste", "most", 0.5, False, 1, False, "A strict majority.")
    >>> q.range_text, q.holds_count(10, 18), q.holds_count(9, 18)
    ('(50%, 100%)', True, False)
    """

    id: str
    nl: str
    en: str
    lower: float
    lower_inclusive: bool
    upper: float
    upper_inclusive: bool
    rationale: str
    applies_to: str = "share"

    def holds(self, share: float) -> bool:
        """Whether `share` (0..1) lies in the quantifier's range.

        Returns
        -------
        bool

        Examples
        --------
        >>> Quantifier("most", "de meeste", "most", 0.5, False, 1, False, "").holds(0.5)
        False
        """
        lo = share >= self.lower if self.lower_inclusive else share > self.lower
        hi = share <= self.upper if self.upper_inclusive else share < self.upper
        return bool(lo and hi)

    def holds_count(self, k: int, n: int) -> bool:
        """Whether k of n units lie in the range (compared as k against the bounds times n, so
        that no rounding of k / n decides a case at a bound).

        Returns
        -------
        bool

        Examples
        --------
        >>> Quantifier("some", "sommige", "some", 0, False, 0.5, True, "").holds_count(4, 8)
        True
        """
        return bool(self.holds_counts(np.asarray(k), np.asarray(n)))

    def holds_counts(self, k, n):
        """Vectorised `holds_count`: `k` and `n` arrays (broadcast); False where n is 0.

        Returns
        -------
        numpy.ndarray of bool
            The broadcast shape of `k` and `n`.

        Examples
        --------
        >>> most = Quantifier("most", "de meeste", "most", 0.5, False, 1, False, "")
        >>> most.holds_counts([9, 10, 0], [18, 18, 0]).tolist()
        [False, True, False]
        """
        k, n = np.asarray(k), np.asarray(n)
        lo, hi = self.lower * n, self.upper * n
        ok_lo = k >= lo - _EPS if self.lower_inclusive else k > lo + _EPS
        ok_hi = k <= hi + _EPS if self.upper_inclusive else k < hi - _EPS
        return ok_lo & ok_hi & (n > 0)

    def holds_values(self, x):
        """Vectorised `holds` for shares or differences `x` (an array; NaN never holds).

        Returns
        -------
        numpy.ndarray of bool
            The shape of `x`.

        Examples
        --------
        >>> most = Quantifier("most", "de meeste", "most", 0.5, False, 1, False, "")
        >>> most.holds_values([0.5, 0.51, float("nan"), 1.0]).tolist()
        [False, True, False, False]
        """
        x = np.asarray(x, dtype=float)
        ok_lo = x >= self.lower - _EPS if self.lower_inclusive else x > self.lower + _EPS
        ok_hi = x <= self.upper + _EPS if self.upper_inclusive else x < self.upper - _EPS
        return ok_lo & ok_hi & ~np.isnan(x)

    def word(self, lang: str = "en") -> str:
        """The quantifier's first word in `lang` ('most', 'de meeste').

        Returns
        -------
        str
            The text before the first ``;`` of its words (English unless `lang` is "nl").

        Examples
        --------
        >>> q = Quantifier("most", "de meeste; het merendeel", "most; the majority", 0.5, False, 1, False, "")
        >>> q.word(), q.word("nl")
        ('most', 'de meeste')
        """
        return (self.nl if lang == "nl" else self.en).split(";")[0].strip()

    @property
    def range_text(self) -> str:
        """The range as an interval, e.g. '(50%, 100%)' (a square bracket includes the bound); of
        percentages, except for a correlation or a ratio ('[0.3, 1]', '[1, inf)').

        Examples
        --------
        >>> Quantifier("r", "", "", 1.0, True, float("inf"), False, "", "ratio").range_text
        '[1, inf)'
        """
        def bound(x):
            if self.applies_to in ("correlation", "ratio"):
                return "inf" if x == float("inf") else f"{x:g}"
            return f"{x:.0%}"

        return (f"{'[' if self.lower_inclusive else '('}{bound(self.lower)}, "
                f"{bound(self.upper)}{']' if self.upper_inclusive else ')'}")


def get(quantifiers: dict, name: str) -> Quantifier:
    """The quantifier `name`; ParameterError naming the known ones otherwise.

    Parameters
    ----------
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.
    name : str

    Returns
    -------
    Quantifier

    Examples
    --------
    >>> most = Quantifier("most", "de meeste", "most", 0.5, False, 1, False, "")
    >>> get({"most": most}, "most").word()
    'most'
    >>> get({"most": most}, "mostly")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: quantifier: 'mostly' is not a quantifier of quantifiers.csv; allowed: most
    """
    if name not in quantifiers:
        raise ParameterError("quantifier", name, problem="is not a quantifier of quantifiers.csv",
                             allowed=list(quantifiers))
    return quantifiers[name]
