"""The truth table of crisp- and fuzzy-set QCA, computed as R's QCA package computes it
(`truthTable`, QCA 3.23): one row per configuration of the conditions that some case belongs to
(membership above 0.5), with the number of such cases `n`, the sufficiency inclusion `incl`, the
proportional reduction in inconsistency `PRI`, the cases and the output value `OUT`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from .checks import (check_fraction, check_frame, check_incl_cut, check_n_cut, given_cuts, membership_matrix,
                     resolve_columns)

TOLERANCE = np.finfo(float).eps ** 0.5  # admisc's `admisc.tol`, used by R's comparisons
MAX_COMPLETE = 16  # conditions up to which a complete truth table (every configuration) is made
SOURCE = "qca"  # the key of a truth table's `attrs` that holds its `CaseData`
R_TEXT_TABLE = 7  # up to this many conditions R keeps incl and PRI as text (see `as_r_stores`)


@dataclass(frozen=True, eq=False)
class CaseData:
    """The cases behind a truth table: memberships in the conditions and the outcome, and the
    options the table was made with. A truth table keeps it in ``attrs["qca"]`` so that `minimize`
    can compute the fit of a solution from it.

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [1, 0], "Y": [1, 0]}, index=["x", "y"])
    >>> data = case_data(frame, "Y", ["A"])
    >>> data.cases, data.conditions, data.outcome, data.memberships.shape
    (('x', 'y'), ('A',), 'Y', (2, 1))
    """

    frame: pd.DataFrame
    outcome: str
    negated: bool
    conditions: tuple[str, ...]
    memberships: np.ndarray
    outcome_values: np.ndarray
    cases: tuple[str, ...]
    options: dict = field(default_factory=dict)

    def __deepcopy__(self, memo):  # immutable: pandas copies `attrs` deeply, this need not be
        return self

    @property
    def label(self) -> str:
        """The outcome as R writes it: ``~Y`` when negated."""
        return ("~" if self.negated else "") + self.outcome


def case_data(frame, outcome, conditions, *, negate_outcome: bool = False, **options) -> CaseData:
    """The checked memberships of `frame` in the conditions and the outcome.

    Parameters
    ----------
    frame : DataFrame
        One row per case (the index names the cases).
    outcome : str
        The outcome's column; ``~Y`` (or `negate_outcome`) for its negation.
    conditions : list of str, str or None
        The conditions' columns (None: every other column).
    negate_outcome : bool
        Analyse the negation of the outcome (as ``~Y``; both together negate twice).
    **options
        Kept with the data (the truth table's cut-offs).

    Returns
    -------
    CaseData

    Raises
    ------
    ParameterError
        For an empty frame, unknown columns, or memberships outside [0, 1].

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [1, 0], "Y": [1, 0.2]})
    >>> case_data(frame, "Y", "A", negate_outcome=True).outcome_values.tolist()
    [0.0, 0.8]
    """
    check_frame(frame)
    name, tilde, names = resolve_columns(frame, outcome, conditions)
    negated = bool(tilde) != bool(negate_outcome)
    memberships = membership_matrix(frame, names)
    y = membership_matrix(frame, [name])[:, 0]
    return CaseData(frame, name, negated, tuple(names), memberships, 1 - y if negated else y,
                    tuple(str(i) for i in frame.index), dict(options))


def configuration_memberships(memberships: np.ndarray, bits: np.ndarray) -> np.ndarray:
    """Each case's membership in each configuration: the least, over the conditions, of the
    membership in the condition (value 1) or in its negation (value 0).

    Parameters
    ----------
    memberships : ndarray, shape (cases, conditions)
    bits : ndarray of 0/1, shape (configurations, conditions)

    Returns
    -------
    ndarray, shape (configurations, cases)

    Examples
    --------
    >>> configuration_memberships(np.array([[0.8, 0.3]]), np.array([[1, 0], [1, 1]])).tolist()
    [[0.7], [0.3]]
    """
    out = np.ones((len(bits), len(memberships)))
    for j in range(memberships.shape[1]):
        np.minimum(out, np.where(bits[:, [j]] == 1, memberships[:, j], 1 - memberships[:, j]), out=out)
    return out


def bits_of(numbers: np.ndarray, k: int) -> np.ndarray:
    """Configurations from their numbers (R's row number minus one), the first condition the most
    significant digit.

    Returns
    -------
    ndarray of int, shape (len(numbers), k)

    Examples
    --------
    >>> bits_of(np.array([0, 5]), 3).tolist()
    [[0, 0, 0], [1, 0, 1]]
    """
    shifts = np.arange(k - 1, -1, -1)
    return (np.asarray(numbers, dtype=np.int64)[:, None] >> shifts) & 1


def running_sum(values: np.ndarray, axis: int = 0) -> np.ndarray:
    """Sums added one case after the other, as R's C code adds them (numpy's own sums add in
    pairs, which can differ in the last bit and so, rarely, in a printed third decimal).

    Returns
    -------
    ndarray
        `values` summed over `axis`.

    Examples
    --------
    >>> running_sum(np.array([[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]]), axis=1).tolist()
    [0.6000000000000001, 0.6]
    """
    values = np.asarray(values, dtype=float)
    if values.shape[axis] == 0:
        return values.sum(axis=axis)
    return np.take(np.cumsum(values, axis=axis), -1, axis=axis)


def _fit(m: np.ndarray, y: np.ndarray):
    """n, incl and PRI of configurations with memberships `m` (configurations x cases)."""
    both = np.minimum(m, y)
    prisum = running_sum(np.minimum(both, 1 - y), axis=1)
    sum_both, sum_m = running_sum(both, axis=1), running_sum(m, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        incl = sum_both / sum_m
        pri = (sum_both - prisum) / (sum_m - prisum)
    return (m > 0.5).sum(axis=1), incl, pri


def as_r_stores(values: np.ndarray) -> np.ndarray:
    """Values as R's truth table keeps them for up to seven conditions: as text with 15
    significant digits (the column also holds '-' for remainders), read back as numbers. They
    differ from the computed values by less than 1e-15, but the printed third decimal can differ
    when a value lies that close to a rounding boundary (0.58749999999999980 is kept as 0.5875).

    Returns
    -------
    ndarray of float

    Examples
    --------
    >>> as_r_stores(np.array([0.5874999999999998, np.nan])).tolist()
    [0.5875, nan]
    """
    return np.array([float(f"{v:.15g}") if np.isfinite(v) else v for v in np.asarray(values, dtype=float)])


def output_values(n, incl, pri, *, ic1: float, ic0: float, n_cut: int, pri_cut: float) -> np.ndarray:
    """OUT of each configuration by R's rules: '?' below `n_cut` cases; otherwise '1' when incl
    reaches ic1 and PRI reaches `pri_cut` (within R's tolerance), 'C' when incl is below ic1 but
    reaches ic0, else '0'.

    Returns
    -------
    ndarray of str

    Examples
    --------
    >>> output_values(np.array([2, 2, 2, 0]), np.array([0.9, 0.7, 0.5, 1.0]), np.array([0.8, 0.6, 0.2, 1.0]),
    ...               ic1=0.8, ic0=0.6, n_cut=1, pri_cut=0).tolist()
    ['1', 'C', '0', '?']
    """
    with np.errstate(invalid="ignore"):
        positive = (incl + TOLERANCE > ic1) & (pri + TOLERANCE > pri_cut)
        contradiction = (incl < ic1) & (incl + TOLERANCE > ic0)
    out = np.where(positive, "1", "0").astype(object)
    out[contradiction] = "C"
    out[np.asarray(n) < n_cut] = "?"
    return out


def truth_table(frame, outcome, conditions=None, *, incl_cut=1, n_cut: int = 1, pri_cut: float = 0,
                negate_outcome: bool = False, complete: bool = False) -> pd.DataFrame:
    """The truth table of `conditions` for `outcome`, as R's ``truthTable()`` makes it.

    A case belongs to the configuration in which its membership is above 0.5 (for crisp sets: the
    one it has); a case with a membership of exactly 0.5 in a condition belongs to none and is
    listed in none. Inclusion and PRI use every case's fuzzy membership; for up to seven
    conditions they are kept as R keeps them (`as_r_stores`).

    One difference from R 3.23 is deliberate: with two inclusion cut-offs and a configuration
    below `n_cut` (one with fewer cases, or whose only case has a membership of exactly 0.5), R
    marks the contradictions ('C') through a shorter index than its rows and so on the wrong rows;
    here each row gets the value R's rule gives it.

    Parameters
    ----------
    frame : DataFrame
        One row per case, its index naming the cases; set memberships from 0 to 1 (crisp sets: 0
        and 1).
    outcome : str
        The outcome's column; ``~Y`` for its negation, as in R.
    conditions : list of str or str, optional
        The conditions' columns, in the order the table shows them (default: every other column).
    incl_cut : float or (float, float)
        R's ``incl.cut``: OUT is '1' from this inclusion on; with two values (ic1, ic0), 'C' (a
        contradiction) from ic0 up to ic1.
    n_cut : int
        Configurations with fewer cases get OUT '?' (they count as remainders).
    pri_cut : float
        A configuration needs at least this PRI for OUT '1'.
    negate_outcome : bool
        Analyse the negation of the outcome (R's ``~Y``).
    complete : bool
        Also list every unobserved configuration (OUT '?', n 0, incl and PRI NaN), as R's
        ``complete = TRUE``; at most 16 conditions.

    Returns
    -------
    DataFrame
        Indexed by R's row number of the configuration (``row``), with one column per condition
        (0 or 1), ``OUT`` ('1', '0', 'C' or '?'), ``n``, ``incl``, ``PRI`` and ``cases`` (the case
        names, joined by commas). Without `complete`, the rows R prints: those with OUT other than
        '?'. ``attrs["qca"]`` keeps the cases (a `CaseData`), for `minimize`.

    Raises
    ------
    ParameterError
        For bad columns, memberships or cut-offs, or when no configuration has `n_cut` cases.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"A": [1, 1, 0, 0, 1], "B": [1, 0, 1, 0, 1], "Y": [1, 1, 0, 0, 0]},
    ...                      index=["p", "q", "r", "s", "t"])
    >>> truth_table(frame, "Y", ["A", "B"], incl_cut=0.5)
         A  B OUT  n  incl  PRI cases
    row
    1    0  0   0  1   0.0  0.0     s
    2    0  1   0  1   0.0  0.0     r
    3    1  0   1  1   1.0  1.0     q
    4    1  1   1  2   0.5  0.5   p,t
    """
    ic1, ic0 = check_incl_cut(incl_cut)
    given = given_cuts(incl_cut)
    n_cut = check_n_cut(n_cut)
    pri_cut = check_fraction(pri_cut, "pri_cut")
    data = case_data(frame, outcome, conditions, negate_outcome=negate_outcome,
                     incl_cut=given, n_cut=n_cut, pri_cut=pri_cut)
    k = len(data.conditions)
    if complete and k > MAX_COMPLETE:
        raise ParameterError("complete", True, problem=f"would list 2**{k} configurations",
                             allowed=f"complete=True for at most {MAX_COMPLETE} conditions")
    x = data.memberships
    numbers = ((x > 0.5).astype(np.int64) * (1 << np.arange(k - 1, -1, -1, dtype=np.int64))).sum(axis=1)
    observed = np.unique(numbers)
    n, incl, pri = _fit(configuration_memberships(x, bits_of(observed, k)), data.outcome_values)
    if not (n >= n_cut).any():
        raise ParameterError("n_cut", n_cut, problem="leaves no configuration with enough cases",
                             allowed=f"at most {int(n.max())}, the most cases of one configuration")
    out = output_values(n, incl, pri, ic1=ic1, ic0=ic0, n_cut=n_cut, pri_cut=pri_cut)
    if k <= R_TEXT_TABLE:
        incl, pri = as_r_stores(incl), as_r_stores(pri)
    half = (np.abs(x - 0.5) < TOLERANCE).any(axis=1)
    names = np.array(data.cases, dtype=object)
    cases = [",".join(names[(numbers == c) & ~half]) for c in observed]
    table = pd.DataFrame(bits_of(observed, k), columns=list(data.conditions))
    table["OUT"], table["n"], table["incl"], table["PRI"], table["cases"] = out, n, incl, pri, cases
    table.index = pd.Index(observed + 1, name="row")
    if complete:
        table = _completed(table, k)
    else:
        table = table[table["OUT"] != "?"]
    table = table.astype({"OUT": object, "cases": object})
    table.attrs[SOURCE] = data
    return table


def _completed(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """`table` with a row for every configuration not in it (OUT '?', n 0, no incl or PRI)."""
    rows = pd.Index(np.arange(1, 2 ** k + 1), name="row")
    full = pd.DataFrame(bits_of(rows.to_numpy() - 1, k), columns=list(table.columns[:k]), index=rows)
    full["OUT"], full["n"], full["incl"], full["PRI"], full["cases"] = "?", 0, np.nan, np.nan, ""
    full.loc[table.index] = table
    return full.astype({"n": int, "incl": float, "PRI": float})


def source_of(table) -> CaseData | None:
    """The `CaseData` a truth table was made from, or None for any other frame.

    Returns
    -------
    CaseData or None

    Examples
    --------
    >>> frame = pd.DataFrame({"A": [1, 0], "Y": [1, 0]})
    >>> source_of(truth_table(frame, "Y")).conditions, source_of(frame)
    (('A',), None)
    """
    source = getattr(table, "attrs", {}).get(SOURCE)
    return source if isinstance(source, CaseData) else None
