"""Input checks of the QCA functions: every bad input raises `commissioning.errors.ParameterError`
naming the parameter, the value given and what is allowed, before anything is computed."""

from __future__ import annotations

import numbers
import re

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .notation import ABSENT, NEGATED, PRESENT, TILDE

INCLUDE_CHOICES = ("", "?", "C", "?, C")
MAX_CONDITIONS = 25  # as R's QCA package


def check_frame(frame) -> pd.DataFrame:
    """The data frame of cases, checked to be a non-empty DataFrame.

    Parameters
    ----------
    frame : DataFrame
        One row per case (its index names the cases), one column per set.

    Returns
    -------
    DataFrame
        `frame` itself (never modified).

    Raises
    ------
    ParameterError
        When `frame` is not a DataFrame or has no rows.

    Examples
    --------
    >>> check_frame(pd.DataFrame({"A": [1, 0]})).shape
    (2, 1)
    >>> check_frame(pd.DataFrame({"A": []}))
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: frame: has no rows; allowed: a DataFrame with one row per case
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("frame", type(frame).__name__, problem="is not a DataFrame",
                             allowed="a DataFrame with one row per case")
    if len(frame) == 0:
        raise ParameterError("frame", problem="has no rows", allowed="a DataFrame with one row per case")
    return frame


def split_names(value) -> list[str]:
    """Names given as a list or as one string separated by commas.

    Returns
    -------
    list of str

    Examples
    --------
    >>> split_names("DEV, URB,LIT"), split_names(["DEV", "URB"])
    (['DEV', 'URB', 'LIT'], ['DEV', 'URB'])
    """
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(v) for v in value]


def resolve_outcome(frame: pd.DataFrame, outcome) -> tuple[str, bool]:
    """The outcome's column and whether it is negated (written ``~Y``, as in R).

    Returns
    -------
    (outcome, negated) : (str, bool)

    Raises
    ------
    ParameterError
        When `outcome` is not a column of `frame`.

    Examples
    --------
    >>> resolve_outcome(pd.DataFrame({"Y": [1]}), "~Y")
    ('Y', True)
    """
    columns = [str(c) for c in frame.columns]
    if not isinstance(outcome, str) or not outcome.strip():
        raise ParameterError("outcome", outcome, problem="is not a column name", allowed=columns)
    text = outcome.strip()
    negated = text.startswith(TILDE)
    name = text[1:].strip() if negated else text
    if name not in columns:
        raise ParameterError("outcome", outcome, problem="is not a column of the frame", allowed=columns)
    return name, negated


def resolve_columns(frame: pd.DataFrame, outcome, conditions) -> tuple[str, bool, list[str]]:
    """The outcome's column, whether it is negated (written ``~Y`` as in R) and the conditions.

    Parameters
    ----------
    frame : DataFrame
    outcome : str
        A column of `frame`, optionally preceded by ``~`` for its negation.
    conditions : list of str, str or None
        Columns of `frame` (a list, or one string separated by commas); None means every other
        column, as in R.

    Returns
    -------
    (outcome, negated, conditions) : (str, bool, list of str)

    Raises
    ------
    ParameterError
        For an outcome or condition that is not a column, a condition named twice, the outcome
        among the conditions, or no or too many conditions.

    Examples
    --------
    >>> f = pd.DataFrame({"A": [1], "B": [0], "Y": [1]})
    >>> resolve_columns(f, "~Y", None)
    ('Y', True, ['A', 'B'])
    >>> resolve_columns(f, "Z", ["A"])
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: outcome: 'Z' is not a column of the frame; allowed: A, B, Y
    """
    columns = [str(c) for c in frame.columns]
    name, negated = resolve_outcome(frame, outcome)
    names = [c for c in columns if c != name] if conditions is None else split_names(conditions)
    unknown = [c for c in names if c not in columns]
    if unknown:
        raise ParameterError("conditions", unknown[0], problem="is not a column of the frame", allowed=columns)
    if name in names:
        raise ParameterError("conditions", name, problem="is the outcome", allowed="columns other than the outcome")
    twice = sorted({c for c in names if names.count(c) > 1})
    if twice:
        raise ParameterError("conditions", twice[0], problem="is named twice", allowed="each condition once")
    if not 1 <= len(names) <= MAX_CONDITIONS:
        raise ParameterError("conditions", names, problem=f"has {len(names)} conditions",
                             allowed=f"1 to {MAX_CONDITIONS} conditions, as in R's QCA package")
    return name, negated, names


def membership_matrix(frame: pd.DataFrame, columns) -> np.ndarray:
    """The set memberships of `columns` as a float matrix, checked to lie in [0, 1].

    Parameters
    ----------
    frame : DataFrame
    columns : list of str

    Returns
    -------
    ndarray of float, shape (cases, columns)

    Raises
    ------
    ParameterError
        For a value that is missing, not a number, or outside [0, 1]; the message names the column
        and the case.

    Examples
    --------
    >>> membership_matrix(pd.DataFrame({"A": [1, 0.2]}), ["A"]).tolist()
    [[1.0], [0.2]]
    >>> membership_matrix(pd.DataFrame({"A": [1, 3]}, index=["x", "y"]), ["A"])
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: frame['A']: 3 is outside [0, 1] (case 'y'); allowed: set memberships \
from 0 to 1 (calibrate raw values first)
    """
    allowed = "set memberships from 0 to 1 (calibrate raw values first)"
    out = np.empty((len(frame), len(columns)))
    for j, column in enumerate(columns):
        values = frame[column]
        numeric = pd.to_numeric(values, errors="coerce")
        bad = numeric.isna() | (numeric < 0) | (numeric > 1)
        if bad.any():
            where = int(np.flatnonzero(bad.to_numpy())[0])
            raw = values.iloc[where]
            raw = raw.item() if hasattr(raw, "item") else raw
            case = str(frame.index[where])
            if pd.isna(raw):
                raise ParameterError(f"frame[{column!r}]", problem=f"has no value for case {case!r}", allowed=allowed)
            problem = "is outside [0, 1]" if not pd.isna(numeric.iloc[where]) else "is not a number"
            raise ParameterError(f"frame[{column!r}]", raw, problem=f"{problem} (case {case!r})", allowed=allowed)
        out[:, j] = numeric.to_numpy(dtype=float)
    return out


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and np.isfinite(value)


def check_incl_cut(incl_cut) -> tuple[float, float]:
    """The two inclusion cut-offs (ic1, ic0) of R's `incl.cut`.

    Parameters
    ----------
    incl_cut : float or sequence of two floats
        One value: a configuration is positive (OUT 1) from it on. Two values (ic1, ic0): OUT 1 from
        ic1, a contradiction (OUT 'C') from ic0 up to ic1, OUT 0 below ic0.

    Returns
    -------
    (ic1, ic0) : tuple of float
        With one value, ic0 is 1, as R sets it (no configuration is then a contradiction).

    Raises
    ------
    ParameterError
        For values outside [0, 1], more than two values, or ic0 above ic1.

    Examples
    --------
    >>> check_incl_cut(0.8), check_incl_cut([0.8, 0.6])
    ((0.8, 1.0), (0.8, 0.6))
    >>> check_incl_cut(1.2)
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: incl_cut: 1.2 is not allowed; allowed: a number from 0 to 1, or two \
(ic1, ic0) with 0 <= ic0 <= ic1 <= 1
    """
    allowed = "a number from 0 to 1, or two (ic1, ic0) with 0 <= ic0 <= ic1 <= 1"
    values = [incl_cut] if _is_number(incl_cut) else incl_cut
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not 1 <= len(values) <= 2 \
            or not all(_is_number(v) and 0 <= v <= 1 for v in values):
        raise ParameterError("incl_cut", incl_cut, allowed=allowed)
    ic1 = float(values[0])
    ic0 = float(values[1]) if len(values) == 2 else 1.0
    if len(values) == 2 and ic0 > ic1:
        raise ParameterError("incl_cut", incl_cut, problem="has ic0 above ic1", allowed=allowed)
    return ic1, ic0


def given_cuts(incl_cut) -> float | tuple[float, float]:
    """`incl_cut` checked and written as given: one number, or the pair (ic1, ic0).

    Returns
    -------
    float or tuple of float

    Examples
    --------
    >>> given_cuts(1), given_cuts((0.8, 0.6))
    (1.0, (0.8, 0.6))
    """
    ic1, ic0 = check_incl_cut(incl_cut)
    return ic1 if _is_number(incl_cut) or len(incl_cut) == 1 else (ic1, ic0)


def check_n_cut(n_cut) -> int:
    """The least number of cases of a configuration that counts as observed.

    Returns
    -------
    int

    Raises
    ------
    ParameterError
        For anything but a whole number of at least 1.

    Examples
    --------
    >>> check_n_cut(2)
    2
    >>> check_n_cut(0)
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: n_cut: 0 is not allowed; allowed: a whole number of at least 1
    """
    if isinstance(n_cut, bool) or not isinstance(n_cut, numbers.Integral) or n_cut < 1:
        raise ParameterError("n_cut", n_cut, allowed="a whole number of at least 1")
    return int(n_cut)


def check_fraction(value, parameter: str) -> float:
    """A number from 0 to 1 (such as `pri_cut`).

    Returns
    -------
    float

    Raises
    ------
    ParameterError
        For anything else.

    Examples
    --------
    >>> check_fraction(0.5, "pri_cut")
    0.5
    >>> check_fraction(-1, "pri_cut")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: pri_cut: -1 is not allowed; allowed: a number from 0 to 1
    """
    if not _is_number(value) or not 0 <= value <= 1:
        raise ParameterError(parameter, value, allowed="a number from 0 to 1")
    return float(value)


def check_include(include) -> frozenset:
    """Which truth-table rows besides the positive ones the minimisation may use.

    Parameters
    ----------
    include : str or sequence of str
        ``''`` none (the conservative solution), ``'?'`` the remainders (parsimonious and, with
        directional expectations, intermediate), ``'C'`` the contradictions, or both (``'?, C'``).

    Returns
    -------
    frozenset of str

    Raises
    ------
    ParameterError
        For anything else.

    Examples
    --------
    >>> sorted(check_include("?, C")), sorted(check_include(""))
    (['?', 'C'], [])
    >>> check_include("remainders")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: include: 'remainders' is not allowed; allowed: '', '?', 'C', '?, C'
    """
    parts = split_names(include) if isinstance(include, str) else include
    try:
        chosen = frozenset(str(p).strip() for p in parts)
    except TypeError:
        chosen = None
    if chosen is None or not chosen <= {"?", "C"}:
        raise ParameterError("include", include, allowed=", ".join(repr(c) for c in INCLUDE_CHOICES))
    return chosen


def check_dir_exp(dir_exp, conditions) -> tuple[int, ...]:
    """Directional expectations, one per condition, as codes (0 none, 1 absent, 2 present).

    Parameters
    ----------
    dir_exp : sequence of str, or str separated by commas
        One entry per condition, in the order of the conditions: ``X`` (the condition's presence is
        expected to go with the outcome), ``~X`` (its absence) or ``-`` (no expectation).
    conditions : list of str

    Returns
    -------
    tuple of int

    Raises
    ------
    ParameterError
        For the wrong number of entries or an entry that is not the condition in its place.

    Examples
    --------
    >>> check_dir_exp("A, ~B, -", ["A", "B", "C"])
    (2, 1, 0)
    >>> check_dir_exp(["A"], ["A", "B"])
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: dir_exp: ['A'] has 1 entry for 2 conditions; allowed: one entry per \
condition, in their order: A or ~A or -, B or ~B or -
    """
    allowed = "one entry per condition, in their order: " + ", ".join(f"{c} or ~{c} or -" for c in conditions)
    entries = split_names(dir_exp) if isinstance(dir_exp, str) else list(dir_exp)
    if len(entries) != len(conditions):
        entries_text = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
        raise ParameterError("dir_exp", dir_exp, problem=f"has {entries_text} for {len(conditions)} conditions",
                             allowed=allowed)
    codes = []
    for entry, name in zip(entries, conditions):
        text = re.sub(r"\s+", "", str(entry))
        if text in ("-", ""):
            codes.append(ABSENT)
        elif text == name:
            codes.append(PRESENT)
        elif text == TILDE + name:
            codes.append(NEGATED)
        else:
            raise ParameterError("dir_exp", entry, problem=f"is not an expectation for {name}", allowed=allowed)
    return tuple(codes)
