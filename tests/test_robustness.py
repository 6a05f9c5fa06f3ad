"""Robustness over seeds: the in-memory draw equals the written files, and the summaries add up."""

import shutil

import pandas as pd
import pytest

import commissioning as cm
from commissioning import reconstruct as rc
from commissioning import robustness as rb

from .conftest import DATA


def test_in_memory_draw_equals_written_files(tmp_path, study):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("interviews"))
    rc.write_interviews(data / "interviews", seed=7, data_dir=data)
    loaded = cm.load_study(data)
    frame, draw, _ = rc.reconstruct(7)
    mem = rb.study_from_draw(frame, draw, study)
    key = ["interview_id", "variable", "rank"]
    a = loaded.codings.sort_values(key).reset_index(drop=True)
    b = mem.codings.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert mem.municipalities.n_interviews.tolist() == loaded.municipalities.n_interviews.tolist()


def test_support_and_spread(study):
    verdicts, statistics = rb.run_seeds([1, 2, 3])
    assert sorted(verdicts.seed.unique()) == [1, 2, 3]
    support = rb.support_table(verdicts, cm.load_claims())
    row_sums = support[["supported", "not_supported", "insufficient"]].sum(axis=1)
    assert (row_sums.round(12) == 1).all()
    fixed = support[support.basis == "fixed by construction"]
    assert (fixed.supported == 1).all()  # a fixed claim holds on every seed
    # the basis order: fixed first
    assert support.basis.tolist() == sorted(support.basis.tolist(), key=lambda b: b != "fixed by construction")
    spread = rb.spread_table(statistics, rb.headline_statistics(study))
    people = spread.set_index("statistic").loc["share of mentions: people and competences"]
    assert people["sd"] == 0 and people["mean"] == pytest.approx(15 / 72)


def test_headline_statistics_by_hand(study):
    stats = rb.headline_statistics(study)
    src = study.codings[study.codings.variable.str.startswith("sourcing.")]
    assert stats["share of activities outsourced"] == pytest.approx((src.code == "outsourced").sum() / (12 * 24))


def test_no_seeds_is_an_error():
    with pytest.raises(cm.ParameterError, match="at least one seed"):
        rb.run_seeds([])
