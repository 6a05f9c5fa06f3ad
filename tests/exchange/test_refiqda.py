"""REFI-QDA: the codebook export (.qdc), the project import (.qdpx), the round trip and bad inputs."""

import copy
import random
import shutil
import uuid
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

import commissioning as cm
from commissioning.cli import main
from commissioning.exchange.importer import import_qdpx
from commissioning.exchange.project import NS_PROJECT
from commissioning.exchange.qdc import NS_CODEBOOK, code_guid, export_qdc

from ..conftest import DATA, tree_digest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "refi-qda"
SAMPLES = sorted(p for p in FIXTURES.glob("*.qdpx") if not p.name.startswith("own-"))  # real exports only (own-*: test_newcodebook)
P = f"{{{NS_PROJECT}}}"


@pytest.fixture(scope="module")
def codebook_schema():
    return etree.XMLSchema(etree.parse(str(FIXTURES / "Codebook.xsd")))


@pytest.fixture(scope="module")
def project_schema():
    return etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))


def data_dir(tmp_path, name="data"):
    """A data folder with the shipped codebook and municipalities and an empty interviews/."""
    d = tmp_path / name
    (d / "interviews").mkdir(parents=True)
    shutil.copy(DATA / "codebook.yaml", d)
    shutil.copy(DATA / "municipalities.csv", d)
    return d


def run_import(study, project, out, **kw):
    return import_qdpx(project, out, codebook=study.codebook, municipalities=study.municipalities, **kw)


# --- a project as a QDA tool would export it, built from our own .qdc -------------------------

USERS = {"ab": "0f1e2d3c-0000-4000-8000-0000000000ab", "cd": "0f1e2d3c-0000-4000-8000-0000000000cd"}
TEXT_1 = "Q: How explicit is commissioning on the agenda?\r\nA: It is a standing item.\r\nQ: Priorities?\r\nA: People first, then culture, then the market.\r\n"
TEXT_2 = "Interview two.\r\nWe design everything ourselves.\r\nThe agenda: only after incidents.\r\n"

# (source, user, variable, code, rank)
CODINGS = [
    ("s1", "ab", "agenda.explicitness", "explicit", None),
    ("s1", "ab", "sourcing.design", "outsourced", None),
    ("s1", "ab", "structure.tenderboard", "yes", None),
    ("s1", "ab", "maturity.top3", "people_competences", 1),
    ("s1", "ab", "maturity.top3", "culture_leadership", 2),
    ("s1", "ab", "maturity.top3", "market_interaction", 3),
    ("s1", "cd", "agenda.explicitness", "initial_steps", None),
    ("s1", "cd", "sourcing.design", "outsourced", None),
    ("s1", "cd", "maturity.top3", "people_competences", 1),
    ("s1", "cd", "maturity.top3", "market_interaction", 2),
    ("s1", "cd", "maturity.top3", "culture_leadership", 3),
    ("s2", "ab", "agenda.explicitness", "incidental", None),
    ("s2", "ab", "sourcing.design", "in_house", None),
    ("s2", "ab", "maturity.top3", "organisation_policy", 1),
    ("s2", "ab", "maturity.top3", "public_rules", 2),
    ("s2", "ab", "maturity.top3", "stakeholders", 3),
    ("s2", "cd", "agenda.explicitness", "incidental", None),
    ("s2", "cd", "sourcing.design", "in_house", None),
    ("s2", "cd", "maturity.top3", "organisation_policy", 1),
    ("s2", "cd", "maturity.top3", "public_rules", 2),
    ("s2", "cd", "maturity.top3", "stakeholders", 3),
]
SOURCES = {"s1": "5a000000-0000-4000-8000-000000000001", "s2": "5a000000-0000-4000-8000-000000000002"}


def _gid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_OID, "/".join(map(str, parts))))


def build_project(qdc: Path, out: Path, *, codings=CODINGS, municipality_1="Den Haag", municipality_2="GM0106",
                  rename_guids=False, drop_descriptions=False, flatten=False, users=True, extra_codes=(),
                  truncate=None, origin="commissioning test fixture", case_name="Respondent A", case_by_selection=False):
    """Write a .qdpx whose codebook is `qdc` (as a tool imports it) and whose sources are coded.

    Source s1 sits in a named case with NVivo's 'Cases:municipality' variable (inline text);
    source s2 has its variables in an unnamed case holding only it, as MAXQDA writes them, and
    its text in Sources/ with CRLF line endings. `rename_guids`/`drop_descriptions` imitate a
    tool that makes new GUIDs and drops descriptions; `flatten` writes ATLAS.ti's 'a::b' names.
    """
    cb = etree.parse(str(qdc)).getroot()
    root = etree.Element(P + "Project", nsmap={None: NS_PROJECT})
    root.set("name", "round trip")
    root.set("origin", origin)
    if users:
        users_el = etree.SubElement(root, P + "Users")
        for name, guid in USERS.items():
            etree.SubElement(users_el, P + "User", guid=guid, name=name)
    codebook_el = etree.SubElement(root, P + "CodeBook")
    codes_el = etree.SubElement(codebook_el, P + "Codes")
    guid_of = {}  # (variable, code, rank) -> guid in this project

    def convert(src, parent, prefix):
        el = etree.SubElement(parent, P + "Code")
        guid = _gid("renamed", src.get("guid")) if rename_guids else src.get("guid")
        name = f"{prefix}::{src.get('name')}" if flatten and prefix else src.get("name")
        name = name[:truncate] if truncate else name
        el.set("guid", guid)
        el.set("name", name)
        el.set("isCodable", src.get("isCodable"))
        desc = src.find(f"{{{NS_CODEBOOK}}}Description")
        if desc is not None and not drop_descriptions:
            etree.SubElement(el, P + "Description").text = desc.text
        guid_of[src.get("guid")] = guid
        for child in src.findall(f"{{{NS_CODEBOOK}}}Code"):
            convert(child, parent if flatten else el, name)

    for code in cb.find(f"{{{NS_CODEBOOK}}}Codes"):
        convert(code, codes_el, "")
    for guid, name in extra_codes:
        etree.SubElement(codes_el, P + "Code", guid=guid, name=name, isCodable="true")
    variables = etree.SubElement(root, P + "Variables")
    etree.SubElement(variables, P + "Variable", guid=_gid("var", 1), name="Cases:municipality", typeOfVariable="Text")
    etree.SubElement(variables, P + "Variable", guid=_gid("var", 2), name="municipality", typeOfVariable="Text")
    etree.SubElement(variables, P + "Variable", guid=_gid("var", 3), name="respondent_role", typeOfVariable="Text")
    cases = etree.SubElement(root, P + "Cases")
    case = etree.SubElement(cases, P + "Case", guid=_gid("case", 1), name=case_name)
    if municipality_1 is not None:
        vv = etree.SubElement(case, P + "VariableValue")
        etree.SubElement(vv, P + "VariableRef", targetGUID=_gid("var", 1))
        etree.SubElement(vv, P + "TextValue").text = municipality_1
    if case_by_selection:  # the case holds a passage of s1, not the whole source
        etree.SubElement(case, P + "SelectionRef", targetGUID=_gid("sel", 0))
    else:
        etree.SubElement(case, P + "SourceRef", targetGUID=SOURCES["s1"])
    case = etree.SubElement(cases, P + "Case", guid=_gid("case", 2))
    for var, value in ((2, municipality_2), (3, "adviser")):
        if value is None:
            continue
        vv = etree.SubElement(case, P + "VariableValue")
        etree.SubElement(vv, P + "VariableRef", targetGUID=_gid("var", var))
        etree.SubElement(vv, P + "TextValue").text = value
    etree.SubElement(case, P + "SourceRef", targetGUID=SOURCES["s2"])
    sources = etree.SubElement(root, P + "Sources")
    s1 = etree.SubElement(sources, P + "TextSource", guid=SOURCES["s1"], name="Interview Den Haag.txt")
    etree.SubElement(s1, P + "PlainTextContent").text = TEXT_1
    s2 = etree.SubElement(sources, P + "TextSource", guid=SOURCES["s2"], name="Interview Assen.docx",
                          plainTextPath=f"internal://{SOURCES['s2']}.txt")
    for i, (source, user, var, code, rank) in enumerate(codings):
        el = s1 if source == "s1" else s2
        sel = etree.SubElement(el, P + "PlainTextSelection", guid=_gid("sel", i), startPosition=str(2 * i),
                               endPosition=str(2 * i + 5))
        coding = etree.SubElement(sel, P + "Coding", guid=_gid("coding", i))
        if users:
            coding.set("creatingUser", USERS[user])
        exported = code if var is None else code_guid(var, code, rank)  # var None: `code` is a GUID already
        target = guid_of.get(exported, exported)
        etree.SubElement(coding, P + "CodeRef", targetGUID=target)
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
        zf.writestr(f"Sources/{SOURCES['s2']}.txt", TEXT_2.encode("utf-8"))
    return out


def expected_codings(codings=CODINGS, interview={"s1": "GM0518-1", "s2": "GM0106-1"}):
    return sorted((interview[s], user, var, code, rank or 0) for s, user, var, code, rank in codings)


def loaded_codings(folder):
    study = cm.load_study(folder)
    c = study.codings
    return sorted(zip(c.interview_id, c.coder, c.variable, c.code, c["rank"])), study


@pytest.fixture
def qdc(tmp_path, study):
    return export_qdc(study.codebook, tmp_path / "codebook.qdc")


# --- export -------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "nl"])
def test_export_is_valid_against_the_codebook_schema(tmp_path, study, codebook_schema, lang):
    out = export_qdc(study.codebook, tmp_path / f"{lang}.qdc", lang=lang)
    doc = etree.parse(str(out))
    assert codebook_schema.validate(doc), codebook_schema.error_log
    assert doc.getroot().tag == f"{{{NS_CODEBOOK}}}CodeBook"


def test_export_has_one_parent_per_variable_and_one_child_per_value(tmp_path, study):
    doc = etree.parse(str(export_qdc(study.codebook, tmp_path / "cb.qdc")))
    ns = {"q": NS_CODEBOOK}
    parents = doc.xpath("/q:CodeBook/q:Codes/q:Code", namespaces=ns)
    assert [p.get("name") for p in parents] == list(study.codebook.variables)
    assert all(p.get("isCodable") == "false" for p in parents)
    design = doc.xpath("//q:Code[@name='sourcing.design']/q:Code/@name", namespaces=ns)
    assert design == ["sourcing.design: In-house", "sourcing.design: Mixed", "sourcing.design: Outsourced"]
    top3 = doc.xpath("//q:Code[@name='maturity.top3']/q:Code", namespaces=ns)
    assert [g.get("name") for g in top3] == ["maturity.top3 #1", "maturity.top3 #2", "maturity.top3 #3"]
    assert len(top3[0].findall(f"{{{NS_CODEBOOK}}}Code")) == 10
    names = doc.xpath("//q:Code/@name", namespaces=ns)
    assert len(names) == len(set(names)), "code names must be unique (QualCoder merges equal names)"
    leaf = doc.xpath(f"//q:Code[@guid='{code_guid('sourcing.design', 'outsourced')}']/q:Description", namespaces=ns)[0]
    assert leaf.text.endswith("commissioning: sourcing.design = outsourced")
    sets = doc.xpath("/q:CodeBook/q:Sets/q:Set/@name", namespaces=ns)
    assert "activities" in sets and "maturity" in sets


def test_export_is_byte_stable_and_guids_do_not_depend_on_language(tmp_path, study):
    a = export_qdc(study.codebook, tmp_path / "a.qdc").read_bytes()
    b = export_qdc(study.codebook, tmp_path / "b.qdc").read_bytes()
    nl = export_qdc(study.codebook, tmp_path / "nl.qdc", lang="nl").read_bytes()
    assert a == b
    guids = lambda data: etree.fromstring(data).xpath("//@guid")  # noqa: E731
    assert guids(a) == guids(nl)
    assert b"sourcing.design: Uitbesteed" in nl and b"sourcing.design: Outsourced" in a


def test_export_rejects_an_unknown_language_and_a_missing_folder(tmp_path, study):
    with pytest.raises(cm.ParameterError, match=r"lang: 'fr' is not allowed; allowed: en, nl"):
        export_qdc(study.codebook, tmp_path / "x.qdc", lang="fr")
    with pytest.raises(cm.ParameterError, match=r"out: '.*x\.qdc' is in a folder that does not exist \('.*nowhere'\); allowed: a path in an existing folder"):
        export_qdc(study.codebook, tmp_path / "nowhere" / "x.qdc")
    with pytest.raises(cm.ParameterError, match=r"codebook: expected a Codebook"):
        export_qdc({"a": 1}, tmp_path / "x.qdc")
    assert list(tmp_path.iterdir()) == []


def test_cli_export_qdc(tmp_path, capsys, codebook_schema):
    out = tmp_path / "cb.qdc"
    assert main(["export-qdc", "--lang", "nl", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: ")
    assert codebook_schema.validate(etree.parse(str(out)))
    assert main(["export-qdc", "--lang", "de", str(tmp_path / "de.qdc")]) == 2
    assert capsys.readouterr().err == "error: lang: 'de' is not allowed; allowed: en, nl\n"


# --- round trip ----------------------------------------------------------------------------------

def test_the_fixture_project_is_a_valid_refi_qda_project(tmp_path, qdc, project_schema):
    project = build_project(qdc, tmp_path / "p.qdpx")
    with zipfile.ZipFile(project) as zf:
        doc = etree.fromstring(zf.read("project.qde"))
    assert project_schema.validate(doc), project_schema.error_log


def test_round_trip_gives_back_the_same_codings(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx")
    folder = data_dir(tmp_path)
    report = run_import(study, project, folder / "interviews")
    assert report.problems == []
    assert sorted(p.name for p in report.written) == ["GM0106-1.ab.yaml", "GM0106-1.cd.yaml", "GM0518-1.ab.yaml",
                                                       "GM0518-1.cd.yaml"]
    codings, loaded = loaded_codings(folder)
    assert codings == expected_codings()
    assert set(loaded.codings.basis) == {"observed"}
    itv = loaded.interviews.set_index(["interview_id", "coder"])
    assert itv.loc[("GM0106-1", "ab"), "respondent_role"] == "adviser"
    assert any("GM0518-1 (numbered in the order of source names" in n for n in report.notes)


def test_round_trip_in_dutch_when_the_tool_drops_guids_and_descriptions(tmp_path, study):
    qdc = export_qdc(study.codebook, tmp_path / "nl.qdc", lang="nl")
    project = build_project(qdc, tmp_path / "p.qdpx", rename_guids=True, drop_descriptions=True)
    folder = data_dir(tmp_path)
    report = run_import(study, project, folder / "interviews")
    assert report.problems == []
    assert loaded_codings(folder)[0] == expected_codings()


def test_round_trip_with_atlas_ti_flattened_names(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx", rename_guids=True, drop_descriptions=True, flatten=True)
    folder = data_dir(tmp_path)
    assert run_import(study, project, folder / "interviews").problems == []
    assert loaded_codings(folder)[0] == expected_codings()


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_round_trip_when_the_tool_cuts_names_to_63_characters(tmp_path, study, lang):
    """MAXQDA shortens code names to 63 characters; the value is then found by its label's start."""
    qdc = export_qdc(study.codebook, tmp_path / f"{lang}.qdc", lang=lang)
    codings = CODINGS + [("s2", "ab", "segment.commercial_real_estate.maintenance", "shared_service", None),
                         ("s2", "ab", "segment.commercial_real_estate.investment", "occasional", None)]
    project = build_project(qdc, tmp_path / "p.qdpx", codings=codings, rename_guids=True, drop_descriptions=True,
                            truncate=63)
    with zipfile.ZipFile(project) as zf:
        assert b'name="segment.commercial_real_estate.maintenance: Service shared with"' in zf.read("project.qde") \
            or lang == "nl"
    folder = data_dir(tmp_path)
    assert run_import(study, project, folder / "interviews").problems == []
    assert loaded_codings(folder)[0] == expected_codings(codings)


def test_codes_of_a_hand_made_codebook_map_by_label(tmp_path, study, qdc):
    """A tool's own codes named by labels ('Ontwerp' > 'Uitbesteed'), ranks from text order."""
    cb = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", nsmap={None: NS_CODEBOOK})
    codes = etree.SubElement(cb, f"{{{NS_CODEBOOK}}}Codes")

    def add(parent, name, guid):
        return etree.SubElement(parent, f"{{{NS_CODEBOOK}}}Code", guid=guid, name=name, isCodable="true")

    activities = add(codes, "Activities", _gid("h", 0))
    add(add(activities, "Ontwerp", _gid("h", 1)), "Uitbesteed", _gid("h", 2))
    agenda = add(codes, "Commissioning on the agenda", _gid("h", 3))
    add(agenda, "Explicitly named, a specific agenda item", _gid("h", 4))
    top = add(codes, "Top drie maturity-aspecten die aandacht nodig hebben", _gid("h", 5))
    for i, label in enumerate(["Mensen & competenties", "Cultuur en leiderschap", "Organisation and policy"]):
        add(top, label, _gid("h", 10 + i))
    hand = tmp_path / "hand.qdc"
    etree.ElementTree(cb).write(str(hand))
    codings = [("s1", "ab", None, _gid("h", 2), None), ("s1", "ab", None, _gid("h", 4), None),
               ("s1", "ab", None, _gid("h", 10), None), ("s1", "ab", None, _gid("h", 11), None),
               ("s1", "ab", None, _gid("h", 12), None)]
    project = build_project(hand, tmp_path / "p.qdpx", codings=codings)
    folder = data_dir(tmp_path)
    report = run_import(study, project, folder / "interviews")
    assert report.problems == []
    text = (folder / "interviews" / "GM0518-1.ab.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert data["values"] == {"sourcing.design": "outsourced", "agenda.explicitness": "explicit",
                              "maturity.top3": ["people_competences", "culture_leadership", "organisation_policy"]}
    assert data["basis"] == "observed" and data["coder"] == "ab"
    cm.load_study(folder)


def test_coder_option_names_the_coder(tmp_path, study, qdc):
    codings = [c for c in CODINGS if c[1] == "ab"]
    project = build_project(qdc, tmp_path / "p.qdpx", codings=codings, users=False)
    folder = data_dir(tmp_path)
    report = run_import(study, project, folder / "interviews", coder="Eva de Vries")
    assert sorted(p.name for p in report.written) == ["GM0106-1.eva-de-vries.yaml", "GM0518-1.eva-de-vries.yaml"]
    assert set(cm.load_study(folder).codings.coder) == {"Eva de Vries"}


def test_without_a_named_user_the_coder_must_be_given(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx", users=False)
    out = tmp_path / "out"
    report = run_import(study, project, out)
    assert report.written == [] and not out.exists()
    (problem,) = report.problems
    assert "have codings by no named user; allowed: pass a coder name (--coder NAME)" in str(problem)


# --- what cannot be mapped is listed ------------------------------------------------------------

def test_unknown_codes_are_listed_with_where_they_are_used(tmp_path, study, qdc):
    stray = _gid("stray")
    codings = CODINGS + [("s1", "ab", None, stray, None), ("s2", "ab", None, stray, None)]
    project = build_project(qdc, tmp_path / "p.qdpx", codings=codings, extra_codes=[(stray, "Feelings::happy")])
    report = run_import(study, project, tmp_path / "out")
    assert len(report.written) == 4
    (problem,) = [str(p) for p in report.problems]
    assert problem.startswith("p.qdpx, code 'Feelings/happy': names no variable of the codebook")
    assert "used in 2 coding(s) in 2 source(s), first in source 'Interview Den Haag.txt' at characters 42-47" in problem


def test_a_value_under_a_variable_that_is_not_its_value(tmp_path, study, qdc):
    odd = _gid("odd")
    codes_xml = [(odd, "sourcing.design: Partly")]
    codings = [c for c in CODINGS if c[1] == "ab"] + [("s2", "ab", None, odd, None)]
    project = build_project(qdc, tmp_path / "p.qdpx", codings=codings, extra_codes=codes_xml)
    report = run_import(study, project, tmp_path / "out")
    (problem,) = [str(p) for p in report.problems]
    assert "code 'sourcing.design: Partly': is under the variable sourcing.design but 'Partly' is not one of its values" in problem
    assert "allowed: in_house, mixed, outsourced" in problem


def test_coding_the_variable_itself_is_listed(tmp_path, study, qdc):
    codings = [c for c in CODINGS if c[1] == "ab"] + [("s1", "ab", None, code_guid("sourcing.design"), None)]
    report = run_import(study, build_project(qdc, tmp_path / "p.qdpx", codings=codings), tmp_path / "out")
    (problem,) = [str(p) for p in report.problems]
    assert "code 'sourcing.design': is the variable sourcing.design itself; code one of its values instead" in problem


def test_a_source_without_municipality_is_listed(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx", municipality_2=None)
    report = run_import(study, project, tmp_path / "out")
    assert sorted(p.name for p in report.written) == ["GM0518-1.ab.yaml", "GM0518-1.cd.yaml"]
    (problem,) = [str(p) for p in report.problems]
    assert problem.startswith("p.qdpx, source 'Interview Assen.docx': has no municipality, so its codings cannot be "
                              "imported; allowed: a variable 'municipality'")


def test_an_unknown_municipality_is_listed(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx", municipality_1="Gotham")
    report = run_import(study, project, tmp_path / "out")
    (problem,) = [str(p) for p in report.problems]
    assert ("source 'Interview Den Haag.txt': has 'Cases:municipality' = 'Gotham', which is not a municipality of "
            "municipalities.csv; allowed: a CBS code, study name or official name") in problem


@pytest.mark.parametrize("case_name", ["Den Haag", "Cases\\Zuid-Holland\\Den Haag", "GM0518 respondents"])
def test_municipality_from_the_case_name(tmp_path, study, qdc, case_name):
    project = build_project(qdc, tmp_path / "p.qdpx", municipality_1=None, case_name=case_name)
    folder = data_dir(tmp_path)
    assert run_import(study, project, folder / "interviews").problems == []
    assert loaded_codings(folder)[0] == expected_codings()


def test_a_case_that_holds_a_passage_of_a_source(tmp_path, study, qdc, project_schema):
    project = build_project(qdc, tmp_path / "p.qdpx", case_by_selection=True)
    with zipfile.ZipFile(project) as zf:
        assert project_schema.validate(etree.fromstring(zf.read("project.qde")))
    folder = data_dir(tmp_path)
    assert run_import(study, project, folder / "interviews").problems == []
    assert loaded_codings(folder)[0] == expected_codings()


def test_atlas_ti_positions_count_crlf_as_one_character(tmp_path, study, qdc):
    """The excerpt of an unknown coding in s2 (text in Sources/, CRLF endings) is read at the
    positions ATLAS.ti gives, which count each CRLF as one character; other tools count two."""
    stray = _gid("stray")
    codings = list(CODINGS) + [("s2", "ab", None, stray, None)]
    a, b = 2 * (len(codings) - 1), 2 * (len(codings) - 1) + 5  # where build_project puts the last coding
    atlas = " ".join(TEXT_2.replace("\r\n", "\n")[a:b].split())
    other = " ".join(TEXT_2[a:b].split())
    assert atlas != other
    for origin, expected in (("ATLAS.ti 23.2.3", atlas), ("MAXQDA 2022", other)):
        project = build_project(qdc, tmp_path / "p.qdpx", codings=codings, extra_codes=[(stray, "Other")], origin=origin)
        (problem,) = [str(p) for p in run_import(study, project, tmp_path / origin[:5] / "interviews").problems]
        assert problem.endswith(f"first in source 'Interview Assen.docx' at characters {a}-{b} {expected!r}")


def test_municipality_by_official_name_and_case_insensitive_code(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx", municipality_1="'s-Gravenhage", municipality_2="gm0106")
    folder = data_dir(tmp_path)
    assert run_import(study, project, folder / "interviews").problems == []
    assert loaded_codings(folder)[0] == expected_codings()


def test_two_values_for_one_variable_are_listed_and_left_out(tmp_path, study, qdc):
    codings = [c for c in CODINGS if c[1] == "ab"] + [("s1", "ab", "sourcing.design", "mixed", None)]
    folder = data_dir(tmp_path)
    report = run_import(study, build_project(qdc, tmp_path / "p.qdpx", codings=codings), folder / "interviews")
    (problem,) = [str(p) for p in report.problems]
    assert ("interview GM0518-1 (coder ab, 'Interview Den Haag.txt'): has 2 values for sourcing.design, which takes "
            "one; the variable is left out (got ['mixed', 'outsourced'])") in problem
    codings_, _ = loaded_codings(folder)
    assert ("GM0518-1", "ab", "sourcing.design", "outsourced", 0) not in codings_
    assert ("GM0518-1", "ab", "structure.tenderboard", "yes", 0) in codings_


def test_ranked_set_problems_are_listed(tmp_path, study, qdc):
    codings = [c for c in CODINGS if c[1] == "ab" and c[0] == "s1" and c[4] != 3]
    codings += [("s1", "ab", "maturity.top3", "stakeholders", 2)]
    report = run_import(study, build_project(qdc, tmp_path / "p.qdpx", codings=codings), tmp_path / "out")
    msgs = [str(p) for p in report.problems]
    assert any("has 2 aspects at rank 2 of maturity.top3 (got ['culture_leadership', 'stakeholders']); "
               "allowed: one aspect per rank" in m for m in msgs)
    # without maturity.top3 the interview lacks a required variable: it is not written
    assert any("interview GM0518-1 (coder ab, 'Interview Den Haag.txt'): is not written: lacks the required variable "
               "'maturity.top3'" in m for m in msgs)
    assert report.written == [] and not (tmp_path / "out").exists()


def test_a_missing_rank_is_listed(tmp_path, study, qdc):
    codings = [c for c in CODINGS if c[1] == "ab" and c[0] == "s1" and c[4] != 3]
    report = run_import(study, build_project(qdc, tmp_path / "p.qdpx", codings=codings), tmp_path / "out")
    assert any("has no aspect at rank 3 of maturity.top3 (got ['people_competences', 'culture_leadership']); "
               "allowed: one aspect at each rank 1 to 3" in str(p) for p in report.problems)


def test_a_municipality_level_variable_coded_differently_is_left_out(tmp_path, study, qdc):
    codings = [c for c in CODINGS if c[1] == "ab"] + [("s2", "ab", "structure.tenderboard", "no", None)]
    folder = data_dir(tmp_path)
    project = build_project(qdc, tmp_path / "p.qdpx", codings=codings, municipality_2="Den Haag")
    report = run_import(study, project, folder / "interviews")
    assert sorted(p.name for p in report.written) == ["GM0518-1.ab.yaml", "GM0518-2.ab.yaml"]
    (problem,) = [str(p) for p in report.problems]
    assert "interview file GM0518-2.ab.yaml: structure.tenderboard differs from GM0518-1.ab.yaml" in problem
    cm.load_study(folder)  # what was written loads


def test_interview_id_from_a_source_variable_or_name(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx")
    # rename the sources: 'GM0518-7 ...' gives the id; a wrong prefix is listed
    with zipfile.ZipFile(project) as zf:
        xml = zf.read("project.qde").replace(b"Interview Den Haag.txt", b"GM0518-7 transcript.txt")
        xml = xml.replace(b"Interview Assen.docx", b"GM0518-2 Assen.docx")
        text = zf.read(f"Sources/{SOURCES['s2']}.txt")
    with zipfile.ZipFile(project, "w") as zf:
        zf.writestr("project.qde", xml)
        zf.writestr(f"sources/{SOURCES['s2']}.txt", text)
    report = run_import(study, project, tmp_path / "out")
    assert sorted(p.name for p in report.written) == ["GM0518-7.ab.yaml", "GM0518-7.cd.yaml"]
    (problem,) = [str(p) for p in report.problems]
    assert ("source 'GM0518-2 Assen.docx': has the interview id 'GM0518-2', which is not <CBS code>-<number> of its "
            "municipality GM0106") in problem


def test_existing_files_are_not_overwritten(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx")
    out = tmp_path / "out"
    run_import(study, project, out)
    (out / "GM0518-1.ab.yaml").write_text("mine", encoding="utf-8")
    before = tree_digest(out)
    with pytest.raises(cm.DataError) as info:
        run_import(study, project, out)
    assert all(str(p).endswith("exists already; nothing was written; allowed: another --out folder, or --force to "
                               "replace the files") for p in info.value.problems)
    assert tree_digest(out) == before
    run_import(study, project, out, overwrite=True)
    assert (out / "GM0518-1.ab.yaml").read_text(encoding="utf-8") != "mine"


# --- the real samples: imported or rejected with a clear message ---------------------------------

SAMPLE_MESSAGES = {
    "atlasti23-small.qdpx": ["has no sources (documents), so there is nothing to import"],
    "atlasti8-test-project.qdpx": ["uses 9 code(s), none of which is a value of the codebook",
                                   "code 'Coke/diet Coke': names no variable of the codebook"],
    "nvivo15-codebook-only.qdpx": ["has 2 source(s) but no codings, so there is nothing to import"],
    "qc-demo.qdpx": ["none of which is a value of the codebook",
                     "code 'rq1_definition/practices/computational_thinking': names no variable of the codebook"],
}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_every_sample_is_rejected_with_a_clear_message(tmp_path, study, sample, capsys):
    out = tmp_path / "out"
    report = run_import(study, sample, out)
    assert report.written == [] and not out.exists()
    messages = [str(p) for p in report.problems]
    for expected in SAMPLE_MESSAGES[sample.name]:
        assert any(expected in m for m in messages), (expected, messages)
    assert main(["import-qdpx", str(sample), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.endswith(f"error: {sample.name}: nothing was imported; see the lines above\n")
    assert "Traceback" not in err and not out.exists()


def test_samples_cover_every_tool_quirk_of_the_readme():
    assert {p.name for p in SAMPLES} == set(SAMPLE_MESSAGES)
    with zipfile.ZipFile(FIXTURES / "atlasti8-test-project.qdpx") as zf:
        assert "Project.qde" in zf.namelist()  # capitalised, and its text files are missing: still read


def test_qc_sample_text_is_read_from_the_sources_folder(tmp_path, study):
    report = run_import(study, FIXTURES / "qc-demo.qdpx", tmp_path / "out")
    # the excerpt comes from sources/admin-1.txt (plainTextPath without internal://)
    assert any("'This district goal is engage every student in joyful, purpos…'" in str(p) for p in report.problems)


# --- bad input: a clear message, nothing written, never a traceback -----------------------------

def _bad(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _zip(entries):
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


BAD_INPUTS = {
    "not a zip": ("x.qdpx", b"hello, world", "x.qdpx: is not a zip archive; allowed: a REFI-QDA project (.qdpx)"),
    "empty": ("x.qdpx", b"", "x.qdpx: is empty"),
    "zip without project.qde": ("x.qdpx", _zip({"readme.txt": "hi"}),
                                "x.qdpx: is a zip archive without project.qde (it holds readme.txt)"),
    "xml that is not a project": ("x.qdpx", _zip({"project.qde": "<?xml version='1.0'?><Foo xmlns='urn:x'/>"}),
                                  "x.qdpx: project.qde is XML but not a REFI-QDA project (root element {urn:x}Foo, "
                                  "expected Project in namespace urn:QDA-XML:project:1.0)"),
    "not xml": ("x.qdpx", _zip({"project.qde": "<Project"}), "x.qdpx: project.qde is not well-formed XML"),
    "a codebook": ("x.qdc", b"<?xml version='1.0'?><CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>",
                   "x.qdc: is a REFI-QDA codebook (.qdc), not a project"),
    "a bare qde": ("project.qde", b"<?xml version='1.0'?><Project xmlns='urn:QDA-XML:project:1.0' name='a'/>",
                   "project.qde: is a bare project.qde, not a .qdpx"),
    "two qde": ("x.qdpx", _zip({"a.qde": "<a/>", "b.qde": "<b/>"}), "x.qdpx: holds several .qde files (a.qde, b.qde)"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_bad_input_is_rejected_with_a_message(tmp_path, study, case, capsys):
    name, data, message = BAD_INPUTS[case]
    path = _bad(tmp_path, name, data)
    out = tmp_path / "out"
    with pytest.raises(cm.DataError) as info:
        run_import(study, path, out)
    assert str(info.value.problems[0]).startswith(message)
    assert not out.exists()
    assert main(["import-qdpx", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {message}") and err.count("\n") == 1
    assert not out.exists()


def test_a_truncated_project_is_rejected(tmp_path, study, qdc):
    data = build_project(qdc, tmp_path / "p.qdpx").read_bytes()
    path = _bad(tmp_path, "cut.qdpx", data[: len(data) // 2])
    with pytest.raises(cm.DataError, match="cut.qdpx: is a damaged or truncated zip archive"):
        run_import(study, path, tmp_path / "out")


def test_a_missing_project_file(tmp_path, study, capsys):
    assert main(["import-qdpx", str(tmp_path / "none.qdpx"), "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == "error: none.qdpx: does not exist; allowed: a REFI-QDA project (.qdpx): a zip archive holding project.qde\n"


def test_an_out_folder_that_cannot_be_made(tmp_path, study, qdc, capsys):
    project = build_project(qdc, tmp_path / "p.qdpx")
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(cm.ParameterError, match=r"out: '.*notes.txt' is a file, not a folder"):
        run_import(study, project, a_file)
    with pytest.raises(cm.DataError, match=r"notes.txt/interviews: cannot be written to \(Not a directory\); 0 of 4 "
                                           r"interview files were written; allowed: a folder you may write to"):
        run_import(study, project, a_file / "interviews")
    assert main(["import-qdpx", str(project), "--out", str(a_file)]) == 2
    assert capsys.readouterr().err.startswith("error: out: ")


def test_import_rejects_bad_parameters(tmp_path, study, qdc):
    project = build_project(qdc, tmp_path / "p.qdpx")
    with pytest.raises(cm.ParameterError, match="coder: is empty"):
        run_import(study, project, tmp_path / "out", coder=" ")
    with pytest.raises(cm.ParameterError, match="municipalities: expected the municipalities table"):
        import_qdpx(project, tmp_path / "out", codebook=study.codebook, municipalities=["GM0518"])
    with pytest.raises(cm.ParameterError, match="codebook: expected a Codebook"):
        import_qdpx(project, tmp_path / "out", codebook=None, municipalities=study.municipalities)
    assert not (tmp_path / "out").exists()


def test_fuzzed_projects_never_raise_anything_but_a_data_error(tmp_path, study, qdc):
    data = bytearray(build_project(qdc, tmp_path / "p.qdpx").read_bytes())
    with zipfile.ZipFile(tmp_path / "p.qdpx") as zf:
        xml = zf.read("project.qde")
    rng = random.Random(8)
    for i in range(60):
        if i % 2:
            mutated = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                mutated[rng.randrange(len(mutated))] = rng.randrange(256)
            payload = bytes(mutated)
        else:  # well-formed zip, damaged XML: cut, or a changed byte
            x = bytearray(xml[: rng.randrange(len(xml))] if rng.random() < 0.5 else xml)
            x[rng.randrange(len(x))] = rng.choice(b"<>\"'&x0 ")
            payload = _zip({"project.qde": bytes(x)})
        path = _bad(tmp_path, f"f{i}.qdpx", payload)
        out = tmp_path / f"out{i}"
        try:
            report = run_import(study, path, out)
        except cm.DataError as exc:
            assert exc.problems and not out.exists()
        else:
            assert isinstance(report, cm.ImportReport)


# --- CLI ---------------------------------------------------------------------------------------

def test_cli_import_then_validate_then_agreement(tmp_path, qdc, capsys):
    project = build_project(qdc, tmp_path / "p.qdpx")
    folder = data_dir(tmp_path)
    assert main(["import-qdpx", str(project), "--out", str(folder / "interviews"), "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "interview GM0518-1, coder ab, 4 values (from 'Interview Den Haag.txt')" in out
    assert "imported 4 interview file(s)" in out
    assert main(["validate", "--data", str(folder)]) == 0
    capsys.readouterr()
    assert main(["agreement", "--data", str(folder)]) == 0
    table = capsys.readouterr().out
    assert "agenda.explicitness" in table and "maturity.top3" in table and "sourcing.design" in table
    line = next(ln for ln in table.splitlines() if ln.split()[0] == "sourcing.design")
    assert line.split()[-3:] == ["1.000", "1.000", "1.000"]  # alpha, percent agreement, kappa


def test_cli_import_with_problems_warns_and_exits_0(tmp_path, qdc, capsys):
    project = build_project(qdc, tmp_path / "p.qdpx", municipality_2=None)
    assert main(["import-qdpx", str(project), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("warning: p.qdpx, source 'Interview Assen.docx': has no municipality")
    assert "1 thing(s) could not be imported" in captured.out


def test_cli_import_refuses_to_overwrite(tmp_path, qdc, capsys):
    project = build_project(qdc, tmp_path / "p.qdpx")
    out = tmp_path / "out"
    assert main(["import-qdpx", str(project), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["import-qdpx", str(project), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    # 4 interview files and the 4 passage files beside them
    assert err.count("exists already; nothing was written") == 8 and "Traceback" not in err
    assert err.count("/passages/GM0") == 4 and err.count("/out/GM0") == 4
    assert main(["import-qdpx", str(project), "--out", str(out), "--force"]) == 0


def test_cli_import_requires_out(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["import-qdpx", str(tmp_path / "p.qdpx")])
    assert info.value.code == 2
    assert "the following arguments are required: --out" in capsys.readouterr().err


def test_the_report_prints_what_was_done(tmp_path, study, qdc):
    report = run_import(study, build_project(qdc, tmp_path / "p.qdpx", municipality_2=None), tmp_path / "out")
    text = str(report)
    assert text.startswith("p.qdpx (commissioning test fixture): 2 interview file(s) written, 1 problem(s)")
    assert "wrote GM0518-1.ab.yaml: 4 values from 'Interview Den Haag.txt'" in text
    assert copy.copy(report).project == "p.qdpx"
