"""The auditor's public facts (Table 1: the municipalities, their region, size class and
interviews, and the codebook) and the groups a reader can name from them.

Part of the independent auditor (`commissioning.disclosure.audit`): it reads the data directory
itself, through the suite's reader (`commissioning.data.reader`) so that a bad file is reported
with its name and line, and shares no code with the disclosure engine.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..data.reader import read_file, read_yaml_file
from ..errors import DataError, Problem

#: the columns of municipalities.csv the auditor reads (partner_official_name may be absent)
FACT_COLUMNS = ("cbs_code", "study_name", "official_name", "region", "size_class")


@dataclass
class Facts:
    """The public facts of a selection, as a reader of the published pages knows them.

    Attributes
    ----------
    munis : list
        CBS codes of the selection, in file order.
    region, size : dict
        CBS code -> region, CBS code -> size class.
    names : dict
        CBS code -> every name of the municipality, longest first.
    interviews : dict
        CBS code -> its interview ids, sorted.
    codebook : dict
        codebook.yaml as read.
    size_order, region_order : list
        The codes of the size classes and the regions, in the codebook's order.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
    >>> facts.munis
    ['GM0014', 'GM0080', 'GM0193', 'GM0153', 'GM0106', 'GM0118']
    >>> facts.units("interview", ["GM0193", "GM0106"])
    ['GM0193-1', 'GM0193-2', 'GM0106-1', 'GM0106-2']
    """

    munis: list            # CBS codes of the selection, in file order
    region: dict
    size: dict
    names: dict            # code -> [names]
    interviews: dict       # code -> [interview ids]
    codebook: dict
    size_order: list
    region_order: list

    def units(self, unit: str, munis) -> list:
        """The units of the municipalities `munis` at `unit`: the municipalities themselves, or
        their interviews.

        Returns
        -------
        list of str
            CBS codes, or interview ids in the order of `munis` and of the files.

        Examples
        --------
        >>> from commissioning.data.files import default_data_dir
        >>> facts = read_facts(default_data_dir(), {"region": "Noord"})
        >>> facts.units("municipality", ["GM0193", "GM0014"]), facts.units("interview", ["GM0193", "GM0014"])
        (['GM0193', 'GM0014'], ['GM0193-1', 'GM0193-2', 'GM0014-1'])
        """
        return list(munis) if unit == "municipality" else [i for m in munis for i in self.interviews[m]]


def _read_municipalities(path: Path) -> list[dict]:
    """The rows of municipalities.csv as dicts (as `csv.DictReader` gives them), or DataError
    naming the file and line of a missing column or a row with the wrong number of fields."""
    display = path.name
    rows = list(csv.reader(io.StringIO(read_file(path, missing=f"a {path.name} in the data directory"))))
    header = rows[0] if rows else []
    missing = [c for c in FACT_COLUMNS if c not in header]
    if missing:
        raise DataError([Problem(display, "line 1", f"lacks the column {c!r}", allowed=",".join(FACT_COLUMNS))
                         for c in missing])
    problems, records = [], []
    for lineno, row in enumerate(rows[1:], 2):
        if not row:  # a blank line (csv.DictReader skips it)
            continue
        if len(row) != len(header):
            problems.append(Problem(display, f"line {lineno}", f"has {len(row)} fields instead of {len(header)}",
                                    allowed="one field per column; quote a field that contains a comma"))
            continue
        records.append(dict(zip(header, row)))
    if problems:
        raise DataError(problems)
    return records


def _read_codebook(path: Path) -> dict:
    """codebook.yaml as data, or DataError naming the file (and line) when it is not valid YAML or
    lacks what the auditor reads (the size class and region codes, the variables)."""
    display = path.name
    data, lines = read_yaml_file(path, missing=f"a {display} in the data directory")
    attributes = data.get("attributes") if isinstance(data, dict) else None
    if not (isinstance(attributes, dict) and isinstance(data.get("variables"), dict)):
        raise DataError([Problem(display, "", "must be a mapping with 'attributes' and 'variables'")])
    for attr in ("size_class", "region"):
        spec = attributes.get(attr)
        if not (isinstance(spec, dict) and isinstance(spec.get("codes"), dict)):
            where = f"line {lines[('attributes', attr)]}" if ("attributes", attr) in lines else "attributes"
            raise DataError([Problem(display, where, f"lacks the codes of the attribute {attr!r}")])
    return data


def _names(row: dict) -> list[str]:
    """Every name a reader may use for the municipality of a row, longest first."""
    found = [row["study_name"], row["official_name"], row.get("partner_official_name") or ""]
    found += [part.strip() for part in row["study_name"].split(" - ")]
    found += [re.sub(r"\s*\(.*?\)\s*", "", row["official_name"]).strip()]
    return sorted({n for n in found if n}, key=len, reverse=True)


def read_facts(data_dir, where: dict | None = None) -> Facts:
    """The public facts of a data directory: municipalities.csv, the interview files' names and
    codebook.yaml.

    Parameters
    ----------
    data_dir : path
        The data directory.
    where : dict, optional
        A selection, {column of municipalities.csv: value}; only the rows matching every item.

    Returns
    -------
    Facts

    Raises
    ------
    DataError
        When municipalities.csv or codebook.yaml is missing, not UTF-8 or not valid, naming the
        file and line.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> len(facts.munis), facts.names["GM0518"], facts.interviews["GM0518"]
    (18, ["'s-Gravenhage", 'Den Haag'], ['GM0518-1', 'GM0518-2', 'GM0518-3'])
    >>> read_facts(default_data_dir(), {"region": "Noord"}).size_order
    ['small', 'medium', 'large', 'very_large']
    """
    data_dir = Path(data_dir)
    rows = _read_municipalities(data_dir / "municipalities.csv")
    codebook = _read_codebook(data_dir / "codebook.yaml")
    where = where or {}
    rows = [r for r in rows if all(r[k] == v for k, v in where.items())]
    interviews: dict = {r["cbs_code"]: set() for r in rows}
    for path in sorted((data_dir / "interviews").glob("*.y*ml")):
        iid = path.name.split(".")[0]
        muni = iid.split("-")[0]
        if muni in interviews:
            interviews[muni].add(iid)
    return Facts(
        munis=[r["cbs_code"] for r in rows], region={r["cbs_code"]: r["region"] for r in rows},
        size={r["cbs_code"]: r["size_class"] for r in rows}, names={r["cbs_code"]: _names(r) for r in rows},
        interviews={m: sorted(v) for m, v in interviews.items()}, codebook=codebook,
        size_order=list(codebook["attributes"]["size_class"]["codes"]),
        region_order=list(codebook["attributes"]["region"]["codes"]))


def protected_groups(facts: Facts, threshold: int) -> list:
    """Every group a reader can name from Table 1 with fewer than `threshold` municipalities or
    interviews, at each unit: each municipality, interview and municipality's interviews, and each
    size class, region and region x size class cell below the threshold.

    Returns
    -------
    list of tuple
        [(kind, name, unit, member unit ids)], without repeating a unit's set of members; empty
        when `threshold` is 1 or less.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> groups = protected_groups(read_facts(default_data_dir()), 3)
    >>> len(groups), groups[0]
    (57, ('municipality', 'Groningen', 'municipality', ['GM0014']))
    >>> groups[-1]
    ('region x size class', 'Zuid x large', 'interview', ['GM0772-1', 'GM0855-1', 'GM0855-2'])
    """
    out, seen = [], set()

    def add(kind, name, unit, members):
        key = (unit, tuple(sorted(members)))
        if members and key not in seen:
            seen.add(key)
            out.append((kind, name, unit, list(members)))

    if threshold <= 1:
        return out
    for m in facts.munis:
        add("municipality", facts.names[m][-1], "municipality", [m])
        for i in facts.interviews[m]:
            add("interview", f"an interview of {facts.names[m][-1]}", "interview", [i])
        add("municipality's interviews", facts.names[m][-1], "interview", facts.interviews[m])
    sizes = [s for s in facts.size_order if s in facts.size.values()]
    regions = [r for r in facts.region_order if r in facts.region.values()]
    cells = [("size class", s, lambda m, s=s: facts.size[m] == s) for s in sizes]
    cells += [("region", r, lambda m, r=r: facts.region[m] == r) for r in regions]
    cells += [("region x size class", f"{r} x {s}", lambda m, r=r, s=s: facts.region[m] == r and facts.size[m] == s)
              for r in regions for s in sizes]
    for kind, name, keep in cells:
        members = [m for m in facts.munis if keep(m)]
        itv = facts.units("interview", members)
        if members and (len(members) < threshold or len(itv) < threshold):
            add(kind, name, "municipality", members)
            add(kind, name, "interview", itv)
    return out


def _group_munis(facts: Facts, by: str, group: str):
    """The municipalities of a published group, or None when the code names no group."""
    if group == "all" or by == "rank":
        return list(facts.munis) if group == "all" or group.isdigit() else None
    if by == "size_class":
        classes = group.split("+")
        if any(c not in facts.size_order for c in classes):
            return None
        return [m for m in facts.munis if facts.size[m] in classes]
    if by == "region":
        if group not in facts.region_order:
            return None
        return [m for m in facts.munis if facts.region[m] == group]
    return None
