"""Intercoder agreement: Krippendorff's alpha against the textbook and the `krippendorff` package,
percent agreement and Cohen's kappa against hand computation, the per-variable table and the CLI."""

import math

import krippendorff
import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning.analysis.agreement import AGREEMENT_COLUMNS
from commissioning.cli import main

from ..conftest import write_interview

NAN = np.nan
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 coders (rows)
# x 12 units (columns), values 1-5, with missing values.
TEXTBOOK = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
    [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
])
TEXTBOOK_ALPHA = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


def long_form(matrix):
    rows = [(u, f"coder{c}", matrix[c, u]) for c in range(matrix.shape[0]) for u in range(matrix.shape[1])]
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


def alpha(df, level="nominal"):
    return cm.krippendorff_alpha(df, unit="unit", coder="coder", value="value", level=level)


@pytest.mark.parametrize("level", list(TEXTBOOK_ALPHA))
def test_textbook_example(level):
    got = alpha(long_form(TEXTBOOK), level)
    assert round(got, 3) == TEXTBOOK_ALPHA[level]
    # the textbook figures themselves, checked with the reference package
    ref = krippendorff.alpha(reliability_data=TEXTBOOK, level_of_measurement=level)
    assert round(ref, 3) == TEXTBOOK_ALPHA[level]
    assert got == pytest.approx(ref, abs=1e-12)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
@pytest.mark.parametrize("seed", range(8))
def test_random_data_equal_the_krippendorff_package(level, seed):
    rng = np.random.default_rng(seed)
    coders, units = rng.integers(2, 6), rng.integers(5, 40)
    truth = rng.integers(1, 6, size=units)
    matrix = np.where(rng.random((coders, units)) < 0.7, truth, rng.integers(1, 6, size=(coders, units))).astype(float)
    matrix[rng.random((coders, units)) < 0.2] = NAN
    if np.unique(matrix[~np.isnan(matrix)]).size < 2:
        pytest.skip("degenerate draw")
    ref = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    assert alpha(long_form(matrix), level) == pytest.approx(ref, abs=1e-10)


def test_text_values_and_row_order_do_not_matter():
    df = long_form(TEXTBOOK).dropna()
    df["value"] = df["value"].map({1: "a", 2: "b", 3: "c", 4: "d", 5: "e"})
    shuffled = df.sample(frac=1, random_state=3)
    assert alpha(shuffled) == pytest.approx(0.743421052631579)
    assert alpha(shuffled, "ordinal") == pytest.approx(0.8153875037548814)


def test_undefined_alpha_is_nan():
    one_value = pd.DataFrame({"unit": [1, 1, 2, 2], "coder": list("abab"), "value": ["x"] * 4})
    assert math.isnan(alpha(one_value))
    unpaired = pd.DataFrame({"unit": [1, 2], "coder": ["a", "b"], "value": ["x", "y"]})
    assert math.isnan(alpha(unpaired))
    assert math.isnan(alpha(unpaired.iloc[:0]))


def test_perfect_agreement_is_one():
    df = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "coder": list("ababab"), "value": list("xxyyzz")})
    assert alpha(df) == 1.0


# --- percent agreement and Cohen's kappa -------------------------------------------------------

def two_coders_table():
    """Hand-computed example: 50 units; both yes 20, a yes b no 5, a no b yes 10, both no 15.
    p_o = 35/50 = 0.7; p_e = 0.5 x 0.6 + 0.5 x 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4."""
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    rows = []
    for u, (a, b) in enumerate(pairs):
        rows += [(u, "a", a), (u, "b", b)]
    return pd.DataFrame(rows, columns=["unit", "coder", "value"])


def test_cohens_kappa_and_percent_agreement_by_hand():
    df = two_coders_table()
    assert cm.cohens_kappa(df, unit="unit", coder="coder", value="value") == pytest.approx(0.4)
    assert cm.percent_agreement(df, unit="unit", coder="coder", value="value") == pytest.approx(0.7)


def test_kappa_ignores_units_coded_by_one_coder():
    df = pd.concat([two_coders_table(), pd.DataFrame({"unit": [99], "coder": ["a"], "value": ["no"]})])
    assert cm.cohens_kappa(df, unit="unit", coder="coder", value="value") == pytest.approx(0.4)


def test_percent_agreement_of_three_coders_is_pairwise():
    # unit 1: a=b=c (3 of 3 pairs agree); unit 2: a=b, c differs (1 of 3)
    df = pd.DataFrame({"unit": [1, 1, 1, 2, 2, 2], "coder": list("abcabc"), "value": list("xxxyyz")})
    assert cm.percent_agreement(df, unit="unit", coder="coder", value="value") == pytest.approx(4 / 6)


def test_kappa_needs_exactly_two_coders():
    df = pd.DataFrame({"unit": [1, 1, 1], "coder": list("abc"), "value": list("xxy")})
    with pytest.raises(cm.ParameterError, match=r"data: has 3 coders \(a, b, c\); Cohen's kappa needs exactly two; "
                                                r"allowed: two coders \(krippendorff_alpha takes more\)"):
        cm.cohens_kappa(df, unit="unit", coder="coder", value="value")


def test_kappa_and_agreement_undefined_cases():
    same = pd.DataFrame({"unit": [1, 1, 2, 2], "coder": list("abab"), "value": ["x"] * 4})
    assert math.isnan(cm.cohens_kappa(same, unit="unit", coder="coder", value="value"))
    apart = pd.DataFrame({"unit": [1, 2], "coder": ["a", "b"], "value": ["x", "x"]})
    assert math.isnan(cm.cohens_kappa(apart, unit="unit", coder="coder", value="value"))
    assert math.isnan(cm.percent_agreement(apart, unit="unit", coder="coder", value="value"))


# --- bad input ----------------------------------------------------------------------------------

def test_bad_inputs_have_messages():
    df = two_coders_table()
    with pytest.raises(cm.ParameterError, match=r"level: 'nominall' is not allowed; allowed: nominal, ordinal, interval, ratio"):
        alpha(df, "nominall")
    with pytest.raises(cm.ParameterError, match=r"data: has no column 'code'; allowed: a table with the columns unit, coder, value"):
        cm.krippendorff_alpha(df, unit="unit", coder="coder", value="code")
    with pytest.raises(cm.ParameterError, match=r"data: expected a DataFrame in long form"):
        cm.percent_agreement([1, 2], unit="unit", coder="coder", value="value")
    dup = pd.concat([df, df.iloc[:1]])
    with pytest.raises(cm.ParameterError, match=r"data: has 2 rows that give one coder two values for one unit, e.g. "
                                                r"unit=0, coder='a'; allowed: one row per unit and coder"):
        cm.cohens_kappa(dup, unit="unit", coder="coder", value="value")
    with pytest.raises(cm.ParameterError, match=r"level: 'interval' needs numeric values in column 'value'; got e.g. 'yes'; allowed: nominal or ordinal"):
        alpha(df, "interval")
    neg = long_form(TEXTBOOK - 3)
    with pytest.raises(cm.ParameterError, match=r"level: 'ratio' needs values of at least 0 in column 'value'; got -2.0; allowed: a level that fits"):
        alpha(neg, "ratio")
    mixed = pd.DataFrame({"unit": [1, 1], "coder": ["a", "b"], "value": [1, "x"]})
    with pytest.raises(cm.ParameterError, match=r"level: 'ordinal' needs values that can be ordered in column 'value'; allowed: nominal"):
        alpha(mixed, "ordinal")
    assert alpha(mixed) != 1  # nominal accepts values of mixed types (here: undefined, NaN)


def test_inputs_are_not_mutated():
    df = long_form(TEXTBOOK)
    before = df.copy()
    alpha(df, "ordinal")
    cm.percent_agreement(df, unit="unit", coder="coder", value="value")
    pd.testing.assert_frame_equal(df, before)


# --- the per-variable table on a study ------------------------------------------------------------

@pytest.fixture
def double_coded(tiny_dir):
    """The tiny study with GM0518-1 and GM0106-1 coded a second time by coder 'cd'."""
    itv = tiny_dir / "interviews"
    write_interview(itv, "GM0518-1", {"sourcing.design": "outsourced", "organisation.model": "sector",
                                      "agenda.more_attention": "no", "portfolio.overview": "none"},
                    coder="cd", suffix=".cd")
    write_interview(itv, "GM0106-1", {"sourcing.design": "in_house", "organisation.model": "tilted",
                                      "agenda.more_attention": "yes"}, coder="cd", suffix=".cd")
    return tiny_dir


def test_agreement_table_over_double_coded_interviews(double_coded):
    study = cm.load_study(double_coded)
    table = cm.agreement_table(study).set_index("variable")
    assert list(cm.agreement_table(study).columns) == AGREEMENT_COLUMNS
    # sourcing.design: both interviews agree -> 1; portfolio.overview: only GM0518-1 is coded twice
    assert table.loc["sourcing.design", "n_units"] == 2 and table.loc["sourcing.design", "alpha"] == 1.0
    assert table.loc["sourcing.design", "level"] == "ordinal"
    assert table.loc["portfolio.overview", "n_units"] == 1
    # agenda.more_attention: GM0518-1 yes/no, GM0106-1 yes/yes
    row = table.loc["agenda.more_attention"]
    assert row["percent_agreement"] == 0.5 and row["n_coders"] == 2 and row["level"] == "nominal"
    long = pd.DataFrame({"unit": [1, 1, 2, 2], "coder": list("abab"), "value": ["yes", "no", "yes", "yes"]})
    assert row["alpha"] == pytest.approx(alpha(long))
    assert row["kappa"] == pytest.approx(cm.cohens_kappa(long, unit="unit", coder="coder", value="value"))
    # maturity.top3: 2 interviews x 3 ranks, identical rankings
    assert table.loc["maturity.top3", "n_units"] == 6 and table.loc["maturity.top3", "percent_agreement"] == 1.0
    assert "structure.tenderboard" not in table.index  # nobody coded it


def test_agreement_table_is_empty_without_double_coding(tiny_one_coder_dir):
    table = cm.agreement_table(cm.load_study(tiny_one_coder_dir))
    assert table.empty and list(table.columns) == AGREEMENT_COLUMNS


def test_kappa_is_nan_with_three_coders(double_coded):
    write_interview(double_coded / "interviews", "GM0518-1", {"sourcing.design": "mixed"}, coder="ef", suffix=".ef")
    table = cm.agreement_table(cm.load_study(double_coded)).set_index("variable")
    assert table.loc["sourcing.design", "n_coders"] == 3 and math.isnan(table.loc["sourcing.design", "kappa"])
    # pairs: GM0518-1 ab=cd, ab!=ef, cd!=ef; GM0106-1 ab=cd -> 2 agreeing of 4 pairs
    assert table.loc["sourcing.design", "percent_agreement"] == pytest.approx(2 / 4)


def test_cli_agreement(double_coded, tiny_dir, capsys):
    assert main(["agreement", "--data", str(double_coded)]) == 0
    out = capsys.readouterr().out
    assert out.split("\n")[0].split() == AGREEMENT_COLUMNS
    assert any(line.split()[:2] == ["agenda.more_attention", "boolean"] for line in out.splitlines())


def test_cli_agreement_says_when_nothing_is_double_coded(tiny_one_coder_dir, capsys):
    assert main(["agreement", "--data", str(tiny_one_coder_dir)]) == 0
    assert capsys.readouterr().out == ("no interview is coded by more than one coder (5 interviews; coders: ab); "
                                       "agreement needs an interview coded twice, as <id>.yaml and <id>.<coder>.yaml\n")


def test_cli_agreement_bad_data_exits_2(tmp_path, capsys):
    assert main(["agreement", "--data", str(tmp_path / "none")]) == 2
    assert capsys.readouterr().err.startswith("error: ")
