"""Organisation tables and fragmentation: hand counts on the tiny fixture and an independent
recomputation of the fragmentation figures straight from data/interviews/*.yaml."""

from collections import Counter, defaultdict
from fractions import Fraction
from math import comb

import pytest
import yaml

import commissioning as cm

from ..conftest import DATA, write_interview


# --- tables by size class ---------------------------------------------------------------------

def test_municipality_unit_by_hand(tiny):
    t = cm.shares_by_size_class(tiny, "organisation.model")
    assert list(t.columns) == ["variable", "variable_label", "unit", "size_class", "group", "code", "label",
                               "n", "n_total", "share"]
    assert set(t.unit) == {"municipality"}  # per_interview: false
    assert t.size_class.drop_duplicates().tolist() == ["very_large", "medium", "small", "all"]
    cell = t.set_index(["size_class", "code"])
    # Den Haag has three interviews but counts once
    assert cell.loc[("very_large", "sector"), ["n", "n_total"]].tolist() == [1, 1]
    assert cell.loc[("medium", "tilted"), ["n", "n_total"]].tolist() == [1, 1]
    assert cell.loc[("all", "tilted"), ["n", "n_total"]].tolist() == [2, 3]
    assert cell.loc[("all", "sector"), "share"] == pytest.approx(1 / 3)
    assert cell.loc[("all", "directorate"), "n"] == 0  # every code listed


def test_interview_unit_by_hand(tiny):
    t = cm.shares_by_size_class(tiny, "agenda.more_attention", lang="nl").set_index(["size_class", "code"])
    assert set(t.unit) == {"interview"}
    assert t.loc[("very_large", "yes"), ["n", "n_total"]].tolist() == [1, 3]
    assert t.loc[("medium", "yes"), ["n", "n_total"]].tolist() == [1, 1]
    assert t.loc[("small", "no"), ["n", "n_total"]].tolist() == [1, 1]
    assert t.loc[("all", "yes"), ["n", "n_total"]].tolist() == [2, 5]
    assert t.loc[("all", "yes"), "group"] == "Alle" and t.loc[("all", "yes"), "label"] == "Ja"
    # the same variable counted per municipality: Den Haag yes, no, no -> no (less than half yes)
    m = cm.shares_by_size_class(tiny, "agenda.more_attention", unit="municipality").set_index(["size_class", "code"])
    assert m.loc[("very_large", "no"), ["n", "n_total"]].tolist() == [1, 1]
    assert m.loc[("all", "yes"), ["n", "n_total"]].tolist() == [1, 3]


def test_uncoded_variable_has_empty_groups(tiny):
    t = cm.shares_by_size_class(tiny, "structure.tenderboard")
    assert set(t.n_total) == {0} and t.share.isna().all()
    assert set(cm.display_table(t).stack()) == {"-"}


def test_structures_and_display(tiny_dir):
    itv = tiny_dir / "interviews"
    for p in itv.glob("*.yaml"):
        p.unlink()
    write_interview(itv, "GM0518-1", {"structure.tenderboard": "yes", "structure.engineering_bureau": "yes"})
    write_interview(itv, "GM0518-2", {"structure.tenderboard": "yes", "structure.engineering_bureau": "yes"})
    write_interview(itv, "GM0106-1", {"structure.tenderboard": "no", "structure.engineering_bureau": "yes"})
    write_interview(itv, "GM0687-1", {"structure.tenderboard": "no", "structure.engineering_bureau": "no"})
    study = cm.load_study(tiny_dir)
    t = cm.structures_by_size_class(study)
    assert list(t.columns) == ["variable", "label", "size_class", "group", "n_yes", "n_total", "share"]
    assert "procurement.central_unit" in set(t.variable)
    cell = t.set_index(["variable", "size_class"])
    assert cell.loc[("structure.tenderboard", "all"), ["n_yes", "n_total"]].tolist() == [1, 3]
    assert cell.loc[("structure.engineering_bureau", "all"), ["n_yes", "n_total"]].tolist() == [2, 3]
    wide = cm.display_table(t)
    assert list(wide.columns) == ["Very large", "Medium", "Small", "All"]
    assert wide.loc["Tenderboard"].tolist() == ["1/1 (100%)", "0/1 (0%)", "0/1 (0%)", "1/3 (33%)"]
    assert wide.loc["Engineering bureau", "All"] == "2/3 (67%)"
    assert wide.loc["Central procurement unit", "All"] == "-"


def test_bad_arguments(tiny):
    with pytest.raises(cm.ParameterError, match="ranked set"):
        cm.shares_by_size_class(tiny, "maturity.top3")
    with pytest.raises(cm.ParameterError, match="variable: 'no.such' is not a variable of the codebook; allowed: region, "):
        cm.shares_by_size_class(tiny, "no.such")
    with pytest.raises(cm.ParameterError, match="unit"):
        cm.shares_by_size_class(tiny, "organisation.model", unit="region")
    with pytest.raises(cm.ParameterError, match="n_permutations"):
        cm.fragmentation(tiny, n_permutations=5)


def test_shipped_data_structures(study):
    t = cm.structures_by_size_class(study)
    assert set(t[t.size_class == "all"].n_total) == {18}
    model = cm.shares_by_size_class(study, "organisation.model").set_index(["size_class", "code"])
    # section 3.3: the very large municipalities have a sector model; no directorate model
    assert model.loc[("very_large", "sector"), "share"] == 1
    assert model.loc[("all", "directorate"), "n"] == 0 and model.loc[("all", "secretariat"), "n"] == 0


# --- fragmentation ------------------------------------------------------------------------------

def test_fragmentation_by_hand(tiny):
    f = cm.fragmentation(tiny, n_permutations=2000, seed=3).set_index("variable")
    # only Den Haag has several interviews; variables coded per municipality are left out
    assert "organisation.model" not in f.index
    assert set(f.n_municipalities) == {1}
    # design: outsourced, mixed, outsourced -> differs; codes over all five interviews are
    # outsourced 2, mixed 1, in_house 2: no code fills three interviews, so chance gives 1
    row = f.loc["sourcing.design"]
    assert (row.n_differ, row.share_differ, row.expected_share, row.mean_permuted, row.p_value) == (1, 1, 1, 1, 1)
    # more attention: yes, no, no -> differs; yes 2, no 3: P(three alike) = C(3,3)/C(5,3) = 1/10
    row = f.loc["agenda.more_attention"]
    assert row.share_differ == 1 and row.expected_share == pytest.approx(0.9)
    assert row.mean_permuted == pytest.approx(0.9, abs=0.03) and row.p_value == 1
    # explicitness: explicit everywhere -> never differs, not even by chance
    row = f.loc["agenda.explicitness"]
    assert (row.share_differ, row.expected_share, row.p_value) == (0, 0, 1)


def test_fragmentation_p_value_by_hand(tiny):
    # Asked for explicitly, the organisation model: Den Haag sector x3 (agrees); over all five
    # interviews sector 3, tilted 2, so P(Den Haag's three alike by chance) = 1/10 and the
    # one-sided p-value, P(a share as low as 0), is about 0.1.
    row = cm.fragmentation(tiny, ["organisation.model"], n_permutations=4000, seed=11).iloc[0]
    assert row.share_differ == 0 and row.expected_share == pytest.approx(0.9)
    assert row.p_value == pytest.approx(0.1, abs=0.02)


def test_fragmentation_is_seeded(study):
    a = cm.fragmentation(study, n_permutations=300, seed=5)
    b = cm.fragmentation(study, n_permutations=300, seed=5)
    assert a.equals(b)
    one = cm.fragmentation(study, "agenda.carrier", n_permutations=300, seed=5)
    assert one.iloc[0].equals(a.set_index("variable", drop=False).loc["agenda.carrier"].rename(0))


def _independent_fragmentation():
    """Straight from the YAML files: per variable coded per interview, the municipalities with
    several interviews, how many of them differ, and the exact chance of differing."""
    codebook = yaml.safe_load((DATA / "codebook.yaml").read_text(encoding="utf-8"))
    per_interview = [v for v, spec in codebook["variables"].items()
                     if spec.get("per_interview", True) and spec["type"] != "ranked_set"]
    by_muni = defaultdict(lambda: defaultdict(list))
    for path in sorted((DATA / "interviews").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for var, value in doc["values"].items():
            if var not in per_interview:
                continue
            code = value["code"] if isinstance(value, dict) else value
            code = {True: "yes", False: "no"}.get(code, code)
            by_muni[var][doc["municipality"]].append(code)
    out = {}
    for var in per_interview:
        groups = {m: codes for m, codes in by_muni[var].items() if len(codes) > 1}
        if not groups:
            continue
        all_codes = [c for codes in by_muni[var].values() for c in codes]
        n = len(all_codes)
        counts = Counter(all_codes)
        differ = sum(len(set(codes)) > 1 for codes in groups.values())
        chance = sum(1 - sum(Fraction(comb(c, len(codes)), comb(n, len(codes))) for c in counts.values())
                     for codes in groups.values()) / len(groups)
        out[var] = (len(groups), differ, differ / len(groups), float(chance))
    return out


def test_fragmentation_equals_an_independent_recomputation(study):
    expected = _independent_fragmentation()
    assert expected, "the shipped data has municipalities with several interviews"
    f = cm.fragmentation(study, n_permutations=2000, seed=2018).set_index("variable")
    assert set(f.index) == set(expected)
    for var, (n_munis, n_differ, share, chance) in expected.items():
        row = f.loc[var]
        assert (row.n_municipalities, row.n_differ) == (n_munis, n_differ), var
        assert row.share_differ == pytest.approx(share), var
        assert row.expected_share == pytest.approx(chance), var
        # the permutation mean estimates the exact chance (standard error < 0.5 / sqrt(2000))
        assert row.mean_permuted == pytest.approx(chance, abs=0.04), var
        assert 0 < row.p_value <= 1


def test_fragmentation_matches_disagreement(study):
    f = cm.fragmentation(study, n_permutations=200).set_index("variable")
    d = cm.disagreement(study, list(f.index))
    assert (d.groupby("variable").differs.mean().reindex(f.index) == f.share_differ).all()


def test_fragmentation_without_multi_interview_municipalities(tiny):
    f = cm.fragmentation(tiny.filter(size_class="small"), n_permutations=100)
    assert f.empty and "p_value" in f.columns


def test_fragmentation_figure(study, tiny):
    f = cm.fragmentation(study, ["agenda.carrier", "sourcing.design"], n_permutations=200, seed=1)
    fig = cm.plot_fragmentation(f, imputed=0.5, seed=1)
    assert any("Share of imputed values behind this figure: 50%" in t.get_text() for t in fig.texts)
    assert len(fig.axes[0].get_yticks()) == 2
    with pytest.raises(cm.ParameterError, match="empty"):
        cm.plot_fragmentation(cm.fragmentation(tiny.filter(size_class="small"), n_permutations=100))


def test_display_table_of_several_variables(tiny):
    t = cm.shares_by_size_class(tiny, ["agenda.more_attention", "agenda.explicitness"])
    wide = cm.display_table(t, index=["variable_label", "label"])
    assert wide.index.nlevels == 2
    assert wide.loc[("Should be on the agenda more often", "Yes"), "All"] == "2/5 (40%)"
    assert wide.loc[("Commissioning on the agenda", "Explicitly named, a specific agenda item"), "Very large"] == "3/3 (100%)"
    with pytest.raises(cm.ParameterError, match="lacks the column 'nope'"):
        cm.display_table(t, index="nope")
