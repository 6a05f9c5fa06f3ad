"""Properties of the QCA minimisation on seeded random truth tables, checked against brute force.

Every solution must cover every positive configuration and no negative one (the conservative
solution no remainder either), its terms must be prime implicants, and no sum of fewer prime
implicants may cover the positive configurations; the set of models must be exactly every sum of
that least number of prime implicants (R's definition: fewest terms, every tie kept, no tie broken
by literals). The brute force below enumerates every term and every set of terms; it shares no
code with the library.
"""

from itertools import combinations, product

import numpy as np
import pandas as pd
import pytest

import commissioning.qca as qca
from commissioning.errors import ParameterError
from commissioning.qca.implicants import consistency_cubes, quine_mccluskey, r_order

SEEDS = range(120)


# --- brute force, independent of the library -----------------------------------------------------

def all_terms(k):
    """Every term over k conditions: a dict condition -> 0/1 value (absent conditions left out)."""
    for code in product((None, 0, 1), repeat=k):
        yield {j: v for j, v in enumerate(code) if v is not None}


def covered(term, k):
    return {c for c in product((0, 1), repeat=k) if all(c[j] == v for j, v in term.items())}


def primes(positive, allowed, k):
    """Prime implicants: terms covering a positive configuration and only `allowed` ones, with no
    such term on a proper subset of their literals."""
    implicants = [t for t in all_terms(k) if (cov := covered(t, k)) & positive and cov <= allowed]
    keys = {tuple(sorted(t.items())) for t in implicants}
    return [t for t in implicants
            if not any(tuple(sorted(s)) in keys for r in range(len(t)) for s in combinations(t.items(), r))]


def minimal_sums(terms, positive, k):
    """Every set of the least number of `terms` whose union covers `positive`."""
    covers = [covered(t, k) & positive for t in terms]
    for size in range(1, len(terms) + 1):
        found = [c for c in combinations(range(len(terms)), size) if set().union(*(covers[i] for i in c)) >= positive]
        if found:
            return size, found
    return None, []


def write(term, names):
    return "*".join(("" if v else "~") + names[j] for j, v in sorted(term.items())) or "1"


def parse(solution, names):
    """Terms of a solution string, read independently of the library."""
    out = []
    for part in solution.split(" + "):
        term = {}
        for literal in part.split("*"):
            term[names.index(literal.lstrip("~"))] = 0 if literal.startswith("~") else 1
        out.append(term)
    return out


# --- random truth tables -------------------------------------------------------------------------

def random_table(seed, k=None):
    """A crisp truth table with positive, negative and unobserved configurations: one case per
    observed configuration (its outcome the configuration's OUT)."""
    rng = np.random.default_rng(seed)
    k = k or int(rng.integers(2, 5))
    names = [f"X{j}" for j in range(k)]
    status = rng.choice(["1", "0", "?"], size=2 ** k, p=[0.4, 0.35, 0.25])
    if "1" not in status:
        status[0] = "1"
    if "0" not in status:
        status[-1] = "0"
    configs = list(product((0, 1), repeat=k))
    rows = [dict(zip(names, c), Y=int(s == "1")) for c, s in zip(configs, status) if s != "?"]
    frame = pd.DataFrame(rows, index=[f"case{i}" for i in range(len(rows))])
    positive = {c for c, s in zip(configs, status) if s == "1"}
    negative = {c for c, s in zip(configs, status) if s == "0"}
    return frame, names, positive, negative, k


@pytest.mark.parametrize("seed", SEEDS)
def test_conservative_models_are_every_minimal_sum_of_primes(seed):
    frame, names, positive, negative, k = random_table(seed)
    result = qca.minimize(frame, "Y", names)
    terms = primes(positive, positive, k)
    size, sums = minimal_sums(terms, positive, k)
    expected = {frozenset(write(terms[i], names) for i in s) for s in sums}
    assert {frozenset(m) for m in result.models} == expected
    assert len(result.models) == len(expected)  # each model once
    for solution in result.solutions:
        union = set().union(*(covered(t, k) for t in parse(solution, names)))
        assert union == positive  # every positive, no negative, no remainder
        assert len(parse(solution, names)) == size


@pytest.mark.parametrize("seed", SEEDS)
def test_parsimonious_models_are_every_minimal_sum_of_primes(seed):
    frame, names, positive, negative, k = random_table(seed)
    everything = set(product((0, 1), repeat=k))
    if not negative:
        pytest.skip("no negative configuration")
    result = qca.minimize(frame, "Y", names, include="?")
    terms = primes(positive, everything - negative, k)
    size, sums = minimal_sums(terms, positive, k)
    expected = {frozenset(write(terms[i], names) for i in s) for s in sums}
    assert {frozenset(m) for m in result.models} == expected
    for solution in result.solutions:
        union = set().union(*(covered(t, k) for t in parse(solution, names)))
        assert positive <= union and not union & negative


@pytest.mark.parametrize("seed", range(40))
def test_no_sum_of_fewer_terms_of_any_kind_exists(seed):
    """Not only no fewer prime implicants: no fewer terms at all (k = 3, every term tried)."""
    frame, names, positive, negative, k = random_table(1000 + seed, k=3)
    everything = set(product((0, 1), repeat=k))
    for include, allowed in (("", positive), ("?", everything - negative)):
        result = qca.minimize(frame, "Y", names, include=include)
        size = len(result.models[0])
        implicants = [covered(t, k) for t in all_terms(k) if covered(t, k) <= allowed]
        for fewer in range(1, size):
            assert not any(set().union(*c) >= positive for c in combinations(implicants, fewer))


@pytest.mark.parametrize("seed", range(60))
def test_intermediate_lies_between_conservative_and_parsimonious(seed):
    frame, names, positive, negative, k = random_table(2000 + seed)
    if not negative:
        pytest.skip("no negative configuration")
    rng = np.random.default_rng(seed)
    dir_exp = [rng.choice([n, "~" + n, "-"]) for n in names]
    result = qca.minimize(frame, "Y", names, include="?", dir_exp=dir_exp)
    parsimonious = qca.minimize(frame, "Y", names, include="?")
    for combo in result.intermediate:
        p = int(combo.name.split("P")[1]) - 1
        pars_cover = set().union(*(covered(t, k) for t in parse(parsimonious.solutions[p], names)))
        easy = {tuple(r) for r in combo.easy_counterfactuals[names].to_numpy()}
        assert easy <= pars_cover - positive  # easy counterfactuals are simplifying assumptions
        for solution in combo.solutions:
            union = set().union(*(covered(t, k) for t in parse(solution, names)))
            assert positive <= union <= positive | easy  # covers the positives, only easy remainders besides


@pytest.mark.parametrize("seed", range(60))
def test_prime_implicant_searches_find_exactly_the_primes(seed):
    rng = np.random.default_rng(3000 + seed)
    k = int(rng.integers(2, 7))
    status = rng.choice(["1", "0", "?"], size=2 ** k)
    configs = list(product((0, 1), repeat=k))
    positive = [c for c, s in zip(configs, status) if s == "1"]
    negative = [c for c, s in zip(configs, status) if s == "0"]
    if not positive or not negative:
        pytest.skip("needs positive and negative configurations")
    code = lambda t: tuple(0 if j not in t else t[j] + 1 for j in range(k))  # noqa: E731
    everything = set(configs)
    want = {code(t) for t in primes(set(positive), everything - set(negative), k)}
    assert set(consistency_cubes(np.array(positive), np.array(negative))) == want
    want = {code(t) for t in primes(set(positive), set(positive), k)}
    assert set(quine_mccluskey(positive)) == want


def literal_sort(codes):
    """R's C routine sort_matrix, transcribed loop by loop (the rotations included)."""
    n, k = len(codes), len(codes[0])
    idx = list(range(n))
    ck = [sum(c != 0 for c in code) for code in codes]
    for i in range(k - 1, -1, -1):
        for c1 in range(n):
            for c2 in range(c1 + 1, n):
                if codes[idx[c1]][i] < codes[idx[c2]][i]:
                    idx.insert(c1, idx.pop(c2))
        zero, nonzero = 0, True
        while zero < n and nonzero:
            nonzero = codes[idx[zero]][i] != 0
            zero += 1
        zero -= 1
        for c1 in range(zero):
            for c2 in range(c1 + 1, zero):
                if codes[idx[c1]][i] > codes[idx[c2]][i]:
                    idx.insert(c1, idx.pop(c2))
    for c1 in range(n):
        for c2 in range(c1 + 1, n):
            if ck[idx[c1]] > ck[idx[c2]]:
                idx.insert(c1, idx.pop(c2))
    return idx


@pytest.mark.parametrize("seed", range(200))
def test_r_order_is_rs_sort(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(1, 6))
    codes = list({tuple(int(v) for v in rng.integers(0, 3, size=k)) for _ in range(int(rng.integers(1, 15)))})
    codes = [c for c in codes if any(c)] or [(1,) * k]
    assert r_order(codes) == literal_sort(codes)


# --- the cover search's own paths ----------------------------------------------------------------

def brute_covers(chart):
    rows = range(chart.shape[0])
    for size in range(1, chart.shape[0] + 1):
        found = [c for c in combinations(rows, size) if chart[list(c)].any(axis=0).all()]
        if found:
            return found
    return []


@pytest.mark.parametrize("seed", range(80))
def test_minimal_covers_equal_brute_force_by_every_path(seed):
    """The branch and bound, and the integer programs that replace it on large charts (forced here
    with a step budget of 0), both give exactly every least cover, in lexicographic order."""
    from commissioning.qca.cover import minimal_covers

    rng = np.random.default_rng(seed)
    chart = rng.random((int(rng.integers(2, 10)), int(rng.integers(1, 9)))) < 0.35
    chart[rng.integers(0, chart.shape[0], size=chart.shape[1]), np.arange(chart.shape[1])] = True
    want = brute_covers(chart)
    assert minimal_covers(chart) == want
    assert minimal_covers(chart, max_steps=0) == want


def test_more_models_than_max_models_is_an_error_not_a_partial_list():
    """Eleven independent choices of two implicants: 2**11 least covers."""
    from commissioning.qca.cover import TooManyModels, minimal_covers

    chart = np.zeros((22, 11), dtype=bool)
    for c in range(11):
        chart[2 * c:2 * c + 2, c] = True
    with pytest.raises(TooManyModels) as err:
        minimal_covers(chart)
    assert err.value.at_least > 1000
    assert len(minimal_covers(chart, max_models=2048)) == 2048
    one_part = np.vstack([chart, np.ones((1, 11), dtype=bool)])  # one implicant covering all: a single model
    assert minimal_covers(one_part) == [(22,)]


def test_many_models_found_by_exchanges_in_one_part():
    """One part (a cycle of configurations) whose least covers the exchanges reach; with a budget of 0
    the integer programs must still find all of them."""
    from commissioning.qca.cover import TooManyModels, minimal_covers

    n = 12
    chart = np.zeros((n, n), dtype=bool)
    for r in range(n):
        chart[r, r] = chart[r, (r + 1) % n] = True
    want = brute_covers(chart)
    assert minimal_covers(chart) == want == minimal_covers(chart, max_steps=0)
    with pytest.raises(TooManyModels):
        minimal_covers(chart, max_models=len(want) - 1, max_steps=0)


def test_minimize_reports_too_many_models():
    """The cyclic function of minterms 0, 1, 2, 5, 6, 7 has two least sums of three terms."""
    rows = [dict(A=a, B=b, C=c, Y=int(4 * a + 2 * b + c in (0, 1, 2, 5, 6, 7))) for a, b, c in product((0, 1), repeat=3)]
    frame = pd.DataFrame(rows)
    result = qca.minimize(frame, "Y")
    assert {frozenset(m) for m in result.models} == {frozenset({"~A*~B", "B*~C", "A*C"}),
                                                     frozenset({"~A*~C", "~B*C", "A*B"})}
    with pytest.raises(ParameterError) as err:
        qca.minimize(frame, "Y", max_models=1)
    assert str(err.value) == ("max_models: 1 is fewer than the minimal models of the conservative solution (at least 2); "
                              "allowed: a larger max_models; or fewer conditions, or a higher n_cut or incl_cut, which "
                              "leave fewer configurations to cover")
