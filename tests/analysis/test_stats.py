"""Tests of the small-sample statistics (commissioning.analysis: intervals, effect_size,
association, multiple_testing, size_claim) against scipy and hand-computed values."""

import math

import numpy as np
import pytest
from scipy import stats as st
from scipy.stats.contingency import association

import commissioning as cm
from commissioning.analysis.association import TEST_COLUMNS


# --- Wilson interval ---------------------------------------------------------------------------

@pytest.mark.parametrize("k,n", [(0, 1), (0, 5), (3, 10), (5, 5), (7, 18), (17, 18), (1, 24), (12, 24)])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_equals_scipy(k, n, level):
    ref = st.binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
    low, high = cm.wilson_interval(k, n, level=level)
    assert low == pytest.approx(ref.low, abs=1e-12)
    assert high == pytest.approx(ref.high, abs=1e-12)


def test_wilson_textbook_value():
    # Newcombe (1998), Statistics in Medicine 17:857, Table I: 81/263 -> 0.2553 to 0.3662
    low, high = cm.wilson_interval(81, 263)
    assert (round(low, 4), round(high, 4)) == (0.2553, 0.3662)
    # and by hand: p = 0.3, z = 1.959964, n = 10
    z = 1.959963984540054
    centre = (0.3 + z**2 / 20) / (1 + z**2 / 10)
    half = z * math.sqrt(0.3 * 0.7 / 10 + z**2 / 400) / (1 + z**2 / 10)
    assert cm.wilson_interval(3, 10) == pytest.approx((centre - half, centre + half))


def test_wilson_vectorised_and_empty():
    low, high = cm.wilson_interval(np.array([0, 3, 0]), np.array([4, 10, 0]))
    assert low[1] == pytest.approx(cm.wilson_interval(3, 10)[0])
    assert math.isnan(low[2]) and math.isnan(high[2])
    assert cm.wilson_interval(0, 0) != cm.wilson_interval(0, 0)  # (nan, nan)


@pytest.mark.parametrize("k,n,level,message", [
    (5, 4, 0.95, "0 <= k <= n"), (-1, 4, 0.95, "0 <= k <= n"), (1, 4, 1.5, "level: 1.5"),
    (1, 4, 0, "strictly between 0 and 1"),
])
def test_wilson_rejects_bad_input(k, n, level, message):
    with pytest.raises(cm.ParameterError, match=message):
        cm.wilson_interval(k, n, level=level)


def test_add_wilson_adds_columns_without_mutating():
    study = cm.load_study()
    tab = cm.crosstab(study, "sourcing.design", by="size_class")
    before = tab.copy()
    out = cm.add_wilson(tab)
    assert list(out.columns) == [*tab.columns, "ci_low", "ci_high"]
    assert tab.equals(before)
    for row in out.itertuples():
        ref = st.binomtest(row.n, row.n_total).proportion_ci(method="wilson")
        assert row.ci_low == pytest.approx(ref.low) and row.ci_high == pytest.approx(ref.high)
    with pytest.raises(cm.ParameterError, match="column: 'k' is not in the table; allowed: variable, "):
        cm.add_wilson(tab, k="k")


# --- Cramér's V --------------------------------------------------------------------------------

TABLES = [
    [[8, 2], [1, 9]],
    [[3, 1, 0], [2, 2, 1], [1, 4, 4]],
    [[5, 0, 1], [1, 6, 2]],
    [[2, 1], [1, 2], [3, 3], [0, 4]],
]


@pytest.mark.parametrize("table", TABLES)
def test_cramers_v_equals_scipy(table):
    assert cm.cramers_v(table) == pytest.approx(association(np.array(table), method="cramer"))


def test_cramers_v_hand_values_and_degenerate_tables():
    assert cm.cramers_v([[10, 0], [0, 10]]) == pytest.approx(1.0)
    assert cm.cramers_v([[5, 5], [5, 5]]) == pytest.approx(0.0)
    # chi2 of [[8,2],[1,9]] = 9.899 (by hand: expected 4.5/5.5 per cell), n = 20 -> V = sqrt(9.899/20)
    assert cm.cramers_v([[8, 2], [1, 9]]) == pytest.approx(math.sqrt(9.8989898989899 / 20))
    # empty rows/columns are dropped: same as the trimmed table
    assert cm.cramers_v([[8, 2, 0], [0, 0, 0], [1, 9, 0]]) == pytest.approx(cm.cramers_v([[8, 2], [1, 9]]))
    assert cm.cramers_v([[4], [3]]) == 0.0
    assert math.isnan(cm.cramers_v([[0, 0], [0, 0]]))


@pytest.mark.parametrize("table,message", [([1, 2, 3], "two-dimensional"), ([[1, -1], [2, 2]], "negative"),
                                           ([[1.5, 1], [2, 2]], "fractional")])
def test_cramers_v_rejects_bad_tables(table, message):
    with pytest.raises(cm.ParameterError, match=message):
        cm.cramers_v(table)


# --- association tests ---------------------------------------------------------------------------

def test_fisher_for_2x2_equals_scipy():
    table = [[8, 2], [1, 9]]
    res = cm.association_test(table)
    assert list(res.columns) == TEST_COLUMNS
    ref = st.fisher_exact(table)
    assert res.test.iat[0] == "Fisher exact"
    assert res.p_value.iat[0] == pytest.approx(ref.pvalue)
    assert res.statistic.iat[0] == pytest.approx(ref.statistic)
    assert res.cramers_v.iat[0] == pytest.approx(association(np.array(table), method="cramer"))


def test_2x2_inside_a_larger_table_with_empty_margins_uses_fisher():
    res = cm.association_test([[3, 0, 1], [0, 0, 0], [1, 0, 4]])
    assert res.test.iat[0] == "Fisher exact"
    assert res.p_value.iat[0] == pytest.approx(st.fisher_exact([[3, 1], [1, 4]]).pvalue)


def _exact_permutation_p(table):
    """Exact conditional p-value of the chi-square statistic by enumerating all label orders."""
    from itertools import permutations

    arr = np.array(table)
    rows = np.repeat(np.arange(arr.shape[0]), arr.sum(axis=1))
    cols = np.concatenate([np.repeat(np.arange(arr.shape[1]), arr[i]) for i in range(arr.shape[0])])
    expected = np.outer(arr.sum(1), arr.sum(0)) / arr.sum()

    def chi2(c):
        counts = np.zeros_like(arr, dtype=float)
        np.add.at(counts, (rows, c), 1)
        return ((counts - expected) ** 2 / expected).sum()

    observed = chi2(cols)
    stats_ = [chi2(np.array(p)) for p in set(permutations(cols))]
    # each distinct arrangement of the column labels is equally likely
    return np.mean([s >= observed - 1e-9 for s in stats_]), observed


def test_permutation_test_approximates_the_exact_conditional_p_value():
    table = [[2, 1, 0], [0, 2, 1], [1, 0, 2]]  # 9 units: every arrangement can be enumerated
    exact, chi2 = _exact_permutation_p(table)
    res = cm.association_test(table, n_resamples=20000, seed=1)
    assert res.test.iat[0] == "permutation chi-square"
    assert res.statistic.iat[0] == pytest.approx(chi2)
    assert res.statistic.iat[0] == pytest.approx(st.chi2_contingency(table, correction=False).statistic)
    assert res.p_value.iat[0] == pytest.approx(exact, abs=0.015)


def test_permutation_test_is_reproducible_with_a_seed():
    table = [[3, 1, 0], [2, 2, 1], [1, 4, 4]]
    a = cm.association_test(table, seed=7, n_resamples=999).p_value.iat[0]
    b = cm.association_test(table, seed=7, n_resamples=999).p_value.iat[0]
    assert a == b
    assert 0 < a <= 1


def test_too_small_selections_say_insufficient_data():
    one_group = cm.association_test([[3, 2, 1], [0, 0, 0]])
    assert one_group.status.iat[0] == "insufficient data"
    assert "fewer than 2 groups" in one_group.note.iat[0]
    assert math.isnan(one_group.p_value.iat[0])
    few = cm.association_test([[1, 0], [0, 2]])
    assert few.status.iat[0] == "insufficient data" and "fewer than 4 units (3)" in few.note.iat[0]
    same = cm.association_test([[3, 0], [4, 0]])
    assert same.status.iat[0] == "tested" and same.p_value.iat[0] == 1.0
    assert "same code" in same.note.iat[0]


def test_association_test_on_a_study_and_bad_inputs():
    study = cm.load_study()
    res = cm.association_test(study, "sourcing.design", n_resamples=499)
    table = cm.contingency(study, "sourcing.design")
    assert res.n_units.iat[0] == table.to_numpy().sum() == 18
    assert res.cramers_v.iat[0] == pytest.approx(cm.cramers_v(table))
    with pytest.raises(cm.ParameterError, match="variable: missing"):
        cm.association_test(study)
    with pytest.raises(cm.ParameterError, match="n_resamples: 0"):
        cm.association_test([[1, 2], [3, 4]], n_resamples=0)


def test_association_tests_for_a_selection_without_two_size_classes():
    study = cm.load_study().filter(size_class="large")
    tests = cm.association_tests(study, n_resamples=99)
    assert (tests.status == "insufficient data").all()
    assert tests.p_adjusted.isna().all()
    with pytest.raises(cm.ParameterError, match="method: 'bonferroni'.*holm, bh"):
        cm.association_tests(study, method="bonferroni")


# --- multiple testing --------------------------------------------------------------------------

def test_bh_equals_scipy():
    rng = np.random.default_rng(3)
    for _ in range(20):
        p = rng.uniform(0, 0.2, size=12)
        np.testing.assert_allclose(cm.adjust_pvalues(p, method="bh"), st.false_discovery_control(p, method="bh"))


def test_holm_hand_example():
    # p sorted: 0.01, 0.02, 0.03, 0.04 (m = 4) -> 4*0.01, 3*0.02, 2*0.03, 1*0.04 = .04 .06 .06 .04
    # then the running maximum: .04 .06 .06 .06
    p = [0.03, 0.01, 0.04, 0.02]
    assert cm.adjust_pvalues(p, method="holm") == pytest.approx([0.06, 0.04, 0.06, 0.06])
    assert cm.adjust_pvalues([0.5, 0.6], method="holm") == pytest.approx([1.0, 1.0])


def test_adjust_skips_nan_and_rejects_bad_input():
    out = cm.adjust_pvalues([0.01, float("nan"), 0.04], method="holm")
    assert out[0] == pytest.approx(0.02) and math.isnan(out[1]) and out[2] == pytest.approx(0.04)
    assert np.isnan(cm.adjust_pvalues([float("nan")])).all()
    with pytest.raises(cm.ParameterError, match="method: 'sidak'.*holm, bh"):
        cm.adjust_pvalues([0.1], method="sidak")
    with pytest.raises(cm.ParameterError, match="outside"):
        cm.adjust_pvalues([1.2])


# --- the study's statement on size ---------------------------------------------------------------

def test_size_difference_pools_by_hand():
    study = cm.load_study()
    d = cm.size_difference(study).iloc[0]
    agg = cm.aggregate(study, cm.activity_variables(study))
    larger = agg[agg.size_class.isin(["large", "very_large"])]
    smaller = agg[agg.size_class.isin(["small", "medium"])]
    assert d.larger_n == len(larger) and d.smaller_n == len(smaller)
    assert d.larger_k == larger.code.isin(["mixed", "outsourced"]).sum()
    assert d.smaller_k == smaller.code.isin(["mixed", "outsourced"]).sum()
    assert d.difference == pytest.approx(d.larger_k / d.larger_n - d.smaller_k / d.smaller_n)
    from commissioning.data.quantifiers import load_quantifiers

    # 'nauwelijks' is below the one minimum effect of every comparison between groups
    assert d.threshold == load_quantifiers(cm.default_data_dir() / "quantifiers.csv")["more_often"].lower


def test_size_difference_summary_states_numbers_and_handles_small_selections():
    study = cm.load_study()
    text = cm.size_difference_summary(study, n_resamples=199)
    d = cm.size_difference(study).iloc[0]
    assert f"{int(d.larger_k)} of {int(d.larger_n)}" in text
    assert "Verdict:" in text and "imputed" in text
    nl = cm.size_difference_summary(study, n_resamples=199, lang="nl")
    assert "Oordeel:" in nl
    small_only = cm.size_difference_summary(study.filter(size_class="small"))
    assert "cannot check it: it holds no value from a large or very large municipality" in small_only


def test_size_summary_with_too_few_units_says_insufficient_data(tiny):
    # conftest's tiny study: design only, Den Haag (very large, 3 interviews), Assen, Middelburg
    text = cm.size_difference_summary(tiny, n_resamples=99)
    assert "pooled over the one activity" in text
    assert "Verdict: insufficient data" in text
    assert "No activity could be tested" in text


# --- bias-corrected Cramér's V and the exactness of the permutation test ---------------------

def _bergsma(table):
    """Bergsma (2013), eqs. for phi2~, r~ and k~, written out from the paper."""
    arr = np.array(table, dtype=float)
    n = arr.sum()
    r, k = arr.shape
    phi2 = st.chi2_contingency(arr, correction=False).statistic / n
    phi2_c = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    r_c, k_c = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    return math.sqrt(phi2_c / min(k_c - 1, r_c - 1))


@pytest.mark.parametrize("table", [[[8, 2], [1, 9]], [[5, 1, 0, 2], [0, 3, 4, 1], [1, 0, 1, 0]],
                                   [[10, 3, 2], [2, 9, 4], [1, 2, 12]]])
def test_corrected_cramers_v_follows_bergsma_and_is_below_the_uncorrected_v(table):
    assert cm.cramers_v_corrected(table) == pytest.approx(_bergsma(table))
    assert cm.cramers_v_corrected(table) <= cm.cramers_v(table)


def test_corrected_cramers_v_is_near_zero_where_chance_alone_gives_an_uncorrected_v_of_about_0_4():
    """Three codes across four size classes at n = 18, codes dealt at random: chance alone gives an
    uncorrected V of about sqrt(6 / (18 * 2)) = 0.41 (its expected chi-square is the degrees of
    freedom), the corrected V about 0."""
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(4), [3, 5, 8, 2])
    plain, corrected = [], []
    for _ in range(2000):
        codes = rng.integers(0, 3, size=18)
        table = np.zeros((3, 4), dtype=int)
        np.add.at(table, (codes, groups), 1)
        table = table[table.sum(axis=1) > 0]
        if table.shape[0] < 2:
            continue
        plain.append(cm.cramers_v(table))
        corrected.append(cm.cramers_v_corrected(table))
    assert 0.33 < np.mean(plain) < 0.5
    assert np.mean(corrected) < 0.5 * np.mean(plain)
    assert np.median(corrected) < 0.1


def test_the_permutation_test_says_when_it_counted_every_permutation():
    small = cm.association_test([[2, 1], [0, 3]], n_resamples=9999)  # Fisher for 2 x 2
    assert small.test.iat[0] == "Fisher exact"
    tiny = cm.association_test([[2, 1, 0], [0, 1, 2]], n_resamples=9999)  # 6 units: 720 orders
    assert tiny.test.iat[0] == "permutation chi-square" and bool(tiny.exact.iat[0])
    assert tiny.p_value.iat[0] == pytest.approx(_exact_permutation_p([[2, 1, 0], [0, 1, 2]])[0])
    larger = cm.association_test([[3, 1, 0], [2, 2, 1], [1, 4, 4]], n_resamples=999, seed=1)
    assert not bool(larger.exact.iat[0]) and larger.n_resamples.iat[0] == 999
