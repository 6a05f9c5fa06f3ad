"""Publishing safeguards: blanked respondent fields; the disclosure engine (recoding, suppression of
regions and of blocks that linked tables would give away, withheld claim evidence, the log); and the
earlier one-table protection that the notebooks use until they move to `protection`."""

import pytest

import commissioning as cm
from commissioning import disclosure as dc


def test_for_publication_blanks_respondent_fields(tiny):
    s = cm.for_publication(tiny)
    for col in ("respondent_role", "file", "notes"):
        assert set(s.interviews[col]) == {""}
    assert set(s.codings.coder) == {"coder 1", "coder 2"} == set(s.interviews.coder)
    assert set(tiny.interviews.coder) == {"ab", "cd"}  # the original is untouched


def test_for_publication_keeps_double_codings_apart(tiny_dir):
    from ..conftest import write_interview

    write_interview(tiny_dir / "interviews", "GM0687-1", {"sourcing.design": "outsourced"}, coder="zz", suffix=".zz")
    s = cm.for_publication(cm.load_study(tiny_dir))
    assert sorted(set(s.codings.coder)) == ["coder 1", "coder 2", "coder 3"]
    both = cm.crosstab(s, "sourcing.design", by=None, unit="interview").set_index("code")
    plain = cm.crosstab(cm.load_study(tiny_dir), "sourcing.design", by=None, unit="interview").set_index("code")
    assert both.n.equals(plain.n)


def _counts(study, groups):
    munis = study.municipalities
    return {g: (int((munis.size_class == g).sum()), int(munis.loc[munis.size_class == g, "n_interviews"].sum()))
            for g in groups}


def test_recoding_merges_very_large_with_large(study):
    p = cm.protection(study, publish=True)
    codes = [code for code, _, _ in p.groups("size_class")]
    assert codes == ["small", "medium", "large+very_large"]
    assert p.groups("size_class")[2][1:] == ("Large and very large", "Groot en zeer groot")
    assert _counts(p.study, codes) == {"small": (3, 3), "medium": (5, 6), "large+very_large": (10, 15)}
    assert p.size_map == {"small": "small", "medium": "medium", "large": "large+very_large",
                          "very_large": "large+very_large"}
    attr = p.study.codebook.attributes["size_class"]
    assert attr.code_list == codes and attr.extra["thresholds"] == {"small": 0, "medium": 50000,
                                                                    "large+very_large": 100000}
    assert set(p.study.interviews.size_class) == set(p.study.codings.size_class) == set(codes)
    # tables computed on the recoded study give the merged groups; the original is untouched
    tab = cm.crosstab(p.study, "organisation.model", by="size_class")
    assert list(dict.fromkeys(tab.size_class)) == codes
    assert p.original.fingerprint == study.fingerprint and "very_large" in set(p.original.municipalities.size_class)
    assert set(p.study.interviews.respondent_role) == {""}  # and for_publication applied
    merges = [e for e in p.log if e["action"] == "merged"]
    assert [(e["merged"], e["into"], e["rule"]) for e in merges] == [(["very_large"], ["large"], "merge_size_class")]
    assert p.groups(None) == [("all", "All", "Alle")]
    assert [g for g, _, _ in p.groups("region")] == ["Noord", "West", "Zuid"]
    assert [g for g, _, _ in p.groups("rank")] == ["1", "2", "3"]


def test_a_filtered_run_applies_the_releases_recoding(study):
    # West alone: small 2 (2 interviews), large 2 (2), very large 2 (4), no medium; a recoding of West
    # alone would merge differently from the national run, and the two would subtract
    west = cm.protection(study.filter(region="West"), publish=True)
    national = cm.protection(study, publish=True)
    assert west.size_map == national.size_map and west.selection == {"region": "West"}
    assert [c for c, _, _ in west.groups("size_class")] == ["small", "large+very_large"]
    assert not [e for e in west.log if e["action"] == "merged" and e["merged"] != ["very_large"]]
    assert set(west.study.municipalities.size_class) == {"small", "large+very_large"}
    # West's small group is Maassluis and Krimpen aan den IJssel: below the threshold in every table
    for var in ("sourcing.design", "organisation.model"):
        assert not west.shown(var, "size_class", "small", "municipality")
    assert west.block("size_class", "small", "municipality") == ("municipality", "region_size", "West|small")
    # the run's total is the national run's West column: one block, shown or not in both
    for var in ("sourcing.design", "agenda.carrier", "structure.tenderboard"):
        for unit in ("municipality", "interview"):
            assert west.shown(var, None, "all", unit) == national.shown(var, "region", "West", unit)


def test_a_filter_that_would_split_a_published_group_is_refused(study):
    with pytest.raises(cm.ParameterError, match=r"size_class: 'very_large' is merged with large for publication .*"
                                                r"publish the merged group instead; allowed: small, medium, "
                                                r"large\+very_large"):
        cm.protection(study.filter(size_class="very_large"), publish=True)
    with pytest.raises(cm.ParameterError, match="size_class: 'large' is merged with very_large"):
        cm.Report(size_class="large", publish=True)
    merged = cm.protection(study.filter(size_class="large+very_large"), publish=True)
    assert merged.selection == {"size_class": "large+very_large"} and len(merged.original.municipalities) == 10
    # unpublished, every class may be selected on its own
    assert cm.protection(study.filter(size_class="very_large"), publish=False).shown(
        "sourcing.design", None, "all", "municipality")


def test_no_recoding_when_every_class_reaches_the_threshold(study):
    p = cm.protection(study, publish=True, threshold=2)
    assert [c for c, _, _ in p.groups("size_class")] == ["small", "medium", "large", "very_large"]
    assert not [e for e in p.log if e["action"] == "merged"]
    assert p.study.codebook.attributes["size_class"].code_list == study.codebook.attributes["size_class"].code_list
    assert "none is needed here" in p.note("en") and "hier niet nodig" in p.note("nl")


def test_unpublished_protection_shows_everything(study):
    p = cm.protection(study, publish=False)
    assert p.study is study and p.log == [] and p.checked == {}
    assert [c for c, _, _ in p.groups("size_class")] == ["small", "medium", "large", "very_large"]
    for var in ("sourcing.design", "organisation.model"):
        for unit in ("municipality", "interview"):
            for by, groups in (("size_class", p.groups("size_class")), ("region", p.groups("region"))):
                assert all(p.shown(var, by, g, unit) for g, _, _ in groups)
    assert p.shown("maturity.top3", "rank", "1", "interview")
    assert p.withheld({"rules": [{"rule": "only_named", "variable": "network.partner_discussion",
                                  "codes": ["structural"], "municipalities": ["GM0599"]}]}) is None
    assert p.note("en").startswith("Not published") and p.note("nl").startswith("Niet gepubliceerd")


def test_a_variable_coded_per_municipality_is_shown_per_municipality_only(study):
    p = cm.protection(study, publish=True)
    assert p.shown("organisation.model", "size_class", "small", "municipality")
    assert not p.shown("organisation.model", "size_class", "small", "interview")
    assert not p.shown("organisation.model", None, "all", "interview")
    assert p.shown("organisation.model", None, "all", "natural")  # natural: per municipality
    assert any(e["rule"] == "per_municipality_by_interview" for e in p.log)


def test_the_plan_on_the_shipped_data(study):
    p = cm.protection(study, publish=True)
    checked = p.checked
    assert checked["protected"] > 10000 and checked["determined"] == 0 and checked["narrowest"] == 2
    suppressed = [e for e in p.log if e["action"] == "suppressed" and e["variable"]]
    national = [e for e in suppressed if e["by"] in (None, "size_class", "region", "rank")]
    assert national and {e["rule"] for e in national} <= {"linked_tables", "complementary"}
    for e in national:
        assert not p.shown(e["variable"], e["by"], e["group"], e["unit"])
    # the cells only filtered runs show: below the threshold, or given up for the release
    crossed = [e for e in suppressed if e not in national]
    assert {e["rule"] for e in crossed} == {"group_below_threshold", "linked_tables", "complementary"}
    zuid = cm.protection(study.filter(region="Zuid"), publish=True)
    for e in crossed:
        if e["by"] == "region_size" and e["group"].startswith("Zuid|"):
            assert not zuid.shown(e["variable"], "size_class", e["group"].split("|")[1], e["unit"])
    # margins stay: the engine suppresses the whole selection only when nothing else works
    assert all(e["by"] is not None for e in suppressed)
    assert p.shown("sourcing.design", None, "all", "interview")


TWO_REGIONS = """cbs_code,study_name,official_name,province,region,size_class,population,population_date,partner_cbs_code,partner_official_name,note
GM0001,A1,A1,Groningen,Noord,small,10001,2016-01-01,,,
GM0002,A2,A2,Groningen,Noord,small,10002,2016-01-01,,,
GM0003,A3,A3,Groningen,Noord,small,10003,2016-01-01,,,
GM0004,B1,B1,Groningen,Noord,medium,60001,2016-01-01,,,
GM0005,C1,C1,Zeeland,West,small,10004,2016-01-01,,,
GM0006,D1,D1,Zeeland,West,medium,60002,2016-01-01,,,
GM0007,D2,D2,Zeeland,West,medium,60003,2016-01-01,,,
GM0008,D3,D3,Zeeland,West,medium,60004,2016-01-01,,,
"""


@pytest.fixture
def linked(tmp_path):
    """Two regions by two size classes of four municipalities each; only B1 (Noord, medium) has a
    tenderboard. By size: small 0 of 4, medium 1 of 4; by region: Noord 1 of 4, West 0 of 4. West
    being unanimous fixes D1..D3, so medium minus them is B1: one municipality's value."""
    import shutil

    from ..conftest import DATA, write_interview

    d = tmp_path / "linked"
    (d / "interviews").mkdir(parents=True)
    for name in ("codebook.yaml", "constraints.yaml", "quantifiers.csv"):
        shutil.copy(DATA / name, d / name)
    (d / "municipalities.csv").write_text(TWO_REGIONS, encoding="utf-8")
    for i in range(1, 9):
        write_interview(d / "interviews", f"GM000{i}-1", {"structure.tenderboard": "yes" if i == 4 else "no"})
    return cm.load_study(d)


def test_linked_tables_that_determine_a_municipality_are_suppressed(linked):
    from commissioning.disclosure.determine import Check as _Check
    from commissioning.disclosure.system import Context as _Context, System as _System

    p = cm.protection(linked, publish=True)
    assert [c for c, _, _ in p.groups("size_class")] == ["small", "medium"]  # no recoding needed
    # without the engine's suppression the published cells would give B1's value away
    system = _System(_Context(linked, p.size_map, 3), linked.codebook.variables["structure.tenderboard"])
    everything = frozenset(k for k in system.blocks if k[0] == "municipality")
    bad = _Check(system, everything).violations()[0]
    assert {f.group for f in bad} >= {("GM0004",)}
    entries = [e for e in p.log if e["variable"] == "structure.tenderboard" and e["by"] in (None, "size_class", "region")]
    assert entries and entries[0]["rule"] == "linked_tables" and "municipality" in entries[0]["protects"]
    hidden = {(e["unit"], e["by"], e["group"]) for e in entries}
    assert all(not p.shown("structure.tenderboard", by, group, unit) for unit, by, group in hidden)
    assert _Check(system, everything - hidden).violations()[0] == []
    assert p.shown("structure.tenderboard", None, "all", "municipality")  # the margin stays
    text = cm.log_html({"01-segments": p}, "en")
    assert "<td>Tenderboard</td><td>municipality</td>" in text and "structure.tenderboard" not in text
    assert "The published cells together would determine a single interview and a single municipality" in text


def test_regions_below_the_threshold_are_suppressed(study):
    small = cm.protection(study.filter(size_class="small"), publish=True)  # West 2, Zuid 1: both below
    rules = {e["group"]: e["rule"] for e in small.log if e["by"] == "region_size" and e["variable"] == "sourcing.design"
             and e["group"].endswith("|small")}
    assert rules == {"West|small": "group_below_threshold", "Zuid|small": "group_below_threshold"}
    assert not small.shown("sourcing.design", "region", "Zuid", "interview")
    assert not small.shown("sourcing.design", "region", "West", "municipality")
    assert small.shown("sourcing.design", None, "all", "interview")
    medium = cm.protection(study.filter(size_class="medium"), publish=True)  # Noord: 2 municipalities
    assert not medium.shown("organisation.model", "region", "Noord", "municipality")
    # Zuid's medium municipalities are the other three: shown with the total, they would give Noord's
    assert medium.shown("organisation.model", None, "all", "municipality")
    assert not medium.shown("organisation.model", "region", "Zuid", "municipality")


def test_a_selection_below_the_threshold_shows_nothing(study):
    p = cm.protection(study.filter(region="Zuid", size_class="small"), publish=True)  # Middelburg alone
    for var in ("sourcing.design", "organisation.model", "agenda.carrier"):
        for unit in ("municipality", "interview"):
            assert not p.shown(var, None, "all", unit)
    assert "region South × size class small" in cm.log_html({"x": p}, "en")


def test_withheld_claims(study):
    p = cm.protection(study, publish=True)
    claims = {c["id"]: c for c in cm.load_claims()}
    very_large = p.withheld(claims["s33-very-large-sector-model"])
    assert very_large == {
        "en": "Evidence withheld: the statement is about a group of fewer than 3 municipalities or respondents, "
              "or about all but such a group.",
        "nl": "Onderbouwing weggelaten: de uitspraak gaat over een groep van minder dan 3 gemeenten of respondenten, "
              "of over alle op zo'n groep na."}
    # each of the large, medium and small classes on its own: large without very large is not a group
    # the merged tables show
    assert p.withheld(claims["s33-both-models-elsewhere"]) == {
        "en": "Evidence withheld: the statement is about a group that the published tables do not show "
              "(size classes merged for publication).",
        "nl": "Onderbouwing weggelaten: de uitspraak gaat over een groep die de gepubliceerde tabellen niet tonen "
              "(grootteklassen samengevoegd voor publicatie)."}
    assert p.withheld(claims["s34-structural-networks-rotterdam-den-haag"])["en"] == (
        "Evidence withheld: the statement names single municipalities.")
    assert p.withheld(claims["s21-public-space-everywhere"]) is None
    # the small class has 3 municipalities and 3 interviews: at the threshold, not below it
    assert p.withheld({"rules": [{"rule": "share", "variable": "agenda.explicitness", "codes": ["explicit"],
                                  "quantifier": "few", "where": {"size_class": ["small"]}}]}) is None
    # per interview: Noord's medium municipalities have 3 interviews but 2 municipalities
    assert p.withheld({"rules": [{"rule": "share", "variable": "agenda.explicitness", "codes": ["explicit"],
                                  "quantifier": "few", "where": {"size_class": ["medium"], "region": ["Noord"]}}]})
    assert p.withheld({"rules": [{"rule": "compare", "variable": "agenda.explicitness", "codes": ["explicit"],
                                  "greater": {"size_class": ["very_large"]}, "than": {"size_class": ["small"]}}]})
    # large without very large is not a group the published tables show
    assert "do not show" in p.withheld({"rules": [{"rule": "share", "variable": "organisation.model",
                                                   "codes": ["sector"], "quantifier": "any",
                                                   "where": {"size_class": ["large"]}}]})["en"]
    assert p.withheld({"rules": [{"rule": "share", "variable": "organisation.model", "codes": ["sector"],
                                  "quantifier": "any", "where": {"size_class": ["small", "medium"]}}]}) is None
    withheld = sorted(c["id"] for c in claims.values() if p.withheld(c))
    assert withheld == ["s33-both-models-elsewhere", "s33-very-large-sector-model",
                        "s34-structural-networks-rotterdam-den-haag"]
    with pytest.raises(cm.ParameterError, match="claim: .* is not a claim; allowed: a mapping with 'rules'"):
        p.withheld({"id": "x"})


def test_protection_bad_inputs(study):
    for bad in (0, "3", True, 2.5):
        with pytest.raises(cm.ParameterError, match=r"threshold: .* is not allowed; allowed: a whole number of at least 1"):
            cm.protection(study, publish=True, threshold=bad)
    with pytest.raises(cm.ParameterError, match="publish: 'yes' is not allowed; allowed: True, False"):
        cm.protection(study, publish="yes")
    p = cm.protection(study, publish=True)
    with pytest.raises(cm.ParameterError, match="variable: 'nope' is not a variable of the codebook"):
        p.shown("nope", None, "all", "municipality")
    with pytest.raises(cm.ParameterError, match=r"group: 'very_large' is not a group of by='size_class'; "
                                                r"allowed: all, small, medium, large\+very_large"):
        p.shown("sourcing.design", "size_class", "very_large", "municipality")
    with pytest.raises(cm.ParameterError, match="by: 'province' is not allowed"):
        p.shown("sourcing.design", "province", "all", "municipality")
    with pytest.raises(cm.ParameterError, match="by: 'province' is not allowed"):
        p.groups("province")
    with pytest.raises(cm.ParameterError, match="unit: 'respondent' is not allowed"):
        p.shown("sourcing.design", None, "all", "respondent")
    with pytest.raises(cm.ParameterError, match="unit: 'municipality' is not allowed for the ranked set"):
        p.shown("maturity.top3", None, "all", "municipality")
    with pytest.raises(cm.ParameterError, match="by: 'rank' is only allowed for a ranked set"):
        p.shown("sourcing.design", "rank", "1", "interview")
    with pytest.raises(cm.ParameterError, match="lang: 'fr' is not allowed"):
        p.note("fr")


def test_log_html(study):
    p = cm.protection(study, publish=True)
    text = cm.log_html({"02-outsourcing": p, "<b>x</b>": []}, "en",
                       audit={"protected_cells": 12, "narrowest_range": 2, "problems": ["a <problem>"]})
    assert text.startswith('<section class="cm-disclosure-log"><h2>Disclosure log</h2>')
    assert "<h3>02-outsourcing</h3>" in text and "<h3>&lt;b&gt;x&lt;/b&gt;</h3>" in text
    assert ('<tr><th scope="row">Merged</th><td>very large into large</td><td>municipality and respondent</td>'
            "<td>–</td><td>Size class with fewer than 3 municipalities") in text
    assert "<caption>Merged or suppressed: 02-outsourcing</caption>" in text
    assert "Nothing was merged or suppressed." in text
    assert ("Audit of the published pages: 12 protected values; narrowest range 2 values; 1 problem." in text
            and "<li>a &lt;problem&gt;</li>" in text)
    assert "<b>" not in text
    dutch = cm.log_html({"r": {"entries": p.log, "audit": {"protected_cells": 1, "narrowest_range": 2,
                                                           "problems": []}}}, "nl")
    assert "Logboek statistische geheimhouding" in dutch and "geen problemen" in dutch
    assert "<td>very_large met large</td>" in dutch  # plain entries: codes, not labels
    assert "12.082 beschermde waarden" in cm.log_html({"r": p}, "nl")  # the thousands separator of Dutch


def test_readme_states_the_engines_result_on_the_shipped_data(study):
    from ..conftest import REPO

    text = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    p = cm.protection(study, publish=True)
    suppressed = [e for e in p.log if e["action"] == "suppressed" and e["variable"]]
    national = [e for e in suppressed if e["by"] in (None, "size_class", "region", "rank")]
    regions = sum(e["by"] == "region" for e in national)
    assert (f"the engine checks {p.checked['protected']:,} protected values ({p.checked['entailed']:,} entailed by "
            f"unanimous national cells), finds none fixed after suppression, and suppresses {len(suppressed)} blocks "
            f"of {len({e['variable'] for e in suppressed})} variables: {len(national)} in the national tables "
            f"({regions} of them regions) and {len(suppressed) - len(national)} that only filtered runs show") in text
