"""Resampling in bounded memory: batched permutation tests, bootstrap and fragmentation give
exactly the results of the code that held every resample at once (tests/reference_resampling.py),
for the same seed, on the shipped data, on random tables and on a synthetic study."""

import sys

import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning.analysis import association, effect_size, resampling
from commissioning.core import memo

from .. import reference_resampling as ref
from ..conftest import REPO


@pytest.fixture(autouse=True)
def _computed_every_time():
    """Without the in-process memo: a second call with the reference kernel must compute again."""
    with memo.disabled():
        yield


@pytest.fixture(params=[None, 97], ids=["default batches", "tiny batches"])
def batches(request, monkeypatch):
    """The default batch size, and batches so small that every computation takes many."""
    if request.param is not None:
        monkeypatch.setattr(resampling, "CHUNK_ELEMENTS", request.param)
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
        table = effect_size.trim_empty(table)
        if min(table.shape) >= 2:
            found += 1
            yield table


# --- permutation test of association ----------------------------------------------------------------

@pytest.mark.parametrize("table", list(random_tables()), ids=lambda t: f"{t.shape[0]}x{t.shape[1]}n{int(t.sum())}")
def test_permutation_p_equals_the_reference_on_random_tables(table, batches):
    for n_resamples, seed in ((999, 2018), (250, 3)):
        assert resampling.permutation_p(table, n_resamples, seed) == ref.permutation_p(table, n_resamples, seed)


def test_association_tests_equal_the_reference_on_the_shipped_data(study, batches, monkeypatch):
    for unit in ("municipality", "interview"):
        for by in ("size_class", "region"):
            new = cm.association_tests(study, by=by, unit=unit, n_resamples=999)
            with monkeypatch.context() as m:
                m.setattr(association, "permutation_p", ref.permutation_p)
                old = cm.association_tests(study, by=by, unit=unit, n_resamples=999)
            assert (old.test == "permutation chi-square").any()
            pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_association_tests_equal_the_reference_on_a_synthetic_study(synthetic, monkeypatch):
    monkeypatch.setattr(resampling, "CHUNK_ELEMENTS", 5000)  # 10 resamples of 500 interviews a batch
    variables = cm.activity_variables(synthetic)[:4]
    new = cm.association_tests(synthetic, variables, unit="interview", n_resamples=999)
    monkeypatch.setattr(association, "permutation_p", ref.permutation_p)
    old = cm.association_tests(synthetic, variables, unit="interview", n_resamples=999)
    assert (old.n_units == 500).all()
    pd.testing.assert_frame_equal(new, old, check_exact=True)


# --- bootstrap --------------------------------------------------------------------------------------

def test_bootstrap_counts_equal_drawing_every_resample_at_once(batches):
    rng = np.random.default_rng(5)
    for n, k in ((1, 3), (7, 10), (24, 10), (301, 4)):
        per_unit = rng.integers(0, 3, size=(n, k))
        for n_resamples in (1, 100, 2001):
            got = resampling.bootstrap_counts(per_unit, n_resamples, np.random.default_rng(n_resamples))
            draws = np.random.default_rng(n_resamples).integers(0, n, size=(n_resamples, n))
            np.testing.assert_array_equal(got, per_unit[draws].sum(axis=1))
            assert got.dtype == np.int64


@pytest.mark.parametrize("kwargs", [{}, {"n_resamples": 150, "seed": 1, "confidence": 0.9}])
def test_bootstrap_top3_equals_the_reference_on_the_shipped_data(study, batches, kwargs):
    new = cm.bootstrap_top3(study, **kwargs)
    shares, ranks = ref.bootstrap_top3(study, **kwargs)
    pd.testing.assert_frame_equal(new.shares, shares, check_exact=True)
    pd.testing.assert_frame_equal(new.ranks, ranks, check_exact=True)


def test_bootstrap_top3_equals_the_reference_on_a_synthetic_study(synthetic, monkeypatch):
    monkeypatch.setattr(resampling, "CHUNK_ELEMENTS", 3000)
    new = cm.bootstrap_top3(synthetic, n_resamples=500, seed=4)
    shares, ranks = ref.bootstrap_top3(synthetic, n_resamples=500, seed=4)
    pd.testing.assert_frame_equal(new.shares, shares, check_exact=True)
    pd.testing.assert_frame_equal(new.ranks, ranks, check_exact=True)


# --- fragmentation ----------------------------------------------------------------------------------

def test_differ_counts_equal_a_loop_over_groups(batches):
    rng = np.random.default_rng(8)
    for n, n_groups in ((6, 2), (40, 9), (200, 30)):
        codes = rng.integers(0, 4, size=n)
        owner = rng.integers(-1, n_groups, size=n)  # -1: a unit in no group
        groups = [np.flatnonzero(owner == g) for g in range(n_groups)]
        for n_permutations in (1, 100, 1001):
            got = resampling.differ_counts(codes, groups, n_permutations, np.random.default_rng([n, n_permutations]))
            shuffled = np.random.default_rng([n, n_permutations]).permuted(np.tile(codes, (n_permutations, 1)), axis=1)
            expected = np.zeros(n_permutations)
            for pos in groups:
                if len(pos):
                    block = shuffled[:, pos]
                    expected += (block != block[:, :1]).any(axis=1)
            np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("chunk", [7 * 50, 50, 10**6])
def test_resampling_advances_the_generator_as_one_draw(chunk, monkeypatch):
    monkeypatch.setattr(resampling, "CHUNK_ELEMENTS", chunk)
    codes, groups = np.arange(50) % 3, [np.arange(0, 10), np.arange(10, 30)]
    a, b = np.random.default_rng(1), np.random.default_rng(1)
    resampling.differ_counts(codes, groups, 30, a)
    b.permuted(np.tile(codes, (30, 1)), axis=1)
    assert a.random() == b.random()
    per_unit = np.ones((50, 2), dtype=np.int64)
    resampling.bootstrap_counts(per_unit, 30, a)
    b.integers(0, 50, size=(30, 50))
    assert a.random() == b.random()


def test_group_positions_equal_flatnonzero():
    rng = np.random.default_rng(2)
    labels = np.array([f"GM{i:04d}" for i in rng.integers(0, 30, size=500)], dtype=object)
    groups = pd.unique(labels)[::2].tolist() + ["GM9999"]
    got = resampling.group_positions(labels, groups)
    for g, pos in zip(groups, got):
        np.testing.assert_array_equal(pos, np.flatnonzero(labels == g))


def test_differ_counts_and_group_positions_reject_bad_input():
    with pytest.raises(cm.ParameterError, match="integer codes"):
        resampling.differ_counts(np.array([0.5, 1.0]), [], 10, np.random.default_rng(0))
    with pytest.raises(cm.ParameterError, match="positions outside"):
        resampling.differ_counts(np.array([0, 1]), [np.array([0, 2])], 10, np.random.default_rng(0))
    with pytest.raises(cm.ParameterError, match="n_permutations"):
        resampling.differ_counts(np.array([0, 1]), [], 0, np.random.default_rng(0))
    with pytest.raises(cm.ParameterError, match="labels repeat"):
        resampling.group_positions(["a"], ["a", "a"])
    with pytest.raises(cm.ParameterError, match="n_resamples"):
        resampling.bootstrap_counts(np.ones((2, 2), dtype=int), 0, np.random.default_rng(0))


@pytest.mark.parametrize("kwargs", [{}, {"n_permutations": 300, "seed": 5}])
def test_fragmentation_equals_the_reference_on_the_shipped_data(study, batches, kwargs):
    new = cm.fragmentation(study, **kwargs)
    old = ref.fragmentation(study, **kwargs)
    assert len(old) > 10
    pd.testing.assert_frame_equal(new, old, check_exact=True)


def test_fragmentation_equals_the_reference_on_a_synthetic_study(synthetic, monkeypatch):
    monkeypatch.setattr(resampling, "CHUNK_ELEMENTS", 4000)
    new = cm.fragmentation(synthetic, n_permutations=300, seed=9)
    old = ref.fragmentation(synthetic, n_permutations=300, seed=9)
    assert (old.n_municipalities == 100).all()
    pd.testing.assert_frame_equal(new, old, check_exact=True)
