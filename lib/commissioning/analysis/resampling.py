"""Resampling in bounded memory: the permutation test's chi-square kernel, the bootstrap and
fragmentation's permutations.

Each makes and counts its draws in batches of about CHUNK_ELEMENTS units, so that memory stays
bounded with 10,000 interviews; each batch continues the same random stream, so results equal
those of one draw of every resample at once.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats as _st

from ..errors import ParameterError

# Resampling works through its draws in batches of about this many elements (16 MB per int64
# array), so that memory does not grow with resamples x units; results do not depend on it.
CHUNK_ELEMENTS = 2**21


# --- the permutation test of association ------------------------------------------------------------

def unit_labels(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


def permutation_p(arr: np.ndarray, n_resamples: int, seed: int) -> tuple[float, float, bool]:
    """Pearson's chi-square of `arr` and its Monte Carlo p-value with column labels permuted over
    the units: `scipy.stats.permutation_test` with ``permutation_type="pairings"``, the same
    permutations from the same seed, made and counted a batch at a time."""
    rows, cols = unit_labels(arr)
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



# --- the bootstrap and fragmentation's permutations ---------------------------------------------

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
    >>> from commissioning.analysis.resampling import differ_counts
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
    >>> from commissioning.analysis.resampling import group_positions
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
    >>> from commissioning.analysis.resampling import bootstrap_counts
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

