"""crosstab and activity_shares against an independent recount of the interview files.

The reference numbers are computed here from data/interviews/*.yaml (yaml.safe_load) and
data/municipalities.csv (csv), counting with collections.Counter, without the library's loader.
"""

import csv
import math
from collections import Counter, defaultdict

import pytest
import yaml

import commissioning as cm
from commissioning.analysis.tabulate import CROSSTAB_VALUE_COLUMNS

DATA = cm.default_data_dir()
SOURCING = ["in_house", "mixed", "outsourced"]


@pytest.fixture(scope="module")
def study():
    return cm.load_study()


@pytest.fixture(scope="module")
def raw():
    """[(municipality, region, size_class, {variable: (code, basis)})] per interview file."""
    with open(DATA / "municipalities.csv", newline="", encoding="utf-8") as fh:
        munis = {r["cbs_code"]: r for r in csv.DictReader(fh)}
    rows = []
    for path in sorted((DATA / "interviews").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        default = doc.get("basis", "observed")
        values = {}
        for var, val in doc["values"].items():
            if isinstance(val, dict):
                values[var] = (val["code"], val.get("basis", default))
            else:
                values[var] = (val, default)
        m = munis[doc["municipality"]]
        rows.append((doc["municipality"], m["region"], m["size_class"], values))
    return rows


def _lower_median(codes, order):
    ranked = sorted(codes, key=order.index)
    return ranked[(len(ranked) - 1) // 2]


def _mode_first(codes, order):
    counts = Counter(codes)
    top = max(counts.values())
    return min((c for c in counts if counts[c] == top), key=order.index)


@pytest.mark.parametrize("variable", ["sourcing.design", "sourcing.specifications", "sourcing.execution",
                                      "segment.public_space.maintenance"])
@pytest.mark.parametrize("by", ["size_class", "region"])
def test_interview_unit_equals_a_recount(study, raw, variable, by):
    col = {"region": 1, "size_class": 2}[by]
    counts = Counter((r[col], r[3][variable][0]) for r in raw if variable in r[3])
    totals = Counter(r[col] for r in raw if variable in r[3])
    imputed = Counter((r[col], r[3][variable][0]) for r in raw if variable in r[3] and r[3][variable][1] == "imputed")
    tab = cm.crosstab(study, variable, by=by, unit="interview")
    codes = list(study.codebook.variables[variable].codes)
    assert len(tab) == len(totals) * len(codes)
    for row in tab.itertuples():
        group = getattr(row, by)
        assert row.n == counts[(group, row.code)], (group, row.code)
        assert row.n_total == totals[group]
        assert row.share == pytest.approx(counts[(group, row.code)] / totals[group])
        if row.n:
            assert row.imputed_share == pytest.approx(imputed[(group, row.code)] / row.n)
        else:
            assert math.isnan(row.imputed_share)


def test_overall_interview_unit_equals_a_recount(study, raw):
    variable = "sourcing.engineering"
    counts = Counter(r[3][variable][0] for r in raw)
    tab = cm.crosstab(study, variable, by=None, unit="interview")
    assert list(tab.columns) == ["variable", *CROSSTAB_VALUE_COLUMNS]
    assert dict(zip(tab.code, tab.n)) == {c: counts[c] for c in SOURCING}
    assert set(tab.n_total) == {len(raw)} == {24}


@pytest.mark.parametrize("variable", ["sourcing.design", "sourcing.maintenance", "sourcing.accountability"])
def test_municipality_unit_uses_the_lower_median_for_ordinal_activities(study, raw, variable):
    per_muni = defaultdict(list)
    attrs = {}
    for muni, region, size, values in raw:
        per_muni[muni].append(values[variable][0])
        attrs[muni] = size
    combined = {m: _lower_median(codes, SOURCING) for m, codes in per_muni.items()}
    counts = Counter((attrs[m], code) for m, code in combined.items())
    totals = Counter(attrs[m] for m in combined)
    tab = cm.crosstab(study, variable, by="size_class", unit="municipality")
    for row in tab.itertuples():
        assert row.n == counts[(row.size_class, row.code)]
        assert row.n_total == totals[row.size_class]
    assert tab.groupby("size_class").n_total.first().sum() == 18


def test_municipality_unit_uses_the_mode_for_nominal_variables(study, raw):
    variable = "segment.dry_infrastructure.maintenance"
    order = list(study.codebook.variables[variable].codes)
    per_muni = defaultdict(list)
    region = {}
    for muni, reg, size, values in raw:
        per_muni[muni].append(values[variable][0])
        region[muni] = reg
    counts = Counter((region[m], _mode_first(c, order)) for m, c in per_muni.items())
    tab = cm.crosstab(study, variable, by="region", unit="municipality")
    assert {(r.region, r.code): r.n for r in tab.itertuples() if r.n} == dict(counts)


def test_zero_cells_are_present_for_every_code(study):
    tab = cm.crosstab(study, "segment.housing.investment", by="size_class")
    assert len(tab) == 4 * 4
    zeros = tab[tab.n == 0]
    values = cm.unit_values(study, "segment.housing.investment", unit="municipality")
    seen = set(zip(values.size_class, values.code))
    assert len(zeros) == 4 * 4 - len(seen)  # a row for every (size class, code), coded or not
    assert (zeros.share == 0).all() and zeros.imputed_share.isna().all()
    assert tab.groupby("size_class").share.sum().tolist() == pytest.approx([1, 1, 1, 1])


def test_labels_follow_lang(study):
    en = cm.crosstab(study, "sourcing.design", by="region")
    nl = cm.crosstab(study, "sourcing.design", by="region", lang="nl")
    assert en.by_label.unique().tolist() == ["North", "West", "South"]
    assert nl.by_label.unique().tolist() == ["Noord", "West", "Zuid"]
    assert nl.label.unique().tolist() == ["Zelf", "Deels uitbesteed", "Uitbesteed"]


def test_filters_restrict_the_units(study, raw):
    zuid = study.filter(region="Zuid")
    tab = cm.crosstab(zuid, "sourcing.design", by="size_class", unit="interview")
    assert tab.size_class.unique().tolist() == ["small", "medium", "large"]  # no very large in Zuid
    assert tab.groupby("size_class").n_total.first().sum() == sum(1 for r in raw if r[1] == "Zuid")
    counts = Counter(r[3]["sourcing.design"][0] for r in raw if r[1] == "Zuid")
    overall = cm.crosstab(zuid, "sourcing.design", by=None, unit="interview")
    assert dict(zip(overall.code, overall.n)) == {c: counts[c] for c in SOURCING}
    muni = cm.crosstab(study.filter(size_class="small"), "sourcing.design", by=None)
    assert set(muni.n_total) == {3}


def test_activity_shares_equal_the_crosstab_sums(study, raw):
    shares = cm.activity_shares(study, by="region", unit="interview")
    assert len(shares) == 12 * 3
    for row in shares.itertuples():
        k = sum(1 for r in raw if r[1] == row.region and r[3][row.variable][0] in ("mixed", "outsourced"))
        n = sum(1 for r in raw if r[1] == row.region)
        assert (row.n, row.n_total) == (k, n)
        assert row.share == pytest.approx(k / n)
    overall = cm.activity_shares(study, by=None)
    assert list(overall.columns) == ["variable", "variable_label", "n", "n_total", "share", "imputed_share"]
    assert set(overall.n_total) == {18}


def test_imputed_share_of_a_table(study, raw):
    variables = [v for v in study.codebook.variables if v.startswith("segment.")]
    tab = cm.crosstab(study, variables, by=None, unit="interview")
    values = [r[3][v] for r in raw for v in variables if v in r[3]]
    expected = sum(b == "imputed" for _, b in values) / len(values)
    assert cm.imputed_share_of(tab) == pytest.approx(expected)


def test_crosstab_does_not_mutate_the_study(study):
    before = study.codings.copy()
    cm.crosstab(study, "sourcing.design", by="size_class", unit="municipality")
    assert study.codings.equals(before)


@pytest.mark.parametrize("kwargs,message", [
    ({"variable": "sourcing.desing"}, r"variable: 'sourcing.desing' is not a variable of the codebook; allowed: .*sourcing.design"),
    ({"variable": "maturity.top3"}, r"ranked set.*count its mentions"),
    ({"variable": "sourcing.design", "by": "province"}, r"by: 'province' is not allowed; allowed: region, size_class, None"),
    ({"variable": "sourcing.design", "unit": "respondent"}, r"unit: 'respondent' is not allowed; allowed: interview, municipality"),
    ({"variable": "sourcing.design", "lang": "de"}, r"lang: 'de' is not allowed; allowed: en, nl"),
    ({"variable": []}, r"empty list"),
])
def test_bad_inputs_name_the_value_and_what_is_allowed(study, kwargs, message):
    variable = kwargs.pop("variable")
    with pytest.raises(cm.ParameterError, match=message):
        cm.crosstab(study, variable, **kwargs)


def test_activity_shares_rejects_codes_outside_the_variable(study):
    with pytest.raises(cm.ParameterError, match=r"codes: 'sometimes' not codes of sourcing.strategy; allowed: in_house"):
        cm.activity_shares(study, codes=["sometimes"])


def test_wide_shares_reads_share_and_counts(study, raw):
    tab = cm.crosstab(study, "sourcing.design", by="region", unit="interview")
    wide = cm.wide_shares(tab, study)
    assert wide.columns.tolist() == ["In-house", "Mixed", "Outsourced"]
    n = sum(1 for r in raw if r[1] == "Noord")
    k = sum(1 for r in raw if r[1] == "Noord" and r[3]["sourcing.design"][0] == "mixed")
    assert wide.loc[("Design", "North"), "Mixed"] == f"{k / n:.0%} ({k}/{n})"
    heat = cm.wide_shares(cm.activity_shares(study, by="size_class", lang="nl"), study, lang="nl")
    assert heat.columns.tolist() == ["Klein", "Middelgroot", "Groot", "Zeer groot"]
    assert heat.index.tolist()[0] == "Strategische afwegingen en beleid"


def test_imputed_share_of_activity_shares_weights_by_group_size(study):
    shares = cm.activity_shares(study, by="size_class", variables=["segment.public_space.maintenance"],
                                codes=["own_service"])
    expected = (shares.imputed_share * shares.n_total).sum() / shares.n_total.sum()
    assert cm.imputed_share_of(shares) == pytest.approx(expected)


def test_imputed_note_names_table_or_figure():
    from commissioning.plots import imputed_note

    assert imputed_note(0.25) == "Share of imputed values behind this figure: 25%"
    assert imputed_note(0.25, "nl", what="table") == "Aandeel geïmputeerde waarden in deze tabel: 25%"


def test_a_second_coder_does_not_count_an_interview_twice(tiny_dir):
    from ..conftest import write_interview

    # a second coder ("zz", after "ab" alphabetically) codes Den Haag's first interview differently
    write_interview(tiny_dir / "interviews", "GM0518-1", {"sourcing.design": "in_house", "organisation.model": "sector",
                                                          "agenda.more_attention": "yes", "portfolio.overview": "none"},
                    coder="zz", suffix=".zz")
    tiny = cm.load_study(tiny_dir)
    assert len(tiny.codings[tiny.codings.variable == "sourcing.design"]) == 8  # ab: 5, cd: 2, zz: 1
    tab = cm.crosstab(tiny, "sourcing.design", by=None, unit="interview")
    # by hand from conftest: outsourced, mixed, outsourced (Den Haag, coder ab), in_house (Assen), in_house (Middelburg)
    assert dict(zip(tab.code, tab.n)) == {"in_house": 2, "mixed": 1, "outsourced": 2}
    assert set(tab.n_total) == {5}
    muni = cm.crosstab(tiny, "sourcing.design", by="size_class", unit="municipality")
    # Den Haag: median of outsourced, mixed, outsourced in codebook order -> outsourced
    assert muni.set_index(["size_class", "code"]).loc[("very_large", "outsourced"), "n"] == 1
    assert muni.groupby("size_class").n_total.first().to_dict() == {"small": 1, "medium": 1, "very_large": 1}
