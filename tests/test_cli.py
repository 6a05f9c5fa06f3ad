"""`commissioning run` through commissioning.cli.main: exit codes and messages."""

import shutil

import pytest

import commissioning as cm
from commissioning.cli import main


@pytest.fixture
def data_copy(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(cm.default_data_dir(), folder)
    return folder


def test_run_succeeds_with_exit_0(data_copy, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", "--data", str(data_copy), "--out", str(out), "--only", "00-sample", "--lang", "nl",
                 "--jobs", "1"])
    assert code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == ["index.html", "nl/00-sample.html"]
    page = (out / "nl" / "00-sample.html").read_text(encoding="utf-8")
    assert "Nederlands, niet gepubliceerd" in page and "Zeer groot" in page  # the footer's settings, in words
    assert 'href="nl/00-sample.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert "00-sample (nl) ... done" in capsys.readouterr().err


def test_a_run_prints_progress_and_results_only(data_copy, tmp_path, capfd):
    """No kernel start-up warning and no interrupt of a normal kernel shutdown reach the user;
    capfd also sees what the kernel processes write to the inherited file descriptors."""
    out = tmp_path / "out"
    code = main(["run", "--data", str(data_copy), "--out", str(out), "--only", "00-sample", "--lang", "en,nl",
                 "--jobs", "1"])
    assert code == 0
    captured = capfd.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 2, captured.err
    assert lines[0].startswith("[1/1] 00-sample (en, nl) ... done (")
    assert lines[1] == f"wrote 2 reports (en, nl) and the index to {out}"
    for noise in ("TCP without encryption", "KeyboardInterrupt", "IPKernelApp", "WARNING"):
        assert noise not in captured.err


def test_a_failing_notebook_still_shows_notebook_cell_and_error(data_copy, tmp_path, capfd, monkeypatch):
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    from commissioning.run import suite

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    nb = new_notebook(cells=[new_markdown_cell("# Broken"), new_code_cell("data_dir = None\nlang = 'en'"),
                             new_code_cell("import sys\nsys.__stderr__.write('low-level detail\\n')\n"
                                           "sys.__stderr__.flush()\n1 / 0")])
    nb.cells[1].metadata["tags"] = ["parameters"]
    nb.metadata = {"kernelspec": dict(suite.KERNELSPEC), "language_info": {"name": "python"}}
    nbformat.write(nb, str(notebooks / "00-broken.ipynb"))
    monkeypatch.setattr(suite, "default_notebooks_dir", lambda: notebooks)
    code = main(["run", "--data", str(data_copy), "--out", str(tmp_path / "out"), "--lang", "nl"])
    assert code == 1
    err = capfd.readouterr().err
    assert ("error: notebook 00-broken failed at cell 3 (first line: import sys) with lang = 'nl': "
            "ZeroDivisionError: division by zero\nkernel output:\n  low-level detail\n") in err
    assert "TCP without encryption" not in err and "KeyboardInterrupt" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["fr", "en,de"])
def test_an_unknown_language_exits_2(data_copy, tmp_path, capsys, value):
    code = main(["run", "--data", str(data_copy), "--out", str(tmp_path / "out"), "--lang", value])
    assert code == 2
    assert capsys.readouterr().err == f"error: lang: {value.split(',')[-1]!r} is not allowed; allowed: en, nl\n"
    assert not (tmp_path / "out").exists()


def test_an_unknown_region_exits_2_with_the_message(data_copy, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", "--data", str(data_copy), "--out", str(out), "--region", "Oost"])
    assert code == 2
    err = capsys.readouterr().err
    assert err == "error: region: 'Oost' is not allowed; allowed: Noord, West, Zuid\n"
    assert not out.exists()


def test_an_undeclared_parameter_exits_2(data_copy, tmp_path, capsys):
    code = main(["run", "--data", str(data_copy), "--out", str(tmp_path / "out"), "-p", "colour=red"])
    assert code == 2
    assert "'colour' is not declared by notebook 00-sample" in capsys.readouterr().err


def test_invalid_data_exits_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code = main(["run", "--data", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert code == 2
    assert "is empty" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_unknown_notebook_exits_2(capsys, tmp_path):
    code = main(["run", "--only", "99-nothing", "--out", str(tmp_path / "out")])
    assert code == 2
    err = capsys.readouterr().err
    assert "allowed:" in err and "00-sample" in err


def test_a_yes_no_code_given_as_a_parameter_is_the_code_yes(data_copy, tmp_path, capsys):
    """`-p code=yes` is the codebook's code 'yes', not YAML's True: the run goes through."""
    out = tmp_path / "out"
    code = main(["run", "--data", str(data_copy), "--out", str(out), "--only", "07-passages", "--lang", "en",
                 "--jobs", "1", "-p", "variable=structure.tenderboard", "-p", "code=yes"])
    assert code == 0, capsys.readouterr().err
    import json

    manifest = json.loads((out / ".manifest.json").read_text(encoding="utf-8"))["reports"]["en/07-passages"]
    assert dict(map(tuple, manifest["parameters"]))["code"] == "'yes'"  # the text, not True
    page = (out / "en" / "07-passages.html").read_text(encoding="utf-8")
    assert "Tenderboard" in page and "True" not in page


def test_a_code_parameter_outside_the_variable_names_the_text_written(data_copy, tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["run", "--data", str(data_copy), "--out", str(out), "--only", "07-passages",
                 "-p", "variable=sourcing.design", "-p", "code=yes"])
    assert code == 2
    assert capsys.readouterr().err == "error: code: 'yes' is not allowed; allowed: in_house, mixed, outsourced\n"
    assert not out.exists()


@pytest.mark.parametrize("item, message", [
    ("code=[yes", "error: code: '[yes' is not a YAML value; allowed: a value such as outsourced, 5, true or [a, b]\n"),
    ("threshold=[1", "error: threshold: '[1' is not a YAML value; allowed: a value such as outsourced, 5, true or "
                     "[a, b]\n"),
    ("code={a: b}", "error: code: '{a: b}' is a mapping; allowed: a text, or a list of texts such as [a, b]\n"),
    ("code=&x yes", "error: code: '&x yes' has a YAML anchor or alias; allowed: a value such as outsourced, 5, "
                    "true or [a, b]\n"),
])
def test_a_parameter_that_is_not_a_value_exits_2(data_copy, tmp_path, capsys, item, message):
    out = tmp_path / "out"
    assert main(["run", "--data", str(data_copy), "--out", str(out), "--only", "07-passages", "-p", item]) == 2
    assert capsys.readouterr().err == message
    assert not out.exists()
