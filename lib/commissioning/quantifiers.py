"""The study's quantifiers ('vrijwel alle', 'de meeste', ...) as share ranges (data/quantifiers.csv).

The reconstruction's constraints and the checks of the study's claims use this one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .errors import DataError, ParameterError, Problem


@dataclass(frozen=True)
class Quantifier:
    id: str
    nl: str
    en: str
    lower: float
    lower_inclusive: bool
    upper: float
    upper_inclusive: bool
    rationale: str

    def holds(self, share: float) -> bool:
        """Whether `share` (0..1) lies in the quantifier's range."""
        lo = share >= self.lower if self.lower_inclusive else share > self.lower
        hi = share <= self.upper if self.upper_inclusive else share < self.upper
        return bool(lo and hi)

    def holds_count(self, k: int, n: int) -> bool:
        """Whether k of n units lie in the range (exact rational comparison, no rounding)."""
        if n <= 0:
            return False
        # compare k/n with the bounds as fractions of n, avoiding float error at the bounds
        lo, hi = self.lower * n, self.upper * n
        eps = 1e-9
        ok_lo = k >= lo - eps if self.lower_inclusive else k > lo + eps
        ok_hi = k <= hi + eps if self.upper_inclusive else k < hi - eps
        return bool(ok_lo and ok_hi)

    def holds_counts(self, k, n: int):
        """Vectorised `holds_count`: `k` an array of counts out of the same `n`."""
        import numpy as np

        k = np.asarray(k)
        if n <= 0:
            return np.zeros(k.shape, dtype=bool)
        lo, hi, eps = self.lower * n, self.upper * n, 1e-9
        ok_lo = k >= lo - eps if self.lower_inclusive else k > lo + eps
        ok_hi = k <= hi + eps if self.upper_inclusive else k < hi - eps
        return ok_lo & ok_hi

    @property
    def range_text(self) -> str:
        return (f"{'[' if self.lower_inclusive else '('}{self.lower:.0%}, "
                f"{self.upper:.0%}{']' if self.upper_inclusive else ')'}")


def load_quantifiers(path: Path | str) -> dict[str, Quantifier]:
    """Read quantifiers.csv into {id: Quantifier}."""
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(path.name, "", "is missing", allowed="a quantifiers.csv beside the constraints")])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    out = {}
    for i, row in df.iterrows():
        try:
            q = Quantifier(row.quantifier, row.nl, row.en, float(row.lower), row.lower_inclusive == "true",
                           float(row.upper), row.upper_inclusive == "true", row.rationale)
        except (ValueError, AttributeError) as exc:
            raise DataError([Problem(path.name, f"line {i + 2}", f"is not a valid quantifier row: {exc}")]) from None
        out[q.id] = q
    return out


def get(quantifiers: dict, name: str) -> Quantifier:
    if name not in quantifiers:
        raise ParameterError(f"unknown quantifier {name!r}; allowed: {', '.join(quantifiers)}")
    return quantifiers[name]
