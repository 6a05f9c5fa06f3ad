"""commissioning.report: what a report says about its data (the notice on top, the parameters line,
the index's "About the data"), on reconstructed and on observed codings."""

import re
import shutil

import pytest

import commissioning as cm
from commissioning import render
from commissioning.report import Report, provenance

from .conftest import DATA


@pytest.fixture(scope="module")
def observed(tmp_path_factory):
    """The shipped codings relabelled as observed: the same values, none reconstructed."""
    data = tmp_path_factory.mktemp("observed") / "data"
    shutil.copytree(DATA, data)
    for path in (data / "interviews").glob("*.yaml"):
        text = re.sub(r"\bbasis: (reported|derived|imputed)\b", "basis: observed", path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
    return data


def _notice_shown(report, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *a, **k: shown.append((a, k)))
    report.notice()
    return shown


def test_the_notice_is_on_reconstructed_data_only(observed, monkeypatch):
    shown = _notice_shown(Report(lang="nl"), monkeypatch)
    assert len(shown) == 1 and shown[0][1]["metadata"] == {"commissioning": {"notice": True}}
    html_text = shown[0][0][0].data
    assert "Gereconstrueerde gegevens" in html_text and 'href="../index.html#about-the-data"' in html_text
    share = round(100 * Report().imputed())
    assert f"{share}% van de waarden" in html_text
    assert _notice_shown(Report(observed), monkeypatch) == []


def test_the_parameters_line_names_the_data_s_nature(observed):
    assert "Data: the shipped data (reconstructed)." in Report().parameters().text
    assert "Data: the folder &#x27;data&#x27; (observed codings)." in Report(observed).parameters().text
    assert "(waargenomen coderingen)" in Report(observed, lang="nl").parameters().text
    assert Report(observed).imputed_note() == ""


def test_provenance_counts_the_values_by_basis(observed):
    shipped, seen = provenance(cm.load_study()), provenance(cm.load_study(observed))
    assert shipped["n_values"] == seen["n_values"] == sum(shipped["basis"].values())
    assert shipped["basis"]["imputed"] > 0 and shipped["basis"]["observed"] == 0
    assert seen["basis"] == {"observed": seen["n_values"], "reported": 0, "derived": 0, "imputed": 0}
    assert shipped["basis"]["imputed"] / shipped["n_values"] == pytest.approx(Report().imputed())


def test_about_the_data_says_what_the_data_is_in_both_languages(observed):
    text = render.about_html(provenance(cm.load_study()), data_dir_name=None)
    assert text.startswith('<section id="about-the-data">')
    assert "imputed (drawn at random" in text and "geïmputeerd (willekeurig getrokken" in text
    assert "18 municipalities, 24 interviews, coded by one coder" in text
    other = render.about_html(provenance(cm.load_study(observed)), data_dir_name="data")
    assert "Every one of these values is observed" in other and "Al deze waarden zijn waargenomen" in other
    assert "imputed (drawn" not in other and "the folder &#x27;data&#x27;" in other
    assert render.about_html(None, data_dir_name=None) == ""


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
