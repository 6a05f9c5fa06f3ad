"""Aggregation to municipalities and within-municipality disagreement, against hand counts."""

import math

import pandas as pd

import pytest

import commissioning as cm


def test_rules_by_type(tiny):
    agg = cm.aggregate(tiny).set_index(["municipality", "variable"])
    # Den Haag: design outsourced, mixed, outsourced -> median in codebook order = outsourced
    assert agg.loc[("GM0518", "sourcing.design"), "code"] == "outsourced"
    assert agg.loc[("GM0518", "sourcing.design"), "rule"] == "median"
    # portfolio none, own_department, full -> median own_department
    assert agg.loc[("GM0518", "portfolio.overview"), "code"] == "own_department"
    # boolean yes, no, no -> 1 of 3 is less than half -> no
    assert agg.loc[("GM0518", "agenda.more_attention"), "code"] == "no"
    # nominal, all alike
    assert agg.loc[("GM0518", "organisation.model"), "code"] == "sector"
    assert agg.loc[("GM0106", "organisation.model"), "n_interviews"] == 1


def test_pairwise_agreement_by_hand(tiny):
    agg = cm.aggregate(tiny).set_index(["municipality", "variable"])
    # pairs (o,m) (o,o) (m,o): one of three agrees
    assert agg.loc[("GM0518", "sourcing.design"), "pairwise_agreement"] == pytest.approx(1 / 3)
    assert agg.loc[("GM0518", "sourcing.design"), "n_distinct"] == 2
    assert agg.loc[("GM0518", "portfolio.overview"), "pairwise_agreement"] == 0
    assert math.isnan(agg.loc[("GM0687", "sourcing.design"), "pairwise_agreement"])
    assert agg.loc[("GM0518", "sourcing.design"), "basis"] == "observed"


def test_nominal_tie_goes_to_codebook_order(tiny_dir):
    from ..conftest import write_interview

    itv = tiny_dir / "interviews"
    for p in itv.glob("GM0518-*.yaml"):
        p.unlink()
    write_interview(itv, "GM0518-1", {"agenda.carrier": "civil_service"})
    write_interview(itv, "GM0518-2", {"agenda.carrier": "connection"})
    agg = cm.aggregate(cm.load_study(tiny_dir), "agenda.carrier").set_index("municipality")
    assert agg.loc["GM0518", "code"] == "connection"  # first in the codebook
    assert bool(agg.loc["GM0518", "tied"])


def test_disagreement_only_multi_interview_municipalities(tiny):
    d = cm.disagreement(tiny)
    assert set(d.municipality) == {"GM0518"}
    row = d.set_index("variable").loc["organisation.model"]
    assert not row.differs and row.pairwise_agreement == 1
    assert d.set_index("variable").loc["sourcing.design", "differs"]


def test_ranked_set_is_not_aggregated(tiny):
    with pytest.raises(cm.ParameterError, match="is a ranked set .* not aggregated per municipality"):
        cm.aggregate(tiny, "maturity.top3")


def test_unknown_variable(tiny):
    with pytest.raises(cm.ParameterError, match="variable: 'sourcing.desing' is not a variable of the codebook"):
        cm.aggregate(tiny, "sourcing.desing")


def test_a_second_coder_does_not_count_as_another_interview(tiny_dir):
    from ..conftest import write_interview

    before = cm.load_study(tiny_dir)
    agg_before, dis_before = cm.aggregate(before), cm.disagreement(before)
    units_before = cm.unit_values(before, "sourcing.design", unit="interview")
    # a second coder ('zz', after 'ab' in the alphabet) codes two interviews differently
    write_interview(tiny_dir / "interviews", "GM0518-1", {"sourcing.design": "in_house"}, coder="zz", suffix=".zz")
    write_interview(tiny_dir / "interviews", "GM0687-1", {"sourcing.design": "outsourced"}, coder="zz", suffix=".zz")
    after = cm.load_study(tiny_dir)
    assert len(after.codings) > len(before.codings)
    pd.testing.assert_frame_equal(cm.aggregate(after), agg_before)
    pd.testing.assert_frame_equal(cm.disagreement(after), dis_before)
    pd.testing.assert_frame_equal(cm.unit_values(after, "sourcing.design", unit="interview"), units_before)


def test_vectorised_aggregation_equals_a_loop_per_municipality(study):
    """The vectorised rules against a plain loop over municipalities, on the shipped data and on
    random codes with many ties."""
    import numpy as np
    from dataclasses import replace

    def by_hand(s):
        rows = []
        cod = s.codings
        for (muni, var_id), grp in cod[cod.variable != "maturity.top3"].groupby(["municipality", "variable"]):
            var = s.codebook.variables[var_id]
            codes = grp.code.tolist()
            order = var.code_list
            if var.type == "boolean":
                code = "yes" if 2 * codes.count("yes") >= len(codes) else "no"
            elif var.type == "ordinal":
                code = sorted(codes, key=order.index)[(len(codes) - 1) // 2]
            else:
                top = max(codes.count(c) for c in set(codes))
                code = min((c for c in set(codes) if codes.count(c) == top), key=order.index)
            rows.append((muni, var_id, code))
        return sorted(rows)

    got = sorted(zip(*[cm.aggregate(study)[c] for c in ("municipality", "variable", "code")]))
    assert got == by_hand(study)
    rng = np.random.default_rng(7)
    cod = study.codings.copy()
    free = [i for i, v in enumerate(cod.variable) if study.codebook.variables[v].per_interview
            and study.codebook.variables[v].type != "ranked_set"]
    for i in free:
        cod.iat[i, cod.columns.get_loc("code")] = rng.choice(study.codebook.variables[cod.variable.iat[i]].code_list)
    shuffled = replace(study, codings=cod)
    got = sorted(zip(*[cm.aggregate(shuffled)[c] for c in ("municipality", "variable", "code")]))
    assert got == by_hand(shuffled)
