"""`import-qdpx --new-codebook`: a project with a code system of its own becomes a data folder that
validates and whose claims can be checked; every error says what to do, and nothing is written then."""

import os
import shutil
import zipfile

import pytest
from lxml import etree

import commissioning as cm
from commissioning.cli import main
from commissioning.exchange import importer
from commissioning.exchange.importer import import_qdpx
from commissioning.exchange.newcodebook import import_code_system

from ..conftest import DATA, tree_digest
from . import own_projects
from .test_refiqda import FIXTURES, build_project, qdc  # noqa: F401 (qdc: a fixture)

NVIVO, MAXQDA, ATLAS = (FIXTURES / f"own-{tool}-style.qdpx" for tool in ("nvivo", "maxqda", "atlasti"))
SAMPLES = {name: FIXTURES / name for name in ("qc-demo.qdpx", "atlasti8-test-project.qdpx",
                                              "nvivo15-codebook-only.qdpx", "atlasti23-small.qdpx")}


def codings(folder):
    c = cm.load_study(folder).codings
    return sorted(zip(c.interview_id, c.coder, c.variable, c.code))


def passages(folder):
    out = set()
    for path in (folder / "passages").glob("*.yaml"):
        data = __import__("yaml").safe_load(path.read_text(encoding="utf-8"))
        out |= {(data["interview_id"], data["coder"], p["variable"], p["code"], p["text"]) for p in data["passages"]}
    return out


def write_map(path, rows):
    path.write_text("source,cbs_code\n" + "".join(f"{s},{c}\n" for s, c in rows), encoding="utf-8")
    return path


# --- the committed fixtures ------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(own_projects.BUILDERS))
def test_the_fixtures_are_what_the_builder_writes_and_valid_refi_qda(tmp_path, name):
    built = own_projects.BUILDERS[name](tmp_path / name)
    assert built.read_bytes() == (FIXTURES / name).read_bytes()
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
    with zipfile.ZipFile(built) as zf:
        schema.assertValid(etree.fromstring(zf.read("project.qde")))


# --- NVivo's manner: nested nodes, named cases, two coders -----------------------------------------

Y, N = "yes", "no"
NVIVO_VALUES = {  # (interview, coder): design, engineering, budget, capacity, politics, tenderboard
    ("GM0518-1", "Anna"): ("outsourced", "mixed", Y, N, Y, Y),
    ("GM0518-1", "Bram"): ("outsourced", "in_house", Y, N, N, N),
    ("GM0518-2", "Anna"): ("outsourced", "in_house", N, Y, N, N),
    ("GM0106-1", "Anna"): ("in_house", "in_house", Y, Y, N, N),
    ("GM0687-1", "Anna"): ("mixed", None, Y, N, N, Y),
    ("GM0014-1", "Anna"): ("outsourced", "outsourced", N, N, Y, N),
}
NVIVO_VARIABLES = ["sourcing.design", "sourcing.engineering", "barriers.budget", "barriers.capacity",
                   "barriers.politics", "tenderboard"]
NVIVO_CODES = {"Sourcing/Design/Outsourced": ("sourcing.design", "outsourced"),
               "Sourcing/Design/In house": ("sourcing.design", "in_house"),
               "Sourcing/Design/Mixed": ("sourcing.design", "mixed"),
               "Sourcing/Engineering/In house": ("sourcing.engineering", "in_house"),
               "Sourcing/Engineering/Mixed": ("sourcing.engineering", "mixed"),
               "Sourcing/Engineering/Outsourced": ("sourcing.engineering", "outsourced"),
               "Barriers/Budget": ("barriers.budget", Y), "Barriers/Capacity": ("barriers.capacity", Y),
               "Barriers/Politics": ("barriers.politics", Y), "Tenderboard": ("tenderboard", Y)}
NVIVO_INTERVIEWS = {"dh1": "GM0518-1", "dh2": "GM0518-2", "as1": "GM0106-1", "mb1": "GM0687-1", "gr1": "GM0014-1"}


def test_an_nvivo_style_project_becomes_a_data_folder_that_validates(tmp_path, capsys):
    out = tmp_path / "own"
    assert main(["import-qdpx", str(NVIVO), "--out", str(out), "--new-codebook"]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith(f"wrote {out / 'codebook.yaml'}: 6 variables from the project's codes (2 with codes, "
                                  f"4 yes/no)\nwrote {out / 'municipalities.csv'}\n")
    assert printed.out.endswith(f"next: commissioning validate --data {out}\n") and printed.err == ""
    study = cm.load_study(out)
    assert list(study.codebook.variables) == NVIVO_VARIABLES
    assert study.codebook.variables["sourcing.design"].code_list == ["in_house", "mixed", "outsourced"]
    expected = sorted((iid, coder, var, code) for (iid, coder), values in NVIVO_VALUES.items()
                      for var, code in zip(NVIVO_VARIABLES, values) if code is not None)
    assert codings(out) == expected
    assert set(study.codings.basis) == {"observed"}
    assert passages(out) == {(NVIVO_INTERVIEWS[s], user, *NVIVO_CODES[path], phrase)
                             for s, user, path, phrase in own_projects.NVIVO_CODINGS}
    assert main(["validate", "--data", str(out)]) == 0
    assert capsys.readouterr().out == f"valid: 4 municipalities, 5 interviews, 35 coded values, 21 passages in 6 files ({out})\n"


def test_the_municipalities_are_the_shipped_rows_of_the_interviews(tmp_path):
    out = tmp_path / "own"
    import_code_system(NVIVO, out)
    shipped = (DATA / "municipalities.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    wanted = ("GM0014,", "GM0106,", "GM0518,", "GM0687,")
    assert (out / "municipalities.csv").read_text(encoding="utf-8") == "".join(
        [shipped[0]] + [line for line in shipped[1:] if line.startswith(wanted)])


def test_the_study_s_claims_are_not_applicable_on_an_imported_folder(tmp_path, capsys):
    out = tmp_path / "own"
    import_code_system(NVIVO, out)
    assert main(["claims", "--data", str(out), "--strict"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"{len(cm.load_claims())} not applicable"
    assert lines[0] == "Data: codings that are not a reconstruction."
    assert lines[1].endswith("not applicable: variable portfolio.overview is not in this codebook  "
                             "[per interview; data as coded]")


def test_an_own_claim_is_checked_on_an_imported_folder(tmp_path, capsys):
    out = tmp_path / "own"
    import_code_system(NVIVO, out)
    (out / "claims.yaml").write_text(
        "- id: most-outsource-design\n  section: 'Q1'\n  chapter: sourcing\n  unit: interview\n"
        "  en: Most outsource design.\n"
        "  nl: De meeste besteden ontwerp uit.\n  rules:\n"
        "    - {rule: share, variable: sourcing.design, codes: [outsourced], quantifier: most}\n", encoding="utf-8")
    assert main(["claims", "--data", str(out)]) == 0
    assert capsys.readouterr().out.startswith("Data: codings that are not a reconstruction.\n"
                                              "supported          Q1   most-outsource-design                      3 of 5 (60%)")


def test_importing_the_same_project_again_gives_the_same_files(tmp_path):
    import_code_system(NVIVO, tmp_path / "a")
    import_code_system(NVIVO, tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


# --- MAXQDA's manner: Dutch names, a parent coded itself, document variables -------------------

def test_a_maxqda_style_project_in_dutch(tmp_path):
    out = tmp_path / "own"
    report = import_code_system(MAXQDA, out, lang="nl")
    study = cm.load_study(out)
    assert list(study.codebook.variables) == ["agenda", "knelpunten", "knelpunten.capaciteit", "knelpunten.markt"]
    agenda = study.codebook.variables["agenda"]
    assert agenda.label == {"en": "Agenda (not translated)", "nl": "Agenda"}
    assert agenda.codes["eerste_stappen"] == {"en": "Eerste stappen (not translated)", "nl": "Eerste stappen"}
    assert codings(out) == sorted([
        ("GM0599-1", "JdV", "agenda", "expliciet"), ("GM0599-1", "JdV", "knelpunten", N),
        ("GM0599-1", "JdV", "knelpunten.capaciteit", N), ("GM0599-1", "JdV", "knelpunten.markt", Y),
        ("GM0599-2", "JdV", "agenda", "incidenteel"), ("GM0599-2", "JdV", "knelpunten", Y),
        ("GM0599-2", "JdV", "knelpunten.capaciteit", N), ("GM0599-2", "JdV", "knelpunten.markt", N),
        ("GM0546-1", "JdV", "agenda", "eerste_stappen"), ("GM0546-1", "JdV", "knelpunten", N),
        ("GM0546-1", "JdV", "knelpunten.capaciteit", Y), ("GM0546-1", "JdV", "knelpunten.markt", Y),
        ("GM0772-1", "JdV", "agenda", "expliciet"), ("GM0772-1", "JdV", "knelpunten", N),
        ("GM0772-1", "JdV", "knelpunten.capaciteit", Y), ("GM0772-1", "JdV", "knelpunten.markt", N)])
    roles = dict(zip(study.interviews.interview_id, study.interviews.respondent_role))
    assert roles == {"GM0546-1": "inkoper", "GM0599-1": "beleidsadviseur", "GM0599-2": "projectleider",
                     "GM0772-1": "afdelingshoofd"}
    texts = {p[4] for p in passages(out)}  # the positions count the CRLF text as MAXQDA stores it
    assert {"Ja, expliciet", "Geen bijzondere", "eerste stappen", "de markt", "Capaciteit"} <= texts
    assert report.notes[-1] == ("code group 'Knelpunten': one yes/no variable per code, as one interview has 2 of "
                                "its codes (Capaciteit, Markt)")


# --- ATLAS.ti's manner: 'a::b' names, code groups, document groups ------------------------------

def test_an_atlas_ti_style_project_with_code_groups_and_document_groups(tmp_path):
    out = tmp_path / "own"
    import_code_system(ATLAS, out)
    study = cm.load_study(out)
    assert [(v.id, v.type, v.theme) for v in study.codebook.variables.values()] == [
        ("design", "nominal", "design"), ("barriers.budget", "boolean", "barriers"),
        ("barriers.capacity", "boolean", "barriers"), ("organisation.tenderboard", "boolean", "organisation"),
        ("organisation.capacity", "boolean", "organisation")]
    rows = codings(out)
    assert ("GM0106-2", "Sam", "barriers.capacity", Y) in rows and ("GM0106-2", "Sam", "organisation.capacity", Y) in rows
    assert ("GM0794-1", "Sam", "design", "outsourced") in rows  # 'municipality: Helmond' names it
    assert ("GM0855-1", "Sam", "design", "in_house") in rows
    assert {p[4] for p in passages(out)} == {phrase for *_, phrase in own_projects.ATLAS_CODINGS}


# --- the real samples -------------------------------------------------------------------------------

def test_the_qc_sample_with_a_mapping_file(tmp_path, capsys):
    out = tmp_path / "own"
    mapping = write_map(tmp_path / "map.csv", [("board_2017.txt", "GM0518")])
    assert main(["import-qdpx", str(SAMPLES["qc-demo.qdpx"]), "--out", str(out), "--new-codebook",
                 "--municipalities", str(mapping)]) == 0
    study = cm.load_study(out)
    assert study.n_interviews == 1
    # every code the project uses is one value (a 'yes', or the value of a nominal variable), read
    # here from the project's XML directly
    with zipfile.ZipFile(SAMPLES["qc-demo.qdpx"]) as zf:
        used = {ref.get("targetGUID") for ref in etree.fromstring(zf.read("project.qde")).iter(
            "{urn:QDA-XML:project:1.0}CodeRef")}
    nominal = {v for v, var in study.codebook.variables.items() if var.type == "nominal"}
    assert (study.codings.code == "yes").sum() + study.codings.variable.isin(nominal).sum() == len(used) == 77
    assert main(["validate", "--data", str(out)]) == 0
    assert "205 passages in 1 files" in capsys.readouterr().out


def test_the_atlas_ti_8_sample_with_a_mapping_file(tmp_path):
    out = tmp_path / "own"
    rows = [("1994 Diet Coke-Diet Coke Break.docx", "GM0518"), ("1994 Diet Coke-Diet Coke Break.mp4", "GM0518"),
            ("Mabel.txt", "Den Haag"), ("Simon.docx", "GM0599"), ("cornflakes-n-milk.jpg", "GM0599"),
            ("Pay de Limón con Base de Granola | Kellogg's ®.pdf", "GM0014")]  # the project writes 'ó' decomposed
    report = import_code_system(SAMPLES["atlasti8-test-project.qdpx"], out,
                                source_map=write_map(tmp_path / "map.csv", rows))
    assert report.problems == []
    study = cm.load_study(out)
    assert study.n_interviews == 6 and set(study.municipalities.cbs_code) == {"GM0014", "GM0518", "GM0599"}
    assert study.codebook.variables["coke"].code_list == ["full_fat_coke", "diet_coke"]
    assert "feelings_group.happiness" in study.codebook.variables and "feelings" in study.codebook.variables


SAMPLE_MESSAGES = {
    "qc-demo.qdpx": "qc-demo.qdpx: Add a municipality (a CBS code such as GM0014, or its name) for each source: a "
                    "variable 'municipality' on the document or its case, or --municipalities MAP.csv with the "
                    "columns source,cbs_code; 1 source has none: 'board_2017.txt'",
    "atlasti8-test-project.qdpx": "atlasti8-test-project.qdpx: Add a municipality (a CBS code such as GM0014, or its "
                                  "name) for each source: a variable 'municipality' on the document or its case, or "
                                  "--municipalities MAP.csv with the columns source,cbs_code; 6 sources have none: "
                                  "'1994 Diet Coke-Diet Coke Break.docx', '1994 Diet Coke-Diet Coke Break.mp4', "
                                  "'Mabel.txt', \"Pay de Limón con Base de Granola | Kellogg's ®.pdf\", 'Simon.docx', "
                                  "'cornflakes-n-milk.jpg'",
    "nvivo15-codebook-only.qdpx": "nvivo15-codebook-only.qdpx: Code the interviews in the QDA tool and export the "
                                  "project again: it has 2 source(s) and 262 code(s) but no codings",
    "atlasti23-small.qdpx": "atlasti23-small.qdpx: Add the interviews to the project as sources, code them and export "
                            "it again: it has 3 code(s) but no sources (documents)",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_sample_that_cannot_be_imported_says_what_to_add_first(tmp_path, capsys, name):
    out = tmp_path / "own"
    assert main(["import-qdpx", str(SAMPLES[name]), "--out", str(out), "--new-codebook"]) == 2
    err = capsys.readouterr().err
    expected = SAMPLE_MESSAGES[name].replace("Pay de Limón", "Pay de Limo\u0301n")
    assert err == f"error: {expected}\nerror: {name}: nothing was imported; see the lines above\n"
    assert not out.exists()


# --- the mapping file ---------------------------------------------------------------------------

@pytest.mark.parametrize("rows, text, message", [
    ([("board_2017.txt", "GM0363")], None,
     "error: map.csv, line 2: names GM0363, which is not in the shipped municipalities.csv; allowed: add its row (CBS "
     "code, names, province, region, size class, population) to municipalities.csv of the data folder, then import "
     "again\n"),
    ([("board_2018.txt", "GM0518")], None,
     "error: map.csv, line 2: names the source 'board_2018.txt', which is not in the project; allowed: a source of "
     "the project: 'admin-1.txt', 'board_2017.txt'\n"),
    (None, "document,cbs_code\nboard_2017.txt,GM0518\n",
     "error: map.csv, line 1: lacks the column 'source'; allowed: a header line source,cbs_code\n"),
    (None, "source,cbs_code\nboard_2017.txt,GM0518\nboard_2017.txt,GM0599\n",
     "error: map.csv, line 3: names the source 'board_2017.txt' again (line 2); allowed: each source once\n"),
    (None, "source,cbs_code\nboard_2017.txt,\n",
     "error: map.csv, line 2: needs a source and a cbs_code (got 'board_2017.txt,'); allowed: a document's name as "
     "the project gives it, a comma, a CBS code\n"),
])
def test_a_wrong_mapping_file_is_refused_and_nothing_written(tmp_path, capsys, rows, text, message):
    mapping = tmp_path / "map.csv"
    if rows is not None:
        write_map(mapping, rows)
    else:
        mapping.write_text(text, encoding="utf-8")
    out = tmp_path / "own"
    assert main(["import-qdpx", str(SAMPLES["qc-demo.qdpx"]), "--out", str(out), "--new-codebook",
                 "--municipalities", str(mapping)]) == 2
    assert capsys.readouterr().err == message
    assert not out.exists()


def test_a_missing_mapping_file(tmp_path, capsys):
    assert main(["import-qdpx", str(NVIVO), "--out", str(tmp_path / "own"), "--new-codebook",
                 "--municipalities", str(tmp_path / "map.csv")]) == 2
    assert capsys.readouterr().err == "error: map.csv: is missing; allowed: a CSV file with the columns source,cbs_code\n"
    assert not (tmp_path / "own").exists()


def test_a_mapping_file_names_a_source_by_its_guid(tmp_path):
    out = tmp_path / "own"
    guid = own_projects.gid("source", "gr1").lower()
    import_code_system(NVIVO, out, source_map=write_map(tmp_path / "map.csv", [(guid, "Groningen")]))
    assert cm.load_study(out).n_interviews == 5  # the case says Groningen too: no conflict


def test_a_mapping_that_contradicts_the_case_is_listed(tmp_path, capsys):
    out = tmp_path / "own"
    mapping = write_map(tmp_path / "map.csv", [("Interview 05 Groningen.docx", "GM0599")])
    assert main(["import-qdpx", str(NVIVO), "--out", str(out), "--new-codebook", "--municipalities", str(mapping)]) == 0
    assert ("warning: own-nvivo-style.qdpx, source 'Interview 05 Groningen.docx': names more than one municipality: "
            "GM0014 from variable 'Cases:Municipality' = 'Groningen'; GM0599 from variable 'municipality (map.csv)' = "
            "'GM0599'\n") in capsys.readouterr().err
    assert "GM0014-1" not in set(cm.load_study(out).interviews.interview_id)


def test_the_mapping_file_serves_the_study_s_codebook_too(tmp_path, study, qdc):  # noqa: F811
    project = build_project(qdc, tmp_path / "p.qdpx", municipality_1=None)  # source s1 without a municipality
    out = tmp_path / "data" / "interviews"
    report = import_qdpx(project, out, codebook=study.codebook, municipalities=study.municipalities,
                         source_map=write_map(tmp_path / "map.csv", [("Interview Den Haag.txt", "Den Haag")]))
    assert report.problems == [] and {r.interview_id for r in report.interviews.itertuples()} == {"GM0518-1", "GM0106-1"}


# --- the data folder ----------------------------------------------------------------------------------

def test_a_folder_with_a_codebook_or_interviews_is_refused_unless_forced(tmp_path, capsys):
    out = tmp_path / "own"
    import_code_system(NVIVO, out)
    before = tree_digest(out)
    assert main(["import-qdpx", str(NVIVO), "--out", str(out), "--new-codebook"]) == 2
    assert capsys.readouterr().err == (f"error: {out / 'codebook.yaml'}: exists already; nothing was written; allowed: "
                                       "a new data folder, or --force to replace the codebook\n")
    (out / "codebook.yaml").unlink()
    assert main(["import-qdpx", str(NVIVO), "--out", str(out), "--new-codebook"]) == 2
    assert capsys.readouterr().err == (f"error: {out / 'interviews'}: holds interview files already, coded with "
                                       "another codebook; nothing was written; allowed: a new data folder, or --force "
                                       "to replace them\n")
    assert main(["import-qdpx", str(NVIVO), "--out", str(out), "--new-codebook", "--force"]) == 0
    assert tree_digest(out) == before


def test_an_own_municipalities_csv_is_used_and_kept(tmp_path, capsys):
    out = tmp_path / "own"
    out.mkdir()
    rows = (DATA / "municipalities.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    own = "".join(rows[0:1] + [r for r in rows if r.startswith(("GM0518,", "GM0106,", "GM0687,"))])
    (out / "municipalities.csv").write_text(own, encoding="utf-8")
    report = import_code_system(NVIVO, out)
    assert (out / "municipalities.csv").read_text(encoding="utf-8") == own
    assert report.files == [str(out / "codebook.yaml")]
    assert ("own-nvivo-style.qdpx", "source 'Interview 05 Groningen.docx'") in {(p.file, p.where) for p in report.problems}
    assert cm.load_study(out).n_interviews == 4


def test_an_unknown_municipality_in_an_own_municipalities_csv_names_that_file(tmp_path, capsys):
    out = tmp_path / "own"
    out.mkdir()
    shutil.copy(DATA / "municipalities.csv", out)
    mapping = write_map(tmp_path / "map.csv", [("board_2017.txt", "GM0363")])
    assert main(["import-qdpx", str(SAMPLES["qc-demo.qdpx"]), "--out", str(out), "--new-codebook",
                 "--municipalities", str(mapping)]) == 2
    assert capsys.readouterr().err.startswith(f"error: map.csv, line 2: names GM0363, which is not in "
                                              f"{out / 'municipalities.csv'}; allowed: add its row")
    assert sorted(os.listdir(out)) == ["municipalities.csv"]


def test_lang_applies_to_the_new_codebook_only(tmp_path, capsys):
    assert main(["import-qdpx", str(NVIVO), "--out", str(tmp_path / "i"), "--lang", "nl"]) == 2
    assert capsys.readouterr().err == ("error: lang: 'nl' applies only with --new-codebook (the language of the "
                                       "project's code names); allowed: --new-codebook --lang en|nl, or no --lang\n")
    assert main(["import-qdpx", str(NVIVO), "--out", str(tmp_path / "i"), "--new-codebook", "--lang", "fr"]) == 2
    assert capsys.readouterr().err == "error: lang: 'fr' is not allowed; allowed: en, nl\n"
    assert not (tmp_path / "i").exists()


def test_a_failure_while_writing_leaves_nothing(tmp_path, monkeypatch, capsys):
    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer.os, "replace", failing_replace)
    out = tmp_path / "own"
    assert main(["import-qdpx", str(NVIVO), "--out", str(out), "--new-codebook"]) == 2
    assert capsys.readouterr().err.startswith(f"error: {out}: cannot be written to (No space left on device); 0 of 6 "
                                              "interview files were written")
    assert not out.exists()


def test_an_imported_folder_runs_the_passages_notebook_with_a_yes_no_code(tmp_path, capsys):
    """The yes/no codes of an own code system pass as parameters (`-p code=yes`, not YAML's True)."""
    out = tmp_path / "own"
    import_code_system(NVIVO, out)
    reports = tmp_path / "reports"
    assert main(["run", "--data", str(out), "--out", str(reports), "--only", "07-passages", "--lang", "en",
                 "--jobs", "1", "-p", "variable=barriers.budget", "-p", "code=yes"]) == 0, capsys.readouterr().err
    page = (reports / "en" / "07-passages.html").read_text(encoding="utf-8")
    budget = [c for c in own_projects.NVIVO_CODINGS if c[2] == "Barriers/Budget"]
    interviews = {(c[0], c[1]) for c in budget}
    assert (f"{len(budget)} passages are coded 'Barriers: Budget: Yes' (barriers.budget = yes), from "
            f"{len({s for s, _ in interviews})} interviews in 3 municipalities.") in page


@pytest.mark.parametrize("project", [NVIVO, MAXQDA, ATLAS, SAMPLES["atlasti8-test-project.qdpx"]], ids=lambda p: p.name)
def test_every_id_is_a_codebook_id(tmp_path, project):
    import re

    mapping = write_map(tmp_path / "map.csv", [("Mabel.txt", "GM0518"), ("Simon.docx", "GM0599")]) \
        if project.name.startswith("atlasti8") else None
    import_code_system(project, tmp_path / "own", source_map=mapping)
    codebook = cm.load_study(tmp_path / "own").codebook
    assert all(re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)*", v) for v in codebook.variables)
    assert all(re.fullmatch(r"[a-z0-9_]+", c) for var in codebook.variables.values() for c in var.codes)


def test_an_out_that_is_a_file_or_an_empty_coder_is_refused(tmp_path, capsys):
    path = tmp_path / "own"
    path.write_text("x", encoding="utf-8")
    assert main(["import-qdpx", str(NVIVO), "--out", str(path), "--new-codebook"]) == 2
    assert capsys.readouterr().err == (f"error: out: {str(path)!r} is a file, not a folder; give the data folder to "
                                       "write\n")
    assert main(["import-qdpx", str(NVIVO), "--out", str(tmp_path / "new"), "--new-codebook", "--coder", " "]) == 2
    assert capsys.readouterr().err == ("error: coder: is empty; give a name or initials, or leave it out to use the "
                                       "project's users\n")
    assert path.read_text(encoding="utf-8") == "x" and not (tmp_path / "new").exists()


def test_one_coder_for_the_whole_project(tmp_path):
    out = tmp_path / "own"
    report = import_code_system(NVIVO, out, coder="team")
    assert set(cm.load_study(out).interviews.coder) == {"team"}
    assert "the project's codings are by Anna, Bram; all are attributed to 'team'" in report.notes
