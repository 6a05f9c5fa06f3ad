"""The study's quantifiers ('vrijwel alle', 'de meeste', ...) as share ranges (data/quantifiers.csv).

Every statement of the study and every constraint of the reconstruction uses this one table,
through the one rule layer (`commissioning.analysis.rules`). A quantifier applies to a share of units
(`share`), to a difference between two groups' shares (`difference`: 'nauwelijks'), or to the
share of the most frequent code (`mode`: 'heel wisselend', views vary widely). A `hedge`
('lijken', seems) has no range: it marks how firmly the study states something, and the
statement it hedges is measured with the quantifier it carries.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .reader import read_text
from ..errors import DataError, ParameterError, Problem

COLUMNS = ("quantifier", "nl", "en", "applies_to", "lower", "lower_inclusive", "upper", "upper_inclusive",
           "rationale")
APPLIES_TO = ("share", "difference", "mode", "hedge")
_EPS = 1e-9


@dataclass(frozen=True)
class Quantifier:
    """One quantifier: its words in Dutch and English, what it applies to, its range and why."""

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

        Examples
        --------
        >>> Quantifier("some", "sommige", "some", 0, False, 0.5, True, "").holds_count(4, 8)
        True
        """
        return bool(self.holds_counts(np.asarray(k), np.asarray(n)))

    def holds_counts(self, k, n):
        """Vectorised `holds_count`: `k` and `n` arrays (broadcast); False where n is 0."""
        k, n = np.asarray(k), np.asarray(n)
        lo, hi = self.lower * n, self.upper * n
        ok_lo = k >= lo - _EPS if self.lower_inclusive else k > lo + _EPS
        ok_hi = k <= hi + _EPS if self.upper_inclusive else k < hi - _EPS
        return ok_lo & ok_hi & (n > 0)

    def holds_values(self, x):
        """Vectorised `holds` for shares or differences `x` (an array; NaN never holds)."""
        x = np.asarray(x, dtype=float)
        ok_lo = x >= self.lower - _EPS if self.lower_inclusive else x > self.lower + _EPS
        ok_hi = x <= self.upper + _EPS if self.upper_inclusive else x < self.upper - _EPS
        return ok_lo & ok_hi & ~np.isnan(x)

    def word(self, lang: str = "en") -> str:
        """The quantifier's first word in `lang` ('most', 'de meeste')."""
        return (self.nl if lang == "nl" else self.en).split(";")[0].strip()

    @property
    def range_text(self) -> str:
        """The range as an interval of percentages, e.g. '(50%, 100%)' (a square bracket includes
        the bound)."""
        return (f"{'[' if self.lower_inclusive else '('}{self.lower:.0%}, "
                f"{self.upper:.0%}{']' if self.upper_inclusive else ')'}")


def _bool(text: str, display: str, line: int, column: str) -> bool:
    if text not in ("true", "false"):
        raise DataError([Problem(display, f"line {line}, column {column!r}", "is not true or false", value=text,
                                 allowed="true, false")])
    return text == "true"


def load_quantifiers(path: Path | str) -> dict[str, Quantifier]:
    """Read quantifiers.csv into {id: Quantifier}.

    Returns
    -------
    dict of quantifier id -> Quantifier, in the file's order.

    Raises
    ------
    DataError
        When the file is missing, not UTF-8, lacks a column, or a row is malformed (naming the line
        and column).

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> q = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> q["most"].range_text, q["most"].holds_count(10, 18)
    ('(50%, 100%)', True)
    """
    path = Path(path)
    display = path.name
    if not path.is_file():
        raise DataError([Problem(display, "", "is missing", allowed="a quantifiers.csv beside the claims")])
    text, problems = read_text(path, display)
    if problems:
        raise DataError(problems)
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise DataError([Problem(display, "line 1", f"lacks the column {c!r}", allowed=",".join(COLUMNS))
                         for c in missing])
    out = {}
    for line, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataError([Problem(display, f"line {line}", f"has {len(row)} fields instead of {len(header)}",
                                     allowed="one field per column; quote a field that contains a comma")])
        rec = dict(zip(header, (cell.strip() for cell in row)))
        if rec["applies_to"] not in APPLIES_TO:
            raise DataError([Problem(display, f"line {line}, column 'applies_to'", "is not allowed",
                                     value=rec["applies_to"], allowed=", ".join(APPLIES_TO))])
        try:
            lower = float(rec["lower"]) if rec["lower"] else 0.0
            upper = float(rec["upper"]) if rec["upper"] else 1.0
        except ValueError:
            raise DataError([Problem(display, f"line {line}", "has a bound that is not a number",
                                     value=(rec["lower"], rec["upper"]), allowed="numbers between 0 and 1")]) from None
        if rec["quantifier"] in out:
            raise DataError([Problem(display, f"line {line}, column 'quantifier'", "duplicates a quantifier",
                                     value=rec["quantifier"], allowed="each quantifier once")])
        out[rec["quantifier"]] = Quantifier(
            rec["quantifier"], rec["nl"], rec["en"], lower,
            _bool(rec["lower_inclusive"] or "true", display, line, "lower_inclusive"), upper,
            _bool(rec["upper_inclusive"] or "true", display, line, "upper_inclusive"), rec["rationale"],
            rec["applies_to"])
    return out


def get(quantifiers: dict, name: str) -> Quantifier:
    """The quantifier `name`; ParameterError naming the known ones otherwise."""
    if name not in quantifiers:
        raise ParameterError(f"quantifier: {name!r} is not a quantifier of quantifiers.csv; "
                             f"allowed: {', '.join(quantifiers)}")
    return quantifiers[name]
