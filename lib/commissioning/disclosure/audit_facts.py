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
from dataclasses import dataclass, field
from pathlib import Path

from ..data import read_file, read_yaml_file
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
    columns : dict
        CBS code -> its row of municipalities.csv (every column), for a selection by any column.

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
    columns: dict = field(default_factory=dict)

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
    data, lines = read_yaml_file(path, missing=f"a {display} in the data directory", aliases="bounded")
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
        region_order=list(codebook["attributes"]["region"]["codes"]), columns={r["cbs_code"]: r for r in rows})


def protected_groups(facts: Facts, threshold: int, extra=()) -> list:
    """Every group a reader can name from Table 1 with fewer than `threshold` municipalities or
    interviews, at each unit: each municipality, interview and municipality's interviews, and each
    size class, region and region x size class cell below the threshold; then each of `extra`
    ([(name, municipalities)], e.g. a shown group within a filtered run's selection) below it.

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
    for attr, codes in further_attributes(facts).items():  # a province..., alone and within a region or size class
        for c in codes:
            cells.append((attr, c, lambda m, a=attr, c=c: facts.columns[m].get(a) == c))
            cells += [(f"{attr} x region", f"{c} x {r}",
                       lambda m, a=attr, c=c, r=r: facts.columns[m].get(a) == c and facts.region[m] == r)
                      for r in regions]
            cells += [(f"{attr} x size class", f"{c} x {z}",
                       lambda m, a=attr, c=c, z=z: facts.columns[m].get(a) == c and facts.size[m] == z)
                      for z in sizes]
    for kind, name, keep in cells:
        members = [m for m in facts.munis if keep(m)]
        itv = facts.units("interview", members)
        if members and (len(members) < threshold or len(itv) < threshold):
            add(kind, name, "municipality", members)
            add(kind, name, "interview", itv)
    for name, members in extra:
        if below(facts, members, threshold):
            add("group", name, "municipality", list(members))
            add("group", name, "interview", facts.units("interview", members))
    return out


def parse_selection(text: str | None, facts: Facts) -> tuple[dict | None, str]:
    """A page's selection, as its ``<meta name="cm-selection">`` states it.

    Parameters
    ----------
    text : str or None
        Space-separated ``column=value`` items (values of one column joined by "+"); "" or None
        is the whole study (the national run).
    facts : Facts
        The public facts, which name the columns and values allowed.

    Returns
    -------
    tuple
        ({column: (value, ...)} or None when it cannot be read, its canonical form or the reason
        it cannot be read); the canonical form is "" for the national run.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> parse_selection("size_class=very_large+large  region=Zuid", facts)
    ({'region': ('Zuid',), 'size_class': ('large', 'very_large')}, 'region=Zuid size_class=large+very_large')
    >>> parse_selection("", facts)
    ({}, '')
    >>> parse_selection("region=Oost", facts)
    (None, "'Oost' is not a value of region in municipalities.csv")
    """
    selection = {}
    for item in (text or "").split():
        column, _, values = item.partition("=")
        known = {row.get(column) for row in facts.columns.values()} - {None}
        if not known:
            return None, f"{column!r} is not a column of municipalities.csv"
        for value in values.split("+"):
            if value not in known:
                return None, f"{value!r} is not a value of {column} in municipalities.csv"
        order = facts.size_order if column == "size_class" else facts.region_order if column == "region" else []
        rank = {v: i for i, v in enumerate(order)}
        selection[column] = tuple(sorted(set(values.split("+")), key=lambda v: (rank.get(v, len(rank)), v)))
    canonical = " ".join(f"{c}={'+'.join(v)}" for c, v in sorted(selection.items()))
    return dict(sorted(selection.items())), canonical


def selection_munis(facts: Facts, selection: dict) -> list:
    """The municipalities of a selection (`parse_selection`), in file order.

    Returns
    -------
    list of str
        CBS codes.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> selection_munis(facts, {"region": ("Zuid",), "size_class": ("large", "very_large")})
    ['GM0772', 'GM0855']
    """
    return [m for m in facts.munis if all(facts.columns[m].get(c) in v for c, v in selection.items())]


def below(facts: Facts, munis, threshold: int) -> bool:
    """Whether a group holds some but fewer than `threshold` municipalities or interviews.

    Returns
    -------
    bool
        False for an empty group (Table 1 says it is empty: nothing to protect).

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> below(facts, ["GM0772", "GM0855"], 3), below(facts, ["GM0772", "GM0855", "GM0794"], 3), below(facts, [], 3)
    (True, False, False)
    """
    return bool(munis) and (len(munis) < threshold or len(facts.units("interview", munis)) < threshold)


def group_munis(facts: Facts, by: str | None, group: str | None, within=None):
    """The municipalities of a published group, relative to a page's selection.

    Parameters
    ----------
    by, group : str
        The grouping ("size_class", "region", "rank", "none") and the group's code ("all", a
        size class or classes joined by "+", a region, a rank "1", "2", ...).
    within : list, optional
        The municipalities of the page's selection (default: every municipality).

    Returns
    -------
    list of str or None
        CBS codes of ``within`` in the group, in file order; None when the code names no group.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> zuid = selection_munis(facts, {"region": ("Zuid",)})
    >>> group_munis(facts, "size_class", "large+very_large", zuid), group_munis(facts, "none", "all", zuid) == zuid
    (['GM0772', 'GM0855'], True)
    >>> group_munis(facts, "region", "Oost") is None
    True
    """
    within = list(facts.munis) if within is None else list(within)
    if group == "all" or by == "rank":
        return within if group == "all" or (group or "").isdigit() else None
    if by == "size_class":
        classes = (group or "").split("+")
        if any(c not in facts.size_order for c in classes):
            return None
        return [m for m in within if facts.size[m] in classes]
    if by == "region":
        if group not in facts.region_order:
            return None
        return [m for m in within if facts.region[m] == group]
    if by in further_attributes(facts):  # another attribute of the codebook, a column of municipalities.csv
        if group not in facts.codebook["attributes"][by]["codes"]:
            return None
        return [m for m in within if facts.columns[m].get(by) == group]
    return None


def further_attributes(facts: Facts) -> dict:
    """{attribute: codes present} of the codebook's attributes other than size class and region
    (a province...), whose values are columns of municipalities.csv.

    Returns
    -------
    dict

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> further_attributes(read_facts(default_data_dir()))
    {}
    """
    out = {}
    for attr, spec in facts.codebook["attributes"].items():
        if attr in ("size_class", "region") or not isinstance(spec, dict):
            continue
        present = {row.get(attr) for row in facts.columns.values()}
        out[attr] = [c for c in (spec.get("codes") or {}) if c in present]
    return out
