"""Adjusting p-values for testing several hypotheses: Holm and Benjamini-Hochberg."""

from __future__ import annotations

import numpy as np

from ..errors import ParameterError

ADJUST_METHODS = ("holm", "bh")


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Adjust p-values for testing several hypotheses.

    Parameters
    ----------
    p : array-like of float
        p-values; NaN entries (tests not done) are left NaN and do not count as hypotheses.
    method : {"holm", "bh"}
        Holm's step-down (family-wise error rate) or Benjamini-Hochberg (false discovery rate).

    Returns
    -------
    ndarray of adjusted p-values, same order as `p`, each at most 1.

    Examples
    --------
    >>> from commissioning.analysis.multiple_testing import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="holm").round(2).tolist()
    [0.03, 0.06, 0.06]
    >>> adjust_pvalues([0.01, 0.04, 0.03], method="bh").round(2).tolist()
    [0.03, 0.04, 0.04]
    """
    if method not in ADJUST_METHODS:
        raise ParameterError("method", method, allowed=ADJUST_METHODS)
    arr = np.asarray(p, dtype=float)
    if arr.ndim != 1:
        raise ParameterError("p", problem="is not valid", allowed="a one-dimensional sequence of p-values")
    ok = ~np.isnan(arr)
    if np.any((arr[ok] < 0) | (arr[ok] > 1)):
        raise ParameterError("p", problem=f"{arr[ok][(arr[ok] < 0) | (arr[ok] > 1)].tolist()} outside [0, 1]", allowed="p-values")
    out = np.full_like(arr, np.nan)
    vals = arr[ok]
    m = len(vals)
    if m == 0:
        return out
    order = np.argsort(vals, kind="stable")
    sorted_p = vals[order]
    if method == "holm":
        adj = np.maximum.accumulate((m - np.arange(m)) * sorted_p)
    else:
        adj = np.minimum.accumulate((m / np.arange(m, 0, -1)) * sorted_p[::-1])[::-1]
    adj = np.minimum(adj, 1.0)
    res = np.empty(m)
    res[order] = adj
    out[ok] = res
    return out

