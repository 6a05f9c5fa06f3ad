"""The study's quantifiers ('vrijwel alle', 'de meeste', ...) as share ranges (data/quantifiers.csv).

Every statement of the study and every constraint of the reconstruction uses this one table,
through the one rule layer (`commissioning.rules`). A quantifier applies to a share of units
(`share`), to a difference between two groups' shares (`difference`: 'nauwelijks'), or to the
share of the most frequent code (`mode`: 'heel wisselend', views vary widely). A `hedge`
('lijken', seems) has no range: it marks how firmly the study states something, and the
statement it hedges is measured with the quantifier it carries.
"""


from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import DataError, Problem
from ..rules.quantifiers import APPLIES_TO, Quantifier
from .reader import read_file


COLUMNS = ("quantifier", "nl", "en", "applies_to", "lower", "lower_inclusive", "upper", "upper_inclusive",
           "rationale")


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
    text = read_file(path, display, missing="a quantifiers.csv beside the claims")
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
