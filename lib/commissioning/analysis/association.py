"""Tests of association for small tables: Fisher's exact test and a permutation chi-square.

With 18 municipalities every cell of a table is small, so the tests here do not lean on
large-sample approximations: a 2 x 2 table gets Fisher's exact test and any larger table a
Monte Carlo permutation test of the chi-square statistic (labels permuted over units, margins
fixed, seeded so that a report is reproducible; see `resampling`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as _st

from ..core import check_lang, memoize
from ..errors import ParameterError
from .effect_size import count_array, trim_empty, cramers_v, cramers_v_corrected
from .multiple_testing import ADJUST_METHODS, adjust_pvalues
from .resampling import permutation_p
from .tabulate import activity_variables, crosstab

MIN_UNITS = 4  # fewer units than this: a test of association is not attempted
DEFAULT_SEED = 2018
DEFAULT_RESAMPLES = 9999
TEST_COLUMNS = ["variable", "label", "test", "n_units", "n_groups", "n_codes", "statistic", "p_value",
                "cramers_v", "cramers_v_corrected", "exact", "n_resamples", "status", "note"]
#: the name of each test (column `test`) in a report's language; '' is no test
TEST_NAMES = {
    "en": {"Fisher exact": "Fisher exact", "permutation chi-square": "permutation chi-square",
           "none needed": "none needed", "": ""},
    "nl": {"Fisher exact": "exacte toets van Fisher", "permutation chi-square": "permutatietoets op chikwadraat",
           "none needed": "geen toets nodig", "": ""},
}


def _test_table(arr: np.ndarray, *, n_resamples: int, seed: int, min_units: int) -> dict:
    """Test one table; returns the TEST_COLUMNS fields other than variable and label."""
    full_groups = int((arr.sum(axis=1) > 0).sum())
    trimmed = trim_empty(arr)
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
    stat, p, exact = permutation_p(trimmed, n_resamples, seed)
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
    arr = count_array(data)
    row = {"variable": variable, "label": None,
           **_test_table(arr, n_resamples=n_resamples, seed=seed, min_units=min_units)}
    return pd.DataFrame([row], columns=TEST_COLUMNS)


def _is_study(data) -> bool:
    return hasattr(data, "codings") and hasattr(data, "codebook")


def contingency(study, variable: str, *, by: str = "size_class", unit: str = "municipality") -> pd.DataFrame:
    """The groups x codes count table of one variable (wide, for tests).

    Parameters
    ----------
    study : Study
    variable : str
        A variable id of the codebook.
    by : {"size_class", "region"}
        The grouping attribute (None is not allowed).
    unit : {"municipality", "interview"}
        The unit counted (see `commissioning.crosstab`).

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

