"""REFI-QDA projects with code systems of their own, written the way three tools export them, for
the tests of `import-qdpx --new-codebook`. The committed files in tests/fixtures/refi-qda/ are the
output of this module (`python -m tests.exchange.own_projects` rewrites them; a test checks that
they are equal):

- own-nvivo-style.qdpx: NVivo's manner. Nested codes (a theme node, a node per question, a node
  per answer), a non-exclusive node of barriers, a top-level node without children; named cases
  ('Cases\\Den Haag') that hold the sources, with the variable 'Cases:Municipality' (a study name);
  text files in sources/; two users, one of whom codes one interview a second time.
- own-maxqda-style.qdpx: MAXQDA's manner. Dutch code names, a parent code coded itself as well as
  its children; document variables ('Gemeente' holding a CBS code, 'Rol') in an unnamed case with
  one source; text in Sources/ with CRLF line ends.
- own-atlasti-style.qdpx: ATLAS.ti's manner. Flat codes with 'parent::child' names, code groups as
  Sets of member codes (one code in two groups), document groups 'municipality: GM0106' as Sets of
  member sources, inline text with CRLF line ends counted as one character.
"""

from __future__ import annotations

import uuid
import zipfile
from pathlib import Path

from lxml import etree

NS = "urn:QDA-XML:project:1.0"
P = f"{{{NS}}}"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "refi-qda"
_UUID_NS = uuid.UUID("6f1b0d3e-5a0e-4c1e-9a57-0c0ffee00001")


def gid(*parts) -> str:
    """A GUID derived from `parts`, upper case as the tools write them."""
    return str(uuid.uuid5(_UUID_NS, "/".join(map(str, parts)))).upper()


def _codes(parent, tree, prefix=()):
    """Write nested codes: `tree` is a list of (name, children) or names."""
    for item in tree:
        name, children = (item, []) if isinstance(item, str) else item
        el = etree.SubElement(parent, P + "Code", guid=gid("code", *prefix, name), name=name, isCodable="true")
        _codes(el, children, prefix + (name,))


def code_guid(path: str) -> str:
    """The GUID of the code at `path` ('Sourcing/Design/In house')."""
    return gid("code", *path.split("/"))


def write_project(out: Path, *, name, origin, users, codes, sources, codings, variables=(), cases=(), sets=(),
                  text_files=True, crlf=False) -> Path:
    """Write a .qdpx.

    sources: [(key, name, text)]; codings: [(source key, user, code path, phrase)], the phrase's
    first occurrence in the text (ATLAS.ti counts a CRLF as one character, other tools as two);
    `crlf`: the text has CRLF line ends; variables: [(name, type)]; cases: [(case name or "", [source
    keys], {variable: value})]; sets: [(set name, [code paths], [source keys])].
    """
    root = etree.Element(P + "Project", nsmap={None: NS})
    root.set("name", name)
    root.set("origin", origin)
    root.set("creatingUserGUID", gid("user", users[0]))
    users_el = etree.SubElement(root, P + "Users")
    for user in users:
        etree.SubElement(users_el, P + "User", guid=gid("user", user), name=user)
    _codes(etree.SubElement(etree.SubElement(root, P + "CodeBook"), P + "Codes"), codes)
    if variables:
        variables_el = etree.SubElement(root, P + "Variables")
        for var, kind in variables:
            etree.SubElement(variables_el, P + "Variable", guid=gid("var", var), name=var, typeOfVariable=kind)
    if cases:
        cases_el = etree.SubElement(root, P + "Cases")
        for i, (case_name, keys, values) in enumerate(cases):
            case = etree.SubElement(cases_el, P + "Case", guid=gid("case", i))
            if case_name:
                case.set("name", case_name)
            for var, value in values.items():
                vv = etree.SubElement(case, P + "VariableValue")
                etree.SubElement(vv, P + "VariableRef", targetGUID=gid("var", var))
                etree.SubElement(vv, P + "TextValue").text = value
            for key in keys:
                etree.SubElement(case, P + "SourceRef", targetGUID=gid("source", key))
    sources_el = etree.SubElement(root, P + "Sources")
    files = {}
    for key, source_name, text in sources:
        text = text.replace("\n", "\r\n") if crlf else text
        src = etree.SubElement(sources_el, P + "TextSource", guid=gid("source", key), name=source_name,
                               creatingUser=gid("user", users[0]))
        if text_files:
            src.set("plainTextPath", f"internal://{gid('source', key)}.txt")
            files[f"{'Sources' if crlf else 'sources'}/{gid('source', key)}.txt"] = text
        else:
            etree.SubElement(src, P + "PlainTextContent").text = text
        counted = text.replace("\r\n", "\n") if origin.startswith("ATLAS.ti") else text  # see _text_of
        for i, (skey, user, path, phrase) in enumerate(codings):
            if skey != key:
                continue
            start = counted.index(phrase)
            sel = etree.SubElement(src, P + "PlainTextSelection", guid=gid("sel", key, i), startPosition=str(start),
                                   endPosition=str(start + len(phrase)), name=phrase[:40],
                                   creatingUser=gid("user", user))
            coding = etree.SubElement(sel, P + "Coding", guid=gid("coding", key, i), creatingUser=gid("user", user))
            etree.SubElement(coding, P + "CodeRef", targetGUID=code_guid(path))
    if sets:
        sets_el = etree.SubElement(root, P + "Sets")
        for set_name, code_paths, source_keys in sets:
            s = etree.SubElement(sets_el, P + "Set", guid=gid("set", set_name), name=set_name)
            for path in code_paths:
                etree.SubElement(s, P + "MemberCode", targetGUID=code_guid(path))
            for key in source_keys:
                etree.SubElement(s, P + "MemberSource", targetGUID=gid("source", key))
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in [("project.qde", xml), *((n, t.encode("utf-8")) for n, t in files.items())]:
            info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))  # byte-stable
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out


# --- NVivo ----------------------------------------------------------------------------------------

NVIVO_TEXTS = {
    "dh1": ("Interview 01 Den Haag.docx", "Q: Who designs? A: We outsource all design to bureaus.\n"
            "Q: Engineering? A: Engineering is mixed, some of it in-house.\nQ: Barriers? A: The budget, and "
            "politics in the council.\nWe have a tenderboard that meets monthly.\n"),
    "dh2": ("Interview 02 Den Haag.docx", "Q: Who designs? A: Design is outsourced.\nQ: Engineering? A: We do "
            "the engineering in-house.\nQ: Barriers? A: Mostly capacity: too few people.\n"),
    "as1": ("Interview 03 Assen.docx", "Q: Who designs? A: We design in-house.\nQ: Engineering? A: In-house "
            "as well.\nQ: Barriers? A: Capacity and budget.\n"),
    "mb1": ("Interview 04 Middelburg.docx", "Q: Who designs? A: Mixed: small works in-house, the rest outside.\n"
            "Q: Barriers? A: Budget.\nA tenderboard? Yes, since last year.\n"),
    "gr1": ("Interview 05 Groningen.docx", "Q: Who designs? A: Outsourced, always.\nQ: Engineering? A: "
            "Outsourced too.\nQ: Barriers? A: Politics.\n"),
}
NVIVO_CODES = [
    ("Sourcing", [("Design", ["In house", "Mixed", "Outsourced"]), ("Engineering", ["In house", "Mixed", "Outsourced"])]),
    ("Barriers", ["Budget", "Capacity", "Politics"]),
    "Tenderboard",
]
NVIVO_CODINGS = [
    ("dh1", "Anna", "Sourcing/Design/Outsourced", "We outsource all design"),
    ("dh1", "Anna", "Sourcing/Engineering/Mixed", "Engineering is mixed"),
    ("dh1", "Anna", "Barriers/Budget", "The budget"),
    ("dh1", "Anna", "Barriers/Politics", "politics in the council"),
    ("dh1", "Anna", "Tenderboard", "We have a tenderboard"),
    ("dh1", "Bram", "Sourcing/Design/Outsourced", "We outsource all design"),  # a second coder
    ("dh1", "Bram", "Sourcing/Engineering/In house", "some of it in-house"),
    ("dh1", "Bram", "Barriers/Budget", "The budget"),
    ("dh2", "Anna", "Sourcing/Design/Outsourced", "Design is outsourced"),
    ("dh2", "Anna", "Sourcing/Engineering/In house", "the engineering in-house"),
    ("dh2", "Anna", "Barriers/Capacity", "Mostly capacity"),
    ("as1", "Anna", "Sourcing/Design/In house", "We design in-house"),
    ("as1", "Anna", "Sourcing/Engineering/In house", "In-house as well"),
    ("as1", "Anna", "Barriers/Capacity", "Capacity"),
    ("as1", "Anna", "Barriers/Budget", "budget"),
    ("mb1", "Anna", "Sourcing/Design/Mixed", "Mixed: small works"),
    ("mb1", "Anna", "Barriers/Budget", "Budget"),
    ("mb1", "Anna", "Tenderboard", "A tenderboard? Yes"),
    ("gr1", "Anna", "Sourcing/Design/Outsourced", "Outsourced, always"),
    ("gr1", "Anna", "Sourcing/Engineering/Outsourced", "Outsourced too"),
    ("gr1", "Anna", "Barriers/Politics", "Politics"),
]
NVIVO_CASES = [("Cases\\Den Haag", ["dh1", "dh2"], {"Cases:Municipality": "Den Haag"}),
               ("Cases\\Assen", ["as1"], {"Cases:Municipality": "Assen"}),
               ("Cases\\Middelburg", ["mb1"], {"Cases:Municipality": "Middelburg"}),
               ("Cases\\Groningen", ["gr1"], {"Cases:Municipality": "Groningen"})]


def nvivo(out: Path) -> Path:
    """own-nvivo-style.qdpx (see the module's docstring)."""
    return write_project(out, name="Commissioning follow-up", origin="NVivo 14.23.3 (Windows)", users=["Anna", "Bram"],
                         codes=NVIVO_CODES, sources=[(k, n, t) for k, (n, t) in NVIVO_TEXTS.items()],
                         codings=NVIVO_CODINGS, variables=[("Cases:Municipality", "Text")], cases=NVIVO_CASES)


# --- MAXQDA ---------------------------------------------------------------------------------------

MAXQDA_TEXTS = {
    "r1": ("Interview Rotterdam 1", "I: Staat opdrachtgeverschap op de agenda?\nR: Ja, expliciet, het is een vast "
           "punt.\nI: Knelpunten?\nR: Vooral de markt: weinig inschrijvers.\n"),
    "r2": ("Interview Rotterdam 2", "I: Staat opdrachtgeverschap op de agenda?\nR: Alleen incidenteel, na een "
           "incident.\nI: Knelpunten?\nR: Geen bijzondere.\n"),
    "l1": ("Interview Leiden 1", "I: Staat opdrachtgeverschap op de agenda?\nR: We zetten de eerste stappen.\n"
           "I: Knelpunten?\nR: Capaciteit en de markt.\n"),
    "e1": ("Interview Eindhoven 1", "I: Staat opdrachtgeverschap op de agenda?\nR: Expliciet.\nI: Knelpunten?\n"
           "R: Capaciteit.\n"),
}
MAXQDA_CODES = [
    ("Agenda", ["Expliciet", "Eerste stappen", "Incidenteel"]),
    ("Knelpunten", ["Capaciteit", "Markt"]),
]
MAXQDA_CODINGS = [
    ("r1", "JdV", "Agenda/Expliciet", "Ja, expliciet"),
    ("r1", "JdV", "Knelpunten/Markt", "Vooral de markt"),
    ("r2", "JdV", "Agenda/Incidenteel", "Alleen incidenteel"),
    ("r2", "JdV", "Knelpunten", "Geen bijzondere"),  # the parent code itself
    ("l1", "JdV", "Agenda/Eerste stappen", "eerste stappen"),
    ("l1", "JdV", "Knelpunten/Capaciteit", "Capaciteit"),
    ("l1", "JdV", "Knelpunten/Markt", "de markt"),
    ("e1", "JdV", "Agenda/Expliciet", "Expliciet"),
    ("e1", "JdV", "Knelpunten/Capaciteit", "Capaciteit"),
]
MAXQDA_DOCUMENTS = {"r1": ("GM0599", "beleidsadviseur"), "r2": ("GM0599", "projectleider"),
                    "l1": ("GM0546", "inkoper"), "e1": ("GM0772", "afdelingshoofd")}


def maxqda(out: Path) -> Path:
    """own-maxqda-style.qdpx (see the module's docstring)."""
    cases = [("", [key], {"Gemeente": cbs, "Rol": role}) for key, (cbs, role) in MAXQDA_DOCUMENTS.items()]
    return write_project(out, name="Vervolgonderzoek", origin="MAXQDA 2022 (Release 22.7.0)", users=["JdV"],
                         codes=MAXQDA_CODES, sources=[(k, n, t) for k, (n, t) in MAXQDA_TEXTS.items()],
                         codings=MAXQDA_CODINGS, variables=[("Gemeente", "Text"), ("Rol", "Text")], cases=cases,
                         crlf=True)


# --- ATLAS.ti -------------------------------------------------------------------------------------

ATLAS_TEXTS = {
    "a1": ("Assen official A.txt", "Design: done in-house by our own engineers.\nWe struggle with the budget.\n"
           "Tenderboard: none.\n"),
    "a2": ("Assen official B.txt", "Design: outsourced to a bureau.\nThe budget and capacity are the problem.\n"),
    "h1": ("Helmond official.txt", "Design: outsourced.\nCapacity is short.\nWe set up a tenderboard.\n"),
    "t1": ("Tilburg official.txt", "Design: in-house.\nNo budget problems, but capacity is.\n"),
}
ATLAS_CODES = ["design::in-house", "design::outsourced", "budget", "capacity", "tenderboard"]
ATLAS_CODINGS = [
    ("a1", "Sam", "design::in-house", "done in-house"),
    ("a1", "Sam", "budget", "the budget"),
    ("a2", "Sam", "design::outsourced", "outsourced to a bureau"),
    ("a2", "Sam", "budget", "The budget"),
    ("a2", "Sam", "capacity", "capacity"),
    ("h1", "Sam", "design::outsourced", "outsourced"),
    ("h1", "Sam", "capacity", "Capacity is short"),
    ("h1", "Sam", "tenderboard", "a tenderboard"),
    ("t1", "Sam", "design::in-house", "in-house"),
    ("t1", "Sam", "capacity", "capacity is"),
]
ATLAS_SETS = [
    ("Barriers", ["budget", "capacity"], []),
    ("Organisation", ["tenderboard", "capacity"], []),  # capacity is in two code groups
    ("municipality: GM0106", [], ["a1", "a2"]),
    ("municipality: Helmond", [], ["h1"]),
    ("municipality: GM0855", [], ["t1"]),
    ("Text files", [], ["a1", "a2", "h1", "t1"]),
]


def atlasti(out: Path) -> Path:
    """own-atlasti-style.qdpx (see the module's docstring)."""
    # ATLAS.ti writes a 'parent::child' code flat: its GUID is the one of its full name
    return write_project(out, name="Own codes", origin="ATLAS.ti 23.2.1 (Windows)", users=["Sam"], codes=ATLAS_CODES,
                         sources=[(k, n, t) for k, (n, t) in ATLAS_TEXTS.items()], codings=ATLAS_CODINGS,
                         sets=ATLAS_SETS, text_files=False, crlf=True)


BUILDERS = {"own-nvivo-style.qdpx": nvivo, "own-maxqda-style.qdpx": maxqda, "own-atlasti-style.qdpx": atlasti}


if __name__ == "__main__":  # rewrite the committed fixtures
    for file_name, build in BUILDERS.items():
        print(build(FIXTURES / file_name))
