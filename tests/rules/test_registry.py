"""The rule layer against independent recounts: the shipped interview files read with PyYAML and
counted with plain Python, never through the library's per-unit values."""

from collections import Counter
from fractions import Fraction
from math import comb

import numpy as np
import pytest
import yaml

import commissioning as cm
from commissioning import rules
from commissioning.analysis.units import table_from_study
from commissioning.data.quantifiers import load_quantifiers

from ..conftest import DATA


@pytest.fixture(scope="module")
def raw():
    """{interview_id: (municipality, {variable: code or [codes]})} straight from the files."""
    out = {}
    for path in sorted((DATA / "interviews").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        values = {k: (v["code"] if isinstance(v, dict) else v) for k, v in data["values"].items()}
        out[data["interview_id"]] = (data["municipality"], values)
    return out


@pytest.fixture(scope="module")
def munis():
    import csv

    with open(DATA / "municipalities.csv", encoding="utf-8") as fh:
        return {r["cbs_code"]: r for r in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def q():
    return load_quantifiers(DATA / "quantifiers.csv")


@pytest.fixture(scope="module")
def table(study):
    return table_from_study(study)


def measure(table, q, **spec):
    return rules.measure(table, spec, q)


def test_share_equals_a_recount(raw, munis, table, q):
    ks = [v["sourcing.design"] for _, v in raw.values()]
    o = measure(table, q, rule="share", variable="sourcing.design", codes=["mixed", "outsourced"], quantifier="regularly")
    k = sum(c in ("mixed", "outsourced") for c in ks)
    assert int(o.data["k"][0, 0]) == k and int(o.data["n"][0, 0]) == 24
    assert o.first() == (rules.HOLDS if 6 <= k <= 18 else rules.FAILS)
    # a municipality-level variable counts each municipality once
    per_muni = {m: v["organisation.model"] for m, v in raw.values()}
    o = measure(table, q, rule="share", variable="organisation.model", codes=["sector"], quantifier="any",
                where={"size_class": ["large"]})
    large = [m for m in per_muni if munis[m]["size_class"] == "large"]
    assert int(o.data["n"][0, 0]) == len(large) == 8
    assert int(o.data["k"][0, 0]) == sum(per_muni[m] == "sector" for m in large)


def test_quantifier_bounds_are_exact(q):
    # 'most' excludes exactly half and all; 'some' includes half
    assert not q["most"].holds_count(9, 18) and q["most"].holds_count(10, 18) and not q["most"].holds_count(18, 18)
    assert q["some"].holds_count(9, 18) and not q["some"].holds_count(0, 18)
    assert q["as_a_rule"].holds_count(3, 3) and not q["as_a_rule"].holds_count(1, 2)
    assert q["almost_all"].holds_count(20, 24) and not q["almost_all"].holds_count(19, 24)
    assert q["almost_all"].holds_count(6, 6) and q["almost_all"].holds_count(5, 6)  # 'vrijwel' forces no exception
    assert list(q["varied"].holds_counts(np.array([2, 3, 4]), 6)) == [True, True, False]  # no majority
    assert q["minority"].holds_count(0, 18) and q["minority"].holds_count(8, 18) and not q["minority"].holds_count(9, 18)
    # one minimum effect: 'more often' from 15 points, 'hardly' below it
    assert q["more_often"].holds(0.15) and not q["more_often"].holds(0.149)
    assert q["hardly"].holds(0.149) and not q["hardly"].holds(0.15)
    assert q["hardly"].upper == q["more_often"].lower
    assert q["now_and_then"].holds_count(1, 18) and not q["now_and_then"].holds_count(0, 18)


def test_any_of_and_compare_equal_a_recount(raw, munis, table, q):
    per_muni = {m: v for m, v in raw.values()}
    smaller = [m for m in per_muni if munis[m]["size_class"] in ("small", "medium")]
    larger = [m for m in per_muni if munis[m]["size_class"] in ("large", "very_large")]
    o = measure(table, q, rule="any_of", variables=["structure.shared_execution", "structure.shared_procurement"],
                codes=["yes"], quantifier="some", where={"size_class": ["small", "medium"]})
    k = sum("yes" in (per_muni[m]["structure.shared_execution"], per_muni[m]["structure.shared_procurement"])
            for m in smaller)
    assert (int(o.data["k"][0]), int(o.data["n"][0])) == (k, 8)
    o = measure(table, q, rule="compare", variable="structure.shared_procurement", codes=["yes"],
                greater={"size_class": ["small", "medium"]}, than={"size_class": ["large", "very_large"]})
    a = Fraction(sum(per_muni[m]["structure.shared_procurement"] == "yes" for m in smaller), len(smaller))
    b = Fraction(sum(per_muni[m]["structure.shared_procurement"] == "yes" for m in larger), len(larger))
    assert float(o.data["diff"][0]) == pytest.approx(float(a - b))
    assert o.first() == (rules.HOLDS if a - b >= Fraction(15, 100) else rules.FAILS)


def test_a_comparison_needs_the_minimum_effect(table, q):
    """Every comparison between groups is held against the one constant `more_often`: a difference
    smaller than it fails however it leans, and the constant comes from quantifiers.csv."""
    spec = dict(rule="compare", variable="agenda.explicitness", codes=["explicit"],
                greater={"size_class": ["large", "very_large"]}, than={"size_class": ["small", "medium"]})
    o = measure(table, q, **spec)
    diff = float(o.data["diff"][0])
    assert o.first() == rules.HOLDS and diff >= 0.15
    import dataclasses
    stricter = {**q, "more_often": dataclasses.replace(q["more_often"], lower=diff + 0.01)}
    assert rules.measure(table, spec, stricter).first() == rules.FAILS
    with pytest.raises(cm.ParameterError, match="more_often"):
        rules.measure(table, spec, {k: v for k, v in q.items() if k != "more_often"})


def test_pooled_and_difference_equal_a_recount(raw, munis, table, q):
    acts = [v for v in cm.load_study().codebook.variables if v.startswith("sourcing.")]
    big = {i for i, (m, _) in raw.items() if munis[m]["size_class"] in ("large", "very_large")}
    ext = {i: sum(v[a] in ("mixed", "outsourced") for a in acts) for i, (_, v) in raw.items()}
    k1, k2 = sum(ext[i] for i in big), sum(ext[i] for i in raw if i not in big)
    n1, n2 = 12 * len(big), 12 * (24 - len(big))
    o = measure(table, q, rule="difference", variables=acts, codes=["mixed", "outsourced"], quantifier="hardly",
                groups=[{"size_class": ["large", "very_large"]}, {"size_class": ["small", "medium"]}])
    assert float(o.data["diff"][0]) == pytest.approx(abs(k1 / n1 - k2 / n2))
    o = measure(table, q, rule="pooled", variables=acts, codes=["in_house"], quantifier="most")
    assert int(o.data["k"][0]) == sum(v[a] == "in_house" for _, v in raw.values() for a in acts)


def test_trend_equals_scipy(raw, munis, table, q):
    from scipy.stats import spearmanr

    sizes = ["small", "medium", "large", "very_large"]
    order = ["incidental", "initial_steps", "explicit"]
    x = [sizes.index(munis[m]["size_class"]) for m, _ in raw.values()]
    y = [order.index(v["agenda.explicitness"]) for _, v in raw.values()]
    o = measure(table, q, rule="trend", variable="agenda.explicitness", quantifier="the_larger_the_more")
    assert float(o.data["rho"][0]) == pytest.approx(spearmanr(x, y).statistic)


def test_only_named_and_varied(raw, munis, table, q):
    o = measure(table, q, rule="only_named", variable="network.partner_discussion", codes=["structural"],
                municipalities=["GM0599", "GM0518"])
    assert o.first() == rules.HOLDS
    medium = [v["agenda.explicitness"] for m, v in raw.values() if munis[m]["size_class"] == "medium"]
    o = measure(table, q, rule="varied", variable="agenda.explicitness", quantifier="varied",
                where={"size_class": ["medium"]})
    assert int(o.data["k"][0]) == max(Counter(medium).values()) and int(o.data["n"][0]) == len(medium)


def test_mentions_equal_a_recount(raw, table, q):
    counts = Counter(c for _, v in raw.values() for c in v["maturity.top3"])
    o = measure(table, q, rule="mentioned_by", variable="maturity.top3", code="people_competences", quantifier="often")
    assert int(o.data["k"][0]) == counts["people_competences"] == 15
    o = measure(table, q, rule="printed_shares", variable="maturity.top3", total=72,
                printed={"people_competences": 21, "stakeholders": 11})
    assert o.first() == rules.HOLDS
    o = measure(table, q, rule="printed_shares", variable="maturity.top3", total=72, printed={"stakeholders": 12})
    assert o.first() == rules.FAILS


def test_differ_vs_chance_equals_a_recount(raw, munis, table, q):
    """Observed differences within municipalities and their chance level, counted by hand: for k
    interviews drawn from N with n_c of code c, P(all alike) = sum_c C(n_c, k) / C(N, k)."""
    variables = ["portfolio.overview", "agenda.explicitness"]
    by_muni = {}
    for iid, (m, v) in raw.items():
        by_muni.setdefault(m, []).append(v)
    multi = {m: vs for m, vs in by_muni.items() if len(vs) > 1}
    obs, exp = [], []
    for var in variables:
        codes = Counter(v[var] for _, v in raw.values())
        n = sum(codes.values())
        for m, vs in multi.items():
            k = len(vs)
            obs.append(len({v[var] for v in vs}) > 1)
            exp.append(1 - sum(Fraction(comb(c, k), comb(n, k)) for c in codes.values()))
    o = measure(table, q, rule="differ_vs_chance", variables=variables, quantifier="enormous")
    assert float(o.data["observed"][0]) == pytest.approx(sum(obs) / len(obs))
    assert float(o.data["expected"][0]) == pytest.approx(float(sum(exp) / len(exp)))
    assert o.first() == (rules.HOLDS if sum(obs) / len(obs) >= float(sum(exp) / len(exp)) else rules.FAILS)


def test_batches_give_the_same_verdict_as_one_table(table, q, study):
    """The reconstruction's batches run the same code: a batch of copies gives each row the verdict
    of the table itself."""
    claims = cm.load_claims(codebook=study.codebook, quantifiers=q)
    from commissioning.analysis.claims import verdicts_of

    single = verdicts_of(table, claims, q)[:, 0]
    v = "sourcing.design"
    batch = table.with_values(v, np.repeat(table.values[v], 5, axis=0))
    assert (verdicts_of(batch, claims, q) == single[:, None]).all()


def test_implies_finds_violations(raw, table, q):
    spec = {"rule": "implies", "if": {"variable": "segment.housing.investment", "codes": ["facilitator"]},
            "then": {"variable": "segment.housing.maintenance", "codes": ["users"]}}
    per_muni = {m: v for m, v in raw.values()}
    breaking = sum(v["segment.housing.investment"] == "facilitator" and v["segment.housing.maintenance"] != "users"
                   for v in per_muni.values())
    assert breaking > 0
    assert int(rules.measure(table, spec, q).data["violations"][0]) == breaking


def _median_code(codes, order):
    """The lower median of a municipality's interview codes, by hand."""
    ranked = sorted(order.index(c) for c in codes)
    return order[ranked[(len(ranked) - 1) // 2]]


def test_a_claim_per_municipality_reads_the_median_of_its_interviews(raw, munis, table, q):
    """At unit municipality a variable coded per interview counts each municipality once, with the
    median of its interviews (at least half yes for a boolean), recounted by hand."""
    order = ["in_house", "mixed", "outsourced"]
    by_muni = {}
    for m, v in raw.values():
        by_muni.setdefault(m, []).append(v)
    medians = {m: _median_code([v["sourcing.design"] for v in vs], order) for m, vs in by_muni.items()}
    o = measure(table, q, rule="share", variable="sourcing.design", codes=["mixed", "outsourced"],
                quantifier="regularly", unit="municipality")
    assert int(o.data["n"][0, 0]) == 18
    assert int(o.data["k"][0, 0]) == sum(c in ("mixed", "outsourced") for c in medians.values())
    hire = {m: 2 * sum(v["capacity.specialist_hire"] == "yes" for v in vs) >= len(vs) for m, vs in by_muni.items()}
    o = measure(table, q, rule="share", variable="capacity.specialist_hire", codes=["yes"], quantifier="any",
                unit="municipality")
    assert int(o.data["k"][0, 0]) == sum(hire.values())
    # a municipality with two interviews that disagree: its median is the lower code
    assert _median_code(["in_house", "outsourced"], order) == "in_house"


def test_hardly_differ_as_a_rule_per_activity(raw, munis, table, q):
    acts = [v for v in cm.load_study().codebook.variables if v.startswith("sourcing.")]
    order = ["in_house", "mixed", "outsourced"]
    by_muni = {}
    for m, v in raw.values():
        by_muni.setdefault(m, []).append(v)
    big = [m for m in by_muni if munis[m]["size_class"] in ("large", "very_large")]
    small = [m for m in by_muni if m not in big]
    within = 0
    for a in acts:
        ext = {m: _median_code([v[a] for v in vs], order) != "in_house" for m, vs in by_muni.items()}
        d = abs(Fraction(sum(ext[m] for m in big), len(big)) - Fraction(sum(ext[m] for m in small), len(small)))
        within += d < Fraction(15, 100)
    o = measure(table, q, rule="difference", per_variable=True, of_variables="as_a_rule", variables=acts,
                codes=["mixed", "outsourced"], quantifier="hardly", unit="municipality",
                groups=[{"size_class": ["large", "very_large"]}, {"size_class": ["small", "medium"]}])
    assert int(o.data["parts"][0].sum()) == within
    assert o.first() == (rules.HOLDS if 2 * within > len(acts) else rules.FAILS)


def test_a_selection_by_another_variables_codes(raw, table, q):
    """Respondents in municipalities with a tilted model, against those with a sector model."""
    tilted = [v for m, v in raw.values() if v["organisation.model"] == "tilted"]
    sector = [v for m, v in raw.values() if v["organisation.model"] == "sector"]
    o = measure(table, q, rule="compare", variable="portfolio.overview", codes=["own_department", "full"],
                greater={"coded": {"variable": "organisation.model", "codes": ["tilted"]}},
                than={"coded": {"variable": "organisation.model", "codes": ["sector"]}})
    assert o.data["n"][0].tolist() == [len(tilted), len(sector)]
    assert o.data["k"][0].tolist() == [sum(v["portfolio.overview"] != "none" for v in group) for group in (tilted, sector)]


def test_an_unknown_rule_kind_or_key(table, q, study):
    with pytest.raises(cm.ParameterError, match="rule: 'sharee' is not a rule kind; allowed: share, any_of"):
        rules.measure(table, {"rule": "sharee"}, q)
    problems = rules.check_spec({"rule": "share", "variable": "x.y", "codes": [], "quantifier": "most"},
                                study.codebook, q)
    assert problems == ["names an unknown variable 'x.y'"]
    assert rules.check_spec({"rule": "share", "variable": "sourcing.design", "codez": []}, study.codebook, q) == [
        "rule share lacks 'codes'", "rule share lacks 'quantifier'", "rule share has an unknown key 'codez'"]
    # a quantifier must apply to what the rule measures
    assert rules.check_spec({"rule": "trend", "variable": "agenda.explicitness", "quantifier": "most"},
                            study.codebook, q) == [
        "quantifier 'most' applies to share, rule trend needs one that applies to correlation"]
    assert rules.check_spec({"rule": "ranking", "above": ["sourcing.design"], "below": ["sourcing.strategy"],
                             "codes": ["mixed"], "where": {"coded": {"variable": "organisation.model",
                                                                     "codes": ["tilted"]}}}, study.codebook, q) == [
        "selection 'where': rule ranking cannot select by 'coded'; allowed in: share, any_of, compare, pooled, "
        "difference, varied"]
