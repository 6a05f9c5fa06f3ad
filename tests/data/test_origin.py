"""Whether data is the reconstruction comes from the data: the values compared with the record the
reconstruction wrote, never from the values' labels (an edit keeps them)."""

import re
import shutil

import commissioning as cm
from commissioning.data.origin import RECORD_NAME, origin, read_record, value_digest

from ..conftest import write_interview


def set_value(path, variable, code):
    """Change one value of an interview file, keeping its basis label as an edit by hand would."""
    text = path.read_text(encoding="utf-8")
    pattern = rf"(  {re.escape(variable)}: \{{code: )([^,]+)(,)"
    assert re.search(pattern, text), (path, variable)
    path.write_text(re.sub(pattern, rf"\g<1>{code}\g<3>", text, count=1), encoding="utf-8")


def other_code(study, interview_id, variable):
    var = study.codebook.variables[variable]
    now = study.codings.set_index(["interview_id", "variable"]).code[(interview_id, variable)]
    return next(c for c in var.code_list if c != now)


def test_the_shipped_data_is_the_reconstruction(study):
    found = origin(study)
    assert (found.kind, found.seed, found.inputs_match, found.complete) == ("reconstruction", 2018, True, True)
    assert found.by_construction(study.codebook.variables)
    record = read_record(study.data_dir / "interviews")
    assert len(record.values) == len(study.codings.drop_duplicates(["interview_id", "variable"]))


def test_an_edit_keeps_its_label_but_not_its_origin(data_copy, study):
    new = other_code(study, "GM0518-2", "sourcing.design")
    set_value(data_copy / "interviews" / "GM0518-2.yaml", "sourcing.design", new)
    edited = cm.load_study(data_copy)
    row = edited.codings.set_index(["interview_id", "variable"]).loc[("GM0518-2", "sourcing.design")]
    assert row.code == new and row.basis == "imputed"  # the label says imputed; the value is not the draw
    found = origin(edited)
    assert found.kind == "edited" and found.changed == frozenset({("GM0518-2", "sourcing.design")})
    assert not found.by_construction(["sourcing.design"]) and found.by_construction(["sourcing.engineering"])


def test_a_value_set_back_is_the_reconstruction_again(data_copy, study):
    path = data_copy / "interviews" / "GM0518-2.yaml"
    before = path.read_text(encoding="utf-8")
    set_value(path, "sourcing.design", other_code(study, "GM0518-2", "sourcing.design"))
    path.write_text(before, encoding="utf-8")
    assert origin(cm.load_study(data_copy)).kind == "reconstruction"


def test_added_removed_and_second_coder_interviews(data_copy, study):
    (data_copy / "interviews" / "GM0599-1.yaml").unlink()
    found = origin(cm.load_study(data_copy))
    assert found.kind == "edited" and not found.complete and not found.by_construction(["sourcing.design"])
    shutil.copy(study.data_dir / "interviews" / "GM0599-1.yaml", data_copy / "interviews")
    # a second coder's file is read for that interview (first coder alphabetically): its values are not the draw
    write_interview(data_copy / "interviews", "GM0599-1", {"sourcing.design": "mixed"}, coder="ab", suffix=".ab")
    found = origin(cm.load_study(data_copy))
    assert found.kind == "edited" and {i for i, _ in found.changed} == {"GM0599-1"}


def test_changed_inputs_are_not_construction(data_copy):
    path = data_copy / "quantifiers.csv"
    text = path.read_text(encoding="utf-8")
    assert "At least four in five" in text
    path.write_text(text.replace("At least four in five", "At least 80%"), encoding="utf-8")
    found = origin(cm.load_study(data_copy))
    assert found.kind == "reconstruction" and not found.inputs_match
    assert not found.by_construction(["sourcing.design"])


def test_coded_data_is_not_a_reconstruction(data_copy, tiny):
    assert origin(tiny).kind == "coded"  # no record
    for path in (data_copy / "interviews").glob("*.yaml"):  # relabelled as observed: no value is the draw's
        path.write_text(re.sub(r"\bbasis: \w+\b", "basis: observed", path.read_text(encoding="utf-8")),
                        encoding="utf-8")
    assert origin(cm.load_study(data_copy)).kind == "coded"
    (data_copy / "interviews" / RECORD_NAME).write_text("not a record\n", encoding="utf-8")
    assert origin(cm.load_study(data_copy)).kind == "coded"


def test_the_record_is_not_an_interview_file(study):
    assert RECORD_NAME not in set(study.interviews.file.str.rsplit("/", n=1).str[-1])
    assert value_digest("GM0518-1", "sourcing.design", "mixed", "imputed") != value_digest(
        "GM0518-1", "sourcing.design", "mixed", "observed")
