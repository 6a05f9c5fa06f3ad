"""Every notebook on a research group's own study (its own codebook, none of the study's variables):
each runs, published and in both languages; what a section needs and the codebook lacks is said
in one sentence, and the release passes the auditor. The QCA notebook runs on the group's own sets."""

import re

import pytest

from commissioning.run.notebooks import available_notebooks
from commissioning.run.suite import run_suite

from ..own_study import write_own_study


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    return write_own_study(tmp_path_factory.mktemp("own") / "data")


@pytest.fixture(scope="module")
def published(own, tmp_path_factory):
    out = tmp_path_factory.mktemp("own-reports")
    lines = []
    code = run_suite(data_dir=own, out_dir=out, parameters={"publish": True}, jobs=4, progress=lines.append)
    return out, code, lines


def _text(path):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_every_notebook_runs_published_on_an_own_codebook(published):
    out, code, lines = published
    assert code == 0, "\n".join(lines)
    for name in available_notebooks():
        for lang in ("en", "nl"):
            assert (out / lang / f"{name}.html").is_file(), name
    assert (out / "disclosure.html").is_file() and (out / "release.json").is_file()


def test_what_a_section_needs_and_the_codebook_lacks_is_said(published):
    out = published[0]
    needs = {lang: [name for name in available_notebooks() if "cm-needs" in (out / lang / f"{name}.html").read_text(
        encoding="utf-8")] for lang in ("en", "nl")}
    assert needs["en"] == needs["nl"]
    # the study's own notebooks name study variables this codebook lacks; the generic one needs nothing
    assert {"02-outsourcing", "09-configurations"} <= set(needs["en"])
    assert "08-explore" not in needs["en"]
    text = _text(out / "nl" / "09-configurations.html")
    assert "Dit onderdeel heeft de variabelen agenda.explicitness, organisation.model" in text
    explore = _text(out / "en" / "08-explore.html")
    assert "Staffing" in explore and "Steering" in explore


def test_the_qca_notebook_on_the_group_s_own_sets(own, tmp_path):
    out = tmp_path / "reports"
    params = {"outcome": "SHORTAGE: staffing.shortage=some|severe",
              "conditions": ["EXPERTS: staffing.hires_experts", "LARGE: size_class=large+very_large"],
              "incl_cut": 0.75}
    assert run_suite(data_dir=own, out_dir=out, only=["09-configurations"], parameters=params, jobs=1) == 0
    for lang, words in (("en", "municipalities, "), ("nl", "gemeenten, waarvan")):
        text = _text(out / lang / "09-configurations.html")
        assert words in text and "SHORTAGE" in text
        assert "cm-needs" not in (out / lang / "09-configurations.html").read_text(encoding="utf-8")
    # not a reconstruction: nothing was drawn to compare
    assert "This data is not a reconstruction" in _text(out / "en" / "09-configurations.html")
