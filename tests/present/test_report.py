"""commissioning.present.report: what a report says about its data (the notice on top, the parameters line,
the index's "About the data"), on reconstructed and on observed codings."""

import re
import shutil

import pytest

import commissioning as cm
from commissioning.run import index as render_index
from commissioning.analysis.provenance import share_text, value_provenance
from commissioning.present.report import Report, provenance

from ..conftest import DATA


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    """The shipped codings relabelled as observed: the same values, none reconstructed."""
    data = tmp_path_factory.mktemp("observed") / "data"
    shutil.copytree(DATA, data)
    for path in (data / "interviews").glob("*.yaml"):
        text = re.sub(r"\bbasis: (reported|derived|external|imputed)\b", "basis: observed", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    return data


def _notice_shown(report, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    report.notice()
    return shown


def test_the_notice_is_on_reconstructed_data_only(observed, monkeypatch):
    shown = _notice_shown(Report(lang="nl", publish=True), monkeypatch)
    assert len(shown) == 1 and shown[0][1]["metadata"] == {"commissioning": {"notice": True}}
    html_text = shown[0][0][0].data
    assert "Gereconstrueerde gegevens" in html_text and 'href="../index.html#about-the-data"' in html_text
    counts = value_provenance(cm.load_study())
    n, k = counts["n_values"], counts["basis"]["imputed"]
    # the one figure, with its denominator: the same count and format as the index and the README
    number = f"{n:,}".replace(",", ".")
    assert (f"Van de {number} waarden in dit rapport (één per gemeente of respondent en per vraag) is "
            f"{share_text(k, n, 'nl')} geïmputeerd") in html_text
    assert _notice_shown(Report(observed, publish=True), monkeypatch) == []
    # a report made without publishing says first that it is not for publication, on any data
    unpublished = _notice_shown(Report(observed), monkeypatch)
    assert len(unpublished) == 1 and "Not for publication." in unpublished[0][0][0].data
    assert "Niet voor publicatie." in _notice_shown(Report(lang="nl"), monkeypatch)[0][0][0].data


def test_the_parameters_line_names_the_data_s_nature(observed):
    assert "Data: the shipped data (reconstructed)." in Report().parameters().text
    assert "Data: the folder &#x27;data&#x27; (observed codings)." in Report(observed).parameters().text
    assert "(waargenomen coderingen)" in Report(observed, lang="nl").parameters().text
    assert Report(observed).imputed_note() == ""


def test_provenance_counts_the_values_by_basis(observed):
    shipped, seen = provenance(cm.load_study()), provenance(cm.load_study(observed))
    assert shipped["n_values"] == seen["n_values"] == sum(shipped["basis"].values())
    assert shipped["basis"]["imputed"] > 0 and shipped["basis"]["observed"] == 0
    assert seen["basis"] == {"observed": seen["n_values"], "reported": 0, "derived": 0, "external": 0, "imputed": 0,
                             "edited": 0}
    assert shipped["basis"]["imputed"] / shipped["n_values"] == pytest.approx(Report().imputed())


def test_about_the_data_says_what_the_data_is_in_both_languages(observed):
    text = render_index.about_html(provenance(cm.load_study()), data_dir_name=None)
    assert text.startswith('<section id="about-the-data" class="cm-meta">')
    counts = value_provenance(cm.load_study())
    imputed, n = counts["basis"]["imputed"], counts["n_values"]
    dutch = f"Geïmputeerd zijn er {imputed:,} ({share_text(imputed, n, 'nl')}): willekeurig getrokken".replace(",", ".", 1)
    assert "imputed (drawn at random" in text and dutch in text
    assert "18 municipalities, 24 interviews, coded by one coder" in text
    assert "1.080 waarden" in text and "1,080 values" in text  # thousands separators of each language
    other = render_index.about_html(provenance(cm.load_study(observed)), data_dir_name="data")
    assert "Every one of these values is observed" in other and "Al deze waarden zijn waargenomen" in other
    assert "imputed (drawn" not in other and "the folder &#x27;data&#x27;" in other
    assert render_index.about_html(None, data_dir_name=None) == ""


def _holm(p):
    """Holm's step-down adjustment written out: the i-th smallest of m p-values times (m - i + 1),
    made monotone, capped at 1."""
    order = sorted(range(len(p)), key=lambda i: p[i])
    out, running = [0.0] * len(p), 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        out[i] = running
    return out


def test_the_fragmentation_p_values_are_corrected_across_variables_like_the_tests():
    frag = Report().fragmentation(n_permutations=199)
    tested = frag.dropna(subset=["p_value"])
    assert len(tested) >= 2
    assert list(tested["p_adjusted"]) == pytest.approx(_holm(list(tested["p_value"])))
    assert (tested["p_adjusted"] >= tested["p_value"]).all()


def test_a_published_test_over_a_suppressed_block_is_withheld():
    """Per interview, the engine suppresses size blocks of some activity (see the disclosure log): a
    test over those groups would give them back, so it is not published."""
    activities = cm.activity_variables(cm.load_study())
    published = Report(publish=True, unit="interview")
    hidden = [v for v in activities if v not in published.fully_shown(activities, by="size_class")]
    assert hidden and len(hidden) < len(activities)  # the shipped data has such a block
    tests = published.association_tests(activities, n_resamples=199).set_index("variable")
    assert (tests.loc[hidden, "status"] == "withheld").all()
    assert tests.loc[hidden, ["p_value", "cramers_v", "p_adjusted"]].isna().all().all()
    assert (tests.drop(index=hidden)["status"] != "withheld").all()


def test_a_published_count_per_interview_of_a_municipality_fact_is_made_per_municipality():
    variables = ["segment.public_space.maintenance"]
    published = Report(publish=True, unit="interview").counts(variables, by="size_class")
    assert published.unit == "municipality" and any("Counted per municipality" in n for n in published.notes)
    assert Report(unit="interview").counts(variables, by="size_class").unit == "interview"
    assert Report(publish=True, unit="interview").counts(["sourcing.design"], by="size_class").unit == "interview"


def test_published_groups_are_the_merged_ones():
    table = Report(publish=True).counts(["sourcing.design"], by="size_class")
    assert [g for g, _ in table.groups] == ["small", "medium", "large+very_large", "all"]
    assert [label for _, label in Report(publish=True, lang="nl").counts(["sourcing.design"], by="size_class").groups][
        -2:] == ["Groot en zeer groot", "Alle"]
    assert [g for g, _ in Report().counts(["sourcing.design"], by="size_class").groups][-2:] == ["very_large", "all"]


def test_fragmentation_and_agreement_of_too_few_units_are_withheld_when_published():
    frag = Report(publish=True, threshold=50).fragmentation(n_permutations=100)
    assert frag["p_value"].isna().all() and frag["n_differ"].isna().all()
    assert Report(threshold=50).fragmentation(n_permutations=100)["p_value"].notna().any()
