"""The study's claims as checks: every statement written once, holding on the shipped data, and
verdicts that flip on data that contradicts a claim."""

import re

import pytest

import commissioning as cm
from commissioning.analysis import claims as cl
from commissioning.cli import main
from commissioning.data.quantifiers import load_quantifiers
from commissioning.rules import KINDS

from ..conftest import DATA


def verdicts(study, **kw):
    return cm.claims_table(study, **kw).set_index("id")


def claim(claim_id):
    return next(c for c in cl.load_claims() if c["id"] == claim_id)


def recode(data_dir, municipality, variable, new_code, *, interview=None):
    """Set `variable` to `new_code` in every interview file of a municipality (or one interview)."""
    files = sorted((data_dir / "interviews").glob(f"{interview or municipality}*.yaml"))
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        pattern = rf"(  {re.escape(variable)}: \{{code: )('[^']*'|\[[^\]]*\]|[\w]+)"
        assert re.search(pattern, text), (path, variable)
        path.write_text(re.sub(pattern, rf"\g<1>{new_code}", text), encoding="utf-8")


def test_claims_cover_the_study():
    claims = cl.load_claims()
    assert len(claims) >= 46
    ids = [c["id"] for c in claims]
    assert len(ids) == len(set(ids))
    assert len([i for i in ids if i.startswith("c51-")]) >= 13
    assert {c["section"] for c in claims} >= {"2.1", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "5.1"}
    for c in claims:
        assert c["en"] and c["nl"] and c["rules"]
        for spec in c["rules"]:
            assert spec["rule"] in KINDS


def test_every_claim_holds_on_the_shipped_data(study):
    t = verdicts(study)
    assert set(t.verdict) <= {"supported", "insufficient data"}
    assert (t.verdict == "supported").sum() >= len(t) - 2
    # the one comparison the sample cannot make: one smaller municipality with several interviews
    assert t.loc["c51-larger-more-fragmented", "verdict"] == "insufficient data"
    assert set(t.basis) == {"fixed by construction"}


def test_hedges_and_opinions_are_kept(study):
    t = verdicts(study)
    assert t.loc["s41-larger-explicit", "modality"] == "hedged"
    assert "seems" in t.loc["s41-larger-explicit", "claim"]
    assert "lijkt" in verdicts(study, lang="nl").loc["s41-larger-explicit", "claim"]
    assert t.loc["c51-top-five-themes", "modality"] == "opinion"


def test_printed_shares_claim_on_shipped_data(study):
    t = verdicts(study)
    assert t.loc["s42-printed-shares", "value"] == "72 mentions; 21%, 15%, 14%, 13%, 11%"
    assert t.loc["s42-printed-shares", "verdict"] == "supported"


def test_half_up_rounding():
    assert cl.percent_half_up(9, 72) == 13  # 12.5% prints as 13%
    assert cl.percent_half_up(15, 72) == 21 and cl.percent_half_up(8, 72) == 11


def test_verdicts_are_reproducible(study):
    assert cm.claims_table(study).equals(cm.claims_table(cm.load_study()))


def test_dutch_table_has_dutch_values(study):
    t = verdicts(study, lang="nl")
    assert t.loc["s21-public-space-everywhere", "value"].startswith("18 van 18 (100%) gecodeerd als")
    assert t.loc["s21-public-space-everywhere", "basis"] == "vast door de constructie"


# --- checks as strong as the statements --------------------------------------------------------

def test_two_structures_are_two_checks_each_with_an_upper_bound():
    rules = claim("c51-councils-and-tenderboards")["rules"]
    assert [r["variable"] for r in rules] == ["structure.commissioning_council", "structure.tenderboard"]
    q = load_quantifiers(DATA / "quantifiers.csv")
    assert all(q[r["quantifier"]].upper < 1 for r in rules)


def test_hardly_differ_is_checked_per_activity_and_pooled():
    rules = claim("s21-size-hardly-differs")["rules"]
    assert sorted(bool(r.get("per_variable")) for r in rules) == [False, True]


def test_only_rotterdam_and_den_haag_both_parts(data_copy):
    recode(data_copy, "GM0599", "network.partner_discussion", "incidental")
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["s34-structural-networks-rotterdam-den-haag", "verdict"] == "not supported"


def test_structural_network_elsewhere_flips(data_copy):
    recode(data_copy, "GM0546", "network.partner_discussion", "structural")
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["s34-structural-networks-rotterdam-den-haag", "verdict"] == "not supported"
    assert "others: 1 of 16 (6%)" in t.loc["s34-structural-networks-rotterdam-den-haag", "value"]


def test_a_comparison_with_a_group_below_three_is_insufficient(tiny):
    # Den Haag is the only municipality with several interviews: both groups are too small
    v = cl.evaluate(tiny, claim("c51-larger-more-fragmented"))
    assert v.verdict == "insufficient data"
    v = cl.evaluate(tiny, claim("c51-smaller-cooperate-on-procurement"))
    assert v.verdict == "insufficient data"


def test_different_answers_are_held_against_chance(tiny):
    # Den Haag's three interviews differ on sourcing.design and portfolio.overview, and chance (the
    # five interviews' codes dealt out at random) gives differences too: measured as a ratio
    v = cl.evaluate(tiny, claim("c51-fragmented-answers"))
    assert "of what chance gives" in v.value
    assert v.verdict in ("supported", "not supported")


def test_different_answers_fail_when_respondents_always_agree(data_copy, study):
    # give every interview of a municipality with several interviews the codes of its first interview
    cod = study.codings
    themes = {"activities", "portfolio", "agenda"}
    variables = [v.id for v in study.codebook.variables.values()
                 if v.theme in themes and v.per_interview and v.type != "ranked_set"]
    for muni in ("GM0518", "GM0193", "GM0153", "GM0855"):
        first = cod[(cod.interview_id == f"{muni}-1")].set_index("variable").code
        for path in (data_copy / "interviews").glob(f"{muni}-*.yaml"):
            for v in variables:
                if v in first.index:
                    recode(data_copy, None, v, repr(first[v]) if first[v] in ("yes", "no") else first[v],
                           interview=path.stem)
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["c51-fragmented-answers", "verdict"] == "not supported"
    assert t.loc["c51-fragmented-answers", "value"].startswith("0% interviews of one municipality differ")


# --- verdicts flip on contradicting data -------------------------------------------------------

def test_public_space_claim_flips(data_copy):
    recode(data_copy, "GM0014", "segment.public_space.investment", "facilitator")
    recode(data_copy, "GM0014", "segment.public_space.maintenance", "not_applicable")  # coherent
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["s21-public-space-everywhere", "verdict"] == "not supported"
    assert t.loc["s21-public-space-everywhere", "value"].startswith("17 of 18 (94%)")


def test_total_overview_claim_flips(data_copy):
    recode(data_copy, "GM0014", "portfolio.overview", "full")
    assert verdicts(cm.load_study(data_copy)).loc["c51-no-total-overview", "verdict"] == "not supported"


def test_printed_shares_and_top_five_flip(data_copy, study):
    top = study.codings[study.codings.variable == "maturity.top3"]
    holders = sorted(set(top[top.code == "stakeholders"].interview_id))
    for iid in holders:
        codes = top[top.interview_id == iid].sort_values("rank").code.tolist()
        spare = next(a for a in ("organisation_policy", "public_rules", "creativity_flexibility") if a not in codes)
        new = "[" + ", ".join(spare if c == "stakeholders" else c for c in codes) + "]"
        recode(data_copy, None, "maturity.top3", new, interview=iid)
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["s42-printed-shares", "verdict"] == "not supported"
    assert t.loc["c51-top-five-themes", "verdict"] == "not supported"


def test_compare_and_trend_claims_flip(data_copy, study):
    units = cm.unit_values(study, "agenda.explicitness", unit="interview")
    for row in units.itertuples():
        code = "explicit" if row.size_class in ("small", "medium") else "incidental"
        recode(data_copy, None, "agenda.explicitness", code, interview=row.unit_id)
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["s41-larger-explicit", "verdict"] == "not supported"
    assert t.loc["s41-larger-explicit", "value"].startswith(
        "large and very large municipalities: 0 of 15 (0%) against small and medium municipalities: 9 of 9 (100%)")
    assert t.loc["c51-larger-more-on-agenda", "verdict"] == "not supported"
    assert t.loc["s41-clear-difference", "verdict"] == "not supported"


def test_size_hardly_differs_flips(data_copy, study):
    for row in cm.unit_values(study, "sourcing.design", unit="interview").itertuples():
        code = "outsourced" if row.size_class in ("small", "medium") else "in_house"
        for v in ("sourcing.design", "sourcing.engineering", "sourcing.specifications", "sourcing.execution"):
            recode(data_copy, None, v, code, interview=row.unit_id)
    t = verdicts(cm.load_study(data_copy))
    assert t.loc["s21-size-hardly-differs", "verdict"] == "not supported"


def test_one_activity_differing_breaks_hardly_differ(data_copy, study):
    # only design differs between larger and smaller: pooled it stays small, per activity it does not
    for row in cm.unit_values(study, "sourcing.design", unit="interview").itertuples():
        if row.size_class in ("small", "medium"):
            recode(data_copy, None, "sourcing.design", "outsourced", interview=row.unit_id)
    v = cl.evaluate(cm.load_study(data_copy), claim("s21-size-hardly-differs"))
    assert [p.verdict for p in v.parts] == ["supported", "not supported"]
    assert v.verdict == "not supported"


def test_ranking_of_activities_flips(data_copy, study):
    for row in cm.unit_values(study, "sourcing.strategy", unit="interview").itertuples():
        recode(data_copy, None, "sourcing.strategy", "outsourced", interview=row.unit_id)
    v = cl.evaluate(cm.load_study(data_copy), claim("s21-design-engineering-external"))
    assert v.parts[1].verdict == "not supported"


def test_hand_data_not_labelled_as_reconstruction(tiny):
    assert set(verdicts(tiny).basis) == {"data as coded"}


def test_filters_make_sample_claims_insufficient(study):
    t = verdicts(study.filter(region="Noord"))
    assert t.loc["s42-printed-shares", "verdict"] == "insufficient data"
    assert t.loc["s33-very-large-sector-model", "verdict"] == "insufficient data"  # no very large in Noord
    assert t.loc["s21-public-space-everywhere", "basis"] == "fixed for the whole sample; measured on this selection"


def test_evidence_and_unknown_claim(study):
    ev = cm.evidence(study, "s21-public-space-everywhere")
    assert ev.tail(1)[["n_with_code", "n_units"]].values.tolist() == [[18, 18]]
    with pytest.raises(cm.ParameterError, match="claim: 'nope' is not a claim of claims.yaml; allowed: c51-"):
        cm.evidence(study, "nope")


# --- the command line ----------------------------------------------------------------------------

def test_cli_claims_strict_exits_0_on_the_shipped_data(capsys):
    assert main(["claims", "--strict"]) == 0
    out = capsys.readouterr().out
    assert "s42-printed-shares" in out and "not supported" not in out


def test_cli_claims_strict_exits_1_on_contradicting_data(data_copy, capsys):
    recode(data_copy, "GM0014", "portfolio.overview", "full")
    assert main(["claims", "--data", str(data_copy)]) == 0
    assert main(["claims", "--data", str(data_copy), "--strict"]) == 1
    assert "not supported" in capsys.readouterr().out


def test_cli_claims_bad_input(data_copy, capsys):
    with pytest.raises(SystemExit):
        main(["claims", "--bogus"])
    assert main(["claims", "--data", str(data_copy), "--region", "Oost"]) == 2
    assert "region: 'Oost' is not allowed; allowed: Noord, West, Zuid" in capsys.readouterr().err


# --- the file, read with line numbers ------------------------------------------------------------

def test_a_broken_claims_file_names_the_line_and_key(data_copy, capsys):
    path = data_copy / "claims.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("codes: [full], quantifier: none}", "codes: [ful], quantifier: nonee}", 1),
                    encoding="utf-8")
    assert main(["claims", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"claims.yaml, line \d+, entry 'c51-no-total-overview', key 'rules', rule 1: "
                     r"names codes unknown to portfolio.overview: ful", err)
    assert "names an unknown quantifier 'nonee'" in err


def test_invalid_yaml_in_claims_is_a_data_error_with_a_line(data_copy, capsys):
    path = data_copy / "claims.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    assert main(["claims", "--data", str(data_copy)]) == 2
    assert re.search(r"claims.yaml, line \d+, column \d+: is not valid YAML", capsys.readouterr().err)
