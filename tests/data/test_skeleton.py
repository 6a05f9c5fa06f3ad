"""`commissioning init`: a minimal data folder of one's own that validates, and nothing written on error."""

import os

import pytest

import commissioning as cm
from commissioning.cli import main
from commissioning.data.skeleton import init_data_dir, skeleton_files

from ..conftest import DATA, tree_digest


def test_init_writes_a_folder_that_validates(tmp_path, capsys):
    folder = tmp_path / "studies" / "own"
    assert main(["init", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"wrote {folder / rel}" for rel in
                   ("codebook.yaml", "municipalities.csv", "interviews/GM0014-1.yaml", "claims.yaml")] + [
        f"next: edit {folder / 'codebook.yaml'} and the interview, then: commissioning validate --data {folder}"]
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) == [
        "claims.yaml", "codebook.yaml", "interviews", "interviews/GM0014-1.yaml", "municipalities.csv"]
    assert main(["validate", "--data", str(folder)]) == 0
    assert capsys.readouterr().out == f"valid: 18 municipalities, 1 interviews, 1 coded values ({folder})\n"


def test_the_codebook_has_the_study_s_attributes_and_one_variable_of_its_own(tmp_path):
    folder = tmp_path / "own"
    init_data_dir(folder)
    own, shipped = cm.load_study(folder), cm.load_study()
    assert own.codebook.attributes == shipped.codebook.attributes
    assert list(own.codebook.variables) == ["staffing.shortage"]
    assert not set(own.codebook.variables) & set(shipped.codebook.variables)
    assert (folder / "municipalities.csv").read_bytes() == (DATA / "municipalities.csv").read_bytes()
    assert own.codings[["interview_id", "variable", "code", "basis"]].values.tolist() == [
        ["GM0014-1", "staffing.shortage", "some", "observed"]]


def test_the_commented_example_claim_is_a_valid_claim(tmp_path, capsys):
    folder = tmp_path / "own"
    init_data_dir(folder)
    assert main(["claims", "--data", str(folder)]) == 0
    assert capsys.readouterr().out == ("Data: codings that are not a reconstruction.\n"
                                       "no claims: claims.yaml lists none (its comments show an example)\n")
    path = folder / "claims.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("# - id: most-report-a-shortage")
    uncommented = lines[:start] + [line[2:] for line in lines[start:] if line.startswith("# ")]
    path.write_text("\n".join(uncommented) + "\n", encoding="utf-8")
    assert main(["claims", "--data", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Data: codings that are not a reconstruction.\n"
                          "not supported      Q1   most-report-a-shortage                     1 of 1 (100%) coded")
    assert out.endswith("\n1 not supported\n")  # 'most' excludes all: the example interview alone is all


def test_init_refuses_a_folder_that_holds_anything(tmp_path, capsys):
    folder = tmp_path / "own"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    before = tree_digest(folder)
    assert main(["init", str(folder)]) == 2
    assert capsys.readouterr().err == (f"error: DIR: {str(folder)!r} is not empty (it holds notes.txt); nothing was "
                                       "written; allowed: a new or empty folder\n")
    assert tree_digest(folder) == before and sorted(os.listdir(tmp_path)) == ["own"]


def test_init_refuses_a_file(tmp_path, capsys):
    path = tmp_path / "own"
    path.write_text("a file", encoding="utf-8")
    assert main(["init", str(path)]) == 2
    assert capsys.readouterr().err == (f"error: DIR: {str(path)!r} is a file; nothing was written; allowed: a new "
                                       "or empty folder\n")
    assert path.read_text(encoding="utf-8") == "a file" and sorted(os.listdir(tmp_path)) == ["own"]


def test_init_fills_an_empty_folder(tmp_path):
    folder = tmp_path / "own"
    folder.mkdir()
    init_data_dir(folder)
    assert cm.load_study(folder).n_interviews == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_init_into_a_folder_that_cannot_be_written(tmp_path, capsys):
    parent = tmp_path / "locked"
    parent.mkdir()
    parent.chmod(0o500)
    try:
        assert main(["init", str(parent / "own")]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"error: {parent / 'own'}: cannot be written (") and "nothing was written" in err
        assert os.listdir(parent) == []
    finally:
        parent.chmod(0o700)


def test_init_leaves_nothing_when_writing_fails(tmp_path, monkeypatch, capsys):
    """A failure while the files are written (disk full, say) removes everything made so far."""
    from commissioning.data import skeleton

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(skeleton.os, "replace", failing_replace)
    assert main(["init", str(tmp_path / "a" / "b" / "own")]) == 2
    assert capsys.readouterr().err == (f"error: {tmp_path / 'a' / 'b' / 'own'}: cannot be written (No space left on "
                                       "device); nothing was written; allowed: a folder you may write to\n")
    assert os.listdir(tmp_path) == []


def test_the_skeleton_copies_the_attributes_it_is_given(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    codebook = (DATA / "codebook.yaml").read_text(encoding="utf-8").replace("Noord: {en: North", "Oost: {en: East")
    (source / "codebook.yaml").write_text(codebook, encoding="utf-8")
    (source / "municipalities.csv").write_text((DATA / "municipalities.csv").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    files = skeleton_files(source)
    assert "Oost: {en: East" in files["codebook.yaml"] and "Noord: {en: North" not in files["codebook.yaml"]


def test_a_source_without_attributes_or_municipalities_is_refused(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "codebook.yaml").write_text("variables: {}\n", encoding="utf-8")
    (source / "municipalities.csv").write_text((DATA / "municipalities.csv").read_text(encoding="utf-8"),
                                               encoding="utf-8")
    with pytest.raises(cm.DataError) as info:
        skeleton_files(source)
    assert str(info.value.problems[0]) == ("codebook.yaml: has no 'attributes:' section to copy; allowed: the shipped "
                                           "codebook.yaml")
    (source / "codebook.yaml").write_text((DATA / "codebook.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (source / "municipalities.csv").write_text("cbs_code,study_name\n", encoding="utf-8")
    with pytest.raises(cm.DataError) as info:
        skeleton_files(source)
    assert str(info.value.problems[0]) == "municipalities.csv: has no municipality rows to copy"
