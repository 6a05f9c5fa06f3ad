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
    assert (out / "index.html").is_file() and (out / "00-sample.html").is_file()
    assert "<code>lang = &#x27;nl&#x27;</code>" in (out / "index.html").read_text(encoding="utf-8")
    assert "Zeer groot" in (out / "00-sample.html").read_text(encoding="utf-8")
    assert "00-sample ... done" in capsys.readouterr().err


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
    assert "available:" in err and "00-sample" in err
