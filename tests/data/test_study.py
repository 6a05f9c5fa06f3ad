"""Loading and validation: one test per kind of bad input, each checking the message."""

import re

import pytest

import commissioning as cm
from commissioning.cli import main

from ..conftest import tree_digest


def messages(data_dir):
    with pytest.raises(cm.DataError) as info:
        cm.load_study(data_dir)
    return [str(p) for p in info.value.problems]


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_shipped_data_loads(study):
    assert len(study.municipalities) == 18
    assert study.n_interviews == 24
    assert study.municipalities.cbs_code.is_unique
    assert set(study.codings.columns) >= {"interview_id", "municipality", "variable", "code", "basis", "section"}
    assert set(study.codings.basis) <= {"reported", "derived", "external", "imputed"}  # never 'observed'


def test_interview_counts_follow_table_1(study):
    counts = dict(zip(study.municipalities.study_name, study.municipalities.n_interviews))
    assert counts["Den Haag"] == 3 and counts["Rotterdam"] == 1
    assert counts["Zwolle"] == counts["Enschede"] == counts["Tilburg"] == counts["Assen"] == 2
    assert sum(counts.values()) == 24
    assert (study.municipalities.groupby("region").size() == 6).all()


# --- municipalities.csv ------------------------------------------------------------------------

def test_bad_cbs_code(data_copy):
    edit(data_copy / "municipalities.csv", "GM0014,", "G0014,")
    (msg,) = messages(data_copy)
    assert msg.startswith("municipalities.csv, line 2, column 'cbs_code': is not a CBS municipality code")
    assert "'G0014'" in msg and "GM followed by four digits" in msg


def test_duplicate_cbs_code(data_copy):
    edit(data_copy / "municipalities.csv", "GM0080,", "GM0014,")
    msgs = messages(data_copy)
    assert any("line 3, column 'cbs_code': duplicates the code of line 2" in m for m in msgs)


def test_unknown_region_and_every_problem_listed(data_copy):
    edit(data_copy / "municipalities.csv", ",Noord,large,200952", ",Oost,large,200952")
    edit(data_copy / "municipalities.csv", ",107897,", ",10789x,")
    msgs = messages(data_copy)
    assert len(msgs) == 2
    assert "line 2, column 'region': is not a region of the codebook (got 'Oost'); allowed: Noord, West, Zuid" in msgs[0]
    assert "line 3, column 'population': is not a positive whole number (got '10789x')" in msgs[1]


def test_size_class_must_match_population(data_copy):
    edit(data_copy / "municipalities.csv", "Zeeland,Zuid,small,47873", "Zeeland,Zuid,medium,47873")
    (msg,) = messages(data_copy)
    assert "column 'size_class': does not match the population 47873 (which is in class 'small')" in msg
    assert "medium from 50000" in msg


def test_missing_column(data_copy):
    edit(data_copy / "municipalities.csv", "cbs_code,study_name", "code,study_name")
    msgs = messages(data_copy)
    assert "municipalities.csv, line 1: lacks the column 'cbs_code'" in msgs[0]


def test_municipalities_not_utf8(data_copy):
    path = data_copy / "municipalities.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    (msg,) = messages(data_copy)
    assert msg.startswith("municipalities.csv, line 3: is not valid UTF-8")  # Fryslân on line 3
    assert "save the file as UTF-8" in msg


def test_municipalities_empty(data_copy):
    (data_copy / "municipalities.csv").write_text("", encoding="utf-8")
    assert messages(data_copy) == [
        "municipalities.csv, line 1: is empty; allowed: a header line: cbs_code,study_name,official_name,"
        "province,region,size_class,population,population_date,partner_cbs_code,partner_official_name,note"
    ]


# --- codebook.yaml -----------------------------------------------------------------------------

def test_codebook_malformed_yaml(data_copy):
    edit(data_copy / "codebook.yaml", "schema_version: 1", "schema_version: [1")
    (msg,) = messages(data_copy)
    assert re.match(r"codebook.yaml, line \d+, column \d+: is not valid YAML", msg)


def test_empty_data_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    (msg,) = messages(tmp_path / "empty")
    assert msg.endswith("is empty; allowed: a data directory with codebook.yaml, municipalities.csv and interviews/")


# --- interviews --------------------------------------------------------------------------------

ITV = "interviews/GM0518-1.yaml"


def test_interview_malformed_yaml(data_copy):
    edit(data_copy / ITV, "coder: reconstruction", "coder: [reconstruction")
    (msg,) = messages(data_copy)
    assert re.match(r"interviews/GM0518-1.yaml, line \d+, column \d+: is not valid YAML", msg)


def test_interview_unknown_variable(data_copy):
    edit(data_copy / ITV, "  sourcing.design:", "  sourcing.desing:")
    (msg,) = messages(data_copy)
    assert re.match(r"interviews/GM0518-1.yaml, line \d+, key 'values.sourcing.desing': is not a variable of the codebook", msg)


def test_interview_unknown_code(data_copy):
    text = (data_copy / ITV).read_text(encoding="utf-8")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("  sourcing.design:"))
    edit(data_copy / ITV, re.search(r"  sourcing.design: \{code: (\w+)", text).group(0), "  sourcing.design: {code: partly")
    (msg,) = messages(data_copy)
    assert msg == (f"interviews/GM0518-1.yaml, line {line}, key 'values.sourcing.design': is not a code of this variable "
                   "(got 'partly'); allowed: in_house, mixed, outsourced")


def test_interview_unknown_municipality(data_copy):
    path = data_copy / "interviews" / "GM9999-1.yaml"
    path.write_text((data_copy / ITV).read_text(encoding="utf-8").replace("GM0518", "GM9999"), encoding="utf-8")
    (msg,) = messages(data_copy)
    assert msg.startswith("interviews/GM9999-1.yaml, line 8, key 'municipality': is not a municipality in municipalities.csv (got 'GM9999')")


def test_interview_duplicate_id(data_copy):
    (data_copy / "interviews" / "GM0518-1.reconstruction.yaml").write_text((data_copy / ITV).read_text(encoding="utf-8"), encoding="utf-8")
    (msg,) = messages(data_copy)
    assert msg.startswith("interviews/GM0518-1.yaml, key 'interview_id': duplicates the interview of "
                          "interviews/GM0518-1.reconstruction.yaml (same id and coder)")


def test_interview_id_must_match_file_name(data_copy):
    edit(data_copy / ITV, "interview_id: GM0518-1", "interview_id: GM0518-4")
    (msg,) = messages(data_copy)
    assert "key 'interview_id': does not match the file name (got 'GM0518-4'); allowed: GM0518-4.reconstruction.yaml or GM0518-4.yaml" in msg


def test_interview_not_utf8(data_copy):
    path = data_copy / ITV
    path.write_bytes(path.read_bytes().replace(b"respondent_role: not published", b"respondent_role: adviseur \xe9\xe9n"))
    (msg,) = messages(data_copy)
    assert msg.startswith("interviews/GM0518-1.yaml, line 9: is not valid UTF-8 (byte 0xe9")


def test_interview_empty_file(data_copy):
    (data_copy / ITV).write_text("", encoding="utf-8")
    (msg,) = messages(data_copy)
    assert msg.startswith("interviews/GM0518-1.yaml: is empty")


def test_top3_must_be_three_distinct(data_copy):
    text = (data_copy / ITV).read_text(encoding="utf-8")
    old = re.search(r"maturity.top3: \{code: \[(\w+), (\w+), (\w+)\]", text)
    edit(data_copy / ITV, old.group(0), f"maturity.top3: {{code: [{old.group(1)}, {old.group(1)}, {old.group(3)}]")
    (msg,) = messages(data_copy)
    assert "key 'values.maturity.top3': must name 3 distinct codes" in msg


def test_bad_provenance_label(data_copy):
    edit(data_copy / ITV, "basis: reported", "basis: observd")
    (msg,) = messages(data_copy)
    assert "basis': is not a provenance label (got 'observd'); allowed: observed, reported, derived, external, imputed" in msg


def test_required_variable_missing(data_copy):
    text = (data_copy / ITV).read_text(encoding="utf-8")
    kept = "\n".join(l for l in text.splitlines() if not l.startswith("  agenda.explicitness:")) + "\n"
    (data_copy / ITV).write_text(kept, encoding="utf-8")
    (msg,) = messages(data_copy)
    assert "lacks the required variable 'agenda.explicitness'; allowed: every required variable of the codebook: agenda.explicitness, maturity.top3" in msg


def test_municipality_level_variable_must_agree(data_copy):
    path = data_copy / "interviews" / "GM0518-2.yaml"
    text = path.read_text(encoding="utf-8")
    old = re.search(r"structure.tenderboard: \{code: '(yes|no)'", text)
    flipped = "no" if old.group(1) == "yes" else "yes"
    edit(path, old.group(0), f"structure.tenderboard: {{code: '{flipped}'")
    (msg,) = messages(data_copy)
    assert msg.startswith("interviews/GM0518-2.yaml, key 'values.structure.tenderboard': differs from interviews/GM0518-1.yaml")


def test_hand_written_interview_with_default_basis(data_copy):
    """The README's example: scalar values take the file's default basis ('observed')."""
    (data_copy / "interviews" / "GM0518-4.yaml").write_text(
        "interview_id: GM0518-4\nmunicipality: GM0518\nrespondent_role: project manager\ncoder: ab\n"
        "values:\n  sourcing.design: outsourced\n  structure.tenderboard: yes\n"
        "  agenda.explicitness: explicit\n"
        "  maturity.top3: [people_competences, culture_leadership, market_interaction]\n",
        encoding="utf-8")
    s = cm.load_study(data_copy)
    rows = s.codings[s.codings.interview_id == "GM0518-4"]
    assert set(rows.basis) == {"observed"}
    assert rows.set_index("variable").loc["structure.tenderboard", "code"] == "yes"
    top = rows[rows.variable == "maturity.top3"].sort_values("rank")
    assert top.code.tolist() == ["people_competences", "culture_leadership", "market_interaction"]
    assert top["rank"].tolist() == [1, 2, 3]


# --- filters and the CLI -----------------------------------------------------------------------

def test_filter(study):
    zuid = study.filter(region="Zuid")
    assert set(zuid.municipalities.region) == {"Zuid"} and len(zuid.municipalities) == 6
    assert set(zuid.codings.region) == {"Zuid"}
    assert zuid.filters == {"region": "Zuid"}
    assert len(study.municipalities) == 18  # not mutated


def test_filter_unknown_code(study):
    with pytest.raises(cm.ParameterError, match=r"region: 'Oost' is not allowed; allowed: Noord, West, Zuid"):
        study.filter(region="Oost")


def test_filter_selecting_nothing(study):
    with pytest.raises(cm.ParameterError, match=r"selects no municipality"):
        study.filter(region="Noord", size_class="small")


def test_cli_validate_ok(capsys):
    assert main(["validate"]) == 0
    assert "valid: 18 municipalities, 24 interviews" in capsys.readouterr().out


def test_cli_validate_bad_data_exit_2_one_line_per_problem(data_copy, capsys):
    edit(data_copy / "municipalities.csv", "GM0014,", "G0014,")
    edit(data_copy / ITV, "  sourcing.design:", "  sourcing.desing:")
    before = tree_digest(data_copy)
    assert main(["validate", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: municipalities.csv, line 2, column 'cbs_code'")
    assert "Traceback" not in "".join(err)
    assert tree_digest(data_copy) == before  # nothing written


# --- coherence between variables (the codebook's rules) -------------------------------------------

def test_incoherent_pair_of_codes_is_rejected_precisely(data_copy, capsys):
    # GM0014 invests in its land positions; say it is not active there but still maintains them
    path = data_copy / "interviews" / "GM0014-1.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"(segment\.land_positions\.investment: \{code: )\w+", r"\1not_active", text)
    text = re.sub(r"(segment\.land_positions\.maintenance: \{code: )\w+", r"\1own_service", text)
    path.write_text(text, encoding="utf-8")
    before = tree_digest(data_copy)
    assert main(["validate", "--data", str(data_copy)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        "error: interviews/GM0014-1.yaml, keys 'values.segment.land_positions.investment' and "
        "'values.segment.land_positions.maintenance': break the coherence rule "
        "'not-active-nothing-to-maintain[land_positions]' of the codebook: A segment in which the municipality "
        "is not active has nothing for it to maintain. (got 'not_active and own_service'); allowed: when "
        "segment.land_positions.investment is not_active, segment.land_positions.maintenance is not_applicable"]
    assert tree_digest(data_copy) == before


def test_coherence_rules_are_data_with_reasons(study):
    rules = study.codebook.coherence
    assert {r["id"].split("[")[0] for r in rules} >= {"not-active-nothing-to-maintain",
                                                      "facilitated-not-maintained-by-municipality"}
    assert all(r["reason"]["en"] and r["reason"]["nl"] for r in rules)
    assert len([r for r in rules if r["id"].startswith("not-active")]) == 8  # one per segment


def test_a_coherence_rule_naming_no_variable_is_a_codebook_error(data_copy):
    edit(data_copy / "codebook.yaml", "if: {variable: segment.*.investment, codes: [not_active]}",
         "if: {variable: segmnt.*.investment, codes: [not_active]}")
    (msg,) = messages(data_copy)
    assert msg.startswith("codebook.yaml, coherence rule 'not-active-nothing-to-maintain': matches no variable "
                          "of the codebook (got 'segmnt.*.investment -> segment.*.maintenance')")


# --- the fast path of loading ------------------------------------------------------------------

def test_the_fast_parse_gives_the_study_of_the_line_keeping_parse(data_copy, monkeypatch):
    """Files are parsed without line numbers first; the result equals a parse that keeps them."""
    import pandas as pd

    from commissioning.data import study as study_mod

    monkeypatch.setenv("COMMISSIONING_NO_CACHE", "1")
    (data_copy / "interviews" / "GM0518-4.yaml").write_text(
        "interview_id: GM0518-4\nmunicipality: GM0518\nrespondent_role: adviser\ncoder: ab\nnotes: a note\n"
        "values:\n  sourcing.design: outsourced\n  structure.tenderboard: yes\n  agenda.explicitness: explicit\n"
        "  maturity.top3: [people_competences, culture_leadership, market_interaction]\n", encoding="utf-8")
    study_mod.forget_loaded()
    fast = cm.load_study(data_copy)
    study_mod.forget_loaded()
    monkeypatch.setattr(study_mod, "load_data", lambda text: None)  # every file takes the line-keeping parse
    slow = cm.load_study(data_copy)
    for name in ("municipalities", "interviews", "codings"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(slow, name), check_exact=True)
