"""The passages behind the codes: kept on import, read back exactly, checked, shown.

The projects are built here the way QDA tools write them: a source with its text inline (LF line
ends, Dutch diacritics, a combining accent and characters outside the Basic Multilingual Plane
before the selections), a source stored as a separate file inside the .qdpx (CRLF line ends),
overlapping selections, a selection that ends at the very end of its text, and selections that
are not text (a region of a picture, a region of a PDF page, a whole source). Every passage must
equal what its positions cut from the text as the test wrote it, computed here independently.
"""

import io
import random
import shutil
import uuid
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import yaml
from lxml import etree

import commissioning as cm
from commissioning.cli import main
from commissioning.data.passages import COLUMNS, passage_file_text
from commissioning.exchange.importer import import_qdpx
from commissioning.exchange.project import NS_PROJECT
from commissioning.exchange.qdc import NS_CODEBOOK, code_guid, export_qdc

from ..conftest import DATA, REPO, tree_digest

FIXTURES = Path(__file__).parents[1] / "fixtures" / "refi-qda"
P = f"{{{NS_PROJECT}}}"
USER = "0f1e2d3c-0000-4000-8000-0000000000ab"

# Den Haag: inline text, LF. Before the maturity and agenda passages: an emoji and a mathematical
# letter (two UTF-16 code units each, one code point), and 'café' with a combining accent (two code
# points), so that positions counted in anything but code points cut elsewhere.
TEXT_DH = (
    "Interviewer: Hoe is het opdrachtgeverschap geregeld, en de financiële coördinatie?\n"
    "Respondent: Het ontwerp besteden we uit; één bureau doet dat, ook voor de rioolreiniging 😀 en de ĳsbaan.\n"
    "Respondent: In het cafe\u0301 zeiden we: 𝔸 eerst mensen en competenties, dan cultuur en leiderschap, "
    "dan de markt.\n"
    "Het staat expliciet op de agenda: een vast punt van het college, óók bij de ijsclub."
)
# Assen: a file in sources/ with CRLF line ends (a passage spans a line end; the last one ends at the end)
TEXT_AS = (
    "Interviewer: Wie ontwerpt er?\r\n"
    "Respondent: Dat doen we zelf, in huis.\r\n"
    "Respondent: Opdrachtgeverschap staat alleen na incidenten op de agenda.\r\n"
    "Prioriteiten: organisatie en beleid; publieke regels; stakeholders.\r\n"
)

# (source key, passage as the coder selected it, which occurrence, variable, code, rank)
SELECTIONS = [
    ("dh", "Het ontwerp besteden we uit; één bureau doet dat", 0, "sourcing.design", "outsourced", None),
    ("dh", "één bureau doet dat, ook voor de rioolreiniging 😀 en de ĳsbaan", 0, "sourcing.engineering", "mixed", None),
    ("dh", "mensen en competenties", 0, "maturity.top3", "people_competences", 1),
    ("dh", "eerst mensen en competenties, dan cultuur en leiderschap", 0, "maturity.top3", "culture_leadership", 2),
    ("dh", "dan de markt", 0, "maturity.top3", "market_interaction", 3),
    ("dh", "een vast punt van het college, óók bij de ijsclub.", 0, "agenda.explicitness", "explicit", None),
    ("as", "Dat doen we zelf, in huis.\r\nRespondent: Opdrachtgeverschap", 0, "sourcing.design", "in_house", None),
    ("as", "alleen na incidenten op de agenda", 0, "agenda.explicitness", "incidental", None),
    ("as", "organisatie en beleid", 0, "maturity.top3", "organisation_policy", 1),
    ("as", "publieke regels", 0, "maturity.top3", "public_rules", 2),
    ("as", "stakeholders.\r\n", 0, "maturity.top3", "stakeholders", 3),
]
TEXTS = {"dh": TEXT_DH, "as": TEXT_AS}
GUIDS = {"dh": "5b000000-0000-4000-8000-000000000001", "as": "5b000000-0000-4000-8000-000000000002",
         "picture": "5b000000-0000-4000-8000-000000000003", "pdf": "5b000000-0000-4000-8000-000000000004"}
NAMES = {"dh": "Interview Den Haag.txt", "as": "Interview Assen.docx", "picture": "Plattegrond.png",
         "pdf": "Organogram.pdf"}
MUNICIPALITY = {"dh": "Den Haag", "as": "GM0106", "picture": "GM0518", "pdf": "GM0518"}


def _gid(*parts):
    return str(uuid.uuid5(uuid.NAMESPACE_OID, "/".join(map(str, parts))))


def tool_text(text, origin):
    """The text in which a tool states positions: ATLAS.ti counts a CRLF as one character."""
    return text.replace("\r\n", "\n") if origin.startswith("ATLAS.ti") else text


def positions(key, passage, occurrence, origin):
    """Where the tool puts a selection of `passage`: code points in the tool's text."""
    text = tool_text(TEXTS[key], origin)
    passage = tool_text(passage, origin)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(passage, start + 1)
    return start, start + len(passage)


def _copy_codes(src, parent):
    for code in src.findall(f"{{{NS_CODEBOOK}}}Code"):
        el = etree.SubElement(parent, P + "Code", guid=code.get("guid"), name=code.get("name"),
                              isCodable=code.get("isCodable"))
        desc = code.find(f"{{{NS_CODEBOOK}}}Description")
        if desc is not None:
            etree.SubElement(el, P + "Description").text = desc.text
        _copy_codes(code, el)


def build(qdc: Path, out: Path, *, origin="MAXQDA 2022", selections=SELECTIONS, non_text=True, extra=None):
    """A .qdpx coded with the exported codebook `qdc`; returns its path."""
    root = etree.Element(P + "Project", nsmap={None: NS_PROJECT}, name="passages", origin=origin)
    etree.SubElement(etree.SubElement(root, P + "Users"), P + "User", guid=USER, name="ab")
    _copy_codes(etree.parse(str(qdc)).getroot().find(f"{{{NS_CODEBOOK}}}Codes"),
                etree.SubElement(etree.SubElement(root, P + "CodeBook"), P + "Codes"))
    variables = etree.SubElement(root, P + "Variables")
    etree.SubElement(variables, P + "Variable", guid=_gid("var", "m"), name="municipality", typeOfVariable="Text")
    etree.SubElement(variables, P + "Variable", guid=_gid("var", "i"), name="interview_id", typeOfVariable="Text")
    sources = etree.SubElement(root, P + "Sources")

    def source(tag, key, **attrs):
        el = etree.SubElement(sources, P + tag, guid=GUIDS[key], name=NAMES[key], **attrs)
        return el

    def variables_of(el, key):
        values = [("m", MUNICIPALITY[key])] + ([("i", "GM0518-1")] if key in ("dh", "picture", "pdf") else [])
        for var, value in values:
            vv = etree.SubElement(el, P + "VariableValue")
            etree.SubElement(vv, P + "VariableRef", targetGUID=_gid("var", var))
            etree.SubElement(vv, P + "TextValue").text = value

    def coding(sel, i, var, code, rank):
        c = etree.SubElement(sel, P + "Coding", guid=_gid("coding", i), creatingUser=USER)
        etree.SubElement(c, P + "CodeRef", targetGUID=code_guid(var, code, rank))

    dh = source("TextSource", "dh")
    etree.SubElement(dh, P + "PlainTextContent").text = TEXT_DH
    as_ = source("TextSource", "as", plainTextPath=f"internal://{GUIDS['as']}.txt")
    text_sources = {"dh": dh, "as": as_}
    for i, (key, passage, occurrence, var, code, rank) in enumerate(selections):
        start, end = positions(key, passage, occurrence, origin)
        sel = etree.SubElement(text_sources[key], P + "PlainTextSelection", guid=_gid("sel", i),
                               startPosition=str(start), endPosition=str(end))
        coding(sel, i, var, code, rank)
    if non_text:  # the whole of Assen's source coded (a Coding directly in the source)
        coding(as_, "whole", "portfolio.overview", "own_department", None)
    for key, el in text_sources.items():
        variables_of(el, key)
    if non_text:  # a picture and a PDF of interview GM0518-1, coded on regions
        pic = source("PictureSource", "picture", path="internal://plattegrond.png")
        sel = etree.SubElement(pic, P + "PictureSelection", guid=_gid("sel", "pic"), firstX="1", firstY="2",
                               secondX="30", secondY="40")
        coding(sel, "pic", "structure.tenderboard", "yes", None)
        variables_of(pic, "picture")
        pdf = source("PDFSource", "pdf", path="internal://organogram.pdf")
        sel = etree.SubElement(pdf, P + "PDFSelection", guid=_gid("sel", "pdf"), page="1", firstX="1", firstY="2",
                               secondX="30", secondY="40")
        coding(sel, "pdf", "structure.project_bureau", "yes", None)
        variables_of(pdf, "pdf")
    if extra:
        extra(root)
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
        zf.writestr(f"sources/{GUIDS['as']}.txt", TEXT_AS.encode("utf-8"))
        zf.writestr("sources/plattegrond.png", b"\x89PNG\r\n\x1a\n")
    return out


def data_dir(tmp_path, name="data"):
    d = tmp_path / name
    (d / "interviews").mkdir(parents=True)
    shutil.copy(DATA / "codebook.yaml", d)
    shutil.copy(DATA / "municipalities.csv", d)
    return d


def run_import(study, project, out, **kw):
    return import_qdpx(project, out, codebook=study.codebook, municipalities=study.municipalities, **kw)


@pytest.fixture(scope="module")
def qdc(tmp_path_factory, study):
    return export_qdc(study.codebook, tmp_path_factory.mktemp("qdc") / "codebook.qdc")


@pytest.fixture(scope="module")
def imported(tmp_path_factory, study, qdc):
    """A data folder imported from the MAXQDA-style project, and the import report."""
    tmp = tmp_path_factory.mktemp("imported")
    folder = data_dir(tmp)
    report = run_import(study, build(qdc, tmp / "p.qdpx"), folder / "interviews")
    return folder, report


def read_passages(folder):
    return {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((folder / "passages").iterdir())}


# --- the projects are what the tools write -------------------------------------------------------

def test_the_project_is_valid_against_the_schema(tmp_path, qdc):
    schema = etree.XMLSchema(etree.parse(str(FIXTURES / "Project.xsd")))
    with zipfile.ZipFile(build(qdc, tmp_path / "p.qdpx")) as zf:
        doc = etree.fromstring(zf.read("project.qde"))
    assert schema.validate(doc), schema.error_log


def test_positions_are_code_points_and_the_text_has_what_makes_them_differ():
    """The fixture is not vacuous: counting UTF-16 units, or CRLF as one, would cut elsewhere."""
    start, end = positions("dh", "dan de markt", 0, "MAXQDA")
    utf16 = len(TEXT_DH[:start].encode("utf-16-le")) // 2
    assert utf16 == start + 2  # 😀 and 𝔸 are two UTF-16 units each
    assert TEXT_DH[utf16:utf16 + end - start] != "dan de markt"
    assert "e\u0301" in TEXT_DH and "ĳ" in TEXT_DH and "ij" in TEXT_DH and "ë" in TEXT_DH and "é" in TEXT_DH
    a, b = positions("as", "publieke regels", 0, "ATLAS.ti 23")
    assert (a, b) != positions("as", "publieke regels", 0, "MAXQDA")
    assert positions("dh", "een vast punt van het college, óók bij de ijsclub.", 0, "MAXQDA")[1] == len(TEXT_DH)
    assert positions("as", "stakeholders.\r\n", 0, "MAXQDA")[1] == len(TEXT_AS)


# --- 1. kept on import ---------------------------------------------------------------------------

@pytest.mark.parametrize("origin", ["MAXQDA 2022", "ATLAS.ti 23.2.3", "NVivo 15"])
def test_every_passage_is_the_text_its_positions_cut(tmp_path, study, qdc, origin):
    folder = data_dir(tmp_path)
    report = run_import(study, build(qdc, tmp_path / "p.qdpx", origin=origin), folder / "interviews")
    assert report.problems == []
    files = read_passages(folder)
    assert sorted(files) == ["GM0106-1.ab.yaml", "GM0518-1.ab.yaml"]
    source_key = {NAMES["dh"]: "dh", NAMES["as"]: "as"}
    seen = []
    for name, data in files.items():
        assert data["coder"] == "ab" and name == f"{data['interview_id']}.ab.yaml"
        for p in data["passages"]:
            key = source_key[p["source"]]
            text = tool_text(TEXTS[key], origin)  # the source as the tool wrote it, positions as it counts
            assert p["text"] == text[p["start"]:p["end"]], p
            assert len(p["text"]) == p["end"] - p["start"]
            seen.append((key, p["text"], p["variable"], p["code"], p.get("rank")))
    expected = [(k, tool_text(passage, origin), var, code, rank) for k, passage, _, var, code, rank in SELECTIONS]
    assert sorted(seen, key=repr) == sorted(expected, key=repr)
    # the CRLF inside a passage is kept as the tool counts it
    design_as = next(p for p in files["GM0106-1.ab.yaml"]["passages"] if p["variable"] == "sourcing.design")
    assert ("\r\n" in design_as["text"]) == (not origin.startswith("ATLAS.ti"))


def test_the_api_returns_the_passages_exactly(imported):
    folder, _ = imported
    table = cm.passages(cm.load_study(folder))
    assert list(table.columns) == COLUMNS
    assert len(table) == len(SELECTIONS)
    for row in table.itertuples():
        key = "dh" if row.source == NAMES["dh"] else "as"
        assert row.text == TEXTS[key][row.start:row.end]
        assert row.municipality == {"dh": "GM0518", "as": "GM0106"}[key]
    top = table[table.variable == "maturity.top3"].sort_values(["interview_id", "rank"])
    assert top[["interview_id", "code", "rank"]].values.tolist()[:3] == [
        ["GM0106-1", "organisation_policy", 1], ["GM0106-1", "public_rules", 2], ["GM0106-1", "stakeholders", 3]]
    assert set(table[table.variable != "maturity.top3"]["rank"]) == {0}
    assert str(table.start.dtype) == str(table.end.dtype) == "int64"


def test_a_passage_file_is_as_documented(imported):
    folder, _ = imported
    text = (folder / "passages" / "GM0106-1.ab.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The passages behind the codes of interview GM0106-1 (coder ab)")
    assert "start and end are the positions the project states" in text
    assert "text is cut from the source's plain text" in text
    data = yaml.safe_load(text)
    assert list(data) == ["interview_id", "coder", "passages"]
    assert [list(p) for p in data["passages"]][0] == ["variable", "code", "source", "start", "end", "text"]
    assert [list(p) for p in data["passages"] if p["variable"] == "maturity.top3"][0] == [
        "variable", "code", "rank", "source", "start", "end", "text"]
    # sorted by position in the source
    starts = [p["start"] for p in data["passages"]]
    assert starts == sorted(starts)


def test_overlapping_passages_are_each_kept_whole(imported):
    folder, _ = imported
    table = cm.passages(cm.load_study(folder), interview="GM0518-1")
    design = table[table.variable == "sourcing.design"].iloc[0]
    engineering = table[table.variable == "sourcing.engineering"].iloc[0]
    assert design.start < engineering.start < design.end < engineering.end
    assert design.text == "Het ontwerp besteden we uit; één bureau doet dat"
    assert engineering.text.endswith("rioolreiniging 😀 en de ĳsbaan")
    first = table[(table.variable == "maturity.top3") & (table["rank"] == 1)].iloc[0]
    second = table[(table.variable == "maturity.top3") & (table["rank"] == 2)].iloc[0]
    assert second.start <= first.start and first.end <= second.end  # one passage inside another


def test_selections_that_are_not_text_are_listed_as_not_kept(imported):
    folder, report = imported
    assert report.problems == []
    kinds = report.not_kept.set_index("kind")
    assert set(kinds.index) == {"PictureSelection", "PDFSelection", "TextSource"}
    assert kinds.loc["PictureSelection", "source"] == "Plattegrond.png"
    assert kinds.loc["PictureSelection", "reason"] == "a region of a picture, not text"
    assert kinds.loc["PDFSelection", "reason"] == "a region of a PDF page, not text"
    assert kinds.loc["TextSource", "reason"] == "the whole source is coded, not a passage of it"
    assert kinds.loc["TextSource", "variable"] == "portfolio.overview"
    text = str(report)
    assert "not kept: source 'Plattegrond.png': 1 coding(s) of a PictureSelection not kept as passages" in text
    # their values are imported all the same
    codings = cm.load_study(folder).codings
    got = set(zip(codings.interview_id, codings.variable, codings.code))
    assert {("GM0518-1", "structure.tenderboard", "yes"), ("GM0518-1", "structure.project_bureau", "yes"),
            ("GM0106-1", "portfolio.overview", "own_department")} <= got
    assert not (cm.passages(cm.load_study(folder)).variable.isin(
        ["structure.tenderboard", "structure.project_bureau", "portfolio.overview"])).any()


def test_a_text_that_is_not_in_the_project_or_positions_outside_it_are_not_kept(tmp_path, study, qdc):
    def extra(root):
        src = root.find(f"{P}Sources/{P}TextSource[@guid='{GUIDS['dh']}']")
        sel = etree.Element(P + "PlainTextSelection", guid=_gid("sel", "far"), startPosition="10",
                            endPosition=str(len(TEXT_DH) + 5))
        c = etree.SubElement(sel, P + "Coding", guid=_gid("coding", "far"), creatingUser=USER)
        etree.SubElement(c, P + "CodeRef", targetGUID=code_guid("agenda.more_attention", "yes"))
        src.insert(1, sel)  # after PlainTextContent
        other = root.find(f"{P}Sources/{P}TextSource[@guid='{GUIDS['as']}']")
        other.set("plainTextPath", "relative://elsewhere/assen.txt")

    folder = data_dir(tmp_path)
    report = run_import(study, build(qdc, tmp_path / "p.qdpx", non_text=False, extra=extra), folder / "interviews")
    assert report.problems == []
    reasons = report.not_kept.groupby("source")["reason"].agg(set).to_dict()
    assert reasons[NAMES["dh"]] == {f"its positions 10-{len(TEXT_DH) + 5} fall outside the source's plain text "
                                    f"({len(TEXT_DH)} characters)"}
    assert reasons[NAMES["as"]] == {"the source's plain text is not in the project"}
    files = read_passages(folder)
    assert files["GM0106-1.ab.yaml"]["passages"] == []  # the interview is imported, its passages are not
    assert len(files["GM0518-1.ab.yaml"]["passages"]) == 6
    cm.validate_passages(cm.load_study(folder))


def test_passages_of_a_value_left_out_are_not_kept(tmp_path, study, qdc):
    selections = SELECTIONS + [("dh", "één bureau", 0, "sourcing.design", "mixed", None)]
    folder = data_dir(tmp_path)
    report = run_import(study, build(qdc, tmp_path / "p.qdpx", selections=selections), folder / "interviews")
    assert any("has 2 values for sourcing.design" in str(p) for p in report.problems)
    left = report.not_kept[report.not_kept.variable == "sourcing.design"]
    assert set(left.code) == {"outsourced", "mixed"} and set(left.interview_id) == {"GM0518-1"}
    assert set(left.reason) == {"its value is left out of the interview file (see the problems)"}
    table = cm.passages(cm.load_study(folder), "sourcing.design")
    assert table.interview_id.tolist() == ["GM0106-1"]


def test_passage_files_are_the_same_bytes_every_time(tmp_path, study, qdc):
    project = build(qdc, tmp_path / "p.qdpx")
    a, b = data_dir(tmp_path, "a"), data_dir(tmp_path, "b")
    run_import(study, project, a / "interviews")
    run_import(study, project, b / "interviews")
    assert tree_digest(a) == tree_digest(b)


def test_interview_files_are_the_same_with_or_without_passages(tmp_path, study, qdc):
    """The interview files equal those of a project without any text, and results never read passages."""
    folder = data_dir(tmp_path)
    run_import(study, build(qdc, tmp_path / "p.qdpx"), folder / "interviews")
    bare = data_dir(tmp_path, "bare")

    def strip_text(root):  # the same codings, but no text anywhere in the project
        for el in root.iter(P + "PlainTextContent"):
            el.text = ""
    run_import(study, build(qdc, bare / "p.qdpx", extra=strip_text), bare / "interviews")
    for path in (folder / "interviews").iterdir():
        assert path.read_bytes() == (bare / "interviews" / path.name).read_bytes()
    with_passages = cm.load_study(folder)
    shutil.rmtree(folder / "passages")
    without = cm.load_study(folder)
    pd.testing.assert_frame_equal(with_passages.codings, without.codings)
    pd.testing.assert_frame_equal(with_passages.interviews, without.interviews)
    pd.testing.assert_frame_equal(with_passages.municipalities, without.municipalities)
    # a broken passage file does not change what load_study gives either
    (folder / "passages").mkdir()
    (folder / "passages" / "GM0518-1.ab.yaml").write_text("interview_id: [", encoding="utf-8")
    pd.testing.assert_frame_equal(cm.load_study(folder).codings, without.codings)
    with pytest.raises(cm.DataError):
        cm.passages(cm.load_study(folder))


def test_existing_passage_files_follow_the_overwrite_rule(tmp_path, study, qdc):
    project = build(qdc, tmp_path / "p.qdpx")
    folder = data_dir(tmp_path)
    run_import(study, project, folder / "interviews")
    (folder / "interviews" / "GM0106-1.ab.yaml").unlink()
    before = tree_digest(folder)
    with pytest.raises(cm.DataError) as info:
        run_import(study, project, folder / "interviews")
    named = sorted(p.file for p in info.value.problems)
    assert [Path(f).relative_to(folder).as_posix() for f in named] == [
        "interviews/GM0518-1.ab.yaml", "passages/GM0106-1.ab.yaml", "passages/GM0518-1.ab.yaml"]
    assert tree_digest(folder) == before  # nothing was written, not even the missing interview file
    (folder / "passages" / "GM0518-1.ab.yaml").write_text("mine", encoding="utf-8")
    run_import(study, project, folder / "interviews", overwrite=True)
    assert (folder / "passages" / "GM0518-1.ab.yaml").read_text(encoding="utf-8").startswith("# The passages")
    cm.validate_passages(cm.load_study(folder))


def test_a_passages_folder_that_cannot_be_written_writes_nothing(tmp_path, study, qdc):
    project = build(qdc, tmp_path / "p.qdpx")
    folder = data_dir(tmp_path)
    (folder / "passages").write_text("a file where the folder goes", encoding="utf-8")
    before = tree_digest(folder)
    with pytest.raises(cm.ParameterError, match=r"passages: '.*passages' is a file, not a folder"):
        run_import(study, project, folder / "interviews")
    assert main(["import-qdpx", str(project), "--out", str(folder / "interviews")]) == 2
    assert tree_digest(folder) == before
    blocked = tmp_path / "blocked"
    blocked.write_text("x", encoding="utf-8")
    out = tmp_path / "fresh" / "interviews"
    with pytest.raises(cm.DataError, match=r"blocked/passages: cannot be written to \(Not a directory\); 0 of 2 "
                                           r"interview files were written"):
        run_import(study, project, out, passages_dir=blocked / "passages")
    assert not (tmp_path / "fresh").exists()  # the interview folder made for the import is removed again


def test_the_cli_prints_what_was_kept(tmp_path, qdc, capsys):
    folder = data_dir(tmp_path)
    project = build(qdc, tmp_path / "p.qdpx")
    assert main(["import-qdpx", str(project), "--out", str(folder / "interviews")]) == 0
    out = capsys.readouterr().out
    assert f"wrote {folder / 'passages' / 'GM0518-1.ab.yaml'}: 6 passage(s) of interview GM0518-1, coder ab" in out
    assert "not kept: source 'Organogram.pdf': 1 coding(s) of a PDFSelection not kept as passages" in out
    assert f"and {len(SELECTIONS)} passage(s) into {folder / 'passages'}" in out
    assert main(["validate", "--data", str(folder)]) == 0
    assert f"{len(SELECTIONS)} passages in 2 files" in capsys.readouterr().out


# --- the real exports: passages are cut from the text as the tool wrote it -----------------------

def _independent_selections(sample: Path):
    """Each PlainTextSelection of a tool's project with the text its positions cut from the source
    file as the tool wrote it (read here without the library), or None when the file is missing."""
    with zipfile.ZipFile(sample) as zf:
        members = {n.lower(): n for n in zf.namelist()}
        qde = next(n for n in zf.namelist() if n.lower().endswith(".qde") and "/" not in n)
        root = etree.fromstring(zf.read(qde))
        ns = etree.QName(root).namespace
        origin = root.get("origin") or ""
        out = {}
        # a text source, or a text inside another source (ATLAS.ti: a PDF's Representation)
        for holder in (el for el in root.iter() if el.find(f"{{{ns}}}PlainTextSelection") is not None):
            inline = holder.find(f"{{{ns}}}PlainTextContent")
            text = inline.text if inline is not None else None
            if text is None and holder.get("plainTextPath"):
                name = holder.get("plainTextPath").split("://")[-1]
                member = members.get(f"sources/{name}".lower())
                text = zf.read(member).decode("utf-8-sig") if member else None
            if text is not None and origin.startswith("ATLAS.ti"):
                text = text.replace("\r\n", "\n")
            for sel in holder.findall(f"{{{ns}}}PlainTextSelection"):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                guid = sel.get("guid").strip("{}").lower()
                out[guid] = (sel.get("name") or "", None if text is None else text[start:end], text)
    return out


@pytest.mark.parametrize("sample", sorted(FIXTURES.glob("*.qdpx")), ids=lambda p: p.name)
def test_passages_of_real_exports_are_cut_as_the_tool_wrote_the_text(sample):
    table = cm.text_selections(sample)
    expected = _independent_selections(sample)
    if table.empty:
        pytest.skip(f"{sample.name} has no coded text selections")
    assert set(table.selection) <= set(expected)
    with_text = table[table.text.notna()]
    if with_text.empty:
        assert all(text is None for _, text, _ in expected.values())
        pytest.skip(f"{sample.name}: the texts of its selections are not in the archive")
    for row in with_text.itertuples():
        name, text, _ = expected[row.selection]
        assert row.text == text, (row.selection, row.start, row.end)
        assert len(row.text) == row.end - row.start


def test_qc_passages_are_the_lines_the_tool_names():
    """qc codes whole lines and names each selection 'line:N' (N from 0): every passage is that line."""
    sample = FIXTURES / "qc-demo.qdpx"
    table = cm.text_selections(sample)
    expected = _independent_selections(sample)
    assert len(table) == 205 and table.text.notna().all()
    for row in table.itertuples():
        name, _, text = expected[row.selection]
        line = int(name.split(":")[1])
        assert row.text == text.splitlines(keepends=True)[line]


def test_atlas_ti_selection_names_quote_their_text_but_the_text_is_missing():
    """ATLAS.ti 8 names a selection by its text; this export lacks the text files, so no passage
    can be cut, and the import says why instead of failing."""
    table = cm.text_selections(FIXTURES / "atlasti8-test-project.qdpx")
    assert len(table) and table.text.isna().all()
    assert table.name.str.len().gt(0).all()


# --- 2. retrieved ---------------------------------------------------------------------------------

def test_filters(imported):
    folder, _ = imported
    study = cm.load_study(folder)
    by_code = cm.passages(study, "sourcing.design", "outsourced")
    assert by_code.text.tolist() == ["Het ontwerp besteden we uit; één bureau doet dat"]
    assert len(cm.passages(study, "maturity.top3")) == 6
    assert set(cm.passages(study, municipality="Den Haag").interview_id) == {"GM0518-1"}
    assert set(cm.passages(study, municipality="'s-Gravenhage").interview_id) == {"GM0518-1"}
    assert set(cm.passages(study, municipality="GM0106").interview_id) == {"GM0106-1"}
    assert len(cm.passages(study, interview="GM0106-1")) == 5
    # a code without its variable: every variable with that code
    assert set(cm.passages(study, code="in_house").variable) == {"sourcing.design"}
    # a filter that selects nothing: an empty table with the columns
    none = cm.passages(study, "sourcing.design", "mixed")
    assert none.empty and list(none.columns) == COLUMNS
    assert cm.passages(study, municipality="Middelburg").empty
    # a filtered study keeps the passages of its interviews
    assert set(cm.passages(study.filter(region="Noord")).interview_id) == {"GM0106-1"}


@pytest.mark.parametrize("kwargs, message", [
    ({"variable": "sourcing.desing"}, "variable: 'sourcing.desing' is not a variable of the codebook; allowed: "),
    ({"variable": "sourcing.design", "code": "partly"},
     "code: 'partly' is not allowed; allowed: in_house, mixed, outsourced"),
    ({"code": "sometimes"}, "code: 'sometimes' is not a code of any variable of the codebook"),
    ({"municipality": "Gotham"}, "municipality: 'Gotham' is not a municipality of this study; allowed: a CBS code or "
                                 "name of municipalities.csv"),
    ({"interview": "GM0518-9"}, "interview: 'GM0518-9' is not an interview of this study; allowed: an interview id"),
])
def test_unknown_filters_are_parameter_errors(imported, kwargs, message):
    folder, _ = imported
    with pytest.raises(cm.ParameterError) as info:
        cm.passages(cm.load_study(folder), **kwargs)
    assert str(info.value).startswith(message)


def test_data_without_passages_gives_an_empty_table(study):
    table = cm.passages(study)
    assert table.empty and list(table.columns) == COLUMNS
    text = cm.passages_summary(study, table, "sourcing.design", "outsourced")
    assert text.startswith("There are no passages to show: the data folder has no passage files (passages/).")
    assert "not coded from interview texts" in text
    nl = cm.passages_summary(study, table, lang="nl")
    assert nl.startswith("Er zijn geen passages om te tonen") and "niet uit de tekst van interviews gecodeerd" in nl


def test_summaries(imported, tiny):
    folder, _ = imported
    study = cm.load_study(folder)
    table = cm.passages(study, "sourcing.design", "outsourced")
    assert cm.passages_summary(study, table, "sourcing.design", "outsourced") == (
        "1 passage is coded 'Design: Outsourced' (sourcing.design = outsourced), from 1 interview in 1 municipality.")
    assert cm.passages_summary(study, table, "sourcing.design", "outsourced", lang="nl", publish=True) == (
        "Er zijn passages gecodeerd als 'Ontwerp: Uitbesteed' (sourcing.design = outsourced); hoeveel, en hun tekst, "
        "wordt in een gepubliceerd rapport niet getoond.")
    assert cm.passages_summary(study, none := cm.passages(study, "sourcing.design", "mixed"), "sourcing.design",
                               "mixed", publish=True) == (
        "No passage of this selection is coded 'Design: Mixed' (sourcing.design = mixed).")
    none = cm.passages(study, "sourcing.design", "mixed")
    assert cm.passages_summary(study, none, "sourcing.design", "mixed") == (
        f"No passage of this selection is coded 'Design: Mixed' (sourcing.design = mixed); the data folder holds "
        f"{len(SELECTIONS)} passages in all.")
    # observed codings without passages: say how passages are kept
    assert "`commissioning import-qdpx`" in cm.passages_summary(tiny, cm.passages(tiny))


def test_grouped_by_size_class_largest_first(imported):
    folder, _ = imported
    study = cm.load_study(folder)
    grouped = cm.passages_by_size_class(study, cm.passages(study, "sourcing.design"), lang="nl")
    assert grouped[["size_class", "size_class_label", "municipality_name", "interview_id"]].values.tolist() == [
        ["very_large", "Zeer groot", "Den Haag", "GM0518-1"], ["medium", "Middelgroot", "Assen", "GM0106-1"]]
    text = cm.format_passages(grouped, by="size_class_label", width=50, lang="nl")
    assert text.index("== Zeer groot ==") < text.index("GM0518-1 (Den Haag), codeur ab") < text.index("== Middelgroot ==")
    assert "GM0106-1 (Assen), codeur ab, bron 'Interview Assen.docx', tekens" in text


def test_a_report_gives_the_passages_and_withholds_their_text_when_published(imported):
    folder, _ = imported
    report = cm.Report(folder, lang="nl")
    found = report.passages("sourcing.design")
    assert len(found) == 2
    text = report.passages_text(found, width=50)
    assert text.index("== Zeer groot ==") < text.index("== Middelgroot ==")
    assert "Het ontwerp besteden we uit" in report.passages_text(found, width=200)
    published = cm.Report(folder, lang="nl", publish=True)
    shown = published.passages("sourcing.design")
    assert len(shown) == 2 and published.passages_text(shown) == ""
    summary = published.passages_summary(shown, "sourcing.design")
    assert "Het ontwerp" not in summary and summary == cm.passages_summary(
        published.study, shown, "sourcing.design", lang="nl", publish=True)


def test_format_passages_wraps_and_escapes(imported):
    folder, _ = imported
    table = cm.passages(cm.load_study(folder), "sourcing.design")
    text = cm.format_passages(table, width=30)
    body = [ln for ln in text.splitlines() if ln.startswith("    ")]
    assert body and all(len(ln) <= 30 for ln in body)
    assert "\r" not in text
    assert "GM0106-1, coder ab, source 'Interview Assen.docx', characters" in text
    odd = table.iloc[:1].assign(text="bell\x07 and \x1b[31mred\n\nnext", start=0, end=22)
    shown = cm.format_passages(odd, width=40)
    assert "\x1b" not in shown and "\\x1b[31mred" in shown and "\n\n    next" in shown
    with pytest.raises(cm.ParameterError, match="width: 5 is not allowed"):
        cm.format_passages(table, width=5)
    assert cm.format_passages(table.iloc[:0]) == ""


def test_cli_passages_text_and_csv(imported, capsys):
    folder, _ = imported
    assert main(["passages", "--data", str(folder), "--variable", "sourcing.design", "--code", "outsourced",
                 "--width", "40"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("GM0518-1 (Den Haag), coder ab, source 'Interview Den Haag.txt', characters ")
    assert "  sourcing.design = outsourced\n    Het ontwerp besteden we uit; één\n    bureau doet dat\n" in out
    assert out.rstrip().endswith("from 1 interview in 1 municipality.")
    assert main(["passages", "--data", str(folder), "--format", "csv"]) == 0
    csv = capsys.readouterr().out
    back = pd.read_csv(io.StringIO(csv), keep_default_na=False)
    table = cm.passages(cm.load_study(folder))
    assert list(back.columns) == COLUMNS
    assert back.text.tolist() == table.text.tolist()  # exactly, CR LF included
    assert any("\r\n" in t for t in back.text)


def test_cli_passages_says_why_there_are_none(imported, capsys):
    assert main(["passages", "--variable", "sourcing.design", "--code", "outsourced"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("There are no passages to show: the data folder has no passage files (passages/).")
    assert "(looked in " in out
    folder, _ = imported
    assert main(["passages", "--data", str(folder), "--variable", "sourcing.design", "--code", "mixed"]) == 0
    assert capsys.readouterr().out.startswith("No passage of this selection is coded 'Design: Mixed'")
    assert main(["passages", "--data", str(folder), "--municipality", "Middelburg"]) == 0
    assert "(selection: municipality = Middelburg)" in capsys.readouterr().out
    assert main(["passages", "--data", str(folder), "--variable", "sourcing.design", "--code", "partly"]) == 2
    assert capsys.readouterr().err == "error: code: 'partly' is not allowed; allowed: in_house, mixed, outsourced\n"
    assert main(["passages", "--data", str(folder), "--width", "5"]) == 2
    assert "width: 5 is not allowed" in capsys.readouterr().err


# --- validate: a broken passage file is named precisely ------------------------------------------

GOOD = """\
interview_id: GM0518-1
coder: ab
passages:
- variable: sourcing.design
  code: outsourced
  source: Interview Den Haag.txt
  start: 10
  end: 15
  text: Hallo
- variable: maturity.top3
  code: people_competences
  rank: 1
  source: Interview Den Haag.txt
  start: 20
  end: 22
  text: "😀é"
"""

BROKEN = {
    "unknown interview": (GOOD.replace("interview_id: GM0518-1", "interview_id: GM0518-7"), "GM0518-7.ab.yaml",
                          "line 1, key 'interview_id': is not the id of an interview file in interviews/ (got "
                          "'GM0518-7'); allowed: the interview_id of an interview file, e.g. GM0106-1, GM0518-1"),
    "other coder": (GOOD.replace("coder: ab", "coder: zz"), "GM0518-1.zz.yaml",
                    "line 2, key 'coder': has not coded interview GM0518-1: there is no interview file of GM0518-1 by "
                    "this coder (got 'zz'); allowed: ab"),
    "unknown variable": (GOOD.replace("variable: sourcing.design", "variable: sourcing.desing"), None,
                         "line 4, key 'passages[0].variable': is not a variable of the codebook (got "
                         "'sourcing.desing')"),
    "code of another variable": (GOOD.replace("code: outsourced", "code: partly"), None,
                                 "line 5, key 'passages[0].code': is not a code of sourcing.design (got 'partly'); "
                                 "allowed: in_house, mixed, outsourced"),
    "end beyond the text": (GOOD.replace("end: 15", "end: 60"), None,
                            "line 8, key 'passages[0].end': falls outside the passage's text: start 10 to end 60 span "
                            "50 characters, but text has 5 (got 60); allowed: start + the length of text = 15"),
    "end before start": (GOOD.replace("end: 15", "end: 5"), None,
                         "line 8, key 'passages[0].end': is before start (10) (got 5); allowed: 10 or more"),
    "negative start": (GOOD.replace("start: 10", "start: -1"), None,
                       "line 7, key 'passages[0].start': is not a position (got -1)"),
    "a text too short for a non-BMP passage": (GOOD.replace("end: 22", "end: 23"), None,
                                               "line 15, key 'passages[1].end': falls outside the passage's text: "
                                               "start 20 to end 23 span 3 characters, but text has 2"),
    "rank missing": (GOOD.replace("  rank: 1\n", ""), None,
                     "line 10, key 'passages[1]': lacks the key 'rank', which a passage of the ranked set "
                     "maturity.top3 needs; allowed: rank: 1 to 3"),
    "rank out of range": (GOOD.replace("rank: 1", "rank: 4"), None,
                          "line 12, key 'passages[1].rank': is not a rank of maturity.top3 (got 4); allowed: 1 to 3"),
    "rank of a variable that is not ranked": (GOOD.replace("  code: outsourced\n", "  code: outsourced\n  rank: 1\n"),
                                              None, "line 6, key 'passages[0].rank': is for a ranked set only"),
    "missing text": (GOOD.replace("  text: Hallo\n", ""), None,
                     "line 4, key 'passages[0]': lacks the key 'text'"),
    "unknown key": (GOOD.replace("  text: Hallo\n", "  text: Hallo\n  note: mine\n"), None,
                    "line 10, key 'passages[0].note': is not a known key of a passage (got 'note')"),
    "passages not a list": ("interview_id: GM0518-1\ncoder: ab\npassages: Hallo\n", None,
                            "line 3, key 'passages': must be a list of passages (or [] for none) (got 'str')"),
    "file name": (GOOD, "GM0106-1.ab.yaml", "line 1, key 'interview_id': does not match the file name (got "
                                            "'GM0518-1'); allowed: GM0518-1.ab.yaml or GM0518-1.yaml"),
    "not YAML": ("interview_id: [GM0518-1\n", None, "line 2, column 1: is not valid YAML: did not find expected "
                                                   "',' or ']'"),
    "not UTF-8": (GOOD.encode("latin-1", "replace").replace(b"Hallo", b"H\xe9llo"), None,
                  "line 9: is not valid UTF-8 (byte 0xe9"),
    "not a passage file": ("x", "GM0518-1.ab.txt", ": is not a passage file (got '.txt')"),
}


@pytest.fixture(scope="module")
def small(tmp_path_factory, study, qdc):
    """Two imported interviews, GM0518-1 and GM0106-1 (coder ab), without passage files."""
    tmp = tmp_path_factory.mktemp("small")
    folder = data_dir(tmp)
    run_import(study, build(qdc, tmp / "p.qdpx"), folder / "interviews")
    shutil.rmtree(folder / "passages")
    return folder


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_validate_names_the_file_the_line_and_the_key(tmp_path, small, case, capsys):
    text, name, message = BROKEN[case]
    folder = tmp_path / "data"
    shutil.copytree(small, folder)
    (folder / "passages").mkdir()
    name = name or "GM0518-1.ab.yaml"
    (folder / "passages" / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    before = tree_digest(folder)
    expected = f"passages/{name}, {message}" if not message.startswith(":") else f"passages/{name}{message}"
    study = cm.load_study(folder)  # the interviews load: results never depend on passages
    with pytest.raises(cm.DataError) as info:
        cm.validate_passages(study)
    assert any(str(p).startswith(expected) for p in info.value.problems), [str(p) for p in info.value.problems]
    with pytest.raises(cm.DataError):
        cm.passages(study)
    assert main(["validate", "--data", str(folder)]) == 2
    err = capsys.readouterr().err
    assert f"error: {expected}" in err and "Traceback" not in err
    assert main(["passages", "--data", str(folder)]) == 2
    assert f"error: {expected}" in capsys.readouterr().err
    assert tree_digest(folder) == before


def test_the_good_file_is_valid_and_reads_back(tmp_path, small, capsys):
    folder = tmp_path / "data"
    shutil.copytree(small, folder)
    (folder / "passages").mkdir()
    (folder / "passages" / "GM0518-1.ab.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "passages" / "GM0106-1.yaml").write_text("interview_id: GM0106-1\ncoder: ab\npassages: []\n",
                                                       encoding="utf-8")
    table = cm.validate_passages(cm.load_study(folder))
    assert table.text.tolist() == ["Hallo", "😀é"] and table.file.tolist() == ["passages/GM0518-1.ab.yaml"] * 2
    assert main(["validate", "--data", str(folder)]) == 0
    assert "2 passages in 1 files" in capsys.readouterr().out
    (folder / "passages" / "GM0518-1.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(cm.DataError, match=r"passages/GM0518-1.yaml, line 1, key 'interview_id': duplicates the "
                                           r"passages of passages/GM0518-1.ab.yaml"):
        cm.validate_passages(cm.load_study(folder))


def test_a_passages_file_in_place_of_the_folder(tmp_path, small):
    folder = tmp_path / "data"
    shutil.copytree(small, folder)
    (folder / "passages").write_text("x", encoding="utf-8")
    with pytest.raises(cm.DataError, match="passages: is a file, not a folder"):
        cm.validate_passages(cm.load_study(folder))


# --- the file format holds every text exactly ---------------------------------------------------

NASTY = ["", " ", "\n", "a\n", "\na", "  lead", "trail  ", "tab\there", "line \nspace before break", "x\r\ny",
         "\r", "\x85next line", "\u2028sep", "\ufeffbom", "\x00nul", "\x1b[31m", "😀𝔸", "e\u0301", "ĳ", "'quote'",
         '"dq"', "# not a comment", "- not a list", "key: value", "yes", "no", "null", "~", "1e3", "0x10", "...",
         "---", "|", ">", "  \n  \n", "a\n\n\nb\n\n", "\t", "é" * 200, "word " * 60 + "\n" + "more " * 40]


def test_every_text_reads_back_exactly():
    rng = random.Random(20180)
    alphabet = "ab é😀\n\r\t \x85\u2028'\":#-|>~\x00\ufeff"
    texts = NASTY + ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40))) for _ in range(300)]
    blocks = "ab é😀\n\n\t   '\":#-|>~"  # LF line ends only: the texts a literal block can hold
    texts += ["".join(rng.choice(blocks) for _ in range(rng.randrange(0, 40))) for _ in range(500)]
    passages = [{"variable": "sourcing.design", "code": "outsourced", "source": "s", "start": 0, "end": len(t),
                 "text": t} for t in texts]
    text = passage_file_text("GM0518-1", "ab", passages, project="p.qdpx", origin="MAXQDA")
    back = yaml.safe_load(text)
    assert [p["text"] for p in back["passages"]] == texts
    assert text == passage_file_text("GM0518-1", "ab", passages, project="p.qdpx", origin="MAXQDA")


def test_multi_line_text_is_written_as_a_block_to_read():
    text = passage_file_text("GM0518-1", "ab", [{"variable": "sourcing.design", "code": "outsourced", "source": "s",
                                                 "start": 0, "end": 9, "text": "één\ntwee"}])
    assert "  text: |-\n    één\n    twee\n" in text


# --- 3. the notebook ----------------------------------------------------------------------------

def _run_notebook(tmp_path, data=None, **parameters):
    from commissioning.run.suite import run_suite

    out = tmp_path / "reports"
    run_suite(data_dir=data, out_dir=out, only=["07-passages"], parameters=parameters, force=True, jobs=1)
    return (out / "en" / "07-passages.html").read_text(encoding="utf-8")


def test_the_notebook_says_there_are_none_on_the_shipped_data(tmp_path):
    page = _run_notebook(tmp_path)
    assert "There are no passages to show" in page and "not coded from interview texts" in page


def test_the_notebook_shows_the_passages_of_a_project_and_none_when_published(tmp_path, imported):
    folder, _ = imported
    page = _run_notebook(tmp_path / "open", folder)
    assert "Het ontwerp besteden we uit; één bureau doet dat" in page
    assert "Very large" in page and "GM0518-1" in page
    assert "1 passage is coded &#x27;Design: Outsourced&#x27;" in page or "1 passage is coded 'Design: Outsourced'" in page
    # two interviews: fewer than the threshold, so nothing of this data may be published at all
    with pytest.raises(cm.DisclosureError, match="this data holds 2 municipalities and 2 interviews, fewer than the "
                                                 "threshold 3: nothing of it can be published"):
        _run_notebook(tmp_path / "published", folder, publish=True)
    assert not (tmp_path / "published").exists()


def test_the_documented_examples_are_valid_passages():
    """The passage file shown in the README and in the module's docstring: each text spans its positions."""
    import re
    import textwrap

    from commissioning.data import passages as coded_passages

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# passages/GM0518-1\.ab\.yaml.*?)```", readme, re.S).group(1)
    doc = coded_passages.__doc__.split("::\n\n", 1)[1].split("\n\n`start`")[0]
    for text in (block, textwrap.dedent(doc)):
        data = yaml.safe_load(text)
        assert data["passages"] and all(len(p["text"]) == p["end"] - p["start"] for p in data["passages"])


def test_the_notebook_is_registered():
    from commissioning.run import available_notebooks

    assert "07-passages" in available_notebooks()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "| `07-passages` |" in readme


def test_run_checks_the_variable_and_code_before_running(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["run", "--only", "07-passages", "-p", "variable=sourcing.design", "-p", "code=partly",
                 "--out", str(out)]) == 2
    assert capsys.readouterr().err == "error: code: 'partly' is not allowed; allowed: in_house, mixed, outsourced\n"
    assert main(["run", "--only", "07-passages", "-p", "variable=sourcing.desing", "--out", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: variable: 'sourcing.desing' is not a variable of the codebook")
    assert not out.exists()
