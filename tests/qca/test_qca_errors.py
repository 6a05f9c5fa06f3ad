"""Every kind of bad input to the QCA functions raises ParameterError with a message that names the
parameter, the value and what is allowed; the caller's frame is never changed."""

import pandas as pd
import pytest

import commissioning.qca as qca
from commissioning.errors import ParameterError

FRAME = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 1, 0], "Y": [1, 1, 0, 0]}, index=list("pqrs"))
ALLOWED_MEMBERSHIP = "allowed: set memberships from 0 to 1 (calibrate raw values first)"
DIR_EXP = "allowed: one entry per condition, in their order: A or ~A or -, B or ~B or -"

CASES = {
    "not a frame": (lambda f: qca.truth_table([1, 2], "Y"),
                    "frame: 'list' is not a DataFrame; allowed: a DataFrame with one row per case"),
    "empty frame": (lambda f: qca.truth_table(f.iloc[:0], "Y"),
                    "frame: has no rows; allowed: a DataFrame with one row per case"),
    "unknown outcome": (lambda f: qca.truth_table(f, "Z"),
                        "outcome: 'Z' is not a column of the frame; allowed: A, B, Y"),
    "unknown condition": (lambda f: qca.minimize(f, "Y", ["A", "C"]),
                          "conditions: 'C' is not a column of the frame; allowed: A, B, Y"),
    "outcome as condition": (lambda f: qca.truth_table(f, "Y", ["A", "Y"]),
                             "conditions: 'Y' is the outcome; allowed: columns other than the outcome"),
    "condition twice": (lambda f: qca.truth_table(f, "Y", "A, A"),
                        "conditions: 'A' is named twice; allowed: each condition once"),
    "no condition": (lambda f: qca.truth_table(f, "Y", []),
                     "conditions: [] has 0 conditions; allowed: 1 to 25 conditions, as in R's QCA package"),
    "membership above 1": (lambda f: qca.truth_table(f.assign(A=[1, 2, 0, 0]), "Y"),
                           f"frame['A']: 2 is outside [0, 1] (case 'q'); {ALLOWED_MEMBERSHIP}"),
    "outcome below 0": (lambda f: qca.minimize(f.assign(Y=[1, 1, -0.1, 0]), "Y"),
                        f"frame['Y']: -0.1 is outside [0, 1] (case 'r'); {ALLOWED_MEMBERSHIP}"),
    "missing membership": (lambda f: qca.truth_table(f.assign(B=[1, None, 0, 0]), "Y"),
                           f"frame['B']: has no value for case 'q'; {ALLOWED_MEMBERSHIP}"),
    "text membership": (lambda f: qca.truth_table(f.assign(B=["yes", 1, 0, 0]), "Y"),
                        f"frame['B']: 'yes' is not a number (case 'p'); {ALLOWED_MEMBERSHIP}"),
    "incl_cut above 1": (lambda f: qca.truth_table(f, "Y", incl_cut=1.5),
                         "incl_cut: 1.5 is not allowed; allowed: a number from 0 to 1, or two (ic1, ic0) with "
                         "0 <= ic0 <= ic1 <= 1"),
    "incl_cut ic0 above ic1": (lambda f: qca.minimize(f, "Y", incl_cut=(0.6, 0.8)),
                               "incl_cut: (0.6, 0.8) has ic0 above ic1; allowed: a number from 0 to 1, or two "
                               "(ic1, ic0) with 0 <= ic0 <= ic1 <= 1"),
    "incl_cut three values": (lambda f: qca.truth_table(f, "Y", incl_cut=(0.9, 0.8, 0.7)),
                              "incl_cut: (0.9, 0.8, 0.7) is not allowed; allowed: a number from 0 to 1, or two "
                              "(ic1, ic0) with 0 <= ic0 <= ic1 <= 1"),
    "n_cut 0": (lambda f: qca.truth_table(f, "Y", n_cut=0),
                "n_cut: 0 is not allowed; allowed: a whole number of at least 1"),
    "n_cut above every configuration": (lambda f: qca.truth_table(f, "Y", n_cut=5),
                                        "n_cut: 5 leaves no configuration with enough cases; allowed: at most 1, "
                                        "the most cases of one configuration"),
    "pri_cut above 1": (lambda f: qca.truth_table(f, "Y", pri_cut=2),
                        "pri_cut: 2 is not allowed; allowed: a number from 0 to 1"),
    "complete table too large": (
        lambda f: qca.truth_table(pd.DataFrame({**{f"C{i}": [0, 1] for i in range(17)}, "Y": [0, 1]}), "Y",
                                  complete=True),
        "complete: True would list 2**17 configurations; allowed: complete=True for at most 16 conditions"),
    "include unknown": (lambda f: qca.minimize(f, "Y", include="all"),
                        "include: 'all' is not allowed; allowed: '', '?', 'C', '?, C'"),
    "dir_exp too short": (lambda f: qca.minimize(f, "Y", include="?", dir_exp=["A"]),
                          f"dir_exp: ['A'] has 1 entry for 2 conditions; {DIR_EXP}"),
    "dir_exp wrong literal": (lambda f: qca.minimize(f, "Y", include="?", dir_exp="A, C"),
                              f"dir_exp: 'C' is not an expectation for B; {DIR_EXP}"),
    "dir_exp without remainders": (lambda f: qca.minimize(f, "Y", dir_exp=["A", "B"]),
                                   "dir_exp: ['A', 'B'] needs the remainders; allowed: directional expectations with "
                                   "include='?'"),
    "nothing to explain": (lambda f: qca.minimize(f.assign(Y=0), "Y"),
                           "incl_cut: 1.0 leaves no configuration with OUT 1 to explain; allowed: a lower incl_cut, "
                           "n_cut or pri_cut, or another outcome"),
    "no negative configuration": (lambda f: qca.minimize(f.assign(Y=1), "Y", include="?"),
                                  "include: '?' leaves no negative configuration: every condition would be minimised "
                                  "away; allowed: '' (the conservative solution), or a truth table with OUT 0 rows"),
    "every configuration positive": (lambda f: qca.minimize(f.assign(Y=1), "Y"),
                                     "conditions: are all minimised away: every configuration has OUT 1; allowed: "
                                     "conditions whose configurations do not all go with the outcome"),
    "no outcome": (lambda f: qca.minimize(f),
                   "outcome: is missing; allowed: the outcome's column (or a truth table)"),
    "another outcome than the table's": (lambda f: qca.minimize(qca.truth_table(f, "Y"), "A"),
                                         "outcome: 'A' is not the truth table's outcome; allowed: Y"),
    "edited OUT not an output value": (
        lambda f: qca.minimize(qca.truth_table(f, "Y").assign(OUT=["1", "x", "0", "0"])),
        "truth_table['OUT']: 'x' is not an output value (row 2); allowed: 1, 0, C, ?"),
    "necessity of an unknown set": (lambda f: qca.necessity(f, "Y", ["A*Z"]),
                                    "conditions: 'Z' is not a condition; allowed: A, B, ~A, ~B"),
    "fuzzy anchors out of order": (lambda f: qca.calibrate_fuzzy([1, 2], exclusion=5, crossover=1, inclusion=9),
                                   "crossover: 1 does not lie strictly between exclusion and inclusion; allowed: "
                                   "exclusion < crossover < inclusion (or the reverse); got (5, 1, 9)"),
    "fuzzy idm": (lambda f: qca.calibrate_fuzzy([1, 2], exclusion=0, crossover=1, inclusion=9, idm=0.4),
                  "idm: 0.4 is not allowed; allowed: a number above 0.5 and below 1"),
    "fuzzy missing value": (lambda f: qca.calibrate_fuzzy([1, None], exclusion=0, crossover=1, inclusion=9),
                            "values: holds a missing or non-numeric value; allowed: numbers, one per case"),
    "crisp codes and thresholds": (lambda f: qca.calibrate_crisp([1, 2], codes=[1], thresholds=[1]),
                                   "codes, thresholds: both given; allowed: one of them: codes (of the members) or "
                                   "thresholds (numbers)"),
    "crisp threshold outside": (lambda f: qca.calibrate_crisp([1, 2], thresholds=[5]),
                                "thresholds: [5] lie outside the range of the values; allowed: numbers from 1 to 2"),
    "ordinal unknown code": (lambda f: qca.calibrate_ordinal(["a", "z"], order=["a", "b"]),
                             "values: 'z' is not in the order; allowed: a, b"),
    "ordinal decreasing memberships": (lambda f: qca.calibrate_ordinal(["a"], order=["a", "b"], memberships=[1, 0]),
                                       "memberships: [1, 0] do not fit the order; allowed: 2 non-decreasing numbers "
                                       "from 0 to 1"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_names_parameter_value_and_what_is_allowed(name):
    call, message = CASES[name]
    frame = FRAME.copy()
    with pytest.raises(ParameterError) as err:
        call(frame)
    assert str(err.value) == message
    pd.testing.assert_frame_equal(frame, FRAME)  # nothing changed


def test_the_errors_are_the_suites():
    with pytest.raises(ParameterError) as err:
        qca.truth_table(FRAME, "Z")
    assert err.value.parameter == "outcome" and err.value.value == "Z" and err.value.exit_code == 2
