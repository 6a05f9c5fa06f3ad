"""Effect sizes of contingency tables: Cramér's V and its bias-corrected form.

Also the table helpers the tests of association share: a checked table of counts
(`count_array`), the table without empty rows and columns (`trim_empty`) and Pearson's chi-square
statistic (`_chi2`).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import ParameterError


def count_array(table) -> np.ndarray:
    """`table` as a two-dimensional float array of counts; a ParameterError for anything else."""
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2:
        raise ParameterError("table", problem=f"{arr.ndim}-dimensional", allowed="a two-dimensional table of counts")
    if np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise ParameterError("table", problem="has negative or fractional entries", allowed="counts (whole numbers >= 0)")
    return arr


def trim_empty(arr: np.ndarray) -> np.ndarray:
    """Drop rows and columns without any count (they carry no information)."""
    return arr[arr.sum(axis=1) > 0][:, arr.sum(axis=0) > 0]


def _chi2(arr: np.ndarray) -> float:
    n = arr.sum()
    expected = np.outer(arr.sum(axis=1), arr.sum(axis=0)) / n
    return float(((arr - expected) ** 2 / expected).sum())


def cramers_v(table) -> float:
    """Cramér's V of a contingency table (no continuity correction).

    Empty rows and columns are dropped first; a table left with one row or one column has no
    association to measure and gives 0.0 when it counts anything, NaN when it is empty.

    Parameters
    ----------
    table : array-like or DataFrame of counts, r x c

    Returns
    -------
    float between 0 and 1

    Examples
    --------
    >>> from commissioning.analysis.effect_size import cramers_v
    >>> round(cramers_v([[10, 0], [0, 10]]), 3), round(cramers_v([[5, 5], [5, 5]]), 3)
    (1.0, 0.0)
    """
    arr = trim_empty(count_array(table))
    if arr.size == 0:
        return float("nan")
    if min(arr.shape) < 2:
        return 0.0
    return math.sqrt(_chi2(arr) / (arr.sum() * (min(arr.shape) - 1)))


def cramers_v_corrected(table) -> float:
    """Cramér's V corrected for bias (Bergsma 2013), which an uncorrected V overstates in small
    tables: phi-squared is reduced by what independence gives on average, and the table's
    dimensions are shrunk accordingly.

    V~ = sqrt(max(0, phi2 - (k - 1)(r - 1) / (n - 1)) / min(k~ - 1, r~ - 1)), with
    r~ = r - (r - 1)^2 / (n - 1) and k~ = k - (k - 1)^2 / (n - 1).

    Parameters
    ----------
    table : array-like or DataFrame of counts, r x c

    Returns
    -------
    float between 0 and 1 (NaN for an empty table or one of fewer than two units)

    Examples
    --------
    >>> from commissioning.analysis.effect_size import cramers_v, cramers_v_corrected
    >>> t = [[3, 1, 1], [1, 3, 1], [1, 1, 3], [2, 2, 1]]
    >>> round(cramers_v(t), 3), round(cramers_v_corrected(t), 3)
    (0.359, 0.0)
    """
    arr = trim_empty(count_array(table))
    n = arr.sum() if arr.size else 0
    if arr.size == 0 or n < 2:
        return float("nan")
    r, k = arr.shape
    if min(r, k) < 2:
        return 0.0
    phi2 = _chi2(arr) / n
    phi2_corr = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_corr = r - (r - 1) ** 2 / (n - 1)
    k_corr = k - (k - 1) ** 2 / (n - 1)
    denom = min(k_corr - 1, r_corr - 1)
    return math.sqrt(phi2_corr / denom) if denom > 0 else float("nan")

