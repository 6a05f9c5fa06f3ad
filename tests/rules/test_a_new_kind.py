"""A rule kind of a study's own, added in one file (this one): one `RuleKind` that measures,
describes in English and Dutch, fixes values for the reconstruction and says how publishing treats
it, registered with `commissioning.rules.register`. Nothing else in the library names it."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning.analysis.claims import evaluate
from commissioning.analysis.units import table_from_study
from commissioning.data.quantifiers import load_quantifiers
from commissioning.data.statements import load_claims
from commissioning.errors import DataError, ParameterError
from commissioning.reconstruct import drawing
from commissioning.reconstruct.inputs import load_inputs
from commissioning.rules import HOLDS, KINDS, Outcome, RuleKind, measure, register, unregister
from commissioning.rules.selection import count_codes, selection_mask

from ..conftest import DATA

VARIABLE = "structure.real_estate_company"  # no claim or constraint of the study reads it


def measure_at_least(table, spec, quantifiers) -> Outcome:
    """At least `count` units of the selection are coded one of `codes`."""
    k, n = count_codes(table, spec["variable"], spec["codes"], spec.get("where"))
    holds = k >= int(spec["count"])
    return Outcome(np.where(n == 0, -1, np.where(holds, 1, 0)).astype(np.int64), {"k": k, "n": n})


WORDS = {"en": "at least {count} of the {units}", "nl": "ten minste {count} van de {units}"}


def describe_at_least(d, spec, data):
    k, n = int(data["k"][0]), int(data["n"][0])
    value = f"{d.pct(k, n)} {d.t['coded']} {d.codes(spec['variable'], spec['codes'])}"
    threshold = WORDS[d.lang].format(count=spec["count"], units=d.t["units"][d.unit])
    return value, threshold, pd.DataFrame({"variable": [spec["variable"]], "n_with_code": [k], "n_units": [n]})


def determine_at_least(spec, table, quantifiers):
    """`count` equal to every unit of the selection fixes each of them."""
    v = spec["variable"]
    units = np.atleast_2d(selection_mask(table, v, spec.get("where")))[0]
    if int(spec["count"]) < int(units.sum()):
        return []
    codes = np.zeros(len(table.var(v).codes), dtype=bool)
    codes[table.code_indices(v, spec["codes"])] = True
    return [(v, units, codes, "only")]


AT_LEAST = RuleKind("at_least", measure_at_least, describe_at_least, required=frozenset({"variable", "codes"}),
                    keys=frozenset({"count"}), determine=determine_at_least)


@pytest.fixture
def at_least():
    register(AT_LEAST)
    yield AT_LEAST
    unregister("at_least")


@pytest.fixture(scope="module")
def quantifiers():
    return load_quantifiers(DATA / "quantifiers.csv")


def spec(count, **extra):
    return {"rule": "at_least", "variable": VARIABLE, "codes": ["yes"], "count": count, **extra}


def claim(count, **extra):
    return {"id": "own-at-least", "section": "9.9", "chapter": "conclusions", "unit": "municipality",
            "en": "Some have a real estate company.", "nl": "Sommige hebben een vastgoedbedrijf.",
            "rules": [spec(count, **extra)]}


def test_an_unregistered_kind_is_refused_by_name():
    with pytest.raises(ParameterError, match="'at_least' is not a rule kind"):
        measure(table_from_study(cm.load_study()), spec(1), {})


def test_it_measures(at_least, quantifiers):
    study = cm.load_study()
    table = table_from_study(study)
    k = int((table.hits(VARIABLE, ["yes"]) & table.present(VARIABLE)).sum())
    assert measure(table, spec(k), quantifiers).first() == HOLDS
    assert measure(table, spec(k + 1), quantifiers).first() == 0  # the data reverses it


def test_its_claims_are_checked_as_written(at_least, data_copy):
    path = data_copy / "claims.yaml"
    path.write_text(
        "- id: own-at-least\n  section: '9.9'\n  chapter: conclusions\n  unit: municipality\n"
        "  en: Some have one.\n  nl: Sommige hebben er een.\n"
        f"  rules:\n  - {{rule: at_least, variable: {VARIABLE}, codes: ['yes'], count: 1}}\n", encoding="utf-8")
    study = cm.load_study(data_copy)
    assert [c["rules"][0]["rule"] for c in load_claims(path, codebook=study.codebook)] == ["at_least"]
    path.write_text(path.read_text(encoding="utf-8").replace("count: 1", "count: 1, votes: 2"), encoding="utf-8")
    with pytest.raises(DataError, match="rule at_least has an unknown key 'votes'"):
        load_claims(path, codebook=study.codebook)


@pytest.mark.parametrize("lang, words", [("en", "at least 1 of the municipalities"),
                                         ("nl", "ten minste 1 van de gemeenten")])
def test_it_describes_in_english_and_dutch(at_least, quantifiers, lang, words):
    verdict = evaluate(cm.load_study(), claim(1), quantifiers, lang=lang)
    assert words in verdict.threshold
    assert verdict.value.split()[1] in ("of", "van")


def test_the_reconstruction_draws_what_it_fixes(at_least):
    base = load_inputs()
    every = len(base.municipalities)
    constraint = {"id": "own-every-one", "section": "9.9", "basis": "reported", "rules": [spec(every)]}
    inputs = replace(base, constraints=[*base.constraints, constraint])
    rec = drawing.reconstruct(7, inputs=inputs)
    values = rec.table.values[VARIABLE][0]
    yes = rec.table.var(VARIABLE).code_list.index("yes")
    assert (values == yes).all()
    assert measure(rec.table, spec(every), inputs.quantifiers).first() == HOLDS
    assert {basis for basis, _, _ in rec.provenance[VARIABLE]} == {"reported"}
    assert all("own-every-one" in ids for _, _, ids in rec.provenance[VARIABLE])
    # without the constraint the variable is drawn freely, and labelled imputed
    free = drawing.reconstruct(7, inputs=base)
    assert {basis for basis, _, _ in free.provenance[VARIABLE]} == {"imputed"}


def test_publishing_treats_it_as_its_kind_says(at_least):
    p = cm.protection(cm.load_study(), publish=True)
    assert p.withheld(claim(1)) is None
    small = p.withheld(claim(1, where={"size_class": ["very_large"]}))
    assert small is not None and "fewer than 3" in small["en"]
    naming = replace(AT_LEAST, name="at_least_named", names_units=True)
    register(naming)
    try:
        named = p.withheld({**claim(1), "rules": [{**spec(1), "rule": "at_least_named"}]})
        assert named["nl"] == "Onderbouwing weggelaten: de uitspraak noemt afzonderlijke gemeenten."
    finally:
        unregister("at_least_named")


def test_a_kind_is_registered_once_and_the_suites_kinds_stay(at_least):
    assert KINDS["at_least"] is AT_LEAST
    with pytest.raises(ParameterError, match="'at_least' is already a rule kind"):
        register(AT_LEAST)
    with pytest.raises(ParameterError, match="is not a RuleKind"):
        register({"name": "x"})
    with pytest.raises(ParameterError, match="one of the suite's kinds"):
        unregister("share")


# a coherence kind: where `if` holds, `then` does not; it narrows the codes the reconstruction
# may draw for one variable once the other is drawn (`RuleKind.narrow`)
OTHER = "segment.housing.maintenance"  # no claim or constraint of the study reads it either


def measure_excludes(table, spec, quantifiers) -> Outcome:
    a, b = spec["if"], spec["then"]
    both = (table.hits(a["variable"], a["codes"]) & table.hits(b["variable"], b["codes"])).sum(axis=1)
    return Outcome(np.where(both == 0, 1, 0).astype(np.int64), {"k": both})


def narrow_excludes(spec, variable, allowed, table, drawn):
    NARROWED.append((variable, tuple(sorted(drawn & {spec["if"]["variable"], spec["then"]["variable"]}))))
    for mine, other in ((spec["then"], spec["if"]), (spec["if"], spec["then"])):
        if mine["variable"] == variable and other["variable"] in drawn:
            units = table.hits(other["variable"], other["codes"])[0]
            codes = np.isin(table.var(variable).code_list, mine["codes"])
            allowed[units] &= ~codes
    return allowed


NARROWED: list = []
EXCLUDES = RuleKind("excludes", measure_excludes, describe_at_least, required=frozenset({"if", "then"}),
                    variables=lambda spec, codebook: [spec["if"]["variable"], spec["then"]["variable"]],
                    evidence="joint", narrow=narrow_excludes)


def test_the_reconstruction_keeps_what_a_coherence_kind_narrows():
    register(EXCLUDES)
    try:
        base = load_inputs()
        rule = {"rule": "excludes", "if": {"variable": VARIABLE, "codes": ["yes"]},
                "then": {"variable": OTHER, "codes": ["outsourced", "shared_service", "users"]}}
        constraint = {"id": "own-excludes", "section": "9.9", "basis": "reported", "rules": [rule]}
        NARROWED.clear()
        rec = drawing.reconstruct(7, inputs=replace(base, constraints=[*base.constraints, constraint]))
        assert measure(rec.table, rule, base.quantifiers).first() == HOLDS
        # the sampler asked the kind for the codes of both variables; the one drawn second saw the first drawn
        assert {v for v, _ in NARROWED} == {VARIABLE, OTHER}
        assert any(seen for _, seen in NARROWED)
        yes = rec.table.hits(VARIABLE, ["yes"])[0]
        assert yes.any() and (rec.table.hits(OTHER, ["own_service", "not_applicable"])[0][yes]).all()
    finally:
        unregister("excludes")
