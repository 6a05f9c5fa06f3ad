"""Publishing safeguards: blanked respondent fields, small subgroups hidden, hostile text escaped."""

import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning import disclosure as dc


def test_for_publication_blanks_respondent_fields(tiny):
    s = dc.for_publication(tiny)
    for col in ("respondent_role", "file", "notes"):
        assert set(s.interviews[col]) == {""}
    assert set(s.codings.coder) == {"coder 1"} == set(s.interviews.coder)
    assert set(tiny.interviews.coder) == {"ab"}  # the original is untouched


def test_for_publication_keeps_double_codings_apart(tiny_dir):
    from .conftest import write_interview

    write_interview(tiny_dir / "interviews", "GM0687-1", {"sourcing.design": "outsourced"}, coder="zz", suffix=".zz")
    s = dc.for_publication(cm.load_study(tiny_dir))
    assert sorted(set(s.codings.coder)) == ["coder 1", "coder 2"]
    both = cm.crosstab(s, "sourcing.design", by=None, unit="interview").set_index("code")
    plain = cm.crosstab(cm.load_study(tiny_dir), "sourcing.design", by=None, unit="interview").set_index("code")
    assert both.n.equals(plain.n)


def test_protect_hides_groups_below_the_minimum(study):
    counts = dc.municipalities_per_group(study, "size_class")
    assert counts.to_dict() == {"small": 3, "medium": 5, "large": 8, "very_large": 2}
    table = pd.DataFrame({"size_class": ["small", "medium", "large", "very_large"], "n": [1, 2, 3, 4],
                          "share": [0.1, 0.2, 0.3, 0.4], "label": ["a", "b", "c", "d"]})
    out = dc.protect(table, study, by="size_class")
    assert out.n.isna().tolist() == [False, False, False, True]
    assert out.share.isna().tolist() == [False, False, False, True]
    assert out.label.tolist() == ["a", "b", "c", "d"]  # text is kept
    assert out.disclosure.tolist() == ["", "", "", "hidden: fewer than 3 municipalities"]
    assert table.n.tolist() == [1, 2, 3, 4]  # not mutated


def test_protect_by_label_in_index_and_dutch(study):
    table = pd.DataFrame({"n": [4, 5]}, index=pd.Index(["Zeer groot", "Klein"], name="grootte"))
    out = dc.protect(table, study, by="size_class", column="grootte", lang="nl", minimum=3)
    assert np.isnan(out.loc["Zeer groot", "n"]) and out.loc["Klein", "n"] == 5
    assert out.loc["Zeer groot", "disclosure"] == "verborgen: minder dan 3 gemeenten"


def test_protect_off_outside_publish_mode(study):
    table = pd.DataFrame({"size_class": ["very_large"], "n": [4]})
    assert dc.protect(table, study, by="size_class", publish=False) is table


def test_protect_follows_filters(study):
    west = study.filter(region="West")  # West: 2 very large, 2 large, 2 small
    table = pd.DataFrame({"size_class": ["very_large", "large", "small"], "n": [1, 2, 3]})
    assert dc.protect(table, west, by="size_class").n.isna().all()


def test_protect_bad_inputs(study):
    with pytest.raises(cm.ParameterError, match="by: 'province' is not allowed; allowed: size_class, region"):
        dc.protect(pd.DataFrame({"x": [1]}), study, by="province")
    with pytest.raises(cm.ParameterError, match="column 'size_class' is not in the table"):
        dc.protect(pd.DataFrame({"x": [1]}), study, by="size_class")
    with pytest.raises(cm.ParameterError, match=r"\['huge'\] are not size_class codes or labels"):
        dc.protect(pd.DataFrame({"size_class": ["huge"]}), study, by="size_class")


def test_disclosure_note(study):
    assert dc.disclosure_note(study, by="size_class", publish=True) == (
        "Publish mode: groups with fewer than 3 municipalities are hidden: Very large (2).")
    assert dc.disclosure_note(study, by="region", publish=True).endswith("no group falls below it.")
    assert dc.disclosure_note(study, by="region", publish=False).startswith("Not in publish mode")
