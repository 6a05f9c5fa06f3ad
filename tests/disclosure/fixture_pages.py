"""Hand-written published pages for the auditor's tests and the attacks': the markup contract of
`commissioning.disclosure.audit` (page metadata, count tables, statistics), with counts taken from
a small hand-written dataset so that every page of a fixture release is consistent.

The dataset (DESIGN, TENDERBOARD) is one value per municipality, as a reader could never see it:
the tests publish its counts and check what the auditor and the attacks recover."""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
FINGERPRINT = "592c46e5e5d0"

with open(DATA / "municipalities.csv", encoding="utf-8") as _f:
    MUNIS = {r["cbs_code"]: r for r in csv.DictReader(_f)}
INTERVIEWS = {m: sorted(p.stem for p in (DATA / "interviews").glob(f"{m}-*.yaml")) for m in MUNIS}
CODE = {r["study_name"]: code for code, r in MUNIS.items()}

# sourcing.design per municipality (small 1/1/1, medium 1/3/1, large 3/3/2, very large 0/2/0)
DESIGN = {CODE[name]: value for name, value in {
    "Groningen": "mixed", "Leeuwarden": "in_house", "Zwolle": "mixed", "Enschede": "outsourced",
    "Assen": "mixed", "Hoogeveen - De Wolden": "in_house", "Den Haag": "mixed", "Rotterdam": "mixed",
    "Leiden": "in_house", "Delft": "outsourced", "Maasluis": "in_house", "Krimpen aan den IJssel": "mixed",
    "Eindhoven": "mixed", "Tilburg": "in_house", "Helmond": "mixed", "Sittard - Geleen": "outsourced",
    "Roermond": "mixed", "Middelburg": "outsourced"}.items()}
DESIGN_CODES = ("in_house", "mixed", "outsourced")
# structure.tenderboard: only Middelburg has one
TENDERBOARD = {m: "yes" if MUNIS[m]["study_name"] == "Middelburg" else "no" for m in MUNIS}


def selection_munis(selection: str = "") -> list:
    """The municipalities of a selection ("region=Zuid size_class=large+very_large")."""
    items = [item.split("=") for item in selection.split()]
    return [m for m, r in MUNIS.items() if all(r[c] in v.split("+") for c, v in items)]


def members(group: str, selection: str = "") -> list:
    """The municipalities of a group code within a selection."""
    within = selection_munis(selection)
    if group == "all":
        return within
    if group in ("Noord", "West", "Zuid"):
        return [m for m in within if MUNIS[m]["region"] == group]
    return [m for m in within if MUNIS[m]["size_class"] in group.split("+")]


def count(values: dict, group: str, codes, selection: str = "") -> tuple[int, int]:
    """(k, n) of a group at the municipality unit: units coded one of `codes`, units with a value."""
    units = [m for m in members(group, selection) if values.get(m) is not None]
    codes = codes.split() if isinstance(codes, str) else codes
    return sum(values[m] in codes for m in units), len(units)


def cells(variable, values, groups, codes_list, selection="", *, by="size_class", unit="municipality") -> list:
    """The count cells of a statistic's ``data-cells``."""
    out = []
    for group in groups:
        for codes in codes_list:
            k, n = count(values, group, codes, selection)
            out.append({"variable": variable, "unit": unit, "by": by, "group": group, "codes": codes.split(),
                        "k": k, "n": n})
    return out


def table(unit, by, rows, *, groups=None, caption=None) -> str:
    """A count table in the published form. rows: [(variable, codes, {group: (k, n) or None})]."""
    groups = groups or list(rows[0][2])
    head = "".join(f'<th scope="col" data-group="{g}">{html.escape(g)}</th>' for g in groups)
    body = []
    for variable, codes, found in rows:
        tds = []
        for g in groups:
            if found[g] is None:
                tds.append('<td class="cm-suppressed">–</td>')
            else:
                k, n = found[g]
                tds.append(f'<td data-k="{k}" data-n="{n}">{k}/{n} ({round(100 * k / n) if n else 0}%)</td>')
        body.append(f'<tr data-variable="{variable}" data-codes="{codes}"><th scope="row">{variable}: {codes}</th>'
                    f'{"".join(tds)}</tr>')
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (f'<table class="cm-counts" data-unit="{unit}" data-by="{by}">{cap}<thead><tr><th></th>{head}</tr>'
            f'</thead><tbody>{"".join(body)}</tbody></table>')


def value_table(variable, values, codes_list, groups, *, by="size_class", selection="", hidden=(), caption=None):
    """A count table of a variable at the municipality unit, counted from `values`; the groups in
    `hidden` are suppressed."""
    rows = [(variable, codes, {g: None if g in hidden else count(values, g, codes, selection) for g in groups})
            for codes in codes_list]
    return table("municipality", by, rows, groups=groups, caption=caption)


def stat(text, kind="table", *, tag="span", **attrs) -> str:
    """A marked statistic; a value of data-cells is written as JSON."""
    parts = [f'data-stat="{kind}"']
    for key, value in attrs.items():
        value = json.dumps(value) if key == "cells" else value
        parts.append(f'data-{key.replace("_", "-")}="{html.escape(str(value))}"')
    return f'<{tag} class="cm-stat" {" ".join(parts)}>{html.escape(text)}</{tag}>'


def page(parts, *, lang="en", selection="", publish="yes", threshold="3", fingerprint=FINGERPRINT,
         title="What municipalities outsource") -> str:
    """A published page: the head's metadata, a title, the run's parameters (cm-meta), the parts,
    and the footer with the fingerprint (cm-meta). A meta given as None is left out."""
    meta = {"cm-publish": publish, "cm-selection": selection, "cm-threshold": threshold,
            "cm-fingerprint": fingerprint}
    head = "".join(f'<meta name="{k}" content="{html.escape(v)}">' for k, v in meta.items() if v is not None)
    where = selection or "the whole sample"
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'{head}</head><body><main><h1>{html.escape(title)}</h1>'
            f'<p class="cm-parameters cm-meta">Selection: {html.escape(where)} '
            f'({len(selection_munis(selection))} municipalities). Published: {publish}. Threshold: {threshold}.</p>'
            + "".join(parts)
            + f'<footer class="cm-meta"><p>data fingerprint <code>{fingerprint}</code> · commissioning 0.1.0</p>'
              '</footer></main></body></html>')


def write(folder: Path, pages: dict, **meta) -> Path:
    """Write pages {relative path: [parts]} into `folder`; `meta` as `page` (a page whose folder
    starts with "nl" is in Dutch)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, parts in pages.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        lang = "nl" if name.split("/")[0] == "nl" else "en"
        path.write_text(page(parts, lang=lang, **meta), encoding="utf-8")
    return folder
