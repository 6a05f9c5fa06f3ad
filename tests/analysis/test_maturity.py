"""Maturity aspects (section 4.2, Table 2): hand counts on a tiny dataset, the printed figures on
the shipped data, and the bootstrap's determinism and sanity."""

import re
import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning.analysis.maturity import rank_fractions

from ..conftest import write_interview

# Five respondents, hand-written top threes.
TOP3 = {
    "GM0518-1": ["people_competences", "culture_leadership", "market_interaction"],
    "GM0518-2": ["people_competences", "societal_role", "stakeholders"],
    "GM0518-3": ["culture_leadership", "people_competences", "public_rules"],
    "GM0106-1": ["market_interaction", "people_competences", "culture_leadership"],
    "GM0687-1": ["people_competences", "portfolio_tradeoffs", "creativity_flexibility"],
}


@pytest.fixture
def top3_study(tiny_dir):
    itv = tiny_dir / "interviews"
    for p in itv.glob("*.yaml"):
        p.unlink()
    for iid, top in TOP3.items():
        write_interview(itv, iid, {"maturity.top3": top})
    return cm.load_study(tiny_dir)


# --- Table 2 --------------------------------------------------------------------------------

def test_aspects_table_is_table_2(study):
    table = cm.aspects_table(study.codebook)
    assert list(table.columns) == ["number", "aspect", "sub_aspect", "sub_aspect_label"]
    assert sorted(table.number.unique()) == list(range(1, 11))
    per_aspect = table.groupby("number").sub_aspect.apply(list).to_dict()
    # Table 2: 1a; 2a-d; 3a-b; 4a; 5a-c; 6a-b; 7a-b; 8a-d; 9a; 10a-b
    assert per_aspect == {1: ["a"], 2: list("abcd"), 3: list("ab"), 4: ["a"], 5: list("abc"),
                          6: list("ab"), 7: list("ab"), 8: list("abcd"), 9: ["a"], 10: list("ab")}
    first = table.drop_duplicates("number").set_index("number").aspect
    assert first[3] == "People and competences"
    nl = cm.aspects_table(study.codebook, lang="nl").drop_duplicates("number").set_index("number").aspect
    assert nl[8] == "Interactie met en ruimte voor de markt"
    with pytest.raises(cm.ParameterError, match="lang"):
        cm.aspects_table(study.codebook, lang="de")


# --- rounding -------------------------------------------------------------------------------

@pytest.mark.parametrize("num, den, printed", [
    (9, 72, 13),   # 12.5% is printed 13% (the study's Invulling maatschappelijke rol)
    (15, 72, 21), (11, 72, 15), (10, 72, 14), (8, 72, 11), (0, 72, 0),
    (1, 8, 13), (5, 8, 63), (1, 40, 3),  # halves go up (Python's round would give 12, 62, 2)
    (1, 3, 33), (2, 3, 67), (3, 3, 100),
])
def test_percent_half_up(num, den, printed):
    assert cm.percent_half_up(num, den) == printed


def test_percent_half_up_rejects_zero_total():
    with pytest.raises(cm.ParameterError, match="denominator"):
        cm.percent_half_up(1, 0)


# --- counts on the tiny dataset ---------------------------------------------------------------

def test_mentions_by_hand(top3_study):
    m = cm.top3_mentions(top3_study).set_index("aspect")
    assert len(m) == 10 and set(m.n_total) == {15}
    assert m.n_mentions.to_dict() == {
        "people_competences": 5, "culture_leadership": 3, "market_interaction": 2, "portfolio_tradeoffs": 1,
        "stakeholders": 1, "societal_role": 1, "public_rules": 1, "creativity_flexibility": 1,
        "organisation_policy": 0, "professional_conduct": 0,
    }
    # 5/15 = 33.3%, 3/15 = 20%, 2/15 = 13.3%, 1/15 = 6.7%
    assert m.loc["people_competences", "share_printed"] == 33
    assert m.loc["culture_leadership", "share_printed"] == 20
    assert m.loc["market_interaction", "share_printed"] == 13
    assert m.loc["public_rules", "share_printed"] == 7
    assert m.loc["people_competences", "share"] == pytest.approx(1 / 3)
    # most mentioned first, ties in Table 2's order (4, 5, 6, 7, 10 for the single mentions)
    assert cm.top3_mentions(top3_study).aspect.tolist()[3:8] == [
        "portfolio_tradeoffs", "stakeholders", "societal_role", "public_rules", "creativity_flexibility"]


def test_mentions_by_size_class_by_hand(top3_study):
    m = cm.top3_mentions(top3_study, by="size_class")
    assert list(m.columns[:2]) == ["size_class", "group"]
    assert m.size_class.drop_duplicates().tolist() == ["very_large", "medium", "small"]
    vl = m[m.size_class == "very_large"].set_index("aspect")
    assert set(vl.n_total) == {9}  # Den Haag: 3 respondents x 3
    assert vl.loc["people_competences", "n_mentions"] == 3 and vl.loc["people_competences", "share_printed"] == 33
    assert vl.loc["culture_leadership", "share_printed"] == 22  # 2/9 = 22.2%
    assert vl.loc["public_rules", "share_printed"] == 11
    medium = m[m.size_class == "medium"].set_index("aspect")
    assert set(medium.n_total) == {3} and medium.loc["market_interaction", "share_printed"] == 33
    assert m.groupby("size_class").n_mentions.sum().to_dict() == {"medium": 3, "small": 3, "very_large": 9}
    assert m[m.size_class == "small"].group.iat[0] == "Small"


def test_mentions_by_rank_by_hand(top3_study):
    m = cm.top3_mentions(top3_study, by="rank", lang="nl")
    assert m["rank"].drop_duplicates().tolist() == [1, 2, 3]
    assert m.group.drop_duplicates().tolist() == ["Eerste", "Tweede", "Derde"]
    first = m[m["rank"] == 1].set_index("aspect")
    assert set(first.n_total) == {5}
    assert first.loc["people_competences", "n_mentions"] == 3  # 0518-1, 0518-2, 0687-1
    assert first.loc["people_competences", "share_printed"] == 60
    assert first.loc["culture_leadership", "n_mentions"] == 1
    second = m[m["rank"] == 2].set_index("aspect")
    assert second.loc["people_competences", "n_mentions"] == 2
    assert first.loc["people_competences", "label"] == "Mensen & competenties"


def test_mentions_by_region(top3_study):
    m = cm.top3_mentions(top3_study, by="region")
    assert m.region.drop_duplicates().tolist() == ["Noord", "West", "Zuid"]
    assert m.groupby("region").n_total.first().to_dict() == {"Noord": 3, "West": 9, "Zuid": 3}


def test_bad_by(top3_study):
    with pytest.raises(cm.ParameterError, match="by: 'province'"):
        cm.top3_mentions(top3_study, by="province")


def test_headline_ties_share_a_position(top3_study):
    top = cm.top3_headline(top3_study)
    assert top.position.tolist() == [1, 2, 3, 4, 4]  # six aspects tied at one mention
    assert top.aspect.tolist()[:3] == ["people_competences", "culture_leadership", "market_interaction"]
    assert top.aspect.tolist()[3:] == ["portfolio_tradeoffs", "stakeholders"]  # Table 2's order


def test_top3_table_by_hand(top3_study):
    t = cm.top3_table(top3_study, by="size_class", value="n_mentions")
    assert list(t.columns) == ["Very large", "Medium", "Small", "All"]
    assert t.loc["People and competences"].tolist() == [3, 1, 1, 5]
    assert t.loc["n_total"].tolist() == [9, 3, 3, 15]


def test_respondents_top3(top3_study):
    r = cm.respondents_top3(top3_study).set_index("interview_id")
    assert r.loc["GM0106-1", ["first", "second", "third"]].tolist() == TOP3["GM0106-1"]
    assert set(r.basis) == {"observed"}


def test_imputed_share(top3_study, study):
    assert cm.imputed_share(top3_study) == 0.0
    shipped = study.codings[study.codings.variable == "maturity.top3"]
    assert cm.imputed_share(study) == pytest.approx((shipped.basis == "imputed").mean())
    with pytest.raises(cm.ParameterError, match="variable: 'no.such' is not a variable of the codebook; allowed: region, "):
        cm.imputed_share(study, "no.such")


# --- the printed figures on the shipped data --------------------------------------------------

PRINTED = [  # section 4.2: position, label, printed share
    (1, "People and competences", 21),
    (2, "Culture and leadership", 15),
    (3, "Interaction with and room for the market", 14),
    (4, "Fulfilling the societal role", 13),
    (5, "Dealing with stakeholders: politics, users and others", 11),
]


def test_shipped_data_gives_the_printed_figures(study):
    m = cm.top3_mentions(study)
    assert set(m.n_total) == {72} and m.n_mentions.sum() == 72 == 3 * study.n_interviews
    top = cm.top3_headline(study)
    assert [(r.position, r.label, r.share_printed) for r in top.itertuples()] == PRINTED
    assert top.n_mentions.tolist() == [15, 11, 10, 9, 8]
    m = m.set_index("aspect")
    assert m.loc["organisation_policy", "n_mentions"] == 0
    assert m.loc["organisation_policy", "share_printed"] == 0
    # every aspect below the fifth has fewer mentions than the fifth
    assert (m.drop(top.aspect).n_mentions < 8).all()


def test_shipped_data_groups_add_up(study):
    for by in ("size_class", "region", "rank"):
        m = cm.top3_mentions(study, by=by)
        assert m.groupby(by).n_mentions.sum().sum() == 72
        assert (m.groupby(by).n_mentions.sum() == m.groupby(by).n_total.first()).all()
    assert set(cm.top3_mentions(study, by="rank").n_total) == {24}


def test_filtered_study(study):
    south = study.filter(region="Zuid")
    m = cm.top3_mentions(south)
    assert m.n_total.iat[0] == 3 * south.n_interviews


# --- bootstrap --------------------------------------------------------------------------------

def test_rank_fractions_by_hand():
    # counts 3, 1, 1, 0: first alone, two tied for ranks 2 and 3, last alone
    fr = rank_fractions(np.array([[3, 1, 1, 0]]))[0]
    expected = np.array([[1, 0, 0, 0], [0, 0.5, 0.5, 0], [0, 0.5, 0.5, 0], [0, 0, 0, 1]])
    np.testing.assert_allclose(fr, expected)


def test_bootstrap_is_deterministic(study):
    a = cm.bootstrap_top3(study, n_resamples=500, seed=7)
    b = cm.bootstrap_top3(study, n_resamples=500, seed=7)
    pd.testing.assert_frame_equal(a.shares, b.shares)
    pd.testing.assert_frame_equal(a.ranks, b.ranks)
    c = cm.bootstrap_top3(study, n_resamples=500, seed=8)
    assert not a.shares[["ci_low", "ci_high", "p_top5"]].equals(c.shares[["ci_low", "ci_high", "p_top5"]])
    assert (a.n_resamples, a.seed, a.n_respondents) == (500, 7, 24)


def test_bootstrap_depends_on_the_answers_not_on_who_gave_them(study):
    """Swapping the top three of two respondents leaves the answers the same, so every interval and
    rank probability stays; with the respondents in file order it would not (a published interval
    would then say something of which respondent answered what)."""
    from dataclasses import replace

    codings = study.codings.copy()
    top3 = codings.variable == "maturity.top3"
    first, second = sorted(codings.loc[top3, "interview_id"].unique())[:2]
    a, b = top3 & (codings.interview_id == first), top3 & (codings.interview_id == second)
    assert not codings.loc[a, "code"].tolist() == codings.loc[b, "code"].tolist()
    codings.loc[a, "code"], codings.loc[b, "code"] = (codings.loc[b, "code"].to_numpy(),
                                                      codings.loc[a, "code"].to_numpy())
    swapped = replace(study, codings=codings, fingerprint="")
    one = cm.bootstrap_top3(study, n_resamples=500, seed=7)
    other = cm.bootstrap_top3(swapped, n_resamples=500, seed=7)
    pd.testing.assert_frame_equal(one.shares, other.shares)
    pd.testing.assert_frame_equal(one.ranks, other.ranks)


def test_bootstrap_is_sane(study):
    boot = cm.bootstrap_top3(study, n_resamples=1000, seed=2018)
    s = boot.shares.set_index("aspect")
    assert len(s) == 10
    assert (s.ci_low <= s.share + 1e-12).all() and (s.share <= s.ci_high + 1e-12).all()
    assert (s.ci_low >= 0).all() and (s.ci_high <= 1).all()
    assert s.loc["people_competences", "share"] == pytest.approx(15 / 72)
    assert s.loc["organisation_policy", ["ci_low", "ci_high", "p_top5"]].tolist() == [0, 0, 0]
    r = boot.ranks
    assert len(r) == 100
    np.testing.assert_allclose(r.groupby("aspect").probability.sum(), 1.0)
    np.testing.assert_allclose(r.groupby("rank").probability.sum(), 1.0)  # every rank taken once
    top5 = r[r["rank"] <= 5].groupby("aspect").probability.sum()
    np.testing.assert_allclose(top5.reindex(s.index), s.p_top5)
    np.testing.assert_allclose(s.p_top5.sum(), 5.0)
    assert s.p_top5.between(0, 1).all()
    assert s.loc["people_competences", "p_top5"] > 0.95  # 15 of 72 is far ahead
    assert s.loc["people_competences", "rank"] == 1


def test_bootstrap_tiny_by_hand(top3_study):
    boot = cm.bootstrap_top3(top3_study, n_resamples=300, seed=1)
    r = boot.ranks.set_index(["aspect", "rank"]).probability
    # Never mentioned, so in every resample both sit in the bottom tie (with whatever else was
    # not drawn): they get the same distribution, equal weight on ranks 9 and 10, and nothing
    # above rank 4 (at most three aspects are mentioned by a single respondent).
    org, prof = (r.xs(a, level="aspect") for a in ("organisation_policy", "professional_conduct"))
    np.testing.assert_allclose(org, prof)
    assert org[9] == pytest.approx(org[10]) and org[9] > 0
    assert org[[1, 2, 3]].sum() == 0
    assert org.sum() == pytest.approx(1)
    s = boot.shares.set_index("aspect")
    assert s.loc["people_competences", "rank"] == 1 and s.loc["organisation_policy", "rank"] == 9.5


def test_bootstrap_too_few_respondents(top3_study):
    with pytest.raises(cm.ParameterError, match=r"study: selects 1 respondents; a bootstrap needs more; allowed: a selection of at least 5 respondents"):
        cm.bootstrap_top3(top3_study.filter(size_class="small"))


@pytest.mark.parametrize("kwargs, message", [
    ({"n_resamples": 10}, "n_resamples"), ({"confidence": 1.5}, "confidence"), ({"lang": "fr"}, "lang"),
])
def test_bootstrap_bad_options(study, kwargs, message):
    with pytest.raises(cm.ParameterError, match=message):
        cm.bootstrap_top3(study, **kwargs)


def test_figure_states_the_imputed_share(study):
    from commissioning.plots.uncertainty import probability_text

    boot = cm.bootstrap_top3(study, n_resamples=200, seed=1)
    fig = cm.plot_top3_intervals(boot, imputed=0.25, lang="nl")
    texts = [t.get_text() for t in fig.texts]
    assert any("Aandeel geïmputeerde waarden in deze figuur: 25%" in t for t in texts)
    assert fig.axes[0].get_yticklabels()[-1].get_text() == boot.shares.label.iat[0]  # most mentioned on top
    assert [probability_text(p) for p in (0, 0.001, 0.125, 0.999, 1)] == ["0%", "<1%", "13%", ">99%", "100%"]


# --- the committed notebook carries section 4.2's figures exactly as printed --------------------

def test_committed_notebook_prints_section_4_2():
    import nbformat

    from ..conftest import REPO

    nb = nbformat.read(str(REPO / "notebooks" / "04-maturity.ipynb"), as_version=4)
    checked = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("# NBVAL_CHECK_OUTPUT")]
    assert len(checked) == 1
    text = "".join(o.get("text", "") if o.output_type == "stream" else o.get("data", {}).get("text/plain", "")
                   for o in checked[0].outputs)
    assert text.startswith("Of 72 mentions, the most mentioned aspects are: ")
    for position, label, printed in PRINTED:
        assert re.search(rf"{position}\. {re.escape(label)}, \d+ of 72 \({printed}%\)", text), label
    assert "Never mentioned: Organisation and policy." in text
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and nb.cells.index(params[0]) == 2  # after the title, in English and Dutch
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not any(line.lstrip().startswith(("def ", "class ")) for line in cell.source.splitlines())
