"""Parameters of fit, as R's QCA package computes them (``pof``, its C routine ``C_pof``).

Sufficiency of a set X for the outcome Y (memberships x and y per case):
``inclS = sum(min(x, y)) / sum(x)``, ``covS = sum(min(x, y)) / sum(y)``,
``PRI = (sum(min(x, y)) - sum(min(x, y, 1 - y))) / (sum(x) - sum(min(x, y, 1 - y)))``, and for a
term of a solution its unique coverage ``covU``: covS less what the other terms also cover,
``covS - sum(min(min(x, y), max over the other terms of min(x', y))) / sum(y)``.

Necessity: ``inclN = sum(min(x, y)) / sum(y)``, ``covN = sum(min(x, y)) / sum(x)`` and the
relevance of necessity ``RoN = sum(1 - x) / sum(1 - min(x, y))``.

As R does, values below 0.00001 are set to 0 (below 0.0001 for the fit of each of several models).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .checks import check_frame, membership_matrix, resolve_outcome, split_names
from .notation import ABSENT, NEGATED, TILDE, parse_sum
from .truthtable import running_sum

ZERO = 0.00001  # R sets smaller values of fit to 0 ...
ZERO_MODEL = 0.0001  # ... and these for each of several models


def term_memberships(memberships: np.ndarray, codes) -> np.ndarray:
    """Each case's membership in each term: the least membership over its literals (the
    condition's for ``X``, one minus it for ``~X``).

    Parameters
    ----------
    memberships : ndarray, shape (cases, conditions)
    codes : sequence of tuple of int
        Terms (0 absent, 1 negated, 2 present per condition).

    Returns
    -------
    ndarray, shape (cases, terms)

    Examples
    --------
    >>> term_memberships(np.array([[0.8, 0.3], [0.2, 0.9]]), [(2, 1), (0, 2)]).round(2).tolist()
    [[0.7, 0.3], [0.1, 0.9]]
    """
    out = np.ones((len(memberships), len(codes)))
    for t, code in enumerate(codes):
        for j, c in enumerate(code):
            if c != ABSENT:
                np.minimum(out[:, t], 1 - memberships[:, j] if c == NEGATED else memberships[:, j], out=out[:, t])
    return out


def sufficiency(pims: np.ndarray, y: np.ndarray, *, zero: float = ZERO) -> tuple[np.ndarray, np.ndarray]:
    """Fit of terms and of their union as sufficient for the outcome.

    Parameters
    ----------
    pims : ndarray, shape (cases, terms)
        Memberships in the terms.
    y : ndarray, shape (cases,)
        Memberships in the outcome.
    zero : float
        Values below this are set to 0.

    Returns
    -------
    (terms, union) : ndarray of shape (terms, 4), ndarray of shape (3,)
        Per term inclS, PRI, covS, covU (covU NaN when there is one term); for the union (the
        solution) inclS, PRI, covS.

    Examples
    --------
    >>> terms, union = sufficiency(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([1.0, 1.0, 0.0]))
    >>> terms.round(3).tolist(), union.round(3).tolist()
    ([[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5]], [0.667, 0.667, 1.0])
    """
    x = np.column_stack([pims, pims.max(axis=1) if pims.shape[1] else np.zeros(len(y))])
    both = np.minimum(x, y[:, None])
    sum_y = running_sum(y)
    sum_x, sum_both = running_sum(x), running_sum(both)
    prisum = running_sum(np.minimum(both, (1 - y)[:, None]))
    m = pims.shape[1]
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = sum_both / sum_x
        pri = (sum_both - prisum) / (sum_x - prisum)
        cov = sum_both / sum_y
        unique = np.full(m, np.nan)
        for c in range(m):
            others = np.delete(both[:, :m], c, axis=1)
            most = others.max(axis=1) if others.shape[1] else np.zeros(len(y))
            unique[c] = cov[c] - running_sum(np.minimum(both[:, c], most)) / sum_y
    table = np.column_stack([incl, pri, cov, np.append(unique, np.nan)])
    with np.errstate(invalid="ignore"):
        table[table < zero] = 0
    if m == 1:
        table[0, 3] = np.nan
    return table[:m], table[m, :3]


def _expression(frame: pd.DataFrame, text: str, columns) -> np.ndarray:
    """Memberships of the cases in a sum of terms written in R's notation."""
    codes = parse_sum(text, columns, parameter="conditions")
    used = [columns[j] for j in range(len(columns)) if any(code[j] != ABSENT for code in codes)]
    x = membership_matrix(frame, used)
    keep = [j for j in range(len(columns)) if columns[j] in used]
    return term_memberships(x, [tuple(code[j] for j in keep) for code in codes]).max(axis=1)


def necessity(frame, outcome, conditions=None, *, negate_outcome: bool = False) -> pd.DataFrame:
    """How far each condition (or expression) is necessary for the outcome, as R's
    ``pof(..., relation = "necessity")``.

    Parameters
    ----------
    frame : DataFrame
        One row per case; set memberships from 0 to 1.
    outcome : str
        The outcome's column; ``~Y`` for its negation.
    conditions : list of str or str, optional
        Expressions in R's notation, each a condition (``DEV``), its negation (``~DEV``), a term
        (``DEV*STB``) or a sum (``DEV + ~URB``, as a necessary disjunction); default every other
        column followed by its negation.
    negate_outcome : bool
        Analyse the negation of the outcome (as ``~Y``).

    Returns
    -------
    DataFrame
        One row per expression: ``condition`` (as written), ``inclN``, ``RoN``, ``covN``.

    Raises
    ------
    ParameterError
        For unknown columns or memberships outside [0, 1].

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"A": [1, 1, 0, 1], "B": [0, 1, 1, 0], "Y": [1, 1, 0, 0]})
    >>> necessity(frame, "Y").round(3)
      condition  inclN    RoN   covN
    0         A    1.0  0.500  0.667
    1        ~A    0.0  0.750  0.000
    2         B    0.5  0.667  0.500
    3        ~B    0.5  0.667  0.500
    >>> necessity(frame, "Y", ["A + B"]).round(3)
      condition  inclN  RoN  covN
    0     A + B    1.0  0.0   0.5
    """
    check_frame(frame)
    name, tilde = resolve_outcome(frame, outcome)
    columns = [str(c) for c in frame.columns if str(c) != name]
    if conditions is None:
        expressions = [e for c in columns for e in (c, TILDE + c)]
    else:
        expressions = split_names(conditions)
    y = membership_matrix(frame, [name])[:, 0]
    if bool(tilde) != bool(negate_outcome):
        y = 1 - y
    rows = []
    for text in expressions:
        x = _expression(frame, str(text), columns)
        both = np.minimum(x, y)
        with np.errstate(invalid="ignore", divide="ignore"):
            values = np.array([running_sum(both) / running_sum(y), running_sum(1 - x) / running_sum(1 - both),
                               running_sum(both) / running_sum(x)])
        values[values < ZERO] = 0
        rows.append({"condition": str(text), "inclN": values[0], "RoN": values[1], "covN": values[2]})
    return pd.DataFrame(rows, columns=["condition", "inclN", "RoN", "covN"])
