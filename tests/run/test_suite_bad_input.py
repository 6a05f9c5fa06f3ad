"""`commissioning run` end to end on every kind of bad input: exit 2, the precise message, and
nothing written (no report folder, data untouched)."""

import pytest

from commissioning.cli import main

from ..conftest import tree_digest

ITV = "interviews/GM0518-1.yaml"


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def broken_yaml(d):
    _replace(d / ITV, "coder: reconstruction", "coder: [reconstruction")
    return [], "error: interviews/GM0518-1.yaml, line 11, column 6: is not valid YAML: did not find expected ',' or ']'"


def unknown_code(d):
    _replace(d / ITV, "structure.tenderboard: {code: '", "structure.tenderboard: {code: 'maybe")
    return [], "key 'values.structure.tenderboard': is not a code of this variable"


def unknown_municipality(d):
    text = (d / ITV).read_text(encoding="utf-8").replace("GM0518", "GM9999")
    (d / "interviews" / "GM9999-1.yaml").write_text(text, encoding="utf-8")
    return [], ("error: interviews/GM9999-1.yaml, line 8, key 'municipality': is not a municipality in "
                "municipalities.csv (got 'GM9999')")


def duplicate_id(d):
    (d / "interviews" / "GM0518-1.reconstruction.yaml").write_bytes((d / ITV).read_bytes())
    return [], "duplicates the interview of interviews/GM0518-1.reconstruction.yaml (same id and coder)"


def not_utf8(d):
    path = d / "municipalities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    return [], "error: municipalities.csv, line 3: is not valid UTF-8 (byte 0xe2 at offset"


def empty_directory(d):
    for p in sorted(d.rglob("*"), reverse=True):
        p.unlink() if p.is_file() else p.rmdir()
    return [], "is empty; allowed: a data directory with codebook.yaml, municipalities.csv and interviews/"


def unknown_parameter(d):
    return ["-p", "colour=red"], "error: parameter: 'colour' is not declared by notebook 00-sample; allowed: data_dir, "


def unknown_value(d):
    return ["--size-class", "huge"], "error: size_class: 'huge' is not allowed; allowed: small, medium, large, very_large"


def unknown_language(d):
    return ["--lang", "en,fr"], "error: lang: 'fr' is not allowed; allowed: en, nl"


def lang_as_a_parameter(d):
    return ["-p", "lang=nl"], "error: parameter 'lang': give the report languages with --lang (languages=) instead"


def filter_selects_nothing(d):
    return ["--region", "Noord", "--size-class", "small"], (
        "error: region, size_class: ('Noord', 'small') selects no municipality; allowed: a combination present: Noord/large")


CASES = [broken_yaml, unknown_code, unknown_municipality, duplicate_id, not_utf8, empty_directory,
         unknown_parameter, unknown_value, unknown_language, lang_as_a_parameter, filter_selects_nothing]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_run_rejects_bad_input_and_writes_nothing(case, data_copy, tmp_path, capsys):
    extra, expected = case(data_copy)
    before = tree_digest(data_copy)
    out = tmp_path / "reports"
    code = main(["run", "--data", str(data_copy), "--out", str(out), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err, err
    assert "Traceback" not in err
    assert not out.exists()
    assert tree_digest(data_copy) == before
