"""An independent auditor of a published release: what can a reader work out from every page of
every run?

It shares no code with the library's disclosure engine (`commissioning.disclosure.protection`): it
parses the published HTML with lxml, reads the public facts itself (data/municipalities.csv, the
names of the interview files, the codebook), and solves its own integer programs
(`scipy.optimize.milp`) with one unknown per unit and code.

The reader (the threat model of the README, "Publishing") has every page of every run of a
release -- every published run over one data folder: national, per region, per size group, in
both languages -- and Table 1's public facts.

The markup contract
-------------------
*Page.* In ``<head>``: ``<meta name="cm-publish" content="yes">``; ``<meta name="cm-selection"
content="">`` for the national run, else space-separated ``column=value`` items of
municipalities.csv, values of one column joined by "+" (``region=Zuid``,
``size_class=large+very_large``, ``region=Zuid size_class=small``); ``<meta name="cm-threshold"
content="3">``; ``<meta name="cm-fingerprint" content="...">``. A page without cm-selection is
the national run (or the `where` of an old caller); the others are required. Every page read is
a page of the release, the index and the disclosure log too when their folder is given (so they
carry the metadata, and their tables a class). Group codes are relative to the page's selection:
on a ``region=Zuid`` page "all" is Zuid and "small" is Zuid's small municipalities. A merged
size group is its classes joined by "+" ("large+very_large").

*Counts.* ``<table class="cm-counts" data-unit=".." data-by="..">`` (by "none", "size_class",
"region" or "rank"): a column header ``<th data-group="..">`` per group; a body row ``<tr
data-variable=".." data-codes="a b">``; per group a ``<td data-k=".." data-n="..">`` (k units
coded one of the codes, of n units with a value; for a ranked set mentions) or a
``<td class="cm-suppressed">`` showing no digit. In prose, ``<span class="cm-num" data-variable
data-unit data-by data-group data-codes data-k data-n>``.

*Statistics* (`audit_stats`). An element with the class ``cm-stat`` (a ``td``, a ``span``, a
``tr`` covering its cells), and each body row of a ``<table class="cm-stats">`` that holds no
marked element and is not withheld (``cm-withheld``); an attribute it lacks is taken from its row,
then its table. ``data-stat`` is one of:

- ``table``, any function of a table of counts only (a test, an effect size, an interval, a
  difference or a rank of shares): ``data-cells``, a JSON list of the count cells it is computed
  from, each ``{"variable", "unit", "by", "group", "codes": [..], "k", "n"}`` relative to the
  page's selection. Each is checked and solved as a shown cell of the page.
- ``resample``, a bootstrap over the units of a group: ``data-variables`` (space-separated),
  ``data-unit``, ``data-by``, ``data-group``.
- ``within``, how often respondents of one municipality differ: ``data-variables``,
  ``data-group`` (``data-by`` optional), ``data-municipalities`` (how many municipalities with
  several respondents it pools, or their CBS codes), ``data-k`` (pairs that differ), ``data-n``
  (pairs).

Optional, read by the attacks of the tests (tests/disclosure/attacks.py), not by the auditor:
``data-measure="p"`` on a p-value and ``data-value`` (the value as printed).

*Tables* (`audit_tables`). Every ``<table>`` carries one of ``cm-counts``, ``cm-stats``,
``cm-claims`` (the claims: rows ``tr.cm-claim``, withheld rows ``cm-withheld``, numbers marked
``cm-num`` or ``cm-stat``), ``cm-text`` (no digit), ``cm-public`` (Table 1's facts, the study's
own Table 2) or ``cm-meta`` (the run's own facts, e.g. the index's table of runs). In a
statistics or claims table, a digit outside a marked element (``cm-num``, ``cm-stat``,
``cm-public``, ``cm-meta``, ``cm-study``) is allowed only in a row that is a statistic itself, and
in the header (``thead``). A phrase that cites the threshold ("fewer than 3", "minder dan 3", "at
least 3") is no number, in tables and in prose.

*Not prose.* Elements with the class ``cm-public``, ``cm-meta`` (the run's own facts:
parameters, threshold, version, fingerprint, imputed share, reconstructions drawn),
``cm-study`` (a figure the study itself printed, e.g. "21%"), ``cm-disclosure-log``, a claim
whose evidence is withheld (``cm-claim`` that is or holds ``cm-withheld``), and the study's
citation ("TU Delft"). Prose is the text outside tables, with every table's ``<caption>``, the
cells of a text table, the shown rows of a claims table and every ``<img alt>``.

What it checks
--------------
1. **The release belongs together.** Every page says ``cm-publish`` "yes" and states the same
   threshold and data fingerprint (`audit_release`).
2. **Every table and statistic can be read** (`audit_tables`, `audit_stats`).
3. **No shown cell rests on fewer than `threshold` units.** The group of every shown cell --
   of a count table, a prose number, or a statistic's ``data-cells`` -- within its page's
   selection holds at least `threshold` municipalities and, at the interview unit, interviews;
   its ``data-n`` is 0 or at least `threshold` (not for a ranked set). A resample's group holds
   at least `threshold` municipalities and respondents; a "within" statistic pools at least
   `threshold` municipalities and is not all-or-none (k neither 0 nor n).
4. **No block is suppressed on one page and shown on another** (a group's cells of one variable
   at one unit), nor resampled.
5. **No protected value is determined.** Each cell is two linear equations (its count and its
   units with a value) in one unknown per unit and code; the same quantity on several pages is
   one equation, and different values for it are a problem. A protected value is the count of one
   code (or of "no value") in a group a reader can name from Table 1 with fewer than `threshold`
   municipalities or respondents (each municipality, its interviews, each interview, each size
   class, region and region x size class cell below the threshold), or in a shown group within a
   page's selection below it. Its range over every integer solution must hold two values or more,
   unless it is *entailed* by a unanimous cell of a group of at least `threshold` units. A
   determined value is reported with the pages whose cells together fix it: a smallest set found
   by solving again with one page's equations dropped at a time (`audit_check.explain`).
6. **No sentence names a protected group with a number or an all/none word** (`audit_prose`),
   sentence by sentence. A name is a municipality's or a region's (with its capitals), or a
   size-class label used as the name of a group (rules a-i of `audit_prose`: "small
   municipalities", "Small:", "in the small class", not "a large share"); a shown group names its
   municipalities within the page's selection. On a page whose selection is itself below the
   threshold, any such sentence is a problem.
7. **The release is not empty.**

Every problem begins with the page it is on (or that completes it).

Modelling choices, the same as the library's: a variable coded per municipality has one value
per municipality, shared by its interviews; a variable coded per interview has a value per
interview, and the value of a municipality with one interview is that interview's, while a
municipality with several has a value of its own (a median or mode is not linear, so it is not
linked to its interviews).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .audit_check import add_cell, attack, check_blocks, shown_groups
from .audit_facts import protected_groups, read_facts
from .audit_pages import parse_cells, prose_sentences
from .audit_prose import check_prose
from .audit_release import read_release, runs
from .audit_stats import check_stat, parse_stats, stat_cells
from .audit_tables import check_tables

__all__ = ["AuditResult", "audit", "summary"]


@dataclass
class AuditResult:
    """What the audit found.

    Attributes
    ----------
    protected_cells : int
        The protected values checked.
    narrowest_range : int or None
        The fewest values any protected value not entailed can take (None: none was solved for).
    problems : list of str
        Every problem, each naming its page; empty when the release is safe.
    seconds : float
        Time taken.
    cells, statistics : int
        Published cells (with the cells behind statistics) and statistics read.
    pages, runs : list of str
        The pages read, and the runs (selections) they belong to.

    Examples
    --------
    >>> AuditResult(171, 2)
    AuditResult(protected_cells=171, narrowest_range=2, problems=[], seconds=0.0, cells=0, pages=[], runs=[], statistics=0)
    """

    protected_cells: int
    narrowest_range: int | None
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    cells: int = 0
    pages: list = field(default_factory=list)
    runs: list = field(default_factory=list)
    statistics: int = 0


def _read(pages: list, facts, threshold: int, within: dict, problems: list) -> tuple[list, list]:
    """Every page's cells and statistics, with the problems of its tables, statistics and prose."""
    cells, stats = [], []
    for page in pages:
        page.cells = parse_cells(page.tree, page.name, page.selection)
        cells += page.cells
        problems += check_tables(page.tree, page.name, threshold)
        for stat in parse_stats(page.tree, page.name, page.selection):
            stats.append(stat)
            if stat.kind == "table":
                found, bad = stat_cells(stat)
                cells += found
                problems += bad
    merged = {tuple(c.group.split("+")) for c in cells if c.by == "size_class" and "+" in (c.group or "")}
    merged |= {tuple(item.split("=")[1].split("+")) for p in pages for item in p.selection.split()
               if item.startswith("size_class=") and "+" in item}
    for page in pages:
        problems += check_prose(prose_sentences(page.tree), page.name, facts, threshold, merged,
                                within[page.selection])
    return cells, stats


def audit(report_dirs, data_dir, threshold: int | None = None, *, where: dict | None = None,
          fingerprint: str | None = None, seeds: int = 8, explain: int = 3000) -> AuditResult:
    """Attack the published pages of a release: every run, read together.

    Parameters
    ----------
    report_dirs : path or list of paths
        Folders whose ``*.html`` files (at any depth) are pages of the release, or pages.
    data_dir : path
        The data directory, for the public facts (municipalities.csv, interview files, codebook).
    threshold : int, optional
        The smallest group a reader may learn anything exact about; default the one the pages
        state (``cm-threshold``), else 3. A page that states another is a problem.
    where : dict, optional
        The selection ({"region": ..., "size_class": ...}) of pages that carry no
        ``<meta name="cm-selection">`` (for old callers).
    fingerprint : str, optional
        The data's fingerprint every page must state; default the one most pages state.
    seeds : int
        Solutions with random objectives found per variable before the integer program of each
        protected value (most values are shown to vary by them alone).
    explain : int
        How many questions (one or two integer programs each) the audit may spend on finding
        the pages that fix determined values.

    Returns
    -------
    AuditResult
        The protected values checked, the narrowest range, every problem (the module's seven
        checks), the seconds taken, the cells, pages, runs and statistics read.

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
    ...         '<html><head><meta name="cm-publish" content="yes"><meta name="cm-selection" content="">'
    ...         '<meta name="cm-threshold" content="3"><meta name="cm-fingerprint" content="592c"></head>'
    ...         '<body><p>Rotterdam outsources all of it.</p>'
    ...         '<table class="cm-counts" data-unit="municipality" data-by="none"><thead><tr><th></th>'
    ...         '<th data-group="all">All</th></tr></thead><tbody>'
    ...         '<tr data-variable="procurement.central_unit" data-codes="yes"><th>Central unit</th>'
    ...         '<td data-k="8" data-n="18">8/18</td></tr></tbody></table></body></html>', encoding="utf-8")
    ...     result = audit(folder, default_data_dir())
    >>> result.cells, result.pages, result.runs, result.protected_cells, result.narrowest_range
    (1, ['en/05.html (national)'], ['national'], 171, 2)
    >>> result.problems
    ["en/05.html (national): the sentence 'Rotterdam outsources all of it.' names Rotterdam (a group below the threshold) with a number or an all/none word"]
    """
    start = time.perf_counter()
    facts = read_facts(data_dir)
    pages, threshold, within, problems = read_release(report_dirs, facts, threshold, where, fingerprint)
    if not pages:
        problems.append(f"no page of the release to audit in {report_dirs}")
    cells, stats = _read(pages, facts, threshold, within, problems)
    block_problems, suppressed = check_blocks(cells, facts, within)
    problems += block_problems
    for stat in stats:
        problems += check_stat(stat, facts, threshold, within[stat.selection], suppressed)
    models: dict = {}
    for cell in cells:
        add_cell(cell, facts, threshold, within, models, problems)
    groups = protected_groups(facts, threshold, shown_groups(cells, facts, within, threshold))
    protected, narrowest = attack(models, groups, seeds, problems, [p.name for p in pages], explain)
    return AuditResult(protected, narrowest, problems, round(time.perf_counter() - start, 2), len(cells),
                       [p.name for p in pages], runs(pages), len(stats))


SUMMARY = {
    "en": {"head": "Audit of {pages} of {runs} ({names})", "values": "{n} checked",
           "narrowest": "narrowest range: {n}", "none_solved": "no protected value needed solving",
           "ok": "no problems", "problems": "{n}; the first: {first}", "national": "national",
           "page": ("page", "pages"), "run": ("run", "runs"), "value": ("protected value", "protected values"),
           "range": ("value", "values"), "problem": ("problem", "problems")},
    "nl": {"head": "Controle van {pages} uit {runs} ({names})", "values": "{n} gecontroleerd",
           "narrowest": "smalste bereik: {n}", "none_solved": "geen beschermde waarde hoefde te worden opgelost",
           "ok": "geen problemen", "problems": "{n}; het eerste: {first}", "national": "landelijk",
           "page": ("pagina", "pagina's"), "run": ("run", "runs"), "value": ("beschermde waarde", "beschermde waarden"),
           "range": ("waarde", "waarden"), "problem": ("probleem", "problemen")},
}


def summary(result: AuditResult, lang: str = "en") -> str:
    """A short plain summary of an audit, in English or Dutch.

    Returns
    -------
    str
        One sentence: pages and runs read, protected values checked, the narrowest range, and the
        number of problems with the first.

    Examples
    --------
    >>> result = AuditResult(12082, 2, [], 3.1, 1252, ["en/02.html (national)"] * 16, ["national", "region=Zuid"])
    >>> summary(result)
    'Audit of 16 pages of 2 runs (national; region=Zuid): 12,082 protected values checked; narrowest range: 2 values; no problems.'
    >>> summary(AuditResult(12082, 1, ["en/a.html: x"], pages=["en/a.html"], runs=["national"]), "nl")
    'Controle van 1 pagina uit 1 run (landelijk): 12.082 beschermde waarden gecontroleerd; smalste bereik: 1 waarde; 1 probleem; het eerste: en/a.html: x.'
    """
    text = SUMMARY[lang]

    def count(n, word):
        number = f"{n:,}".replace(",", "." if lang == "nl" else ",")
        return f"{number} {text[word][0] if n == 1 else text[word][1]}"

    names = "; ".join(text["national"] if r == "national" else r for r in result.runs)
    parts = [text["head"].format(pages=count(len(result.pages), "page"), runs=count(len(result.runs), "run"),
                                 names=names),
             text["values"].format(n=count(result.protected_cells, "value")),
             text["narrowest"].format(n=count(result.narrowest_range, "range"))
             if result.narrowest_range is not None else text["none_solved"],
             text["problems"].format(n=count(len(result.problems), "problem"), first=result.problems[0])
             if result.problems else text["ok"]]
    return f"{parts[0]}: " + "; ".join(parts[1:]) + "."
