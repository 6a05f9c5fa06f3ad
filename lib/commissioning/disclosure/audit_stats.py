"""The auditor's reading of published statistics: every element with the class ``cm-stat`` (and
every body row of a ``<table class="cm-stats">``), by kind (``data-stat``):

- ``table``: a function of a table of counts only (a test of association, an effect size, an
  interval, a difference or a rank of shares); ``data-cells`` lists the count cells it is computed
  from, and each is checked and solved as a published cell (`stat_cells`);
- ``resample``: a bootstrap over the units of one group (``data-variables``, ``data-unit``,
  ``data-by``, ``data-group``): the group must hold at least the threshold of municipalities and
  of respondents, and no block of it may be suppressed elsewhere in the release;
- ``within``: how often respondents of one municipality differ (``data-variables``,
  ``data-group``, ``data-municipalities``, ``data-k`` pairs that differ of ``data-n``): the
  municipalities pooled must be at least the threshold, and ``k`` neither 0 nor ``n``;
- ``units``: a statistic over the units of one group that are no counts of it (the agreement of
  coders over the interviews coded twice; ``data-variables``, ``data-group``, ``data-n`` units):
  the group must hold at least the threshold of municipalities, and ``n`` be at least the threshold;
- ``joint``: a count of the units of a group with a configuration of several variables (a row of a
  QCA truth table; ``data-variables``, ``data-group``, ``data-n``): the group must hold at least
  the threshold of municipalities, and ``n`` be 0 or at least the threshold.

An attribute missing on a statistic is taken from its row and then its table (so a
``cm-stats`` table may state ``data-stat`` once).

Part of the independent auditor (`commissioning.disclosure.audit`); it shares no code with the
disclosure engine.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .audit_facts import Facts, group_munis
from .audit_pages import Cell, class_xpath, has_class

STAT_KINDS = ("table", "resample", "within", "units", "joint")
_MARKED = ("cm-stat", "cm-num")


@dataclass(frozen=True)
class Stat:
    """One published statistic: its kind, what it shows (shortened) and its ``data-*``
    attributes (its own, else its row's and its table's).

    Examples
    --------
    >>> stat = Stat("en/06.html (national)", "", "within", "0.25", {"data-k": "1"})
    >>> stat.describe()
    "en/06.html (national): the statistic '0.25' (within)"
    """

    page: str
    selection: str
    kind: str | None
    text: str
    attrs: dict

    def describe(self) -> str:
        """How a message names the statistic: its page, what it shows, its kind.

        Returns
        -------
        str

        Examples
        --------
        >>> Stat("en/02.html (national)", "", "table", "p = 0.598", {}).describe()
        "en/02.html (national): the statistic 'p = 0.598' (table)"
        """
        return f"{self.page}: the statistic {self.text!r} ({self.kind or 'no data-stat'})"


def stat_elements(tree) -> list:
    """Every statistic of a page: each element with the class ``cm-stat``, and each body row of a
    ``cm-stats`` table that is not withheld (``cm-withheld``) and holds no marked element.

    Returns
    -------
    list of lxml elements
        In page order.

    Examples
    --------
    >>> from lxml import html
    >>> page = html.document_fromstring(
    ...     '<table class="cm-stats" data-stat="table"><tbody><tr><th>Design</th><td>0.598</td></tr>'
    ...     '<tr class="cm-withheld"><th>Execution</th><td>withheld</td></tr></tbody></table>'
    ...     '<p>V = <span class="cm-stat" data-stat="table">0.43</span></p>')
    >>> [el.tag for el in stat_elements(page)]
    ['tr', 'span']
    """
    found = set(tree.xpath(f"//*[{class_xpath('cm-stat')}]"))
    for table in tree.xpath(f"//table[{class_xpath('cm-stats')}]"):
        for tr in table.xpath("./tbody/tr|./tr"):
            marked = any(tr.xpath(f".//*[{class_xpath(c)}]") for c in _MARKED)
            if not has_class(tr, "cm-withheld") and not marked:
                found.add(tr)
    return [el for el in tree.iter() if el in found]


def _attrs(el) -> dict:
    """The element's data-* attributes, over its row's and its table's."""
    attrs = {}
    chain = [a for a in el.iterancestors() if a.tag in ("table", "tr")][::-1] + [el]
    for node in chain:
        attrs.update({k: v for k, v in node.attrib.items() if k.startswith("data-")})
    return attrs


def parse_stats(tree, page: str, selection: str = "") -> list[Stat]:
    """Every statistic of the page (`stat_elements`).

    Returns
    -------
    list of Stat

    Examples
    --------
    >>> from lxml import html
    >>> page = html.document_fromstring(
    ...     '<p>p = <span class="cm-stat" data-stat="table" data-cells="[]">0.32</span></p>')
    >>> [(s.kind, s.text) for s in parse_stats(page, "en/06.html")]
    [('table', '0.32')]
    """
    stats = []
    for el in stat_elements(tree):
        attrs = _attrs(el)
        text = re.sub(r"\s+", " ", el.text_content()).strip()
        stats.append(Stat(page, selection, attrs.get("data-stat"), text[:57] + "..." if len(text) > 60 else text,
                          attrs))
    return stats


def stat_cells(stat: Stat) -> tuple[list[Cell], list[str]]:
    """The count cells a statistic of kind "table" is computed from (``data-cells``), as published
    cells of its page.

    Returns
    -------
    tuple
        (cells, problems): a problem when ``data-cells`` is missing or cannot be read.

    Examples
    --------
    >>> cells = ('[{"variable": "sourcing.design", "unit": "municipality", "by": "size_class", '
    ...          '"group": "very_large", "codes": ["mixed"], "k": 2, "n": 2}]')
    >>> found, problems = stat_cells(Stat("en/06.html", "", "table", "0.32", {"data-cells": cells}))
    >>> found[0].group, found[0].k, found[0].origin, problems
    ('very_large', 2, "a cell of the statistic '0.32'", [])
    >>> stat_cells(Stat("en/06.html", "", "table", "0.32", {}))[1]
    ["en/06.html: the statistic '0.32' (table) does not say which count cells it is computed from (data-cells)"]
    """
    raw = stat.attrs.get("data-cells")
    if raw is None:
        return [], [f"{stat.describe()} does not say which count cells it is computed from (data-cells)"]
    try:
        items = json.loads(raw)
        cells = []
        for item in items:
            codes = item["codes"].split() if isinstance(item["codes"], str) else [str(c) for c in item["codes"]]
            k, n = item["k"], item["n"]
            if not (isinstance(k, int) and isinstance(n, int)):
                raise ValueError("k and n must be whole numbers")
            cells.append(Cell(stat.page, str(item["variable"]), str(item["unit"]), str(item.get("by") or "none"),
                              str(item["group"]), tuple(codes), k, n, stat.selection,
                              f"a cell of the statistic {stat.text!r}"))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return [], [f"{stat.describe()}: data-cells cannot be read ({exc.__class__.__name__}: {exc}); "
                    "allowed: a JSON list of {\"variable\", \"unit\", \"by\", \"group\", \"codes\", \"k\", \"n\"}"]
    return cells, []


def _infer_by(facts: Facts, group: str | None) -> str:
    """The grouping of a group code: a size class (or merged classes), a region, or none."""
    if group and all(c in facts.size_order for c in group.split("+")):
        return "size_class"
    return "region" if group in facts.region_order else "none"


def _group(stat: Stat, facts: Facts, within, problems: list):
    """The statistic's group of municipalities within the page's selection, or None (a problem)."""
    group = stat.attrs.get("data-group")
    by = stat.attrs.get("data-by") or _infer_by(facts, group)
    munis = group_munis(facts, by, group, within)
    if munis is None:
        problems.append(f"{stat.describe()}: {by} group {group!r} is not a group of the page's selection")
    return munis


def _variables(stat: Stat, facts: Facts, problems: list) -> list:
    """The statistic's variables (``data-variables``), each checked against the codebook."""
    variables = (stat.attrs.get("data-variables") or "").split()
    if not variables:
        problems.append(f"{stat.describe()} does not name its variables (data-variables)")
    for v in variables:
        if v not in facts.codebook["variables"]:
            problems.append(f"{stat.describe()}: {v!r} is not a variable of the codebook")
    return [v for v in variables if v in facts.codebook["variables"]]


def _check_resample(stat, facts, threshold, within, suppressed, problems):
    """A bootstrap: its group at least the threshold, no block of it suppressed in the release."""
    variables = _variables(stat, facts, problems)
    munis = _group(stat, facts, within, problems)
    if munis is None:
        return
    itv = facts.units("interview", munis)
    if len(munis) < threshold or len(itv) < threshold:
        problems.append(f"{stat.describe()}: a resample over {len(munis)} municipalities and {len(itv)} interviews, "
                        f"fewer than {threshold}")
    unit = stat.attrs.get("data-unit") or "municipality"
    for v in variables:
        hidden = suppressed.get((v, unit, frozenset(munis), None))
        if hidden:
            problems.append(f"{stat.describe()}: it resamples the units of a block of {v} ({unit}) that {hidden} "
                            "suppresses")


def _check_within(stat, facts, threshold, within, problems):
    """How often respondents of one municipality differ: enough municipalities, not all-or-none."""
    _variables(stat, facts, problems)
    munis = _group(stat, facts, within, problems)
    if munis is None:
        return
    several = [m for m in munis if len(facts.interviews[m]) > 1]
    raw = (stat.attrs.get("data-municipalities") or "").split()
    k, n = stat.attrs.get("data-k", ""), stat.attrs.get("data-n", "")
    if len(raw) == 1 and raw[0].isdigit():
        count = int(raw[0])
    elif raw and all(m in facts.columns for m in raw):
        count = len(set(raw))
        if set(raw) - set(several):
            stray = ", ".join(sorted(set(raw) - set(several)))
            problems.append(f"{stat.describe()}: pools {stray}, not municipalities of its group with several respondents")
    else:
        problems.append(f"{stat.describe()}: data-municipalities {' '.join(raw)!r} is neither a number nor CBS codes")
        return
    if count > len(several):
        problems.append(f"{stat.describe()}: pools {count} municipalities with several respondents, but its group "
                        f"has {len(several)}")
    if count < threshold:
        problems.append(f"{stat.describe()}: pools {count} municipalities with several respondents, fewer than "
                        f"{threshold}")
    if not (k.isdigit() and n.isdigit()):
        problems.append(f"{stat.describe()}: data-k {k!r} and data-n {n!r} must be whole numbers")
    elif int(n) > 0 and int(k) in (0, int(n)):
        problems.append(f"{stat.describe()}: {k} of {n} pairs of respondents differ, which says of each of the "
                        f"{count} municipalities that its respondents {'all agree' if k == '0' else 'all differ'}")


def _check_counted(stat, facts, threshold, within, problems, *, zero_allowed: bool):
    """A statistic over `data-n` units of a group (agreement, a configuration): enough of each."""
    _variables(stat, facts, problems)
    munis = _group(stat, facts, within, problems)
    if munis is None:
        return
    if len(munis) < threshold:
        problems.append(f"{stat.describe()}: its group holds {len(munis)} municipalities, fewer than {threshold}")
    n = stat.attrs.get("data-n", "")
    if not n.isdigit():
        problems.append(f"{stat.describe()}: data-n {n!r} must be a whole number")
    elif int(n) < threshold and not (zero_allowed and int(n) == 0):
        problems.append(f"{stat.describe()}: it rests on {n} units, fewer than {threshold}")


def check_stat(stat: Stat, facts: Facts, threshold: int, within, suppressed: dict) -> list[str]:
    """The problems of a statistic of kind "resample" or "within", or of an unknown kind (one of
    kind "table" is checked through its cells, `stat_cells`).

    Parameters
    ----------
    stat : Stat
        The statistic.
    facts : Facts
        The public facts.
    threshold : int
        The smallest group a reader may learn anything exact about.
    within : list
        The municipalities of the page's selection.
    suppressed : dict
        (variable, unit, frozenset of municipalities, rank or None) -> the page that suppresses that block.

    Returns
    -------
    list of str
        Empty when the statistic is safe.

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> stat = Stat("en/03.html (national)", "", "within", "0 of 6 pairs", {
    ...     "data-variables": "organisation.model", "data-group": "all", "data-municipalities": "5",
    ...     "data-k": "0", "data-n": "6"})
    >>> for problem in check_stat(stat, facts, 3, facts.munis, {}):
    ...     print(problem)
    en/03.html (national): the statistic '0 of 6 pairs' (within): 0 of 6 pairs of respondents differ, which says of each of the 5 municipalities that its respondents all agree
    >>> check_stat(Stat("en/03.html", "", "mean", "2.5", {}), facts, 3, facts.munis, {})
    ["en/03.html: the statistic '2.5' (mean) is a statistic the auditor cannot read: data-stat must be one of table, resample, within, units, joint"]
    """
    problems: list = []
    if stat.kind == "resample":
        _check_resample(stat, facts, threshold, within, suppressed, problems)
    elif stat.kind == "within":
        _check_within(stat, facts, threshold, within, problems)
    elif stat.kind in ("units", "joint"):
        _check_counted(stat, facts, threshold, within, problems, zero_allowed=stat.kind == "joint")
    elif stat.kind != "table":
        problems.append(f"{stat.describe()} is a statistic the auditor cannot read: data-stat must be one of "
                        f"{', '.join(STAT_KINDS)}")
    return problems
