"""Computed sentences: each says what its data shows, in English and Dutch, and turns around on
data where the finding goes the other way."""

import re
import shutil

import pandas as pd

import commissioning as cm
from commissioning import present as se
from commissioning.present.tables import ALL, Cell, CountTable, Row, count_table

from ..conftest import DATA


def table(rows, groups=(("all", "All"),), unit="municipality", by=None, lang="en"):
    """A CountTable from {(variable, code): [(k, n), ...]} in column order."""
    out = []
    for (variable, code), cells in rows.items():
        out.append(Row(variable, (code,), f"{variable}: {code}", [Cell(k, n) for k, n in cells]))
    return CountTable(out, list(groups), unit, by, lang)


def test_composition_turns_with_the_sample(study, tmp_path):
    en, nl = se.composition(study), se.composition(study, lang="nl")
    assert "not a majority" in str(en) and "geen meerderheid" in str(nl)
    assert "the very large municipalities all lie in the region West" in str(en)
    assert "de zeer grote gemeenten liggen alle in regio West" in str(nl)
    assert "West" not in str(se.composition(study, publish=True))  # no sentence on all of a small group
    # keep only the medium and small municipalities: medium becomes a majority
    small = study.filter(size_class="medium")
    s = str(se.composition(small))
    assert "The largest size class is 'medium', with 5 of 5 municipalities (100%), a majority;" in s


def _facilitating_housing(study):
    values = cm.unit_values(study, "segment.housing.investment", unit="municipality")
    return int((values.code == "facilitator").sum()), len(values)


def test_most_common_names_the_majority_or_its_absence(study):
    t = count_table(study, ["segment.housing.investment"])
    k, n = _facilitating_housing(study)
    assert 2 * k > n  # 'as a rule' (s21-housing-facilitating-only) holds on the shipped data
    assert str(se.most_common(t, study)) == ("Most common answer: Sets frameworks and facilitates only for housing "
                                             f"({k} of {n} ({round(100 * k / n)}%), a majority).")
    tie = table({("agenda.carrier", "connection"): [(2, 4)], ("agenda.carrier", "civil_service"): [(2, 4)]})
    assert "no single most common answer for where work on commissioning belongs" in str(se.most_common(tie, study))
    plurality = table({("organisation.model", "sector"): [(4, 10)], ("organisation.model", "tilted"): [(3, 10)],
                       ("organisation.model", "secretariat"): [(3, 10)]})
    text = str(se.most_common(plurality, study, lang="nl"))
    assert "Sectorenmodel of (concern)dienstenmodel voor organisatiemodel (4 van 10 (40%))" in text
    assert "meerderheid" not in text


def _all_outsourced(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    for path in (data / "interviews").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(  sourcing\.\w+: \{code: )\w+", r"\1outsourced", text)
        path.write_text(text, encoding="utf-8")
    return data


def test_activities_on_data_where_everything_is_outsourced(tmp_path):
    s = cm.load_study(_all_outsourced(tmp_path))
    t = count_table(s, cm.activity_variables(s))
    en, nl = str(se.activities(t, s)), str(se.activities(t, s, lang="nl"))
    assert en.startswith("Done in-house by a majority of municipalities: none. Outsourced by a majority: strategy and "
                         "policy (all 18)")
    assert "No majority either way" not in en
    assert nl.startswith("Door meer dan de helft van de gemeenten zelf gedaan: geen. Door meer dan de helft uitbesteed:")
    shipped = cm.load_study()
    assert "Outsourced by a majority: none." in str(se.activities(count_table(shipped, cm.activity_variables(shipped)),
                                                                  shipped))


def test_the_outsourcing_report_says_so_on_such_data(tmp_path):
    from commissioning.run.suite import run_suite

    data = _all_outsourced(tmp_path)
    (data / "claims.yaml").unlink()  # the claims do not hold here, and 02 does not read them
    out = tmp_path / "reports"
    run_suite(data_dir=data, out_dir=out, only=["02-outsourcing"], force=True, progress=lambda line: None)
    en = (out / "en" / "02-outsourcing.html").read_text(encoding="utf-8")
    nl = (out / "nl" / "02-outsourcing.html").read_text(encoding="utf-8")
    assert "Done in-house by a majority of municipalities: none." in en
    assert "in-house" not in en.split("Outsourced by")[1][:40]
    assert "Door meer dan de helft van de gemeenten zelf gedaan: geen." in nl
    assert "mostly in-house" not in en.lower() and "mostly done in-house" not in en.lower()


def test_extremes_and_the_same_share_everywhere(study):
    t = table({("structure.tenderboard", "yes"): [(1, 18)], ("structure.project_bureau", "yes"): [(13, 18)]})
    text = str(se.extremes(t, study))
    assert text == "Highest: structure.project_bureau (13 of 18 (72%)); lowest: structure.tenderboard (1 of 18 (6%))."
    flat = table({("structure.tenderboard", "yes"): [(5, 10)], ("structure.project_bureau", "yes"): [(5, 10)]})
    assert str(se.extremes(flat, study, lang="nl")).startswith("Alle rijen hebben hetzelfde aandeel")


def test_group_sizes_follow_the_groups():
    groups = [("a", "A"), ("b", "B"), (ALL, "All")]
    t = table({("v", "x"): [(1, 2), (3, 8), (4, 10)]}, groups=groups, by="size_class")
    assert str(se.group_sizes(t)) == ("The groups hold between 2 and 8 municipalities: one municipality more or less "
                                      "moves a share by between 13 and 50 percentage points.")
    even = table({("v", "x"): [(1, 6), (3, 6), (4, 12)]}, groups=groups, by="region")
    assert str(se.group_sizes(even, lang="nl")) == ("De groepen tellen elk 6 gemeenten: één gemeente meer of minder "
                                                    "verschuift een aandeel met 17 procentpunt.")
    assert str(se.group_sizes(even)) == ("The groups hold 6 municipalities each: one municipality more or less "
                                         "moves a share by 17 percentage points.")


def test_highest_group_turns_around(study):
    groups = [("small", "small"), ("large", "large"), (ALL, "All")]
    up = table({("agenda.explicitness", "explicit"): [(0, 5), (4, 5), (4, 10)]}, groups=groups, by="size_class")
    down = table({("agenda.explicitness", "explicit"): [(4, 5), (0, 5), (4, 10)]}, groups=groups, by="size_class")
    assert "most often in large (4 of 5 (80%)), least often in small" in str(se.highest_group(up, study))
    assert "most often in small (4 of 5 (80%)), least often in large" in str(se.highest_group(down, study))
    same = table({("agenda.explicitness", "explicit"): [(1, 5), (1, 5), (2, 10)]}, groups=groups, by="size_class")
    assert "the same share in every group" in str(se.highest_group(same, study))


def test_top_mentions_follow_the_counts():
    rows = {("maturity.top3", "a"): [(3, 9)], ("maturity.top3", "b"): [(6, 9)], ("maturity.top3", "c"): [(0, 9)]}
    t = table(rows, unit="mention")
    text = str(se.top_mentions(t, n=2))
    assert text.startswith("Of 9 mentions, the most mentioned aspects are: 1. maturity.top3: b, 6 of 9 (67%); "
                           "2. maturity.top3: a, 3 of 9 (33%).")
    assert text.endswith("Never mentioned: maturity.top3: c.")
    tie = table({("maturity.top3", "a"): [(3, 6)], ("maturity.top3", "b"): [(3, 6)]}, unit="mention")
    assert "1. maturity.top3: a, 3 of 6 (50%); 1. maturity.top3: b" in str(se.top_mentions(tie))


def test_tests_sentence_counts_and_never_rules_a_difference_out():
    tests = pd.DataFrame({"status": ["tested", "tested", "insufficient data"], "p_adjusted": [0.01, 0.4, float("nan")],
                          "p_bh": [0.01, 0.4, float("nan")], "cramers_v_corrected": [0.6, 0.1, float("nan")],
                          "label": ["Design", "Tendering", "Execution"]})
    text = str(se.tests(tests))
    assert text.startswith("Of the 2 variables tested, 1 differ between the groups at the 5% level after Holm")
    assert "does not show that the groups are alike" in text
    none = tests.assign(p_adjusted=[0.3, 0.4, float("nan")])
    assert "0 differ" in str(se.tests(none)) and "gecorrigeerde Cramérs V is 0,60" in str(se.tests(none, lang="nl"))
    assert str(se.tests_count(tests)).splitlines()[1] == "Different after Holm correction (p < 0.05): 1"


def test_fragmentation_sentence_turns_around():
    frag = pd.DataFrame({"share_differ": [0.8, 0.1], "expected_share": [0.5, 0.5], "p_adjusted": [0.9, 0.01],
                         "n_municipalities": [5, 5]})
    assert str(se.fragmentation(frag)).startswith("For 1 of the 2 variables, respondents of one municipality differ")
    assert "for 1, they agree more than chance" in str(se.fragmentation(frag))
    other = frag.assign(share_differ=[0.9, 0.9], p_adjusted=[0.9, 0.9])
    assert "For 2 of the 2" in str(se.fragmentation(other)) and "for 0," in str(se.fragmentation(other))
    assert "no fragmentation to measure" in str(se.fragmentation(frag.iloc[:0]))


def test_named_municipalities_only_when_not_published(study):
    assert str(se.named(study, "network.partner_discussion", "structural")).endswith("(11%): Den Haag and Rotterdam.")
    published = str(se.named(study, "network.partner_discussion", "structural", publish=True, lang="nl"))
    assert "Den Haag" not in published and published.endswith("2 van 18 gemeenten (11%).")


def test_verdict_counts(study):
    t = cm.claims_table(study)
    n, undecided = len(t), int((t.verdict == "insufficient data").sum())
    assert str(se.verdict_counts(t)) == (f"Of the {n} statements, the data support {n - undecided}, do not support 0, "
                                         f"and cannot decide {undecided}.")
    flipped = t.assign(verdict="not supported")
    assert f"the data support 0, do not support {n}" in str(se.verdict_counts(flipped))


def test_agreement_sentence(study):
    assert "No interview in this selection was coded by more than one coder" in str(se.agreement(None, 24))
    table_ = pd.DataFrame({"n_units": [4, 4], "alpha": [0.9, 0.4]})
    assert "for 1 of the 2 variables with an alpha, Krippendorff's alpha is below 0.667" in str(se.agreement(table_, 24))


def test_sentences_carry_their_numbers_as_data(study):
    html = se.most_common(count_table(study, ["segment.housing.investment"]), study)._repr_html_()
    assert 'class="cm-num"' in html and 'data-variable="segment.housing.investment"' in html
    k, n = _facilitating_housing(study)
    assert f'data-k="{k}" data-n="{n}"' in html
