"""The resampling code as it was before it worked in batches (commit 9900ac1), kept as the
reference that the batched code must equal exactly for the same seed.

Each function holds every resample at once, so use it on small data only.
"""

import numpy as np
from scipy import stats as _st

from commissioning.stats import _labels


def permutation_p(arr, n_resamples, seed):
    """stats._permutation_p: a dense one-hot einsum over every resample at once."""
    rows, cols = _labels(arr)
    r, c = arr.shape
    row_sum = arr.sum(axis=1)
    col_sum = arr.sum(axis=0)
    expected = np.outer(row_sum, col_sum) / arr.sum()

    def statistic(x, axis):
        x = np.asarray(x)
        one_hot = (x[..., :, None] == np.arange(c)).astype(float)  # (..., n, c)
        row_hot = (rows[:, None] == np.arange(r)).astype(float)    # (n, r)
        counts = np.einsum("nr,...nc->...rc", row_hot, one_hot)
        return ((counts - expected) ** 2 / expected).sum(axis=(-2, -1))

    res = _st.permutation_test((cols,), statistic, permutation_type="pairings", n_resamples=n_resamples,
                               alternative="greater", vectorized=True, rng=np.random.default_rng(seed))
    return float(res.statistic), float(res.pvalue)
