"""The codebook out as a REFI-QDA Codebook (.qdc): one parent code per variable, one child code per
value (per rank group for a ranked set), each with a stable GUID and a ``commissioning:`` line in
its description that `import_qdpx` reads back."""

from __future__ import annotations

import uuid
from pathlib import Path

from lxml import etree

from ..core import check_lang
from ..data import Codebook
from ..errors import ParameterError

NS_CODEBOOK = "urn:QDA-XML:codebook:1.0"
_GUID_NS = uuid.UUID("18acc1e1-e93f-58c0-afe0-affceb92bb60")  # uuid5(NAMESPACE_URL, 'commissioning/refi-qda/codebook')
MARKER = "commissioning:"


def code_guid(var_id: str, code: str | None = None, rank: int | None = None) -> str:
    """The GUID `export_qdc` gives a variable, a rank group or a value (stable, uuid5).

    Parameters
    ----------
    var_id : str
        The variable's id, e.g. ``sourcing.design``.
    code : str, optional
        One of its values; without it the GUID is the variable's (or, with `rank`, the rank
        group's).
    rank : int, optional
        The rank group of a ranked set (1 to its size).

    Returns
    -------
    str
        A UUID in lower-case hex with hyphens, the same on every run and in both languages.

    Examples
    --------
    >>> code_guid("sourcing.design")
    '1d27deb5-c1f1-58a3-9b8f-1df52aacb60b'
    >>> code_guid("sourcing.design", "outsourced")
    '41508daa-4ae4-51ec-ada2-57be833650ed'
    >>> code_guid("maturity.top3", "stakeholders", 1) != code_guid("maturity.top3", "stakeholders", 2)
    True
    """
    key = var_id + ("" if code is None else f"={code}") + ("" if rank is None else f"#{rank}")
    return str(uuid.uuid5(_GUID_NS, key))


def _marker(var_id, code=None, rank=None) -> str:
    text = f"{MARKER} {var_id}"
    if code is not None:
        text += f" = {code}"
    if rank is not None:
        text += f", rank {rank}"
    return text


def _code(parent, guid, name, codable, description):
    """Add a Code element under `parent` and return it."""
    el = etree.SubElement(parent, f"{{{NS_CODEBOOK}}}Code")
    el.set("guid", guid)
    el.set("name", name)
    el.set("isCodable", "true" if codable else "false")
    etree.SubElement(el, f"{{{NS_CODEBOOK}}}Description").text = description
    return el


def _add_variable(codes_el, var, lang, members: list) -> None:
    """Add one variable's code, its values (under rank groups for a ranked set) and append the GUIDs
    of its codable codes to `members`."""
    question = var.question.get(lang, "")
    head = var.label[lang] + (f". {question}" if question else "")
    parent = _code(codes_el, code_guid(var.id), var.id, False, f"{head}\n{_marker(var.id)}")
    if var.type == "ranked_set":
        for rank in range(1, (var.size or 0) + 1):
            group_name = f"{var.id} #{rank}"
            text = {"en": f"Rank {rank} of {var.size}: code the passage where the respondent names this priority "
                          "with one aspect below.",
                    "nl": f"Rang {rank} van {var.size}: codeer de passage waar de respondent deze prioriteit noemt "
                          "met één aspect hieronder."}[lang]
            group = _code(parent, code_guid(var.id, rank=rank), group_name, False, f"{text}\n{_marker(var.id, rank=rank)}")
            for c, labels in var.codes.items():
                guid = code_guid(var.id, c, rank)
                _code(group, guid, f"{group_name}: {labels[lang]}", True,
                      f"{labels[lang]}\n{_marker(var.id, c, rank)}")
                members.append(guid)
    else:
        for c, labels in var.codes.items():
            guid = code_guid(var.id, c)
            _code(parent, guid, f"{var.id}: {labels[lang]}", True, f"{labels[lang]}\n{_marker(var.id, c)}")
            members.append(guid)


def export_qdc(codebook: Codebook, path, *, lang: str = "en") -> Path:
    """Write the codebook's interview variables as a REFI-QDA Codebook (.qdc).

    Parameters
    ----------
    codebook : Codebook
        E.g. ``cm.load_study().codebook``.
    path : path
        The .qdc file to write; its folder must exist.
    lang : {"en", "nl"}
        Language of the code labels and descriptions.

    Returns
    -------
    Path of the file written. The file is byte-identical for the same codebook and language.

    Examples
    --------
    >>> import tempfile, pathlib, commissioning as cm
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "codebook.qdc"
    >>> _ = cm.export_qdc(cm.load_study().codebook, out, lang="nl")
    >>> b"sourcing.design: Uitbesteed" in out.read_bytes()
    True
    """
    if not isinstance(codebook, Codebook):
        raise ParameterError("codebook", problem=f"expected a Codebook (e.g. cm.load_study().codebook), got {type(codebook).__name__}")
    check_lang(lang)
    path = Path(path)
    if not path.parent.is_dir():
        raise ParameterError("out", str(path), problem=f"is in a folder that does not exist ({str(path.parent)!r})", allowed="a path in an existing folder")
    root = etree.Element(f"{{{NS_CODEBOOK}}}CodeBook", nsmap={None: NS_CODEBOOK})
    root.set("origin", "commissioning codebook export")
    codes_el = etree.SubElement(root, f"{{{NS_CODEBOOK}}}Codes")
    themes: dict[str, list[str]] = {}
    for var in codebook.variables.values():
        _add_variable(codes_el, var, lang, themes.setdefault(var.theme or "other", []))
    sets_el = etree.SubElement(root, f"{{{NS_CODEBOOK}}}Sets")
    for theme, members in themes.items():
        s = etree.SubElement(sets_el, f"{{{NS_CODEBOOK}}}Set")
        s.set("guid", str(uuid.uuid5(_GUID_NS, f"theme:{theme}")))
        s.set("name", theme)
        for guid in members:
            etree.SubElement(s, f"{{{NS_CODEBOOK}}}MemberCode").set("guid", guid)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    path.write_bytes(data)
    return path
