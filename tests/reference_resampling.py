"""The resampling code as it was before it worked in batches (commit 9900ac1), kept as the
reference that the batched code must equal exactly for the same seed.

Each function holds every resample at once, so use it on small data only.
"""

import zlib

import math

import numpy as np
import pandas as pd
from scipy import stats as _st

from commissioning.analysis.units import disagreement, unit_values
from commissioning.analysis.maturity import TOP_N, ordered_aspects, rank_fractions, percent_half_up, respondents_top3
from commissioning.analysis.organisation import FRAGMENTATION_COLUMNS, chance_share
from commissioning.analysis.resampling import unit_labels


def permutation_p(arr, n_resamples, seed):
    """resampling.permutation_p: a dense one-hot einsum over every resample at once; (statistic, p, exact)."""
    rows, cols = unit_labels(arr)
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
    exact = res.null_distribution.size == math.factorial(len(cols))  # scipy enumerated every permutation
    return float(res.statistic), float(res.pvalue), bool(exact)


def bootstrap_top3(study, *, n_resamples=2000, seed=2018, confidence=0.95, lang="en"):
    """maturity.bootstrap_top3: every resample's draws at once. Returns (shares, ranks)."""
    cb = study.codebook
    var = cb.variable("maturity.top3")
    aspects = ordered_aspects(cb)
    k = len(aspects)
    resp = respondents_top3(study)
    n = len(resp)
    index = {code: i for i, code in enumerate(aspects)}
    per_resp = np.zeros((n, k), dtype=np.int64)
    for col in ("first", "second", "third"):
        for row, code in enumerate(resp[col]):
            if code is not None and code in index:
                per_resp[row, index[code]] += 1
    # respondents in the order of their answers (as documented), sorted here by Python's tuples
    per_resp = per_resp[sorted(range(n), key=lambda i: tuple(per_resp[i]))]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, size=(n_resamples, n))
    counts = per_resp[draws].sum(axis=1)  # (n_resamples, k)
    totals = counts.sum(axis=1, keepdims=True)
    shares = counts / totals
    alpha = (1 - confidence) / 2
    low, high = np.quantile(shares, [alpha, 1 - alpha], axis=0)
    rank_prob = rank_fractions(counts).mean(axis=0)  # (k, k)
    observed = per_resp.sum(axis=0)
    obs_share = observed / observed.sum()
    obs_rank = pd.Series(observed).rank(method="average", ascending=False).to_numpy()
    labels = [var.codes[c][lang] for c in aspects]
    numbers = [int(var.codes[c].get("number", 0)) for c in aspects]
    share_table = pd.DataFrame({
        "aspect": aspects, "number": numbers, "label": labels, "n_mentions": observed,
        "share": obs_share, "share_printed": [percent_half_up(int(c), int(observed.sum())) for c in observed],
        "ci_low": low, "ci_high": high, "rank": obs_rank,
        "p_top5": np.clip(rank_prob[:, :TOP_N].sum(axis=1), 0.0, 1.0),
    }).sort_values(["rank", "number"], kind="stable").reset_index(drop=True)
    rank_rows = [(aspects[a], numbers[a], labels[a], r + 1, float(rank_prob[a, r])) for a in range(k) for r in range(k)]
    ranks = pd.DataFrame(rank_rows, columns=["aspect", "number", "label", "rank", "probability"])
    order = {code: i for i, code in enumerate(share_table.aspect)}
    ranks = ranks.sort_values(["aspect", "rank"], key=lambda s: s.map(order) if s.name == "aspect" else s,
                              kind="stable").reset_index(drop=True)
    return share_table, ranks


def fragmentation(study, variables=None, *, n_permutations=2000, seed=2018, lang="en"):
    """organisation.fragmentation: every permutation at once, a Python loop per municipality."""
    cb = study.codebook
    if variables is None:
        variables = [v.id for v in cb.variables.values() if v.per_interview and v.type != "ranked_set"]
    observed = disagreement(study, variables) if len(study.codings) else None
    rows = []
    for var_id in variables:
        var = cb.variables[var_id]
        obs = observed[observed.variable == var_id] if observed is not None else pd.DataFrame()
        if not len(obs):
            continue
        cod = unit_values(study, var_id, unit="interview")
        codes = cod.code.to_numpy()
        index = {c: i for i, c in enumerate(var.code_list)}
        as_int = np.array([index[c] for c in codes], dtype=np.int64)
        positions = [np.flatnonzero(cod.municipality.to_numpy() == m) for m in obs.municipality]
        rng = np.random.default_rng([int(seed), zlib.crc32(var_id.encode())])
        shuffled = rng.permuted(np.tile(as_int, (int(n_permutations), 1)), axis=1)
        differ = np.zeros(int(n_permutations))
        for pos in positions:
            block = shuffled[:, pos]
            differ += (block != block[:, :1]).any(axis=1)
        perm_share = differ / len(positions)
        n_differ = int(obs.differs.sum())
        share = n_differ / len(obs)
        p_value = (1 + int((perm_share <= share + 1e-12).sum())) / (1 + int(n_permutations))
        rows.append((var_id, var.label[lang], var.theme, len(obs), n_differ, share,
                     chance_share(list(codes), [len(p) for p in positions]), float(perm_share.mean()),
                     p_value, int(n_permutations)))
    return pd.DataFrame(rows, columns=FRAGMENTATION_COLUMNS)
