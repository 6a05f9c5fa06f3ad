"""Statistics for small samples: intervals, effect sizes, exact and permutation tests, corrections.

With 18 municipalities every cell of a table is small, so the tests here do not lean on
large-sample approximations: a 2 x 2 table gets Fisher's exact test and any larger table a
Monte Carlo permutation test of the chi-square statistic (labels permuted over units, margins
fixed, seeded so that a report is reproducible).

Resampling (permutation tests, the bootstrap, fragmentation's permutations) makes and counts its
draws in batches of about CHUNK_ELEMENTS units, so that memory stays bounded with 10,000
interviews; each batch continues the same random stream, so results equal those of one draw of
every resample at once.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as _st

from ..core.memo import memoize
from ..errors import ParameterError

ADJUST_METHODS = ("holm", "bh")
MIN_UNITS = 4  # fewer units than this: a test of association is not attempted
DEFAULT_SEED = 2018
DEFAULT_RESAMPLES = 9999
# Resampling works through its draws in batches of about this many elements (16 MB per int64
# array), so that memory does not grow with resamples x units; results do not depend on it.
CHUNK_ELEMENTS = 2**21
TEST_COLUMNS = ["variable", "label", "test", "n_units", "n_groups", "n_codes", "statistic", "p_value",
                "cramers_v", "cramers_v_corrected", "exact", "n_resamples", "status", "note"]


# --- intervals ---------------------------------------------------------------------------------

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
    >>> from commissioning.analysis.stats import wilson_interval
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


# --- effect size -------------------------------------------------------------------------------

def _as_table(table) -> np.ndarray:
    arr = np.asarray(table, dtype=float)
    if arr.ndim != 2:
        raise ParameterError("table", problem=f"{arr.ndim}-dimensional", allowed="a two-dimensional table of counts")
    if np.any(arr < 0) or np.any(arr != np.round(arr)):
        raise ParameterError("table", problem="has negative or fractional entries", allowed="counts (whole numbers >= 0)")
    return arr


def _trim(arr: np.ndarray) -> np.ndarray:
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
    >>> from commissioning.analysis.stats import cramers_v
    >>> round(cramers_v([[10, 0], [0, 10]]), 3), round(cramers_v([[5, 5], [5, 5]]), 3)
    (1.0, 0.0)
    """
    arr = _trim(_as_table(table))
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
    >>> from commissioning.analysis.stats import cramers_v, cramers_v_corrected
    >>> t = [[3, 1, 1], [1, 3, 1], [1, 1, 3], [2, 2, 1]]
    >>> round(cramers_v(t), 3), round(cramers_v_corrected(t), 3)
    (0.359, 0.0)
    """
    arr = _trim(_as_table(table))
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


# --- tests of association ------------------------------------------------------------------------

def _labels(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column labels of every unit counted in `arr`."""
    rows, cols = [], []
    for i in range(arr.shape[0]):
        for j in range(arr.shape[1]):
            rows += [i] * int(arr[i, j])
            cols += [j] * int(arr[i, j])
    return np.array(rows), np.array(cols)


def _smallest_int(values: np.ndarray) -> np.ndarray:
    """`values` (integers) in the narrowest integer dtype that holds them: a random permutation
    draws the same whatever the dtype, and moves one byte per unit faster than eight."""
    if values.size == 0:
        return values.astype(np.int8)
    low, high = int(values.min()), int(values.max())
    for dtype in (np.int8, np.int16, np.int32):
        info = np.iinfo(dtype)
        if info.min <= low and high <= info.max:
            return values.astype(dtype)
    return values.astype(np.int64)


def _permutation_p(arr: np.ndarray, n_resamples: int, seed: int) -> tuple[float, float, bool]:
    """Pearson's chi-square of `arr` and its Monte Carlo p-value with column labels permuted over
    the units: `scipy.stats.permutation_test` with ``permutation_type="pairings"``, the same
    permutations from the same seed, made and counted a batch at a time."""
    rows, cols = _labels(arr)
    r, c = arr.shape
    n = len(rows)
    row_sum = arr.sum(axis=1)
    col_sum = arr.sum(axis=0)
    expected = np.outer(row_sum, col_sum) / arr.sum()
    cells = rows * c  # the cell of a unit is row * c + its (permuted) column label

    def statistic(x, axis=-1):
        # x: column labels, permuted over units (pairings with the fixed row labels), shape (..., n)
        x = np.asarray(x)
        lead = x.shape[:-1]
        flat = x.reshape(-1, n).astype(np.intp)
        m = flat.shape[0]
        flat += cells
        flat += (np.arange(m, dtype=np.intp) * (r * c))[:, None]
        counts = np.bincount(flat.ravel(), minlength=m * r * c).reshape(*lead, r, c).astype(float)
        return ((counts - expected) ** 2 / expected).sum(axis=(-2, -1))

    rng = np.random.default_rng(seed)
    if n < 25 and math.factorial(n) <= n_resamples:  # few units: scipy enumerates every permutation
        res = _st.permutation_test((cols,), statistic, permutation_type="pairings", n_resamples=n_resamples,
                                   alternative="greater", vectorized=True, rng=rng)
        return float(res.statistic), float(res.pvalue), True
    # As scipy does: permutation k is row k of rng.permuted(np.tile(arange(n), (n_resamples, 1)), axis=1),
    # applied to the column labels; permuting the labels themselves moves the same units.
    observed = statistic(cols)
    labels = _smallest_int(cols)
    batch = max(1, min(int(n_resamples), CHUNK_ELEMENTS // max(n, 1)))
    tiled = np.tile(labels, (batch, 1))
    null = np.empty(int(n_resamples))
    for first in range(0, int(n_resamples), batch):
        size = min(batch, int(n_resamples) - first)
        null[first:first + size] = statistic(rng.permuted(tiled[:size], axis=1))
    # scipy's p-value: values within a relative 100 eps of the observed one count as equal to it
    gamma = np.abs(np.finfo(np.float64).eps * 100 * observed)
    count = np.count_nonzero(null >= observed - gamma) + 1
    p_value = min(max(count / (int(n_resamples) + 1), 0.0), 1.0)
    return float(observed), float(p_value), False


def _test_table(arr: np.ndarray, *, n_resamples: int, seed: int, min_units: int) -> dict:
    """Test one table; returns the TEST_COLUMNS fields other than variable and label."""
    full_groups = int((arr.sum(axis=1) > 0).sum())
    trimmed = _trim(arr)
    n = int(arr.sum())
    out = {"test": "", "n_units": n, "n_groups": full_groups, "n_codes": int(trimmed.shape[1]) if trimmed.size else 0,
           "statistic": float("nan"), "p_value": float("nan"), "cramers_v": float("nan"),
           "cramers_v_corrected": float("nan"), "exact": False, "n_resamples": 0,
           "status": "insufficient data", "note": ""}
    if full_groups < 2:
        out["note"] = f"fewer than 2 groups with data ({full_groups}); nothing to compare"
        return out
    if n < min_units:
        out["note"] = f"fewer than {min_units} units ({n}); too few for a test"
        return out
    out["status"] = "tested"
    out["cramers_v"] = cramers_v(trimmed)
    out["cramers_v_corrected"] = cramers_v_corrected(trimmed)
    if trimmed.shape[1] < 2:
        out.update(test="none needed", statistic=0.0, p_value=1.0,
                   note="every unit has the same code")
        return out
    if trimmed.shape == (2, 2):
        res = _st.fisher_exact(trimmed)
        out.update(test="Fisher exact", statistic=float(res.statistic), p_value=float(res.pvalue), exact=True,
                   note="two-sided; statistic is the odds ratio")
        return out
    stat, p, exact = _permutation_p(trimmed, n_resamples, seed)
    out.update(test="permutation chi-square", statistic=stat, p_value=p, exact=exact,
               n_resamples=0 if exact else int(n_resamples),
               note="exact: every permutation counted" if exact else f"Monte Carlo, {n_resamples} resamples, seed {seed}")
    return out


def association_test(data, variable: str | None = None, *, by: str = "size_class", unit: str = "municipality",
                     n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                     min_units: int = MIN_UNITS) -> pd.DataFrame:
    """A test of association valid for small tables, with Cramér's V.

    A 2 x 2 table (after dropping empty rows and columns) gets Fisher's exact test (two-sided);
    a larger one a Monte Carlo permutation test of Pearson's chi-square statistic: the codes are
    permuted over the units, which keeps both margins fixed, and the p-value is
    (1 + resamples at least as extreme) / (1 + n_resamples). A table with fewer than two groups
    with data, or fewer than `min_units` units, is not tested: its row says "insufficient data".

    Parameters
    ----------
    data : Study, or array-like / DataFrame of counts (groups x codes)
        A study (then `variable` is required) or a contingency table.
    variable : str, optional
        With a study: the variable to test against `by`.
    by : {"size_class", "region"}
        With a study: the grouping attribute.
    unit : {"municipality", "interview"}
        With a study: the unit counted (see `commissioning.crosstab`). At interview level the
        interviews of one municipality are permuted as if independent, which makes p-values
        somewhat optimistic.
    n_resamples : int
        Resamples of the permutation test.
    seed : int
        Seed of the permutation test (the same seed gives the same p-value).
    min_units : int
        Fewer units than this: "insufficient data".

    Returns
    -------
    DataFrame with one row and columns `variable` (None for a table), `label`, `test`
    ("Fisher exact", "permutation chi-square", "none needed" or ""), `n_units`, `n_groups`
    (groups with data), `n_codes` (codes observed), `statistic` (odds ratio for Fisher,
    chi-square otherwise), `p_value`, `cramers_v`, `status` ("tested" or "insufficient data")
    and `note`.

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.association_test([[8, 2], [1, 9]])[["test", "p_value"]].round(4).values.tolist()
    [['Fisher exact', 0.0055]]
    >>> res = cm.association_test(cm.load_study(), "sourcing.design")
    >>> res[["test", "n_units", "n_groups", "status"]].values.tolist()
    [['permutation chi-square', 18, 4, 'tested']]
    """
    if n_resamples < 1:
        raise ParameterError("n_resamples", n_resamples, allowed="a whole number >= 1")
    if _is_study(data):
        if variable is None:
            raise ParameterError("variable", problem="missing", allowed="a variable id of the codebook when data is a study")
        return association_tests(data, [variable], by=by, unit=unit, method=None, n_resamples=n_resamples,
                                 seed=seed, min_units=min_units)[TEST_COLUMNS]
    arr = _as_table(data)
    row = {"variable": variable, "label": None,
           **_test_table(arr, n_resamples=n_resamples, seed=seed, min_units=min_units)}
    return pd.DataFrame([row], columns=TEST_COLUMNS)


def _is_study(data) -> bool:
    return hasattr(data, "codings") and hasattr(data, "codebook")


def contingency(study, variable: str, *, by: str = "size_class", unit: str = "municipality") -> pd.DataFrame:
    """The groups x codes count table of one variable (wide, for tests).

    Returns
    -------
    DataFrame indexed by the codes of `by` present in the study, one column per code of the
    variable (codebook order), counts of units.

    Examples
    --------
    >>> import commissioning as cm
    >>> table = cm.contingency(cm.load_study(), "segment.public_space.investment", by="region")
    >>> table.index.tolist(), table.columns.tolist()
    (['Noord', 'West', 'Zuid'], ['commissioner', 'occasional', 'facilitator', 'not_active'])
    >>> table.values.tolist()
    [[6, 0, 0, 0], [6, 0, 0, 0], [6, 0, 0, 0]]
    """
    from .tabulate import crosstab

    if by is None:
        raise ParameterError("by", problem="None is not allowed for a contingency table", allowed="size_class, region")
    tab = crosstab(study, variable, by=by, unit=unit)
    wide = tab.pivot(index=by, columns="code", values="n")
    return wide.loc[pd.unique(tab[by]), pd.unique(tab["code"])].rename_axis(index=by, columns=None)


def association_tests(study, variables=None, *, by: str = "size_class", unit: str = "municipality",
                      method: str | None = "holm", n_resamples: int = DEFAULT_RESAMPLES,
                      seed: int = DEFAULT_SEED, min_units: int = MIN_UNITS, lang: str = "en") -> pd.DataFrame:
    """`association_test` for several variables, with p-values adjusted across them.

    Parameters
    ----------
    study : Study
    variables : list of str, optional
        Default: the activities (`commissioning.activity_variables`).
    by, unit, n_resamples, seed, min_units
        As in `association_test`.
    method : {"holm", "bh"} or None
        Correction across the variables that were tested (see `adjust_pvalues`).
    lang : {"en", "nl"}
        Language of `label`.

    Returns
    -------
    DataFrame with the columns of `association_test` plus `p_adjusted` (NaN for rows not
    tested), one row per variable in the order given.

    Examples
    --------
    >>> import commissioning as cm
    >>> tests = cm.association_tests(cm.load_study(), n_resamples=999)
    >>> len(tests), bool((tests.p_adjusted >= tests.p_value).all())
    (12, True)
    """
    from ..core.checks import check_lang
    from .tabulate import activity_variables

    check_lang(lang)
    if method is not None and method not in ADJUST_METHODS:
        raise ParameterError("method", method, allowed=ADJUST_METHODS)
    variables = activity_variables(study) if variables is None else list(variables)
    rows = _association_rows(study, variables, by=by, unit=unit, n_resamples=n_resamples, seed=seed,
                             min_units=min_units)
    out = pd.DataFrame([{"variable": v, "label": study.codebook.label(v, lang), **row}
                        for v, row in zip(variables, rows)], columns=TEST_COLUMNS)
    out["p_adjusted"] = adjust_pvalues(out["p_value"].to_numpy(), method=method) if method else out["p_value"]
    return out


@memoize
def _association_rows(study, variables, *, by, unit, n_resamples, seed, min_units) -> list[dict]:
    """The tests of `association_tests` without labels (the same in every language), one dict per variable."""
    return [_test_table(contingency(study, v, by=by, unit=unit).to_numpy(dtype=float), n_resamples=n_resamples,
                        seed=seed, min_units=min_units) for v in variables]


# --- resampling in bounded memory -----------------------------------------------------------------

def differ_counts(codes, groups, n_permutations: int, rng: np.random.Generator) -> np.ndarray:
    """How many groups hold more than one code, in each of `n_permutations` random permutations.

    The codes are shuffled over all units (a permutation: every group keeps its size), as
    ``rng.permuted(np.tile(codes, (n_permutations, 1)), axis=1)`` does, row after row; the same
    generator state gives the same permutations. The permutations are made and counted in
    batches, so memory stays bounded whatever the number of units and permutations.

    Parameters
    ----------
    codes : 1-d array-like of int
        The code of every unit, as an integer.
    groups : sequence of 1-d arrays of int
        For each group, the positions in `codes` of its units (see `group_positions`); units
        in no group are shuffled along but not counted. A group of fewer than two units never
        differs.
    n_permutations : int
        At least 1.
    rng : numpy.random.Generator
        Advanced exactly as by the one call above.

    Returns
    -------
    ndarray of float, shape (n_permutations,): per permutation the number of groups whose units
    do not all have the same code.

    Examples
    --------
    >>> import numpy as np
    >>> from commissioning.analysis.stats import differ_counts
    >>> codes = np.array([0, 0, 1, 1, 2, 2])
    >>> groups = [np.array([0, 1]), np.array([2, 3]), np.array([4, 5])]
    >>> counts = differ_counts(codes, groups, 1000, np.random.default_rng(1))
    >>> counts.shape, float(counts.min()), float(counts.max())
    ((1000,), 0.0, 3.0)
    >>> reference = np.random.default_rng(1).permuted(np.tile(codes, (1000, 1)), axis=1)
    >>> same = [(reference[:, g] != reference[:, g[:1]]).any(axis=1) for g in groups]
    >>> bool((counts == np.sum(same, axis=0)).all())
    True
    """
    codes = np.asarray(codes)
    if codes.ndim != 1 or not np.issubdtype(codes.dtype, np.integer):
        raise ParameterError("codes", problem="is not valid", allowed="a one-dimensional array of integer codes")
    if not isinstance(n_permutations, (int, np.integer)) or n_permutations < 1:
        raise ParameterError("n_permutations", n_permutations, allowed="a whole number >= 1")
    n, total = codes.size, int(n_permutations)
    counted = [np.asarray(g, dtype=np.intp) for g in groups if len(g) > 1]
    if any(g.min() < 0 or g.max() >= n for g in counted):
        raise ParameterError("groups", problem=f"positions outside 0..{n - 1}", allowed="positions in codes")
    out = np.zeros(total)
    # groups of one size side by side: a (groups, size) table of positions per size
    sizes = np.array([len(g) for g in counted], dtype=np.intp)
    blocks = [np.concatenate([counted[i] for i in np.flatnonzero(sizes == size)]).reshape(-1, size)
              for size in np.unique(sizes)]
    batch = max(1, min(total, CHUNK_ELEMENTS // max(n, 1)))
    tiled = np.tile(_smallest_int(codes), (batch, 1))
    for first in range(0, total, batch):
        size = min(batch, total - first)
        shuffled = rng.permuted(tiled[:size], axis=1)
        for block in blocks:
            values = shuffled[:, block]  # (permutations, groups, units of a group)
            differs = values[:, :, 1] != values[:, :, 0]
            for unit in range(2, block.shape[1]):  # a group differs when a unit differs from its first
                differs |= values[:, :, unit] != values[:, :, 0]
            out[first:first + size] += differs.sum(axis=1)
    return out


def group_positions(labels, groups) -> list[np.ndarray]:
    """For each of `groups`, the positions (ascending) at which `labels` holds it.

    Parameters
    ----------
    labels : 1-d array-like
        A label per unit (e.g. its municipality).
    groups : 1-d array-like of distinct labels

    Returns
    -------
    list of 1-d int arrays, one per group in the order given (empty for a label not present);
    the same as ``[np.flatnonzero(labels == g) for g in groups]`` in one pass.

    Examples
    --------
    >>> from commissioning.analysis.stats import group_positions
    >>> [p.tolist() for p in group_positions(["a", "b", "a", "c", "b"], ["b", "a", "d"])]
    [[1, 4], [0, 2], []]
    """
    index = pd.Index(groups)
    if not index.is_unique:
        raise ParameterError("groups", problem="labels repeat", allowed="distinct labels")
    which = index.get_indexer(pd.Index(labels))  # -1: in no group
    order = np.argsort(which, kind="stable")
    bounds = np.searchsorted(which[order], np.arange(len(index) + 1))
    return [order[bounds[i]:bounds[i + 1]] for i in range(len(index))]


def bootstrap_counts(per_unit, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """Totals of `per_unit` over bootstrap resamples of the units, in bounded memory.

    Each resample draws as many units as there are, with replacement, as
    ``rng.integers(0, n, size=(n_resamples, n))`` does row after row (the same generator state
    gives the same resamples), and adds up their rows of `per_unit`. The draws are made and
    counted in batches, so memory stays bounded whatever the number of units and resamples.

    Parameters
    ----------
    per_unit : 2-d array-like of int, shape (n, k)
        Per unit, a count for each of k categories (e.g. a respondent's mentions of each aspect).
    n_resamples : int
        At least 1.
    rng : numpy.random.Generator
        Advanced exactly as by the one call above.

    Returns
    -------
    ndarray of int64, shape (n_resamples, k): per resample, the totals per category.

    Examples
    --------
    >>> import numpy as np
    >>> from commissioning.analysis.stats import bootstrap_counts
    >>> per_unit = np.array([[1, 0], [0, 1], [1, 1]])
    >>> totals = bootstrap_counts(per_unit, 500, np.random.default_rng(3))
    >>> reference = per_unit[np.random.default_rng(3).integers(0, 3, size=(500, 3))].sum(axis=1)
    >>> totals.shape, bool((totals == reference).all())
    ((500, 2), True)
    """
    per_unit = np.asarray(per_unit)
    if per_unit.ndim != 2 or not np.issubdtype(per_unit.dtype, np.integer):
        raise ParameterError("per_unit", problem="is not valid", allowed="a two-dimensional array of whole-number counts")
    if not isinstance(n_resamples, (int, np.integer)) or n_resamples < 1:
        raise ParameterError("n_resamples", n_resamples, allowed="a whole number >= 1")
    n, k = per_unit.shape
    total = int(n_resamples)
    out = np.zeros((total, k), dtype=np.int64)
    if n == 0:
        return out
    weights = per_unit.astype(float)  # whole numbers: exact in a float product below 2**53
    batch = max(1, min(total, CHUNK_ELEMENTS // n))
    for first in range(0, total, batch):
        size = min(batch, total - first)
        draws = rng.integers(0, n, size=(size, n))
        # how often each unit was drawn in each resample, then its rows added that often
        draws += (np.arange(size) * n)[:, None]
        times = np.bincount(draws.ravel(), minlength=size * n).reshape(size, n)
        out[first:first + size] = np.rint(times @ weights).astype(np.int64)
    return out


# --- multiple testing --------------------------------------------------------------------------

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
    >>> from commissioning.analysis.stats import adjust_pvalues
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


# --- the study's statement that size hardly matters (section 2.1) ---------------------------------

LARGER = ("large", "very_large")
SMALLER = ("small", "medium")
DIFFERENCE_COLUMNS = ["larger_k", "larger_n", "larger_share", "smaller_k", "smaller_n", "smaller_share",
                      "difference", "threshold", "imputed_share"]


def hardly_threshold(study) -> float:
    """The largest difference in shares that 'hardly differ' allows (quantifier `hardly`).

    Read from quantifiers.csv of the study's data directory, or of the shipped data when that
    directory has none.

    Examples
    --------
    >>> import commissioning as cm
    >>> cm.hardly_threshold(cm.load_study())
    0.1
    """
    from ..data.quantifiers import load_quantifiers
    from ..data.study import suite_file

    return float(load_quantifiers(suite_file(study.data_dir, "quantifiers.csv"))["hardly"].upper)


@memoize
def size_difference(study, *, unit: str = "municipality", variables=None, codes=("mixed", "outsourced"),
                    larger=LARGER, smaller=SMALLER) -> pd.DataFrame:
    """Pooled share of activities (partly) outsourced in larger and in smaller municipalities.

    Every unit x activity value counts once in its group's pool; the difference is larger minus
    smaller. The values of one municipality are not independent, so no test is made on the pool
    (see `association_tests` for the per-activity tests).

    Parameters
    ----------
    study : Study
    unit : {"municipality", "interview"}
    variables : list of str, optional
        Default: the activities.
    codes : sequence of str
        Codes pooled; default mixed or outsourced.
    larger, smaller : sequence of str
        Size classes of the two groups (default large and very large against small and medium,
        as the study groups them).

    Returns
    -------
    DataFrame with one row and columns `larger_k`, `larger_n`, `larger_share`, `smaller_k`,
    `smaller_n`, `smaller_share`, `difference` (NaN when a group has no value), `threshold`
    (the `hardly` quantifier's bound) and `imputed_share` (of all values pooled).

    Examples
    --------
    >>> import commissioning as cm
    >>> d = cm.size_difference(cm.load_study())
    >>> int(d.larger_n.iat[0]), int(d.smaller_n.iat[0])
    (120, 96)
    """
    from .tabulate import activity_variables, crosstab

    for name, group in (("larger", larger), ("smaller", smaller)):
        for code in group:
            study.codebook.check_code("size_class", code, name=name)
    variables = activity_variables(study) if variables is None else list(variables)
    tab = crosstab(study, variables, by="size_class", unit=unit)
    row = {}
    for name, group in (("larger", larger), ("smaller", smaller)):
        sel = tab[tab["size_class"].isin(group)]
        k = int(sel.loc[sel["code"].isin(codes), "n"].sum())
        n = int(sel["n"].sum())
        row.update({f"{name}_k": k, f"{name}_n": n, f"{name}_share": k / n if n else float("nan")})
    row["difference"] = row["larger_share"] - row["smaller_share"]
    row["threshold"] = hardly_threshold(study)
    from .tabulate import imputed_share_of

    row["imputed_share"] = imputed_share_of(tab)
    return pd.DataFrame([row], columns=DIFFERENCE_COLUMNS)


_TEXT = {
    "en": {
        "claim": ("The study states (section 2.1) that large and small municipalities in general hardly differ in "
                  "which activities they do themselves and which they outsource."),
        "insufficient": "This selection cannot check it: {reason}.",
        "no_larger": "it holds no value from a large or very large municipality",
        "no_smaller": "it holds no value from a small or medium municipality",
        "pooled": ("Pooled over {acts}, {lk} of {ln} values ({ls}%) in large and very large "
                   "municipalities are mixed or outsourced, against {sk} of {sn} ({ss}%) in small and medium "
                   "ones: a difference of {d:+.0f} percentage points, {within} the {t:.0f} points that "
                   "'hardly' allows."),
        "within": "within", "beyond": "beyond",
        "tests": ("Per activity, a test of association with size class ({tests}) finds {k} of {m} activities "
                  "different at the {alpha:.0%} level after {method} correction{which}; the largest "
                  "bias-corrected Cramér's V is {v} ({vlabel})."),
        "untested": "{u} activities could not be tested (too few units or groups).",
        "no_tests": "No activity could be tested in this selection (too few units or groups).",
        "verdict_ok": "Verdict: the data are consistent with the statement.",
        "verdict_diff": "Verdict: the data are not consistent with the statement.",
        "verdict_none": "Verdict: insufficient data; the pooled difference alone describes this selection only.",
        "power": ("With {n} {units} the tests have little power: a moderate difference can go undetected, so "
                  "'no significant difference' is weak evidence of no difference."),
        "imputed": ("{imp:.0%} of the values behind these numbers are imputed by the reconstruction, which was "
                    "drawn to satisfy this very statement; the check shows that the reconstruction honours it, "
                    "not that the interviews do."),
        "imputed_some": "{imp:.0%} of the values behind these numbers are imputed by the reconstruction.",
        "units": {"municipality": "municipalities", "interview": "interviews"},
        "methods": {"holm": "Holm", "bh": "Benjamini-Hochberg"},
    },
    "nl": {
        "claim": ("Het onderzoek stelt (paragraaf 2.1) dat grote en kleine gemeenten over het algemeen nauwelijks "
                  "verschillen in welke activiteiten ze zelf uitvoeren en welke ze uitbesteden."),
        "insufficient": "Deze selectie kan dat niet toetsen: {reason}.",
        "no_larger": "er zit geen waarde van een grote of zeer grote gemeente in",
        "no_smaller": "er zit geen waarde van een kleine of middelgrote gemeente in",
        "pooled": ("Over {acts} samen is {lk} van {ln} waarden ({ls}%) bij grote en zeer grote "
                   "gemeenten deels of geheel uitbesteed, tegen {sk} van {sn} ({ss}%) bij kleine en middelgrote: "
                   "een verschil van {d:+.0f} procentpunt, {within} de {t:.0f} punten die 'nauwelijks' toelaat."),
        "within": "binnen", "beyond": "buiten",
        "tests": ("Per activiteit vindt een toets op samenhang met de grootteklasse ({tests}) bij {k} van {m} "
                  "activiteiten een verschil op het {alpha:.0%}-niveau na {method}-correctie{which}; de grootste "
                  "voor vertekening gecorrigeerde Cramérs V is {v} ({vlabel})."),
        "untested": "{u} activiteiten konden niet getoetst worden (te weinig eenheden of groepen).",
        "no_tests": "Geen enkele activiteit kon in deze selectie getoetst worden (te weinig eenheden of groepen).",
        "verdict_ok": "Oordeel: de gegevens zijn in overeenstemming met de uitspraak.",
        "verdict_diff": "Oordeel: de gegevens zijn niet in overeenstemming met de uitspraak.",
        "verdict_none": "Oordeel: onvoldoende gegevens; het gepoolde verschil beschrijft alleen deze selectie.",
        "power": ("Met {n} {units} hebben de toetsen weinig onderscheidend vermogen: een matig verschil kan "
                  "onopgemerkt blijven, dus 'geen significant verschil' is zwak bewijs voor geen verschil."),
        "imputed": ("{imp:.0%} van de waarden achter deze getallen is door de reconstructie geïmputeerd, die juist "
                    "zo is getrokken dat deze uitspraak klopt; de toets laat zien dat de reconstructie haar "
                    "respecteert, niet dat de interviews dat doen."),
        "imputed_some": "{imp:.0%} van de waarden achter deze getallen is door de reconstructie geïmputeerd.",
        "units": {"municipality": "gemeenten", "interview": "interviews"},
        "methods": {"holm": "Holm", "bh": "Benjamini-Hochberg"},
    },
}


def size_difference_summary(study, *, unit: str = "municipality", method: str = "holm", alpha: float = 0.05,
                            n_resamples: int = DEFAULT_RESAMPLES, seed: int = DEFAULT_SEED,
                            lang: str = "en", tests: pd.DataFrame | None = None, variables=None) -> str:
    """A plain-language paragraph on the study's statement that size hardly matters for outsourcing.

    The statement is held consistent with the data when the pooled difference
    (`size_difference`) is within the `hardly` threshold and no activity shows an association
    with size class after correction (`association_tests`). A selection without values from both
    larger and smaller municipalities, or where no activity can be tested, gives the verdict
    "insufficient data".

    Parameters
    ----------
    study : Study
    unit : {"municipality", "interview"}
    method : {"holm", "bh"}
        Correction across activities.
    alpha : float
        Level at which an adjusted p-value counts as a difference.
    n_resamples, seed
        Of the permutation tests.
    lang : {"en", "nl"}
    tests : DataFrame, optional
        The output of `association_tests` when already computed (same unit and method).
    variables : list of str, optional
        The activities pooled and tested; default all of them.

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> text = cm.size_difference_summary(cm.load_study(), n_resamples=999)
    >>> "Verdict: the data are consistent with the statement." in text
    True
    >>> print(cm.size_difference_summary(cm.load_study().filter(size_class="large")))
    The study states (section 2.1) that large and small municipalities in general hardly differ in which activities they do themselves and which they outsource. This selection cannot check it: it holds no value from a small or medium municipality.
    """
    from ..core.checks import check_lang
    from ..core.checks import check_unit as _check_unit

    check_lang(lang)
    _check_unit(unit)
    if method not in ADJUST_METHODS:
        raise ParameterError("method", method, allowed=ADJUST_METHODS)
    if not 0 < alpha < 1:
        raise ParameterError("alpha", alpha, allowed="a number strictly between 0 and 1")
    from ..core.formats import percent_half_up

    t = _TEXT[lang]
    parts = [t["claim"]]
    diff = size_difference(study, unit=unit, variables=variables).iloc[0]
    if diff["larger_n"] == 0 or diff["smaller_n"] == 0:
        reason = t["no_larger"] if diff["larger_n"] == 0 else t["no_smaller"]
        parts.append(t["insufficient"].format(reason=reason))
        return " ".join(parts)
    from .tabulate import activity_variables

    coded = set(study.codings["variable"])
    n_act = sum(v in coded for v in (activity_variables(study) if variables is None else variables))
    d_points = 100 * diff["difference"]
    d_points = 0.0 if round(d_points) == 0 else d_points  # no "-0"
    within = abs(diff["difference"]) <= diff["threshold"] + 1e-12
    acts = {"en": ("the {n} activities", "the one activity"), "nl": ("de {n} activiteiten", "de ene activiteit")}[lang]
    parts.append(t["pooled"].format(acts=acts[1] if n_act == 1 else acts[0].format(n=n_act), lk=int(diff["larger_k"]), ln=int(diff["larger_n"]),
                                    ls=percent_half_up(int(diff["larger_k"]), int(diff["larger_n"])),
                                    sk=int(diff["smaller_k"]), sn=int(diff["smaller_n"]),
                                    ss=percent_half_up(int(diff["smaller_k"]), int(diff["smaller_n"])), d=d_points, within=t["within" if within else "beyond"],
                                    t=100 * diff["threshold"]))
    if tests is None:
        tests = association_tests(study, variables, by="size_class", unit=unit, method=method,
                                  n_resamples=n_resamples, seed=seed, lang=lang)
    tested = tests[tests["status"] == "tested"]
    n_sig = 0
    if len(tested):
        sig = tested[tested["p_adjusted"] < alpha]
        n_sig = len(sig)
        which = f": {', '.join(sig['label'])}" if n_sig else ""
        top = tested.loc[tested["cramers_v_corrected"].idxmax()]
        v = f"{top['cramers_v_corrected']:.2f}"
        kinds = ", ".join(sorted(set(tested["test"]) - {"none needed"})) or "-"
        parts.append(t["tests"].format(tests=kinds, k=n_sig, m=len(tested), alpha=alpha, method=t["methods"][method],
                                       which=which, v=v.replace(".", ",") if lang == "nl" else v,
                                       vlabel=top["label"]))
        if len(tested) < len(tests):
            parts.append(t["untested"].format(u=len(tests) - len(tested)))
    else:
        parts.append(t["no_tests"])
    if len(tested) == 0:
        parts.append(t["verdict_none"])
    else:
        parts.append(t["verdict_ok" if within and n_sig == 0 else "verdict_diff"])
    n_units = len(study.municipalities) if unit == "municipality" else study.n_interviews
    parts.append(t["power"].format(n=n_units, units=t["units"][unit]))
    imp = diff["imputed_share"]
    if imp >= 0.5:
        parts.append(t["imputed"].format(imp=imp))
    elif imp > 0:
        parts.append(t["imputed_some"].format(imp=imp))
    return " ".join(parts)
