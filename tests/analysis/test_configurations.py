"""Configurations (QCA) of municipalities: the sets made from codings, the truth table, the
solutions and their sentences, which turn around on data where the finding goes the other way,
and what a published report leaves out."""

import pandas as pd
import pytest
import yaml

import commissioning as cm
from commissioning.analysis.configurations import configurations, parse_set, set_frame
from commissioning.errors import ParameterError

OUTCOME = "EXPLICIT: agenda.explicitness=explicit"
SHARED = "SHARED: structure.shared_execution"


@pytest.mark.parametrize("text, message", [
    ("explicit", "set: 'explicit' is not a set written NAME: variable=code; allowed: e.g. EXPLICIT: "
                 "agenda.explicitness=explicit, or LARGE: size_class=large+very_large"),
    ("explicit: agenda.explicitness=explicit", "set: 'explicit: agenda.explicitness=explicit' names the set "
                                               "'explicit', which QCA cannot write; allowed: capitals, digits and _, "
                                               "starting with a capital (e.g. BUREAU)"),
    ("X: agenda.colour=red", "set: 'X: agenda.colour=red' names 'agenda.colour', which the codebook does not have; "
                             "allowed: a variable or attribute of the codebook"),
    ("X: agenda.explicitness=loud", "set: 'X: agenda.explicitness=loud' names codes loud that agenda.explicitness "
                                    "does not have; allowed: incidental, initial_steps, explicit"),
    ("X: size_class=huge", "set: 'X: size_class=huge' names codes huge that size_class does not have; allowed: "
                           "small, medium, large, very_large"),
])
def test_a_badly_written_set_is_refused_with_what_is_allowed(study, text, message):
    with pytest.raises(ParameterError) as err:
        parse_set(text, study.codebook)
    assert str(err.value) == message


def test_a_set_named_twice_and_no_conditions_are_refused(study):
    with pytest.raises(ParameterError, match="name a set twice"):
        set_frame(study, [SHARED, "SHARED: procurement.central_unit"])
    with pytest.raises(ParameterError, match="conditions: \\[\\] is empty; allowed: one condition set or more"):
        configurations(study, OUTCOME, [])


def test_crisp_membership_is_the_municipality_value(study):
    frame = set_frame(study, [OUTCOME, SHARED, "LARGE: size_class=large+very_large",
                              "BUREAU: structure.engineering_bureau|structure.project_bureau=yes"])
    explicit = cm.unit_values(study, "agenda.explicitness", unit="municipality").set_index("unit_id")["code"]
    assert frame["EXPLICIT"].to_dict() == (explicit == "explicit").astype(int).to_dict()
    munis = study.municipalities.set_index("cbs_code")
    assert frame["LARGE"].to_dict() == munis["size_class"].isin(["large", "very_large"]).astype(int).to_dict()
    bureaus = cm.unit_values(study, ["structure.engineering_bureau", "structure.project_bureau"], unit="municipality")
    either = bureaus.assign(yes=bureaus.code == "yes").groupby("unit_id")["yes"].any().astype(int)
    assert frame["BUREAU"].to_dict() == either.to_dict()


def test_fuzzy_membership_calibrates_the_share_of_respondents(study):
    frame = set_frame(study, [OUTCOME], fuzzy=True)
    values = cm.unit_values(study, "agenda.explicitness", unit="interview")
    share = values.assign(x=values.code == "explicit").groupby("municipality")["x"].mean().reindex(frame.index)
    # Ragin's direct method with anchors 0, 0.5, 1: a half is the crossover, all and none near 1 and 0
    assert ((frame["EXPLICIT"] > 0.5) == (share > 0.5)).all()
    assert ((frame["EXPLICIT"] == 0.5) == (share == 0.5)).all()
    assert frame["EXPLICIT"].between(0, 1).all()


def test_truth_table_counts_and_consistency_by_hand(study):
    conds = [SHARED, "LARGE: size_class=large+very_large"]
    c = configurations(study, OUTCOME, conds)
    frame = set_frame(study, [*conds, OUTCOME])
    by_hand = frame.groupby(["SHARED", "LARGE"])["EXPLICIT"].agg(["size", "mean"])
    shown = c.truth_table.set_index(["SHARED", "LARGE"])
    for key, row in by_hand.iterrows():
        assert shown.loc[key, "n"] == row["size"]
        assert shown.loc[key, "incl"] == pytest.approx(row["mean"])
        assert shown.loc[key, "OUT"] == ("1" if row["mean"] >= 1.0 else "0")
    assert c.left_out == 0 and int(c.truth_table["n"].sum()) == len(frame)


def test_configurations_of_too_few_municipalities_are_left_out(study):
    conds = ["CENTRAL: procurement.central_unit", SHARED, "LARGE: size_class=large+very_large"]
    frame = set_frame(study, [*conds, OUTCOME])
    sizes = frame.groupby(["CENTRAL", "SHARED", "LARGE"]).size()
    c = configurations(study, OUTCOME, conds, min_cases=3)
    assert c.left_out == int(sizes[sizes < 3].sum()) > 0
    assert int(c.truth_table["n"].min()) >= 3 and int(c.truth_table["n"].sum()) == int(sizes[sizes >= 3].sum())


def _recode(data_dir, outcome_of):
    """Set agenda.explicitness of every interview to 'explicit' or 'incidental' by its
    municipality's value of structure.shared_execution: outcome_of(shared) -> bool."""
    study = cm.load_study(data_dir)
    shared = cm.unit_values(study, "structure.shared_execution", unit="municipality").set_index("unit_id")["code"]
    for path in sorted((data_dir / "interviews").glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        code = "explicit" if outcome_of(shared.get(doc["municipality"]) == "yes") else "incidental"
        doc["values"]["agenda.explicitness"] = {"code": code, "basis": "observed"}
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return cm.load_study(data_dir)


@pytest.mark.parametrize("reverse", [False, True])
def test_the_solution_and_its_sentence_turn_with_the_data(data_copy, reverse):
    study = _recode(data_copy, (lambda s: not s) if reverse else (lambda s: s))
    c = configurations(study, OUTCOME, [SHARED, "LARGE: size_class=large+very_large"])
    term = "~SHARED" if reverse else "SHARED"
    assert c.solutions["parsimonious"].solutions == (term,)
    necessity = c.necessity.set_index("condition")["inclN"]
    assert necessity["SHARED"] == (0.0 if reverse else 1.0)
    report = cm.Report(data_copy)
    en = report.configuration_sentences(report.configurations(OUTCOME, [SHARED, "LARGE: size_class=large+very_large"]))
    nl_report = cm.Report(data_copy, lang="nl")
    nl = nl_report.configuration_sentences(nl_report.configurations(OUTCOME, [SHARED, "LARGE: size_class=large+"
                                                                              "very_large"]))
    if reverse:
        assert "The parsimonious solution: not execution organisation shared with neighbours: yes (~SHARED; " \
               "consistency 1.00, coverage 1.00)" in en.text
        assert "De spaarzame oplossing: niet " in nl.text and "(~SHARED; consistentie 1,00, dekking 1,00)" in nl.text
        assert "No condition is necessary" in en.text
    else:
        assert "The parsimonious solution: execution organisation shared with neighbours: yes (SHARED; " \
               "consistency 1.00, coverage 1.00)" in en.text
        assert "Necessary for the outcome (consistency of necessity at least 0.9): SHARED." in en.text
        assert "Noodzakelijk voor de uitkomst (consistentie van noodzaak minstens 0,9): SHARED." in nl.text


def test_no_sufficient_configuration_is_said_in_both_languages(study):
    for lang, words in (("en", "no configuration is consistent enough with the outcome to be explained, at a "
                               "consistency cut-off of 0.95"),
                        ("nl", "geen configuratie hangt sterk genoeg samen met de uitkomst om die te verklaren, bij "
                               "een consistentiegrens van 0,95")):
        r = cm.Report(lang=lang)
        c = r.configurations(OUTCOME, [SHARED], incl_cut=0.95)
        assert c.solutions == {}
        assert words in r.configuration_sentences(c).text


def test_a_published_report_names_no_case_and_refuses_what_subtracts(study, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", shown.append)
    r = cm.Report(publish=True)
    c = r.configurations(OUTCOME, ["CENTRAL: procurement.central_unit", SHARED, "LARGE: size_class=large+very_large"])
    names = set(study.municipalities["study_name"])
    tables = [r.truth_table_frame(c), r.necessity_frame(c), *(t for _, t in r.solution_tables(c))]
    for table in tables:
        text = table.to_html()
        assert not any(name in text for name in names)
        assert "Municipalities" not in table.columns
    assert (pd.to_numeric(r.truth_table_frame(c)["Count"]) >= 3).all()
    assert "are left out of the truth table" in r.configuration_sentences(c).text
    # a filtered published run, two attributes, or a size class shown merged: no configurations
    assert cm.Report(publish=True, region="Zuid").configurations(OUTCOME, [SHARED]) is None
    assert r.configurations(OUTCOME, [SHARED, "LARGE: size_class=large", "WEST: region=West"]) is None
    assert r.configurations(OUTCOME, ["LARGE: size_class=large"]) is None
    said = [h.text for h in shown]
    assert "for the whole selection of a release only" in said[0]
    assert "one attribute among the conditions (here: LARGE, WEST)" in said[1]
    assert "The condition LARGE selects size classes that publishing shows merged" in said[2]
    # not published, the cases are named
    unpublished = cm.Report()
    assert "Municipalities" in unpublished.truth_table_frame(unpublished.configurations(OUTCOME, [SHARED])).columns


def test_draws_exist_only_for_the_reconstruction(tiny_one_coder_dir):
    text, table = cm.Report().configuration_draws(OUTCOME, [SHARED], n_seeds=3)
    assert "Over 3 other reconstructions" in text.text
    assert table is not None and (pd.to_numeric(table["Reconstructions with the term"]) <= 3).all()
    coded = cm.Report(tiny_one_coder_dir, lang="nl")  # a group's own codings: nothing was drawn
    text, table = coded.configuration_draws("MORE: agenda.more_attention=yes", ["TILTED: organisation.model=tilted"])
    assert table is None and "Deze gegevens zijn geen reconstructie" in text.text
