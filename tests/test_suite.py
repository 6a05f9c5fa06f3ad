"""Tests of commissioning.suite: running notebooks, rendering offline HTML, the index."""

import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import commissioning as cm
from commissioning import suite
from commissioning.suite import SuiteError, run_suite


def _quiet(line):
    pass


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "data"
    shutil.copytree(cm.default_data_dir(), folder)
    return folder


@pytest.fixture(scope="module")
def reports(data_copy, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    lines = []
    assert run_suite(data_dir=data_copy, out_dir=out, only=["00-sample"], parameters={}, jobs=1,
                     progress=lines.append) == 0
    return out, lines


def _notebook(path, *cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata = {"kernelspec": dict(suite.KERNELSPEC), "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
    nbformat.write(nb, str(path))


def _parameters_cell(source):
    cell = new_code_cell(source)
    cell.metadata["tags"] = ["parameters"]
    return cell


def test_run_writes_a_report_and_an_index(reports, data_copy):
    out, lines = reports
    assert sorted(p.name for p in out.iterdir()) == [".manifest.json", "00-sample.html", "index.html"]
    assert re.fullmatch(r"\[1/1\] 00-sample \.\.\. done \(\d+\.\d s\)", lines[0])
    index = (out / "index.html").read_text(encoding="utf-8")
    study = cm.load_study(data_copy)
    assert '<a href="00-sample.html">Who was interviewed</a>' in index
    assert study.fingerprint in index
    assert f"commissioning {cm.__version__}" in index
    assert "<code>lang = &#x27;en&#x27;</code>" in index
    assert "<code>region = None</code>" in index and "<code>publish = False</code>" in index


@pytest.mark.parametrize("name", ["index.html", "00-sample.html"])
def test_reports_are_self_contained_and_hide_code(reports, data_copy, name):
    out, _ = reports
    text = (out / name).read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "<script" not in text.lower()
    assert "http://" not in text and "https://" not in text
    assert str(data_copy) not in text and str(out) not in text
    assert not re.search(r"(?:src|href)=\"(?!data:|#|[\w.-]+\.html\")", text)  # nothing to fetch
    assert "import commissioning" not in text and "cm.load_study" not in text
    assert "In&nbsp;[" not in text and "Out[" not in text


def test_report_shows_table_1_and_a_figure(reports):
    out, _ = reports
    text = (out / "00-sample.html").read_text(encoding="utf-8")
    assert "<title>Who was interviewed</title>" in text
    assert "Den Haag" in text and "s-Gravenhage" in text
    assert "Municipalities: 18" in text
    assert 'src="data:image/png;base64,' in text
    assert '<img alt="Each group of bars is a size class' in text
    assert "data_dir = None" not in text  # the parameter cells are not shown


def test_two_runs_give_byte_identical_reports(reports, data_copy, tmp_path):
    out, _ = reports
    run_suite(data_dir=data_copy, out_dir=tmp_path, only=["00-sample"], parameters={}, progress=_quiet)
    for name in ("index.html", "00-sample.html"):
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


def test_an_undeclared_parameter_is_an_error(data_copy, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(cm.ParameterError, match=r"'colour' is not declared by notebook 00-sample.*region"):
        run_suite(data_dir=data_copy, out_dir=out, only=["00-sample"], parameters={"colour": "red"},
                  progress=_quiet)
    assert not out.exists()


@pytest.mark.parametrize("parameters, message", [
    ({"region": "Oost"}, "region: 'Oost' is not allowed; allowed: Noord, West, Zuid"),
    ({"size_class": "huge"}, "size_class: 'huge' is not allowed; allowed: small, medium, large, very_large"),
    ({"lang": "fr"}, "lang: 'fr' is not allowed; allowed: en, nl"),
    ({"region": "Noord", "size_class": "very_large"}, "selects no municipality"),
])
def test_bad_values_are_errors(data_copy, tmp_path, parameters, message):
    with pytest.raises(cm.ParameterError, match=re.escape(message)):
        run_suite(data_dir=data_copy, out_dir=tmp_path / "out", only=["00-sample"], parameters=parameters,
                  progress=_quiet)
    assert not (tmp_path / "out").exists()


def test_an_unknown_notebook_lists_the_available_ones(tmp_path):
    with pytest.raises(cm.ParameterError, match=r"unknown notebook '99-nothing'; available: (.*, )?00-sample"):
        run_suite(out_dir=tmp_path, only=["99-nothing"], parameters={}, progress=_quiet)


def test_invalid_data_stops_before_running(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "municipalities.csv").write_text("", encoding="utf-8")
    with pytest.raises(cm.DataError):
        run_suite(data_dir=tmp_path / "data", out_dir=tmp_path / "out", parameters={}, progress=_quiet)
    assert not (tmp_path / "out").exists()


def test_a_failing_notebook_names_the_cell_and_keeps_earlier_reports(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-fine.ipynb", new_markdown_cell("# Fine"), _parameters_cell("data_dir = None"),
              new_code_cell("print('fine')"))
    _notebook(notebooks / "01-broken.ipynb", new_markdown_cell("# Broken"), _parameters_cell("data_dir = None"),
              new_code_cell("x = 1"), new_code_cell("x / 0"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("earlier index", encoding="utf-8")
    (out / "00-fine.html").write_text("earlier report", encoding="utf-8")
    lines = []
    with pytest.raises(SuiteError) as info:
        run_suite(data_dir=data_copy, out_dir=out, parameters={}, jobs=2, progress=lines.append,
                  notebooks_dir=notebooks)
    message = str(info.value)
    assert message == "notebook 01-broken failed at cell 4 (first line: x / 0): ZeroDivisionError: division by zero"
    assert info.value.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == ["00-fine.html", "index.html"]  # nothing written
    assert (out / "index.html").read_text(encoding="utf-8") == "earlier index"
    assert (out / "00-fine.html").read_text(encoding="utf-8") == "earlier report"
    assert any("01-broken ... failed" in line for line in lines)
    assert any("00-fine ... done" in line for line in lines)


def test_index_escapes_every_string():
    report = suite._Report(name="00-x", title="<b>A & B</b>", parameters={"region": "'<i>'"}, body="")
    page = suite._index_page([report], fingerprint="<f>", version="1<2", data_label="the folder '<d>'")
    assert "<b>" not in page and "<i>" not in page and "<f>" not in page and "<d>" not in page
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in page


def test_refresh_strips_volatile_metadata_and_is_deterministic(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    path = notebooks / "00-tiny.ipynb"
    _notebook(path, new_markdown_cell("# Tiny"), _parameters_cell("n = 2"), new_code_cell("print(n * 21)"))
    assert suite.refresh_notebooks(notebooks_dir=notebooks, progress=_quiet) == 0
    first = path.read_bytes()
    nb = nbformat.read(str(path), as_version=4)
    assert "papermill" not in nb.metadata
    assert nb.metadata.kernelspec == suite.KERNELSPEC
    for cell in nb.cells:
        assert "papermill" not in cell.metadata and "execution" not in cell.metadata
    assert nb.cells[2].execution_count == 2
    assert nb.cells[2].outputs[0].text == "42\n"
    suite.refresh_notebooks(notebooks_dir=notebooks, progress=_quiet)
    assert path.read_bytes() == first


def test_rerun_with_nothing_changed_skips_and_force_reruns(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-fine.ipynb", new_markdown_cell("# Fine"), _parameters_cell("data_dir = None"),
              new_code_cell("print('fine')"))
    out = tmp_path / "out"
    first = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, progress=first.append, notebooks_dir=notebooks)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, progress=again.append, notebooks_dir=notebooks)
    assert any("00-fine ... unchanged, kept" in line for line in again)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    forced = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, force=True, progress=forced.append, notebooks_dir=notebooks)
    assert any("00-fine ... done" in line for line in forced)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # deterministic
    # a change to the data reruns the report
    with open(data_copy / "interviews" / "GM0518-1.yaml", "a", encoding="utf-8") as fh:
        fh.write("# a comment changes the fingerprint\n")
    changed = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, progress=changed.append, notebooks_dir=notebooks)
    assert any("00-fine ... done" in line for line in changed)
    # another parameter value reruns it too
    _notebook(notebooks / "00-fine.ipynb", new_markdown_cell("# Fine"),
              _parameters_cell("data_dir = None\nlang = 'en'"), new_code_cell("print(lang)"))
    other = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={"lang": "nl"}, progress=other.append, notebooks_dir=notebooks)
    assert any("00-fine ... done" in line for line in other)
    assert "lang = &#x27;nl&#x27;" in (out / "index.html").read_text(encoding="utf-8")


def test_unchanged_rerun_needs_no_analysis_stack(data_copy, tmp_path):
    """A rerun with nothing changed recognises that from fingerprints alone (so it is fast)."""
    import subprocess
    import sys

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-fine.ipynb", new_markdown_cell("# Fine"), _parameters_cell("data_dir = None"),
              new_code_cell("print('fine')"))
    out = tmp_path / "out"
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, progress=_quiet, notebooks_dir=notebooks)
    code = ("import sys\nfrom commissioning.suite import run_suite\n"
            f"run_suite(data_dir={str(data_copy)!r}, out_dir={str(out)!r}, parameters={{}}, "
            f"notebooks_dir={str(notebooks)!r}, progress=print)\n"
            "print('pandas loaded:', 'pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "00-fine ... unchanged, kept" in result
    assert "pandas loaded: False" in result
