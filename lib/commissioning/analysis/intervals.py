"""Wilson score intervals for proportions, on their own or added to a table of counts.

With 18 municipalities every share rests on few units; the Wilson interval keeps its coverage
for small counts and for shares near 0 or 1, where the normal approximation does not.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st

from ..errors import ParameterError


def wilson_interval(k, n, *, level: float = 0.95):
    """Wilson score interval for a proportion k / n.

    Parameters
    ----------
    k, n : int or array-like of int
        Successes and trials (0 <= k <= n). With n == 0 the interval is (NaN, NaN).
    level : float
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    (low, high) : tuple of floats, or of arrays when `k` or `n` is an array.

    Raises
    ------
    ParameterError
        For a level outside (0, 1), a negative count or k > n.

    Examples
    --------
    >>> from commissioning.analysis.intervals import wilson_interval
    >>> low, high = wilson_interval(3, 10)
    >>> round(low, 4), round(high, 4)
    (0.1078, 0.6032)
    """
    if not 0 < level < 1:
        raise ParameterError("level", level, allowed="a number strictly between 0 and 1")
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    if np.any(k_arr < 0) or np.any(n_arr < 0) or np.any(k_arr > n_arr):
        raise ParameterError("k, n", problem=f"({k!r}, {n!r}) is not allowed", allowed="counts with 0 <= k <= n")
    z = _st.norm.ppf(0.5 + level / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k_arr / n_arr
        denom = 1 + z**2 / n_arr
        centre = (p + z**2 / (2 * n_arr)) / denom
        half = z * np.sqrt(p * (1 - p) / n_arr + z**2 / (4 * n_arr**2)) / denom
        low = np.where(n_arr > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(n_arr > 0, np.clip(centre + half, 0, 1), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def add_wilson(table: pd.DataFrame, *, k: str = "n", n: str = "n_total", level: float = 0.95) -> pd.DataFrame:
    """A copy of `table` with Wilson intervals of k / n in columns `ci_low` and `ci_high`.

    Parameters
    ----------
    table : DataFrame
        For example the output of `commissioning.crosstab` or `commissioning.activity_shares`.
    k, n : str
        Columns holding the counts.
    level : float

    Returns
    -------
    DataFrame with the columns of `table` plus `ci_low` and `ci_high` (NaN where n is 0).

    Examples
    --------
    >>> import commissioning as cm
    >>> tab = cm.add_wilson(cm.crosstab(cm.load_study(), "segment.public_space.investment", by=None))
    >>> tab[["code", "n", "n_total", "ci_low", "ci_high"]].round(3).values.tolist()[0]
    ['commissioner', 18, 18, 0.824, 1.0]
    """
    for col in (k, n):
        if col not in table.columns:
            raise ParameterError("column", col, problem="is not in the table", allowed=list(map(str, table.columns)))
    low, high = wilson_interval(table[k].to_numpy(), table[n].to_numpy(), level=level)
    return table.assign(ci_low=np.atleast_1d(low), ci_high=np.atleast_1d(high))

