"""Robustness over seeds: every claim holds on every draw; the unstated patterns move, and the
summaries add up."""

import shutil

import pandas as pd
import pytest

import commissioning as cm
from commissioning.reconstruct import drawing, writing
from commissioning.analysis import robustness as rb

from ..conftest import DATA


def test_in_memory_draw_equals_written_files(tmp_path, study):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("interviews"))
    writing.write_interviews(data / "interviews", seed=7, data_dir=data)
    loaded = cm.load_study(data)
    mem = rb.study_from_reconstruction(drawing.reconstruct(7), study)
    key = ["interview_id", "variable", "rank"]
    a = loaded.codings.sort_values(key).reset_index(drop=True)
    b = mem.codings.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert mem.municipalities.n_interviews.tolist() == loaded.municipalities.n_interviews.tolist()


def test_claims_hold_on_every_seed_and_patterns_move(study):
    verdicts, patterns = rb.run_seeds([1, 2, 3], n_resamples=99, n_permutations=100)
    assert sorted(verdicts.seed.unique()) == [1, 2, 3]
    held = rb.held_everywhere(verdicts)
    assert (held.not_supported == 0).all()
    assert (held.supported + held.insufficient == 3).all()
    assert set(patterns.family) == set(rb.FAMILIES)
    spread = rb.spread_table(patterns, rb.unstated_patterns(study, n_resamples=99, n_permutations=100))
    assert (spread.n_seeds == 3).all()
    # something the study does not state moves between draws
    assert (spread["max"] > spread["min"]).any()
    regions = spread[spread.family == "region_difference"]
    assert len(regions) == 12 and regions.shipped.notna().all()


def test_the_unstated_patterns_leave_out_what_the_claims_state(study):
    """Per-activity differences between larger and smaller municipalities are stated by
    s21-size-hardly-differs; the places of the five printed aspects and of the one never named are
    stated too: none of them is an unstated pattern."""
    p = rb.unstated_patterns(study, n_resamples=99, n_permutations=100)
    assert "size_difference" not in set(p.family)
    stated = {"people_competences", "culture_leadership", "market_interaction", "societal_role", "stakeholders",
              "organisation_policy"}
    ranks = p[p.family == "maturity_rank"]
    assert not set(ranks.statistic) & stated and len(ranks) == 10 - len(stated)


def test_region_difference_pattern_by_hand(study):
    p = rb.unstated_patterns(study, n_resamples=99, n_permutations=100).set_index(["family", "statistic"]).value
    agg = cm.aggregate(study, "sourcing.design")
    shares = agg.assign(ext=agg.code.isin(["mixed", "outsourced"])).groupby("region").ext.mean()
    assert p[("region_difference", "sourcing.design")] == pytest.approx(100 * (shares.max() - shares.min()))


def test_no_seeds_is_an_error():
    with pytest.raises(cm.ParameterError, match="seeds: no seed given"):
        rb.run_seeds([])
