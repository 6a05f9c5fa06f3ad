"""The study's quantifiers ('vrijwel alle', 'de meeste', ...) as share ranges (data/quantifiers.csv).

Every statement of the study and every constraint of the reconstruction uses this one table,
through the one rule layer (`commissioning.rules`). A quantifier applies to a share of units
(`share`), to a difference between two groups' shares (`difference`: 'nauwelijks'), or to the
share of the most frequent code (`mode`: 'heel wisselend', views vary widely), to a rank
correlation (`correlation`: 'hoe groter ..., hoe groter ...') or to a ratio against chance
(`ratio`: differences between respondents of one municipality held against chance). A bound may
name a quantifier defined above it instead of a number: it is then that quantifier's lower bound
(so that 'nauwelijks' is read as below the one minimum effect, `more_often`). A `hedge`
('lijken', seems) has no range: it marks how firmly the study states something, and the
statement it hedges is measured with the quantifier it carries.
"""


from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import DataError, Problem
from ..rules import APPLIES_TO, Quantifier
from .reader import read_file


COLUMNS = ("quantifier", "nl", "en", "applies_to", "lower", "lower_inclusive", "upper", "upper_inclusive",
           "rationale")


def _bool(text: str, display: str, line: int, column: str) -> bool:
    if text not in ("true", "false"):
        raise DataError([Problem(display, f"line {line}, column {column!r}", "is not true or false", value=text,
                                 allowed="true, false")])
    return text == "true"


def _bound(text: str, default: float, known: dict, display: str, line: int) -> float:
    """A bound of the file: a number, empty (the default), or the id of a quantifier above it (its lower bound)."""
    if not text:
        return default
    if text in known:
        return known[text].lower
    try:
        return float(text)
    except ValueError:
        raise DataError([Problem(display, f"line {line}", "has a bound that is neither a number nor a quantifier "
                                 "defined above it", value=text,
                                 allowed="a number (a share between 0 and 1, a correlation, a ratio, inf) or "
                                         "the id of a quantifier on an earlier line")]) from None


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
    >>> q["hardly"].upper == q["more_often"].lower  # 'nauwelijks': below the one minimum effect
    True
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
        lower = _bound(rec["lower"], 0.0, out, display, line)
        upper = _bound(rec["upper"], 1.0, out, display, line)
        if rec["quantifier"] in out:
            raise DataError([Problem(display, f"line {line}, column 'quantifier'", "duplicates a quantifier",
                                     value=rec["quantifier"], allowed="each quantifier once")])
        out[rec["quantifier"]] = Quantifier(
            rec["quantifier"], rec["nl"], rec["en"], lower,
            _bool(rec["lower_inclusive"] or "true", display, line, "lower_inclusive"), upper,
            _bool(rec["upper_inclusive"] or "true", display, line, "upper_inclusive"), rec["rationale"],
            rec["applies_to"])
    return out
