"""An independent auditor of published reports: what can a reader work out from every page?

It shares no code with the library's disclosure engine (`commissioning.disclosure.protection`): it parses
the published HTML with lxml, reads the public facts itself (data/municipalities.csv, the number
of interview files per municipality, the codebook), and solves its own integer programs
(`scipy.optimize.milp`) with one unknown per unit and code, not per group of interchangeable units.

The reader (the threat model of the README, "Publishing") has every page of a run and Table 1's
public facts. The auditor reads, from every page:

- every cell of every ``<table class="cm-counts" data-unit=".." data-by="..">``: a row
  ``<tr data-variable=".." data-codes="a b">`` holds one ``<td data-k=".." data-n="..">`` per
  column ``<th data-group="..">`` (a group code: "all", a size class or merged classes joined by
  "+", a region, a rank "1".."3"); a cell with class ``cm-suppressed`` shows nothing;
- every number in prose marked up as ``<span class="cm-num" data-variable data-unit data-by
  data-group data-codes data-k data-n>``.

Each cell is a linear equation: the number of units of the group coded one of `codes` is `k`,
and `n` of them have a value (for a ranked set: the mentions of the codes, and all mentions).
Equal quantities on several pages are one equation (different values are a problem). Then it
checks three things, and `audit` returns every failure as a problem:

1. **No protected value is determined.** A protected value is the count of one code (or of
   "no value") in a group a reader can name from Table 1 with fewer than `threshold`
   municipalities or fewer than `threshold` respondents: each municipality (its value, and the
   count over its interviews), each interview, and each size class, region and region x size
   class cell below the threshold (at both units; for a ranked set the mentions, per interview).
   Its range over every integer solution of all published equations must hold two values or
   more, unless the value is *entailed* by a unanimous published cell (0, or all units of a
   group of at least `threshold` units: "all 18 invest in public space" fixes each one).
2. **No shown cell rests on fewer than `threshold` units.** The group of every cell shown
   (not suppressed) must hold at least `threshold` municipalities and, at the interview unit,
   at least `threshold` interviews (by Table 1); and its `data-n` (units with a value) must be
   0 or at least `threshold` (not checked for a ranked set, whose n counts mentions).
3. **No sentence names a protected group with a number or an all/none word.** Prose is the
   text outside tables, per sentence, on every page in both languages. Protected names are
   every municipality's names and the labels (en, nl, Dutch inflections) of each size class and
   region below the threshold; a region x size class cell below it counts when both labels occur
   in one sentence. Labels of merged groups shown (e.g. "Large and very large") are taken out
   first. Not prose: a claim's paraphrase whose evidence is withheld (an element with class
   ``cm-claim`` that is or contains an element with class ``cm-withheld``), the disclosure log
   (``cm-disclosure-log``), text marked as Table 1's public facts (``cm-public``), and the
   citation of the study ("TU Delft").

Modelling choices, the same as the library's: a variable coded per municipality has one value
per municipality, shared by its interviews; a variable coded per interview has a value per
interview, and the value of a municipality with one interview is that interview's, while a
municipality with several has a value of its own (a median or mode, which is not linear, is not
linked to its interviews).

The auditor is made of `audit_facts` (the public facts and the groups a reader can name),
`audit_pages` (the cells and prose of the pages), `audit_prose` (the check of prose) and
`audit_model` (the integer programs); every name is importable from here.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from lxml import html as lxml_html

from .audit_facts import Facts, _group_munis, protected_groups, read_facts
from .audit_model import NA, Model
from .audit_pages import BLOCKS, NOT_PROSE_CLASSES, Cell, _has_class, _pages, parse_cells, prose_sentences
from .audit_prose import ALL_NONE_WORDS, CITATION, _inflections, _label_pattern, _merged_label, check_prose, protected_names

__all__ = [  # the auditor's names, from the modules it is made of
    "ALL_NONE_WORDS", "AuditResult", "BLOCKS", "CITATION", "Cell", "Facts", "Model", "NA", "NOT_PROSE_CLASSES",
    "_group_munis", "_has_class", "_inflections", "_label_pattern", "_merged_label", "_pages", "audit", "check_prose",
    "parse_cells", "prose_sentences", "protected_groups", "protected_names", "read_facts",
]


@dataclass
class AuditResult:
    """What the audit found: how many protected values it checked, the fewest values any of them
    not entailed can take, and every problem (empty when the pages are safe).

    Examples
    --------
    >>> AuditResult(171, 2)
    AuditResult(protected_cells=171, narrowest_range=2, problems=[], seconds=0.0, cells=0, pages=0)
    """

    protected_cells: int
    narrowest_range: int | None
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    cells: int = 0
    pages: int = 0


def _read_pages(pages) -> tuple[list, list, set]:
    """(trees [(name, tree)], cells, merged size classes shown) of the published pages."""
    cells, merged, trees = [], set(), []
    for path in pages:
        tree = lxml_html.document_fromstring(path.read_text(encoding="utf-8"))
        name = "/".join(path.parts[-2:])
        trees.append((name, tree))
        found = parse_cells(tree, name)
        cells += found
        merged |= {tuple(c.group.split("+")) for c in found if c.by == "size_class" and "+" in (c.group or "")}
    return trees, cells, merged


def _cell_model(cell: Cell, facts: Facts, models: dict, problems: list, where_text: str):
    """(model, group's municipalities) of a shown cell, or None when the cell names no variable or
    group of the selection (a problem) or is suppressed."""
    variables = facts.codebook["variables"]
    if cell.variable not in variables:
        problems.append(f"{where_text}: not a variable of the codebook")
        return None
    spec = variables[cell.variable]
    munis = _group_munis(facts, cell.by, cell.group)
    if munis is None:
        problems.append(f"{where_text}: not a group of the selection")
        return None
    if cell.k is None:
        return None
    model = models.get(cell.variable)
    if model is None:
        model = models[cell.variable] = Model(facts, cell.variable, spec)
    return model, munis


def _add_cell(cell: Cell, facts: Facts, threshold: int, models: dict, problems: list):
    """Check one published cell (its group and its units with a value against the threshold) and
    add its equations, and what a unanimous cell of a large group says, to its variable's model."""
    where_text = f"{cell.page}: {cell.variable} {cell.unit} by {cell.by} group {cell.group!r} codes {' '.join(cell.codes)}"
    found = _cell_model(cell, facts, models, problems, where_text)
    if found is None:
        return
    model, munis = found
    unit = "interview" if model.ranked else cell.unit
    if unit not in ("municipality", "interview"):
        problems.append(f"{where_text}: unknown unit")
        return
    n_munis, n_itv = len(munis), len(facts.units("interview", munis))
    if n_munis < threshold or (unit == "interview" and n_itv < threshold):
        problems.append(f"{where_text}: a shown cell rests on {n_munis} municipalities and {n_itv} interviews, "
                        f"fewer than {threshold}")
    if not model.ranked and 0 < cell.n < threshold:
        problems.append(f"{where_text}: a shown cell rests on {cell.n} units with a value, fewer than {threshold}")
    bad = [c for c in cell.codes if c not in model.codes]
    if bad or not cell.codes:
        problems.append(f"{where_text}: codes {bad or '(none)'} are not codes of the variable")
        return
    cats = [model.codes.index(c) for c in cell.codes]
    slots = model.members(unit, munis)
    ranks = [int(cell.group) - 1] if cell.by == "rank" and cell.group != "all" else list(range(model.R))
    real = list(range(model.K - 1))
    key = (unit, tuple(sorted(slots)), tuple(ranks))
    model.add((*key, tuple(sorted(cats))), model.row(slots, ranks, cats), cell.k, problems, where_text)
    model.add((*key, "n"), model.row(slots, ranks, real), cell.n, problems, where_text)
    units = len(slots) if not model.ranked else len(set(slots))
    if n_munis >= threshold and (unit == "municipality" or n_itv >= threshold):
        model.unanimous(slots, ranks, cats, cell.k, cell.n, units, model.ranked and len(ranks) == model.R)


def _candidates(model: Model, groups: list) -> tuple[list, int]:
    """(protected values of one variable not entailed [(width seen, kind, name, unit, category,
    quantity)], narrowest first; how many protected values there are)."""
    cats = range(model.K - 1) if model.ranked else range(model.K)
    candidates, protected = [], 0
    for kind, name, unit, members in groups:
        if unit not in model.slot or (model.ranked and unit == "municipality"):
            continue
        munis = [m for m in members if m in model.slot["municipality"]] if unit == "municipality" else members
        slots = [model.slot[unit][u] for u in munis if u in model.slot[unit]]
        if not slots:
            continue
        for c in cats:
            protected += 1
            if model.settled(slots, c):
                continue  # entailed by a unanimous cell of a large group
            f = model.row(slots, range(model.R), [c])
            values = model.matrix() @ f
            width = int(round(values.max() - values.min())) + 1
            candidates.append((width, kind, name, unit, c, f))
    candidates.sort(key=lambda t: t[0])
    return candidates, protected


def _ranges(model: Model, var_id: str, candidates: list, narrowest, problems: list):
    """Solve for the range of each candidate that could be determined or lower the narrowest range
    (a problem when one is determined); returns the narrowest range so far."""
    for _, kind, name, unit, c, f in candidates:
        values = model.matrix() @ f
        seen = int(round(values.max() - values.min())) + 1
        if seen > 1 and narrowest is not None and seen >= narrowest:
            continue  # two values or more, and it cannot lower the narrowest range
        value = int(round(values[0]))
        lo = model.solve(f)
        hi = model.solve(-f) if lo is None or narrowest is None or narrowest > 2 or round(f @ lo) == value else None
        if lo is None or (hi is None and narrowest is None):
            problems.append(f"{var_id}: no solution for the range of {model.cats[c]!r} in {kind} {name} ({unit})")
            continue
        values = model.matrix() @ f
        low = int(round(f @ lo))
        high = int(round(f @ hi)) if hi is not None else int(round(values.max()))
        exact = high - low + 1
        if exact <= 1:
            problems.append(f"{var_id}: the count of {model.cats[c]!r} in {kind} {name} ({unit}) is determined: "
                            f"{low}")
        if hi is not None:
            narrowest = exact if narrowest is None else min(narrowest, exact)
    return narrowest


def _attack(models: dict, groups: list, seeds: int, problems: list) -> tuple[int, int | None]:
    """(protected values checked, narrowest range) over every variable's model: a few solutions
    with random objectives first, then an integer program per value that could be determined."""
    protected = 0
    narrowest = None
    rng = np.random.default_rng(0)
    for var_id, model in models.items():
        if model.solve(np.zeros(model.n)) is None:
            problems.append(f"{var_id}: the published numbers contradict each other (no solution)")
            continue
        for _ in range(seeds):
            model.solve(rng.integers(-5, 6, size=model.n).astype(float))
        candidates, checked = _candidates(model, groups)
        protected += checked
        narrowest = _ranges(model, var_id, candidates, narrowest, problems)
    return protected, narrowest


def audit(report_dir, data_dir, threshold: int = 3, *, where: dict | None = None, seeds: int = 8) -> AuditResult:
    """Attack the published pages under `report_dir` (a folder, or a list of folders read together).

    Parameters
    ----------
    report_dir : path or list of paths
        Folders whose ``*.html`` files (at any depth) are one publication.
    data_dir : path
        The data directory, for the public facts (municipalities.csv, interview files, codebook).
    threshold : int
        The smallest group a reader may learn anything exact about.
    where : dict, optional
        The run's selection ({"region": ..., "size_class": ...}) when it was filtered.
    seeds : int
        Solutions with random objectives found per variable before the integer program of each
        protected value (most values are shown to vary by them alone).

    Returns
    -------
    AuditResult
        The protected values checked, the narrowest range found, every problem (the module's
        three checks), the seconds taken, and the numbers of cells and pages read.

    Raises
    ------
    DataError
        When municipalities.csv or codebook.yaml is missing or not valid (`read_facts`).

    Examples
    --------
    A page whose prose names Rotterdam with an all/none word, and a table of the whole selection:

    >>> import tempfile
    >>> from pathlib import Path
    >>> from commissioning.data.files import default_data_dir
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = Path(folder, "en", "05.html")
    ...     page.parent.mkdir()
    ...     _ = page.write_text(
    ...         '<html><body><p>Rotterdam outsources all of it.</p>'
    ...         '<table class="cm-counts" data-unit="municipality" data-by="None"><thead><tr><th></th>'
    ...         '<th data-group="all">All</th></tr></thead><tbody>'
    ...         '<tr data-variable="procurement.central_unit" data-codes="yes"><th>Central unit</th>'
    ...         '<td data-k="8" data-n="18">8/18</td></tr></tbody></table></body></html>', encoding="utf-8")
    ...     result = audit(folder, default_data_dir())
    >>> result.cells, result.pages, result.protected_cells, result.narrowest_range
    (1, 1, 171, 2)
    >>> result.problems
    ["en/05.html: the sentence 'Rotterdam outsources all of it.' names Rotterdam (a group below the threshold) with a number or an all/none word"]
    """
    start = time.perf_counter()
    facts = read_facts(data_dir, where)
    pages = _pages(report_dir)
    problems = []
    trees, cells, merged = _read_pages(pages)
    for name, tree in trees:  # a merged group shown anywhere: its label names no protected group
        problems += check_prose(prose_sentences(tree), name, facts, threshold, merged)
    models: dict = {}
    for cell in cells:
        _add_cell(cell, facts, threshold, models, problems)
    protected, narrowest = _attack(models, protected_groups(facts, threshold), seeds, problems)
    return AuditResult(protected, narrowest, problems, round(time.perf_counter() - start, 2), len(cells), len(pages))
