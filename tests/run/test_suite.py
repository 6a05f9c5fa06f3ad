"""Tests of commissioning.run.suite: running notebooks once for both languages, offline HTML, the index."""

import json
import re
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import commissioning as cm
from commissioning.run import execute, suite
from commissioning.errors import SuiteError
from commissioning.run import run_suite


def _quiet(line):
    pass


def _tree(folder):
    """{relative path: bytes} of every file under `folder`."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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


def test_run_writes_a_report_per_language_and_an_index(reports, data_copy):
    out, lines = reports
    assert sorted(_tree(out)) == [".manifest.json", "en/00-sample.html", "index.html", "nl/00-sample.html"]
    assert re.fullmatch(r"\[1/1\] 00-sample \(en, nl\) \.\.\. done \(\d+\.\d s\)", lines[0])
    assert lines[-1] == f"wrote 2 reports (en, nl) and the index to {out}"
    index = (out / "index.html").read_text(encoding="utf-8")
    study = cm.load_study(data_copy)
    assert '<a href="en/00-sample.html" hreflang="en">Who was interviewed</a>' in index
    assert '<td><a href="nl/00-sample.html" hreflang="nl">' in index  # Dutch first; English marked
    assert study.fingerprint in index
    assert f"commissioning {cm.__version__}" in index
    assert "<p>Instellingen van alle rapporten: alle regio's, alle grootteklassen, niet gepubliceerd.</p>" in index
    en = (out / "en" / "00-sample.html").read_text(encoding="utf-8")
    nl = (out / "nl" / "00-sample.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en and "folder 'data', all regions, all size classes, English, not published" in en
    assert "Very large" in en
    assert '<html lang="nl">' in nl and "map 'data', alle regio's, alle grootteklassen, Nederlands, niet" in nl
    assert "Zeer groot" in nl


def test_a_dutch_page_has_no_english_chrome(reports):
    out, _ = reports
    nl = (out / "nl" / "00-sample.html").read_text(encoding="utf-8")
    footer = re.search(r"<footer.*</footer>", nl, re.S).group(0)
    assert '<a href="../index.html">Alle rapporten</a>' in footer
    assert "instellingen: map 'data', alle regio's" in footer and "vingerafdruk van de gegevens" in footer
    for english in ("All reports", "data fingerprint", "folder", "none", "settings", "= None", "True"):
        assert english not in footer


@pytest.mark.parametrize("name", ["index.html", "en/00-sample.html", "nl/00-sample.html"])
def test_reports_are_self_contained_and_hide_code(reports, data_copy, name):
    out, _ = reports
    text = (out / name).read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in text
    assert "<script" not in text.lower()
    assert "http://" not in text and "https://" not in text
    assert str(data_copy) not in text and str(out) not in text
    assert not re.search(r"(?:src|href)=\"(?!data:|#|(?:\.\./|en/|nl/)?[\w.-]+\.html(?:#[\w-]+)?\")", text)  # nothing to fetch
    assert "import commissioning" not in text and "cm.load_study" not in text
    assert "In&nbsp;[" not in text and "Out[" not in text


def test_report_shows_table_1_and_a_figure(reports):
    out, _ = reports
    text = (out / "en" / "00-sample.html").read_text(encoding="utf-8")
    assert "<title>Who was interviewed</title>" in text
    assert "Den Haag" in text and "s-Gravenhage" in text
    assert re.search(r"Municipalities:?\s+18\b", text)
    assert 'src="data:image/png;base64,' in text
    # the figure's alt text is computed from the counts it draws (Table 1's public facts)
    assert re.search(r'<img [^>]*alt="Bars of the municipalities per size class, one bar per region: [^"]*West 2', text)
    assert "data_dir = None" not in text  # the parameter cells are not shown


def test_two_runs_give_byte_identical_reports(reports, data_copy, tmp_path):
    out, _ = reports
    run_suite(data_dir=data_copy, out_dir=tmp_path, only=["00-sample"], parameters={}, jobs=2, progress=_quiet)
    assert _tree(tmp_path) == _tree(out)


def test_a_report_does_not_depend_on_the_languages_run_with_it(reports, data_copy, tmp_path):
    out, _ = reports
    run_suite(data_dir=data_copy, out_dir=tmp_path, only=["00-sample"], parameters={}, languages="nl",
              progress=_quiet)
    assert sorted(_tree(tmp_path)) == [".manifest.json", "index.html", "nl/00-sample.html"]
    assert (tmp_path / "nl" / "00-sample.html").read_bytes() == (out / "nl" / "00-sample.html").read_bytes()


def test_an_undeclared_parameter_is_an_error(data_copy, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(cm.ParameterError, match=r"'colour' is not declared by notebook 00-sample.*region"):
        run_suite(data_dir=data_copy, out_dir=out, only=["00-sample"], parameters={"colour": "red"},
                  progress=_quiet)
    assert not out.exists()


@pytest.mark.parametrize("parameters, message", [
    ({"region": "Oost"}, "region: 'Oost' is not allowed; allowed: Noord, West, Zuid"),
    ({"size_class": "huge"}, "size_class: 'huge' is not allowed; allowed: small, medium, large, very_large"),
    ({"lang": "nl"}, "parameter 'lang': give the report languages with --lang (languages=) instead"),
    ({"region": "Noord", "size_class": "very_large"}, "selects no municipality"),
])
def test_bad_values_are_errors(data_copy, tmp_path, parameters, message):
    with pytest.raises(cm.ParameterError, match=re.escape(message)):
        run_suite(data_dir=data_copy, out_dir=tmp_path / "out", only=["00-sample"], parameters=parameters,
                  progress=_quiet)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("languages", ["fr", "en,fr", ["nl", "EN"], []])
def test_an_unknown_language_is_an_error(data_copy, tmp_path, languages):
    with pytest.raises(cm.ParameterError, match=r"^lang: .*allowed: en, nl"):
        run_suite(data_dir=data_copy, out_dir=tmp_path / "out", only=["00-sample"], languages=languages,
                  progress=_quiet)
    assert not (tmp_path / "out").exists()


def test_an_unknown_notebook_lists_the_available_ones(tmp_path):
    with pytest.raises(cm.ParameterError, match=r"notebooks: '99-nothing' names no notebook of the folder; allowed: (.*, )?00-sample"):
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
    assert any("01-broken (en, nl) ... failed" in line for line in lines)
    assert any("00-fine (en, nl) ... done" in line for line in lines)


def test_a_failure_in_one_language_names_the_language_and_writes_no_language(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-dutch-fails.ipynb", new_markdown_cell("# Fails in Dutch"),
              _parameters_cell("data_dir = None\nlang = 'en'"), new_code_cell("print(lang)"),
              new_markdown_cell("Text"), new_code_cell("if lang == 'nl':\n    {}['missing']"))
    out = tmp_path / "out"
    run_suite(data_dir=data_copy, out_dir=out, languages="en", progress=_quiet, notebooks_dir=notebooks)
    before = _tree(out)
    with pytest.raises(SuiteError) as info:
        run_suite(data_dir=data_copy, out_dir=out, force=True, progress=_quiet, notebooks_dir=notebooks)
    assert str(info.value) == ("notebook 00-dutch-fails failed at cell 5 (first line: if lang == 'nl':) with "
                               "lang = 'nl': KeyError: 'missing'")
    assert _tree(out) == before  # the English report of the earlier run is left as it was, no Dutch one


def test_a_failing_cell_before_the_language_split_is_named_once(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-fails.ipynb", _parameters_cell("data_dir = None\nlang = 'en'"),
              new_code_cell("raise ValueError(f'bad {lang}')"))
    with pytest.raises(SuiteError, match=r"^notebook 00-fails failed at cell 2 \(first line: raise ValueError"
                                         r"\(f'bad \{lang\}'\)\) with lang = 'en': ValueError: bad en$"):
        run_suite(data_dir=data_copy, out_dir=tmp_path / "out", progress=_quiet, notebooks_dir=notebooks)
    assert not (tmp_path / "out").exists()


def test_language_cells_without_counterpart_stop_the_run_before_anything_runs(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    english = new_markdown_cell("Only in English")
    english.metadata["tags"] = ["lang-en"]
    _notebook(notebooks / "00-unpaired.ipynb", new_markdown_cell("# Unpaired"), _parameters_cell("data_dir = None"),
              new_code_cell("open('ran', 'w').write('ran')"), english, new_markdown_cell("Untagged"))
    with pytest.raises(cm.NotebookError) as info:
        run_suite(data_dir=data_copy, out_dir=tmp_path / "out", progress=_quiet, notebooks_dir=notebooks)
    assert str(info.value) == (
        "00-unpaired.ipynb, cell 4 (first line: Only in English): is tagged lang-en but not followed by its "
        "counterpart tagged lang-nl; allowed: every run of cells tagged lang-en immediately followed by as many "
        "cells tagged lang-nl, of the same cell types")
    assert not (tmp_path / "out").exists() and not (notebooks / "ran").exists()


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
    before = _tree(out)
    again = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, progress=again.append, notebooks_dir=notebooks)
    assert again == ["00-fine (en, nl) ... unchanged, kept (use --force to rerun)",
                     f"nothing changed; index rewritten in {out}"]
    assert _tree(out) == before
    forced = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, force=True, progress=forced.append, notebooks_dir=notebooks)
    assert any("00-fine (en, nl) ... done" in line for line in forced)
    assert _tree(out) == before  # deterministic
    # a change to the data reruns the report
    with open(data_copy / "interviews" / "GM0518-1.yaml", "a", encoding="utf-8") as fh:
        fh.write("# a comment changes the fingerprint\n")
    changed = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={}, progress=changed.append, notebooks_dir=notebooks)
    assert any("00-fine (en, nl) ... done" in line for line in changed)
    # another parameter value reruns it too
    _notebook(notebooks / "00-fine.ipynb", new_markdown_cell("# Fine"),
              _parameters_cell("data_dir = None\nn = 1"), new_code_cell("print(n)"))
    other = []
    run_suite(data_dir=data_copy, out_dir=out, parameters={"n": 2}, progress=other.append, notebooks_dir=notebooks)
    assert any("00-fine (en, nl) ... done" in line for line in other)
    assert "n 2" in (out / "index.html").read_text(encoding="utf-8")  # a parameter without words of its own


def test_each_language_is_kept_or_rerun_on_its_own(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-fine.ipynb", new_markdown_cell("# Fine"),
              _parameters_cell("data_dir = None\nlang = 'en'"), new_code_cell("print(lang)"))
    out = tmp_path / "out"
    run_suite(data_dir=data_copy, out_dir=out, languages=["en"], progress=_quiet, notebooks_dir=notebooks)
    assert sorted(_tree(out)) == [".manifest.json", "en/00-fine.html", "index.html"]
    english = (out / "en" / "00-fine.html").read_bytes()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "<td>niet gemaakt</td>" in index
    lines = []
    run_suite(data_dir=data_copy, out_dir=out, progress=lines.append, notebooks_dir=notebooks)
    assert lines[0] == "00-fine (en) ... unchanged, kept (use --force to rerun)"
    assert re.fullmatch(r"\[1/1\] 00-fine \(nl\) \.\.\. done \(\d+\.\d s\)", lines[1])
    assert lines[2] == f"wrote 1 report (nl) and the index to {out}"
    assert (out / "en" / "00-fine.html").read_bytes() == english
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="en/00-fine.html"' in index and 'href="nl/00-fine.html"' in index
    manifest = json.loads((out / suite.MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == ["en/00-fine", "nl/00-fine"]
    assert "nl\n" in (out / "nl" / "00-fine.html").read_text(encoding="utf-8")


def test_a_notebook_without_lang_runs_once_and_its_language_cells_choose_the_text(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    title_en, title_nl = new_markdown_cell("# Counted once"), new_markdown_cell("# Eenmaal geteld")
    title_en.metadata["tags"], title_nl.metadata["tags"] = ["lang-en"], ["lang-nl"]
    _notebook(notebooks / "00-once.ipynb", title_en, title_nl, _parameters_cell("data_dir = None"),
              new_code_cell("import os\nprint(len(os.listdir('.')))\nopen(f'run-{os.getpid()}', 'w').close()"))
    out = tmp_path / "out"
    run_suite(data_dir=data_copy, out_dir=out, progress=_quiet, notebooks_dir=notebooks)
    assert len(list(notebooks.glob("run-*"))) == 1  # executed once for both languages
    en = (out / "en" / "00-once.html").read_text(encoding="utf-8")
    nl = (out / "nl" / "00-once.html").read_text(encoding="utf-8")
    assert "<title>Counted once</title>" in en and "Eenmaal" not in en
    assert "<title>Eenmaal geteld</title>" in nl and "Counted once" not in nl
    index = (out / "index.html").read_text(encoding="utf-8")
    assert ">Counted once</a>" in index and ">Eenmaal geteld</a>" in index


def test_a_notebook_runs_once_per_run_and_its_second_language_reuses_the_memo(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    path = notebooks / "00-memo.ipynb"
    _notebook(path, _parameters_cell("data_dir = None\nlang = 'en'"),
              new_code_cell("import os\nimport commissioning as cm\nfrom commissioning.core import memo as _memo\n"
                            "boot = cm.bootstrap_top3(cm.load_study(data_dir), n_resamples=200, lang=lang)\n"
                            "print(os.getpid(), boot.shares.label.iat[0], _memo.stats())"),
              new_code_cell("1 + 1"))
    passes = [execute.Pass("en", {"data_dir": str(data_copy), "lang": "en"}),
              execute.Pass("nl", {"data_dir": str(data_copy), "lang": "nl"})]
    en, nl = execute.execute_notebook("00-memo", path, passes, tmp_path, notebooks)
    pid_en, *_ = en.cells[2].outputs[0].text.split()
    pid_nl, *_ = nl.cells[2].outputs[0].text.split()
    assert pid_en == pid_nl  # one kernel
    import ast
    stats_en = ast.literal_eval(en.cells[2].outputs[0].text.split(" ", 1)[1].split("competences ", 1)[1])
    stats_nl = ast.literal_eval(nl.cells[2].outputs[0].text.split(" ", 1)[1].split("competenties ", 1)[1])
    assert "People and competences" in en.cells[2].outputs[0].text
    assert "Mensen & competenties" in nl.cells[2].outputs[0].text
    # the Dutch pass computes nothing again: one hit (the bootstrap), no new miss
    assert stats_en["hits"] == 0 and stats_en["misses"] >= 1
    assert stats_nl == {**stats_en, "hits": 1}
    for nb in (en, nl):  # each as if it had run alone: its own cells and ids, counts from 1
        assert [c.get("id") for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])] == \
            ["cell-0", "cell-1", "cell-2"]
        assert [c.execution_count for c in nb.cells] == [1, 2, 3, 4]
        assert nb.cells[3].outputs[0].execution_count == 4
    assert "lang = \"nl\"" in nl.cells[1].source and "injected-parameters" in nl.cells[1].metadata.tags


def test_a_notice_of_the_notebook_leads_its_pages_and_the_index(data_copy, tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "00-notice.ipynb", new_markdown_cell("# Title"),
              _parameters_cell("data_dir = None\nlang = 'en'"),
              new_code_cell("from IPython.display import HTML, display\n"
                            "text = {'en': 'Reconstructed data', 'nl': 'Gereconstrueerde gegevens'}[lang]\n"
                            "display(HTML(f'<p>{text}</p>'), metadata={'commissioning': {'notice': True}})\n"
                            "print('after the notice')"))
    out = tmp_path / "out"
    run_suite(data_dir=data_copy, out_dir=out, progress=_quiet, notebooks_dir=notebooks)
    for lang, text in (("en", "Reconstructed data"), ("nl", "Gereconstrueerde gegevens")):
        page = (out / lang / "00-notice.html").read_text(encoding="utf-8")
        body = page.split("<body>\n", 1)[1]
        assert body.startswith(f'<main>\n<aside class="notice" role="note">\n<p>{text}</p>\n</aside>\n')
        assert page.count(text) == 1 and body.index("</aside>") < body.index("Title")
        assert "after the notice" in page
    index = (out / "index.html").read_text(encoding="utf-8").split("<body>\n", 1)[1]
    assert index.startswith('<main>\n<aside class="notice" role="note">\n<div lang="nl">\n<p>Gereconstrueerde gegevens'
                            '</p>\n</div>\n<div lang="en">\n<p>Reconstructed data</p>\n</div>\n</aside>\n<h1>')


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
    code = ("import sys\nfrom commissioning.run.suite import run_suite\n"
            f"run_suite(data_dir={str(data_copy)!r}, out_dir={str(out)!r}, parameters={{}}, "
            f"notebooks_dir={str(notebooks)!r}, progress=print)\n"
            "print('pandas loaded:', 'pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "00-fine (en, nl) ... unchanged, kept" in result
    assert "pandas loaded: False" in result


def test_a_folder_is_published_only_when_every_report_in_it_is():
    from commissioning.run.manifest import all_published

    published = {"parameters": [["region", "None"], ["publish", "True"]], "published": True}
    open_ = {"parameters": [["publish", "False"]], "published": False}
    assert all_published({"en/00-a": published, "nl/00-a": published})
    assert not all_published({"en/00-a": published, "nl/00-a": open_})
    assert not all_published({})
    # the decision is the typed flag, not the footer's text of the parameter
    assert not all_published({"en/00-a": {"parameters": [["publish", "True"]]}})
    assert not all_published({"en/00-a": {"parameters": [], "published": "True"}})


@pytest.mark.parametrize("parameters, message", [
    ({"outcome": "explicit"}, "set: 'explicit' is not a set written NAME: variable=code"),
    ({"conditions": ["X: agenda.colour=red"]}, "set: 'X: agenda.colour=red' names 'agenda.colour', which the "
                                               "codebook does not have"),
    ({"conditions": "LARGE: size_class=large"}, "conditions: 'LARGE: size_class=large' is not a list"),
])
def test_bad_sets_of_the_qca_notebook_are_errors_before_it_runs(data_copy, tmp_path, parameters, message):
    with pytest.raises(cm.ParameterError, match=re.escape(message)):
        run_suite(data_dir=data_copy, out_dir=tmp_path / "out", only=["09-configurations"], parameters=parameters,
                  progress=_quiet)
    assert not (tmp_path / "out").exists()


def test_the_command_line_reads_a_qca_set_as_written(data_copy, tmp_path, capsys):
    from commissioning.cli import main

    out = tmp_path / "out"
    code = main(["run", "--data", str(data_copy), "--out", str(out), "--only", "09-configurations", "--lang", "en",
                 "-p", "outcome=EXPLICIT: agenda.explicitness=explicit",
                 "-p", "conditions=[SHARED: structure.shared_execution, 'LARGE: size_class=large+very_large']",
                 "-p", "incl_cut=0.6", "-p", "n_seeds=2"])
    assert code == 0, capsys.readouterr()
    text = (out / "en" / "09-configurations.html").read_text(encoding="utf-8")
    # the footer names each set by what it is about (`run.page._set_words`); its codes are the sentences' to say
    assert "conditions SHARED (Execution organisation shared with neighbours); LARGE (Size class)" in text
    assert "consistency cut-off 0.6" in text and "(SHARED*LARGE; consistency" in text
