"""Resampling in bounded memory: batched permutation tests give exactly the results of the code
that held every resample at once (tests/reference_resampling.py), for the same seed, on the
shipped data, on random tables and on a synthetic study."""

import sys

import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning import stats

from . import reference_resampling as ref
from .conftest import REPO


@pytest.fixture(params=[None, 97], ids=["default batches", "tiny batches"])
def batches(request, monkeypatch):
    """The default batch size, and batches so small that every computation takes many."""
    if request.param is not None:
        monkeypatch.setattr(stats, "CHUNK_ELEMENTS", request.param)
    return request.param


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """500 synthetic interviews (benchmarks/generate.py): every variable, five per municipality."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return cm.load_study(generate(500, tmp_path_factory.mktemp("synthetic") / "data", seed=7))


def random_tables(n_tables=40, seed=11):
    """Tables as the permutation test gets them: without empty rows or columns, at least 2 x 2
    (some so small that scipy enumerates every permutation instead of sampling)."""
    rng = np.random.default_rng(seed)
    found = 0
    while found < n_tables:
        r, c = rng.integers(2, 5), rng.integers(2, 6)
        size = int(rng.choice([5, 7, 12, 40, 300]))
        table = np.zeros((r, c))
        np.add.at(table, (rng.integers(0, r, size), rng.integers(0, c, size)), 1)
        table = stats._trim(table)
        if min(table.shape) >= 2:
            found += 1
            yield table


# --- permutation test of association ----------------------------------------------------------------

@pytest.mark.parametrize("table", list(random_tables()), ids=lambda t: f"{t.shape[0]}x{t.shape[1]}n{int(t.sum())}")
def test_permutation_p_equals_the_reference_on_random_tables(table, batches):
    for n_resamples, seed in ((999, 2018), (250, 3)):
        assert stats._permutation_p(table, n_resamples, seed) == ref.permutation_p(table, n_resamples, seed)


def test_association_tests_equal_the_reference_on_the_shipped_data(study, batches, monkeypatch):
    for unit in ("municipality", "interview"):
        for by in ("size_class", "region"):
            new = cm.association_tests(study, by=by, unit=unit, n_resamples=999)
            with monkeypatch.context() as m:
                m.setattr(stats, "_permutation_p", ref.permutation_p)
                old = cm.association_tests(study, by=by, unit=unit, n_resamples=999)
            assert (old.test == "permutation chi-square").any()
            pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_association_tests_equal_the_reference_on_a_synthetic_study(synthetic, monkeypatch):
    monkeypatch.setattr(stats, "CHUNK_ELEMENTS", 5000)  # 10 resamples of 500 interviews a batch
    variables = cm.activity_variables(synthetic)[:4]
    new = cm.association_tests(synthetic, variables, unit="interview", n_resamples=999)
    monkeypatch.setattr(stats, "_permutation_p", ref.permutation_p)
    old = cm.association_tests(synthetic, variables, unit="interview", n_resamples=999)
    assert (old.n_units == 500).all()
    pd.testing.assert_frame_equal(new, old, check_exact=True)
