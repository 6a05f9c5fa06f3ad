"""Attacks on a published release, made the way a reader with every page and a calculator would
make them: for the end-to-end tests of publishing (issue 19), to run on real published runs.

Nothing here imports the library: the pages are parsed with lxml, the public facts read from the
data folder's municipalities.csv, the names of its interview files and its codebook.yaml. The
pages follow the markup contract of `commissioning.disclosure.audit` (its module docstring).

- `read(pages)`: every count the release publishes, per (selection, variable, unit, by, group,
  codes), from count tables, prose numbers (``cm-num``) and the cells behind statistics
  (``cm-stat`` with ``data-cells``), each with the set of municipalities it counts.
- `subtract(pages)`: every count of a protected group (fewer than `threshold` municipalities or
  interviews) that follows from plain subtraction: a published cell minus another published cell
  of a part of it (the national merged group minus the same on a per-class page), or minus
  several disjoint cells of one table (a total minus the shown groups).
- `enumerate_pvalues(pages, test_fn)`: for every published p-value (``cm-stat`` with
  ``data-stat="table"`` and ``data-measure="p"``) over a merged size group, every split of that
  group into its original classes that fits the public facts and the published cells, the
  p-value `test_fn` gives on each, and how many reproduce the printed value.

Example, in a test of the lead's::

    from tests.disclosure.attacks import enumerate_pvalues, subtract
    assert [r for r in subtract([national, large]) if not r["entailed"]] == []
    results = enumerate_pvalues([national], lambda table: permutation_p(table, seed=2018))
    assert results and not any(r["success"] for r in results)
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from lxml import html as lxml_html

DATA = Path(__file__).resolve().parents[2] / "data"
P_MEASURES = ("p", "p-value", "pvalue")


@dataclass(frozen=True)
class Count:
    """One published count: `k` of the `n` units with a value in `munis` are coded one of `codes`."""

    page: str
    selection: str
    variable: str
    unit: str
    by: str
    group: str
    codes: tuple
    k: int
    n: int
    munis: frozenset
    source: str  # "table", "prose" or "statistic"

    @property
    def quantity(self) -> tuple:
        """What the count counts, whatever page shows it: variable, unit, codes, rank, municipalities."""
        rank = self.group if self.by == "rank" and self.group != "all" else None
        return self.variable, self.unit, tuple(sorted(self.codes)), rank, self.munis


@dataclass
class Facts:
    """The public facts: each municipality's row of municipalities.csv, its interviews, the codebook."""

    rows: dict
    interviews: dict
    codebook: dict

    def units(self, munis, unit: str) -> int:
        """How many units a set of municipalities has at `unit`."""
        return len(munis) if unit == "municipality" else sum(len(self.interviews[m]) for m in munis)

    def protected(self, munis, threshold: int) -> bool:
        """Whether a non-empty group holds fewer than `threshold` municipalities or interviews."""
        return bool(munis) and (len(munis) < threshold or self.units(munis, "interview") < threshold)

    def name(self, munis) -> str:
        """The group's municipalities by the names the study prints."""
        return ", ".join(sorted(self.rows[m]["study_name"] for m in munis))


def read_facts(data_dir=DATA) -> Facts:
    """The public facts of a data folder."""
    data_dir = Path(data_dir)
    with open(data_dir / "municipalities.csv", encoding="utf-8") as f:
        rows = {r["cbs_code"]: r for r in csv.DictReader(f)}
    interviews = {m: sorted(p.name.split(".")[0] for p in (data_dir / "interviews").glob(f"{m}-*.y*ml")) for m in rows}
    codebook = yaml.safe_load((data_dir / "codebook.yaml").read_text(encoding="utf-8"))
    return Facts(rows, interviews, codebook)


def _paths(pages) -> list[Path]:
    items = [pages] if isinstance(pages, (str, Path)) else list(pages)
    return sorted({p for item in map(Path, items) for p in ([item] if item.is_file() else item.rglob("*.html"))})


def _selection_munis(facts: Facts, selection: str) -> list:
    items = [item.split("=", 1) for item in selection.split()]
    return [m for m, r in facts.rows.items() if all(r.get(c) in v.split("+") for c, v in items)]


def _group_munis(facts: Facts, within: list, by: str, group: str) -> frozenset:
    if group == "all" or by == "rank":
        return frozenset(within)
    column = "region" if by == "region" else "size_class"
    return frozenset(m for m in within if facts.rows[m][column] in group.split("+"))


def _has(el, name: str) -> bool:
    return name in (el.get("class") or "").split()


def _attrs(el) -> dict:
    """An element's data-* attributes over its row's and table's (the contract's inheritance)."""
    attrs = {}
    for node in [a for a in el.iterancestors() if a.tag in ("table", "tr")][::-1] + [el]:
        attrs.update({k: v for k, v in node.attrib.items() if k.startswith("data-")})
    return attrs


def _stat_elements(tree) -> list:
    found = [el for el in tree.iter() if isinstance(el.tag, str) and _has(el, "cm-stat")]
    for table in tree.xpath('//table[contains(concat(" ", normalize-space(@class), " "), " cm-stats ")]'):
        for tr in table.xpath("./tbody/tr|./tr"):
            marked = tr.xpath('.//*[contains(@class, "cm-stat") or contains(@class, "cm-num")]')
            if not marked and not _has(tr, "cm-withheld") and tr not in found:
                found.append(tr)
    return found


@dataclass
class Release:
    """Every count and statistic of a release, and the public facts."""

    counts: list
    stats: list
    facts: Facts
    within: dict  # selection -> its municipalities


def _page_counts(tree, name, selection, facts, within) -> tuple[list, list]:
    """The counts and the statistics of one page."""
    counts, stats = [], []

    def add(variable, unit, by, group, codes, k, n, source):
        if None in (variable, unit, group, k, n):
            return
        codes = tuple(codes.split() if isinstance(codes, str) else codes)
        counts.append(Count(name, selection, variable, unit, by or "none", group, codes, int(k), int(n),
                            _group_munis(facts, within, by, group), source))

    for table in tree.xpath('//table[contains(concat(" ", normalize-space(@class), " "), " cm-counts ")]'):
        groups = [th.get("data-group") for th in table.xpath("./thead//th[@data-group]")]
        for tr in table.xpath("./tbody/tr[@data-variable]"):
            for group, td in zip(groups, tr.xpath("./td")):
                if not _has(td, "cm-suppressed") and td.get("data-k") is not None:
                    add(tr.get("data-variable"), table.get("data-unit"), table.get("data-by"), group,
                        tr.get("data-codes", ""), td.get("data-k"), td.get("data-n"), "table")
    for span in tree.xpath('//*[contains(concat(" ", normalize-space(@class), " "), " cm-num ")]'):
        add(span.get("data-variable"), span.get("data-unit"), span.get("data-by"), span.get("data-group"),
            span.get("data-codes", ""), span.get("data-k"), span.get("data-n"), "prose")
    for el in _stat_elements(tree):
        attrs = _attrs(el)
        items = json.loads(attrs["data-cells"]) if attrs.get("data-cells") else []
        for item in items:
            add(item["variable"], item["unit"], item.get("by"), item["group"], item["codes"], item["k"], item["n"],
                "statistic")
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        stats.append({"page": name, "selection": selection, "attrs": attrs, "text": text, "cells": items})
    return counts, stats


def read(pages, data_dir=DATA) -> Release:
    """Every count a release publishes (count tables, prose numbers, the cells behind statistics)
    and every statistic, with each page's selection from its ``<meta name="cm-selection">``."""
    facts = read_facts(data_dir)
    counts, stats, within = [], [], {}
    for path in _paths(pages):
        tree = lxml_html.document_fromstring(path.read_text(encoding="utf-8"))
        meta = tree.xpath('//meta[@name="cm-selection"]')
        selection = " ".join(sorted((meta[0].get("content") or "").split())) if meta else ""
        within.setdefault(selection, _selection_munis(facts, selection))
        name = f"{'/'.join(path.parts[-2:])} ({selection or 'national'})"
        found, found_stats = _page_counts(tree, name, selection, facts, within[selection])
        counts += found
        stats += found_stats
    return Release(counts, stats, facts, within)


def _entailed(same: list, rest: frozenset, facts: Facts, threshold: int) -> bool:
    """Whether a unanimous published count (of `same`, the counts of one quantity's kind) of a
    group of at least `threshold` containing `rest` says it."""
    return any(rest <= c.munis and not facts.protected(c.munis, threshold) and (
        c.k == 0 or (c.k == c.n == facts.units(c.munis, c.unit))) for c in same)


def subtract(pages, data_dir=DATA, threshold: int = 3) -> list[dict]:
    """Every count of a protected group that plain subtraction of published counts gives.

    Returns
    -------
    list of dict
        One per (variable, unit, codes, rank, group): ``variable``, ``unit``, ``codes``, ``rank``,
        ``group`` (the study's names of its municipalities), ``municipalities`` (CBS codes), ``k``,
        ``n`` (units with a value), ``pages`` (the counts subtracted, the whole first), and
        ``entailed`` (a unanimous published count of a group of at least `threshold` says it anyway,
        which the threat model allows).
    """
    release = read(pages, data_dir)
    facts = release.facts
    by_quantity, by_kind = {}, {}
    for c in release.counts:
        if c.quantity not in by_quantity:
            by_quantity[c.quantity] = c
            by_kind.setdefault(c.quantity[:4], []).append(c)
    found = {}

    def record(key, whole, parts):
        rest = whole.munis - frozenset().union(*(p.munis for p in parts))
        if not facts.protected(rest, threshold) or (key, rest) in found:
            return
        found[(key, rest)] = {
            "variable": key[0], "unit": key[1], "codes": key[2], "rank": key[3], "group": facts.name(rest),
            "municipalities": sorted(rest), "k": whole.k - sum(p.k for p in parts), "n": whole.n - sum(p.n for p in parts),
            "pages": [whole.page, *(p.page for p in parts)],
            "entailed": _entailed(by_kind[key[:4]], rest, facts, threshold)}

    for key, whole in by_quantity.items():
        parts = [c for c in by_kind[key[:4]] if c.munis < whole.munis]
        for part in parts:
            record(key, whole, [part])
        tables = {}
        for part in parts:
            tables.setdefault((part.page, part.by), []).append(part)
        for table in tables.values():
            disjoint = [p for p in table if all(not (p.munis & q.munis) for q in table if q is not p)]
            if len(disjoint) > 1:
                record(key, whole, disjoint)
    return sorted(found.values(), key=lambda r: (r["variable"], r["unit"], r["codes"], r["group"]))


def _printed(stat: dict) -> tuple[str, float, int, bool] | None:
    """(text, value, decimals, below) of a printed p-value ("0.598", "0,598", "< 0.001")."""
    text = stat["attrs"].get("data-value") or stat["text"]
    match = re.search(r"(<\s*)?(\d+(?:[.,]\d+)?)", text)
    if not match:
        return None
    number = match.group(2).replace(",", ".")
    decimals = len(number.split(".")[1]) if "." in number else 0
    return text, float(number), decimals, bool(match.group(1))


def matches(p: float, printed) -> bool:
    """Whether a p-value prints as `printed` (`_printed`)."""
    _, value, decimals, below = printed
    return p < value if below else abs(p - value) <= 0.5 * 10 ** -decimals + 1e-12


def _contingency(cells: list) -> pd.DataFrame:
    """The published table: one row per codes (and "(other)" for units with a value in none of
    them), one column per group, in the order of the cells."""
    rows = list(dict.fromkeys(" ".join(c["codes"]) if not isinstance(c["codes"], str) else c["codes"] for c in cells))
    groups = list(dict.fromkeys(c["group"] for c in cells))
    table = pd.DataFrame(0, index=rows, columns=groups)
    totals = {}
    for c in cells:
        codes = " ".join(c["codes"]) if not isinstance(c["codes"], str) else c["codes"]
        table.loc[codes, c["group"]] = c["k"]
        totals[c["group"]] = c["n"]
    other = pd.Series({g: totals[g] - table[g].sum() for g in groups})
    if (other > 0).any():
        table.loc["(other)"] = other
    return table.astype(int)


def _splits(column: pd.Series, capacities: list) -> list:
    """Every way to split a column of counts over classes of the given numbers of units."""
    out = []

    def place(r, parts, used):
        if r == len(column):
            out.append([list(p) for p in parts])
            return
        for combo in itertools.product(*(range(cap - u + 1) for cap, u in zip(capacities, used))):
            if sum(combo) != column.iloc[r]:
                continue
            place(r + 1, [p + [x] for p, x in zip(parts, combo)], [u + x for u, x in zip(used, combo)])

    place(0, [[] for _ in capacities], [0] * len(capacities))
    return out


def _consistent(split: dict, table: pd.DataFrame, known: list, classes_munis: dict) -> bool:
    """Whether a split fits every published count of a union of its classes."""
    for c in known:
        union = [cls for cls, munis in classes_munis.items() if munis <= c.munis]
        if frozenset().union(*(classes_munis[u] for u in union)) != c.munis:
            continue
        rows = [r for r in table.index if r != "(other)" and set(r.split()) <= set(c.codes)]
        if {code for r in rows for code in r.split()} != set(c.codes):
            continue
        k = sum(split[u][table.index.get_loc(r)] for u in union for r in rows)
        n = sum(sum(split[u]) for u in union)
        if k != c.k or n != c.n:
            return False
    return True


def _attack_stat(stat: dict, release: Release, test_fn) -> dict | None:
    """The attack on one printed p-value over a table with merged size groups."""
    facts, printed = release.facts, _printed(stat)
    cells = stat["cells"]
    if printed is None or not cells or {c.get("by") for c in cells} != {"size_class"}:
        return None
    variable, unit = cells[0]["variable"], cells[0]["unit"]
    table = _contingency(cells)
    within = release.within[stat["selection"]]
    order = list(facts.codebook["attributes"]["size_class"]["codes"])
    candidates = [{}]
    for group in [g for g in table.columns if "+" in g]:
        classes = [c for c in order if c in group.split("+")]
        classes_munis = {c: frozenset(m for m in within if facts.rows[m]["size_class"] == c) for c in classes}
        caps = [facts.units(classes_munis[c], unit) for c in classes]
        known = [c for c in release.counts if c.variable == variable and c.unit == unit
                 and c.munis <= frozenset().union(*classes_munis.values()) and c.munis]
        options = []
        for parts in _splits(table[group], caps):
            split = dict(zip(classes, parts))
            if _consistent(split, table, known, classes_munis):
                options.append(split)
        candidates = [dict(a, **{group: b}) for a in candidates for b in options]
    explained = matches(test_fn(table), printed)
    found = []
    for option in candidates:
        columns = {}
        for g in table.columns:
            columns.update(option[g] if g in option else {g: list(table[g])})
        full = pd.DataFrame({g: columns[g] for g in order + list(table.columns) if g in columns}, index=table.index)
        if matches(test_fn(full), printed):
            found.append(full)
    return {"page": stat["page"], "selection": stat["selection"], "variable": variable, "unit": unit,
            "printed": printed[0], "splits": len(candidates), "matching": len(found), "explained": explained,
            "success": 0 < len(found) < len(candidates) and not explained, "tables": found[:20]}


def enumerate_pvalues(pages, test_fn, data_dir=DATA, names=None) -> list[dict]:
    """For each printed p-value over merged size groups, how many splits of the merged groups into
    their classes reproduce it.

    Parameters
    ----------
    pages : path or list of paths
        Folders or pages of the release.
    test_fn : callable
        DataFrame (rows: codes, columns: groups, values: counts) -> p-value: the test as the
        library computes it (for the lead's tests: its permutation test with the published seed).
    names : tuple of str, optional
        Only pages whose file name starts with one of these (e.g. ``("02", "06")``).

    Returns
    -------
    list of dict
        One per p-value: ``page``, ``selection``, ``variable``, ``unit``, ``printed``, ``splits``
        (of the merged groups, consistent with the public facts and every published count of a
        union of their classes), ``matching`` (splits whose table gives the printed value),
        ``explained`` (the published table itself gives it), ``success`` (0 < matching < splits
        and not explained: the p-value tells which splits are possible), ``tables`` (up to 20
        matching tables). An empty list means no p-value was found: a test should assert it is not.
    """
    release = read(pages, data_dir)
    out = []
    for stat in release.stats:
        file = stat["page"].split(" (")[0].split("/")[-1]
        if stat["attrs"].get("data-stat") != "table" or stat["attrs"].get("data-measure") not in P_MEASURES:
            continue
        if names and not file.startswith(tuple(names)):
            continue
        result = _attack_stat(stat, release, test_fn)
        if result is not None:
            out.append(result)
    return out
