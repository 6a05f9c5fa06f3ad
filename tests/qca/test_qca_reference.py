"""commissioning.qca against R's QCA package (Dusa), the reference implementation.

The fixtures in fixtures/qca/ hold what R 4.2 with QCA 3.23 returned (versions, commits and the
way they were recorded are in each file's "reference"; each case has its R calls; r-random.json.gz
is compressed JSON, read it with zcat): the package's
classic data sets (fixtures/qca/data/, sources in SOURCES.md) and 250 seeded random problems,
crisp and fuzzy, with one or two inclusion cut-offs, n_cut, pri_cut, negated outcomes and
directional expectations. For every case the truth table, every model of the conservative,
parsimonious and intermediate solutions (their order, M1, M2, ...), the essential prime
implicants, the prime implicant chart, the simplifying assumptions and easy counterfactuals, and
the fit of every term and model must equal R's; numbers to 1e-9 and as printed, at 3 decimals.

Where R 3.23 is wrong the test says so and checks the difference is exactly R's mistake: with two
inclusion cut-offs and a configuration below n_cut, R's truthTable marks contradictions ('C')
through an index shorter than its rows, which R recycles. There the minimisations are compared on
R's own truth table (our table with R's OUT column), which `minimize` accepts as R does.
"""

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import commissioning.qca as qca
from commissioning.errors import ParameterError

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "qca"
CLASSIC = json.loads((FIXTURES / "r-classic.json").read_text(encoding="utf-8"))
RANDOM = json.loads(gzip.decompress((FIXTURES / "r-random.json.gz").read_bytes()).decode("utf-8"))
CASES = [c for c in CLASSIC["cases"] + RANDOM["cases"] if c["kind"] == "minimize"]
RUNS = [(c, i) for c in CASES if "error" not in c for i in range(len(c["minimize"]))]


def frame_of(case) -> pd.DataFrame:
    if case.get("dataset"):
        return pd.read_csv(FIXTURES / "data" / f"{case['dataset']}.csv", index_col="case")
    return pd.DataFrame(case["data"]["columns"], index=case["data"]["index"])


def options(case) -> dict:
    cut = case["incl_cut"]
    return {"incl_cut": cut[0] if len(cut) == 1 else tuple(cut), "n_cut": case["n_cut"], "pri_cut": case["pri_cut"],
            "negate_outcome": case["negate_outcome"]}


def missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def same(r, ours) -> bool:
    """Equal to 1e-9 and as R prints it (three decimals), or both missing."""
    if missing(r) or missing(ours):
        return missing(r) and missing(ours)
    return abs(r - ours) <= 1e-9 and f"{r:.3f}" == f"{float(ours):.3f}"


def observed(case) -> pd.DataFrame:
    """Our complete truth table's observed rows (those with an inclusion), those below n_cut too."""
    table = qca.truth_table(frame_of(case), case["outcome"], case["conditions"], complete=True, **options(case))
    return table[table["incl"].notna()]


def r_recycles(case) -> bool:
    """R 3.23's recycled 'C' index applies: two cut-offs and an observed row below n_cut."""
    return len(case["incl_cut"]) == 2 and bool((observed(case)["n"] < case["n_cut"]).any())


def table_with_r_out(case):
    """Our complete truth table with R's OUT column (R's table, as minimize gets it in R)."""
    ours = qca.truth_table(frame_of(case), case["outcome"], case["conditions"], complete=True, **options(case))
    r = case["truth_table"]
    ours.loc[r["row"], "OUT"] = r["OUT"]
    return ours


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in c], ids=lambda c: c["id"])
def test_truth_table_equals_r(case):
    frame, r = frame_of(case), case["truth_table"]
    if r_recycles(case):
        check_r_recycled_index(case)
        return
    ours = qca.truth_table(frame, case["outcome"], case["conditions"], **options(case))
    shown = [i for i, out in enumerate(r["OUT"]) if out != "?"]  # R prints these
    assert ours.index.tolist() == [r["row"][i] for i in shown]
    for j, condition in enumerate(case["conditions"]):
        assert ours[condition].tolist() == [r["configs"][j][i] for i in shown]
    for column in ("OUT", "n", "cases"):
        assert ours[column].tolist() == [r[column][i] for i in shown], column
    for column in ("incl", "PRI"):
        for i, value in zip(shown, ours[column]):
            assert same(r[column][i], value), (column, r["row"][i], r[column][i], value)


def check_r_recycled_index(case):
    """Our OUT with R's mistake replayed equals R's OUT: the only difference is the mistake.

    R sets OUT to '1' or '0' on the rows with n_cut cases or more, then 'C' through a mask over
    those rows only, applied to every row (R recycles a short logical index)."""
    r, ours = case["truth_table"], observed(case)
    kept = (ours["n"] >= case["n_cut"]).to_numpy()
    ic1, ic0 = case["incl_cut"]
    incl = ours["incl"].to_numpy()
    replay = np.where(ours["OUT"].to_numpy() == "1", "1", "0").astype(object)
    replay[~kept] = "?"
    mask = (incl[kept] < ic1) & (incl[kept] + 1.4901161193847656e-08 > ic0)
    replay[np.resize(mask, len(ours))] = "C"
    by_row = dict(zip(r["row"], r["OUT"]))
    assert {row: by_row[row] for row in ours.index if row in by_row} == \
        {row: out for row, out in zip(ours.index, replay) if row in by_row}


def printed_order(solution, essential):
    return [t for t in solution if t in essential] + [t for t in solution if t not in essential]


def check_models(r, ours):
    assert list(ours.models) == [tuple(printed_order(s, r["essential"])) for s in r["solutions"]]
    assert list(ours.essential) == list(r["essential"])
    assert list(ours.solutions) == [" + ".join(m) for m in ours.models]


def check_fit(r_fit, terms, n_models):
    ours = terms.set_index("term")
    overall = r_fit["overall"]
    essential_first = [t for t in ours.index if not (t.startswith("M") and t[1:].isdigit())]
    assert sorted(essential_first) == sorted(overall["term"])
    for i, term in enumerate(overall["term"]):
        for column in ("inclS", "PRI", "covS", "covU"):
            assert same(overall[column][i], ours.loc[term, column]), (term, column)
        assert ours.loc[term, "cases"] == overall["cases"][i]
    for m, model in enumerate(r_fit["individual"], start=1):
        for column, value in zip(("inclS", "PRI", "covS"), model["fit"]):
            assert same(value, ours.loc[f"M{m}", column]), (f"M{m}", column)
        if n_models > 1:
            for term, value in zip(model["terms"]["term"], model["terms"]["covU"]):
                assert same(value, ours.loc[term, f"(M{m})"]), (f"(M{m})", term)
    assert [t for t in terms["term"] if t.startswith("M") and t[1:].isdigit()] == \
        [f"M{m}" for m in range(1, len(r_fit["individual"]) + 1)]


def check_chart(r_chart, ours):
    assert ours.index.tolist() == r_chart["rows"]
    assert [str(c) for c in ours.columns] == r_chart["cols"]
    if "matrix" in r_chart:
        assert ours.to_numpy().tolist() == r_chart["matrix"]


@pytest.mark.parametrize("case,index", RUNS, ids=lambda v: v["id"] if isinstance(v, dict) else str(v))
def test_minimize_equals_r(case, index):
    run = case["minimize"][index]
    table = table_with_r_out(case) if r_recycles(case) else \
        qca.truth_table(frame_of(case), case["outcome"], case["conditions"], **options(case))
    if "error" in run:  # R stops; so must we, naming what to change
        with pytest.raises(ParameterError) as err:
            qca.minimize(table, include=run["include"], dir_exp=run["dir_exp"])
        expected = {"All truth table configurations are used": ("include", "conditions"),
                    "None of the values in OUT is explained": ("incl_cut",)}
        assert err.value.parameter in next(v for k, v in expected.items() if run["error"].startswith(k))
        return
    ours = qca.minimize(table, include=run["include"], dir_exp=run["dir_exp"])
    r = run["result"]
    if run["dir_exp"] is not None:
        assert [i.name for i in ours.intermediate] == [i["name"] for i in r["intermediate"]]
        for r_i, o_i in zip(r["intermediate"], ours.intermediate):
            assert o_i.easy_counterfactuals.index.tolist() == r_i["EC"]
            assert o_i.conservative == " + ".join(r_i["c.sol"]) and o_i.parsimonious == " + ".join(r_i["p.sol"])
            check_models(r_i, o_i)
            check_fit(r_i["fit"], o_i.terms, len(o_i.models))
            check_chart(r_i["chart"], o_i.chart)
        if len(ours.intermediate) == 1:  # the result's own models are then R's
            check_models(r["intermediate"][0], ours)
        return
    check_models(r, ours)
    check_fit(r["fit"], ours.terms, len(ours.models))
    check_chart(r["chart"], ours.chart)
    if run["include"].startswith("?"):
        assert {int(k[1:]): v.index.tolist() for k, v in ours.simplifying_assumptions.items()} == \
            {int(k[1:]): v for k, v in r["SA"].items()}  # R pads M01, M02, ... when there are ten or more


def test_the_reference_covers_what_it_should():
    """The fixtures exercise every kind of result (so that the tests above cannot pass vacuously)."""
    runs = [case["minimize"][i] for case, i in RUNS]
    results = [run["result"] for run in runs if "result" in run]
    assert sum(len(r["solutions"]) > 1 for r in results) >= 20  # several models
    assert sum(run["dir_exp"] is not None for run in runs) >= 100
    assert sum(len(r.get("intermediate", [])) > 1 for r in results) >= 5  # several C x P combinations
    assert sum("?, C" == run["include"] for run in runs) >= 10
    assert sum("error" in run for run in runs) >= 1
    recycled = [c for c in CASES if "error" not in c and r_recycles(c)]
    assert any(dict(zip(c["truth_table"]["row"], c["truth_table"]["OUT"])) !=
               dict(zip(observed(c).index, observed(c)["OUT"])) for c in recycled)  # R's mistake shows
    fuzzy = [c for c in CASES if c.get("dataset") in ("LF", "CVF", "NF") or (
        "data" in c and any(v not in (0, 1) for v in c["data"]["columns"]["A"]))]
    assert len(fuzzy) >= 50


@pytest.mark.parametrize("case", [c for c in CLASSIC["cases"] if c["kind"] == "necessity"], ids=lambda c: c["id"])
def test_necessity_equals_r(case):
    ours = qca.necessity(frame_of(case), case["outcome"], case["expressions"])
    assert ours["condition"].tolist() == [row["condition"] for row in case["necessity"]]
    for row, r in zip(ours.itertuples(), case["necessity"]):
        for column in ("inclN", "RoN", "covN"):
            assert same(r[column], getattr(row, column)), (row.condition, column)


@pytest.mark.parametrize("case", [c for c in CLASSIC["cases"] if c["kind"] == "calibrate"], ids=lambda c: c["id"])
def test_calibration_equals_r(case):
    values = frame_of(case)[case["column"]]
    if "anchors" in case:
        exclusion, crossover, inclusion = case["anchors"]
        ours = qca.calibrate_fuzzy(values, exclusion=exclusion, crossover=crossover, inclusion=inclusion)
    else:
        ours = qca.calibrate_crisp(values, thresholds=case["thresholds"])
    assert ours.index.tolist() == values.index.tolist()
    assert np.allclose(ours.to_numpy(dtype=float), np.array(case["values"], dtype=float), atol=1e-12, rtol=0)


@pytest.mark.parametrize("case", [c for c in CASES if "error" in c], ids=lambda c: c["id"])
def test_truth_tables_r_refuses_are_refused(case):
    assert case["error"].startswith("There are no configurations, using these cutoff values")
    with pytest.raises(ParameterError) as err:
        qca.truth_table(frame_of(case), case["outcome"], case["conditions"], **options(case))
    assert err.value.parameter == "n_cut"
