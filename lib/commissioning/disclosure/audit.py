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
"""

from __future__ import annotations

import csv
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml
from lxml import html as lxml_html
from scipy.optimize import Bounds, LinearConstraint, milp

NA = "(no value)"
ALL_NONE_WORDS = {
    "en": ["all", "every", "each", "none", "no", "nobody", "neither", "both", "only", "always", "never", "whole",
           "entire", "most", "majority", "half", "one", "two", "three", "four", "five", "six", "seven", "eight",
           "nine", "ten", "single", "sole"],
    "nl": ["alle", "allemaal", "allebei", "elke", "ieder", "iedere", "geen", "niemand", "beide", "alleen",
           "slechts", "altijd", "nooit", "geheel", "meeste", "meerderheid", "helft", "één", "twee", "drie", "vier",
           "vijf", "zes", "zeven", "acht", "negen", "tien", "enige"],
}
NOT_PROSE_CLASSES = ("cm-disclosure-log", "cm-public")
CITATION = re.compile(r"(?:TU|Technische Universiteit)\s+Delft|Delft\s*:\s*TU\b", re.I)


@dataclass
class AuditResult:
    """What the audit found: how many protected values it checked, the fewest values any of them
    not entailed can take, and every problem (empty when the pages are safe)."""

    protected_cells: int
    narrowest_range: int | None
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    cells: int = 0
    pages: int = 0


# --- public facts ---------------------------------------------------------------------------------------

@dataclass
class Facts:
    munis: list            # CBS codes of the selection, in file order
    region: dict
    size: dict
    names: dict            # code -> [names]
    interviews: dict       # code -> [interview ids]
    codebook: dict
    size_order: list
    region_order: list

    def units(self, unit: str, munis) -> list:
        return list(munis) if unit == "municipality" else [i for m in munis for i in self.interviews[m]]


def read_facts(data_dir, where: dict | None = None) -> Facts:
    data_dir = Path(data_dir)
    with open(data_dir / "municipalities.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    codebook = yaml.safe_load((data_dir / "codebook.yaml").read_text(encoding="utf-8"))
    where = where or {}
    rows = [r for r in rows if all(r[k] == v for k, v in where.items())]
    interviews: dict = {r["cbs_code"]: set() for r in rows}
    for path in sorted((data_dir / "interviews").glob("*.y*ml")):
        iid = path.name.split(".")[0]
        muni = iid.split("-")[0]
        if muni in interviews:
            interviews[muni].add(iid)
    names = {}
    for r in rows:
        found = [r["study_name"], r["official_name"], r.get("partner_official_name") or ""]
        found += [part.strip() for part in r["study_name"].split(" - ")]
        found += [re.sub(r"\s*\(.*?\)\s*", "", r["official_name"]).strip()]
        names[r["cbs_code"]] = sorted({n for n in found if n}, key=len, reverse=True)
    return Facts(
        munis=[r["cbs_code"] for r in rows], region={r["cbs_code"]: r["region"] for r in rows},
        size={r["cbs_code"]: r["size_class"] for r in rows}, names=names,
        interviews={m: sorted(v) for m, v in interviews.items()}, codebook=codebook,
        size_order=list(codebook["attributes"]["size_class"]["codes"]),
        region_order=list(codebook["attributes"]["region"]["codes"]))


# --- parsing the pages ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cell:
    page: str
    variable: str
    unit: str
    by: str
    group: str
    codes: tuple
    k: int | None  # None: suppressed
    n: int | None


def _pages(report_dirs) -> list[Path]:
    dirs = [report_dirs] if isinstance(report_dirs, (str, Path)) else list(report_dirs)
    return sorted(p for d in dirs for p in Path(d).rglob("*.html"))


def parse_cells(tree, page: str) -> list[Cell]:
    """Every cell of the page's count tables and every marked-up number of its prose."""
    cells = []
    for table in tree.xpath('//table[contains(concat(" ", normalize-space(@class), " "), " cm-counts ")]'):
        unit, by = table.get("data-unit"), table.get("data-by")
        groups = [th.get("data-group") for th in table.xpath("./thead//th[@data-group]")]
        for tr in table.xpath("./tbody/tr[@data-variable]"):
            codes = tuple(tr.get("data-codes", "").split())
            tds = tr.xpath("./td")
            for group, td in zip(groups, tds):
                if "cm-suppressed" in (td.get("class") or "").split() or td.get("data-k") is None:
                    cells.append(Cell(page, tr.get("data-variable"), unit, by, group, codes, None, None))
                else:
                    cells.append(Cell(page, tr.get("data-variable"), unit, by, group, codes,
                                      int(td.get("data-k")), int(td.get("data-n"))))
    for span in tree.xpath('//span[contains(concat(" ", normalize-space(@class), " "), " cm-num ")]'):
        cells.append(Cell(page, span.get("data-variable"), span.get("data-unit"), span.get("data-by"),
                          span.get("data-group"), tuple(span.get("data-codes", "").split()),
                          int(span.get("data-k")), int(span.get("data-n"))))
    return cells


def _has_class(el, name: str) -> bool:
    return name in (el.get("class") or "").split()


BLOCKS = ("p", "li", "ul", "ol", "div", "section", "article", "header", "footer", "main", "nav", "h1", "h2", "h3",
          "h4", "h5", "h6", "figcaption", "caption", "dt", "dd", "dl", "blockquote", "pre", "br", "tr", "td", "th",
          "figure", "title")


def prose_sentences(tree) -> list[str]:
    """The page's prose, one sentence per item (text outside tables and the exempt elements)."""
    tree = lxml_html.fromstring(lxml_html.tostring(tree))  # a copy to cut from
    for el in tree.xpath("//table|//script|//style|//head"):
        el.drop_tree()
    for el in list(tree.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        withheld_claim = _has_class(el, "cm-claim") and (
            _has_class(el, "cm-withheld") or el.xpath('.//*[contains(concat(" ", normalize-space(@class), " "), " cm-withheld ")]'))
        if withheld_claim or any(_has_class(el, c) for c in NOT_PROSE_CLASSES):
            el.drop_tree()
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS:  # a block ends a sentence
            el.text = "\n" + (el.text or "")
            el.tail = "\n" + (el.tail or "")
    sentences = []
    for line in tree.text_content().split("\n"):
        line = re.sub(r"\s+", " ", line).strip()
        sentences += [s.strip() for s in re.split(r"(?<=[.!?;])\s+", line) if s.strip()]
    return sentences


# --- the groups a reader can name ---------------------------------------------------------------------------

def _inflections(word: str) -> str:
    """A word and its Dutch inflected forms as a regular expression (klein -> kleine, groot -> grote)."""
    forms = {word, word + "e"}
    double = re.search(r"([aeiou])\1([^aeiou])$", word)
    if double:
        forms.add(word[:-2] + word[-1] + "e")
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def _label_pattern(label: str) -> str:
    """A label as a regular expression, each word allowing a Dutch inflection (zeer groot -> zeer grote)."""
    words = [_inflections(w) for w in label.lower().split()]
    return r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"


def _merged_label(codes, facts: Facts, lang: str) -> str:
    labels = [facts.codebook["attributes"]["size_class"]["codes"][c][lang] for c in codes]
    parts = [labels[0], *(lab[:1].lower() + lab[1:] for lab in labels[1:])]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + {"en": " and ", "nl": " en "}[lang] + parts[-1]


def protected_groups(facts: Facts, threshold: int) -> list:
    """[(kind, name, unit, member unit ids)] for every nameable group below the threshold."""
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


def protected_names(facts: Facts, threshold: int) -> tuple[list, list]:
    """(single patterns [(pattern, what)], pairs [((pattern, pattern), what)]) of protected groups."""
    cb = facts.codebook["attributes"]
    singles, pairs = [], []
    for m in facts.munis:  # a name with its capitals ('Leiden', not the verb in 'af te leiden')
        for name in facts.names[m]:
            singles.append((r"(?-i:(?<![\w-])" + re.escape(name) + r"(?![\w-]))", facts.names[m][0]))
    for attr, key in (("size_class", facts.size), ("region", facts.region)):
        for code, labels in cb[attr]["codes"].items():
            members = [m for m in facts.munis if key[m] == code]
            if members and (len(members) < threshold or len(facts.units("interview", members)) < threshold):
                for lang in ("en", "nl"):
                    singles.append((_label_pattern(labels[lang]), labels["en"]))
    for r, rl in cb["region"]["codes"].items():
        for s, sl in cb["size_class"]["codes"].items():
            members = [m for m in facts.munis if facts.region[m] == r and facts.size[m] == s]
            if members and (len(members) < threshold or len(facts.units("interview", members)) < threshold):
                for lang in ("en", "nl"):
                    pairs.append(((_label_pattern(rl[lang]), _label_pattern(sl[lang])), f"{rl['en']} x {sl['en']}"))
    return singles, pairs


def check_prose(sentences: list[str], page: str, facts: Facts, threshold: int, merged: set) -> list[str]:
    singles, pairs = protected_names(facts, threshold)
    strip = [_label_pattern(label) for codes in merged for lang in ("en", "nl")
             for label in [_merged_label(codes, facts, lang)]]
    words = r"(?<![\w-])(?:" + "|".join(re.escape(w) for lang in ALL_NONE_WORDS for w in ALL_NONE_WORDS[lang]) + r")(?![\w-])"
    problems = []
    for sentence in sentences:
        text = CITATION.sub(" ", sentence)
        for pattern in strip:
            text = re.sub(pattern, " ", text, flags=re.I)
        quantified = re.search(r"\d", text) or re.search(words, text, re.I)
        if not quantified:
            continue
        named = [what for pattern, what in singles if re.search(pattern, text, re.I)]
        named += [what for (p1, p2), what in pairs if re.search(p1, text, re.I) and re.search(p2, text, re.I)]
        if named:
            problems.append(f"{page}: the sentence {sentence!r} names {', '.join(sorted(set(named)))} "
                            "(a group below the threshold) with a number or an all/none word")
    return problems


# --- the integer programs -----------------------------------------------------------------------------------

class Model:
    """One variable: an unknown per unit slot, rank and category (codes, then no value)."""

    def __init__(self, facts: Facts, var_id: str, spec: dict):
        self.facts, self.var = facts, var_id
        self.ranked = spec["type"] == "ranked_set"
        self.codes = list(spec["codes"])
        self.cats = self.codes + [NA]
        self.K = len(self.cats)
        self.R = int(spec.get("size", 1)) if self.ranked else 1
        per_interview = bool(spec.get("per_interview", True)) or self.ranked
        self.slot = {"municipality": {}, "interview": {}}
        slots = []
        for m in facts.munis:
            itv = facts.interviews[m]
            if not per_interview:
                self.slot["municipality"][m] = len(slots)
                for i in itv:
                    self.slot["interview"][i] = len(slots)
                slots.append(m)
            else:
                for i in itv:
                    self.slot["interview"][i] = len(slots)
                    slots.append(i)
                if not self.ranked:
                    if len(itv) == 1:
                        self.slot["municipality"][m] = self.slot["interview"][itv[0]]
                    else:
                        self.slot["municipality"][m] = len(slots)
                        slots.append(m)
        self.slots = slots
        self.n = len(slots) * self.R * self.K
        self.rows, self.lo, self.hi, self.keys = [], [], [], {}
        for s in range(len(slots)):  # one category per slot and rank
            for r in range(self.R):
                row = np.zeros(self.n)
                row[[self.idx(s, r, c) for c in range(self.K)]] = 1
                self.rows.append(row)
                self.lo.append(1)
                self.hi.append(1)
        if self.ranked:  # a respondent names an aspect at most once
            for s in range(len(slots)):
                for c in range(self.K - 1):
                    row = np.zeros(self.n)
                    row[[self.idx(s, r, c) for r in range(self.R)]] = 1
                    self.rows.append(row)
                    self.lo.append(0)
                    self.hi.append(1)
        self.allowed = np.ones((len(slots), self.R, self.K), dtype=bool)
        self.always = np.zeros((len(slots), self.K), dtype=bool)
        self.pool = []

    def idx(self, s: int, r: int, c: int) -> int:
        return (s * self.R + r) * self.K + c

    def members(self, unit: str, group_munis) -> list[int]:
        """Slots of the units of a group at `unit`, with repetition (a municipality's value counts
        once per interview at the interview unit)."""
        return [self.slot[unit][u] for u in self.facts.units(unit, group_munis) if u in self.slot[unit]]

    def row(self, slots, ranks, cats) -> np.ndarray:
        row = np.zeros(self.n)
        for s in slots:
            for r in ranks:
                for c in cats:
                    row[self.idx(s, r, c)] += 1
        return row

    def add(self, key, row, value, problems, where):
        """One published equation; the same quantity published twice must agree."""
        if key in self.keys:
            if self.keys[key][0] != value:
                problems.append(f"{where}: {self.var} is published as {value} and elsewhere as {self.keys[key][0]} "
                                f"({self.keys[key][1]})")
            return
        self.keys[key] = (value, where)
        self.rows.append(row)
        self.lo.append(value)
        self.hi.append(value)

    def unanimous(self, slots, ranks, cats, k, n, units, group_ranked):
        """What a cell of a group of at least the threshold says of each of its units when it is
        unanimous (the only values the auditor lets a reader know)."""
        slots = sorted(set(slots))
        real = [c for c in range(self.K - 1)]
        if k == 0:
            for s in slots:
                for r in ranks:
                    self.allowed[s, r, cats] = False
        if self.ranked and group_ranked:
            if k == units and len(cats) == 1:  # every respondent names it
                for s in slots:
                    self.always[s, cats[0]] = True
            if k == n and n > 0:  # every mention is one of these
                for s in slots:
                    for r in ranks:
                        self.allowed[s, r, [c for c in real if c not in cats]] = False
            if n == units * self.R:
                for s in slots:
                    self.allowed[s, :, self.K - 1] = False
            return
        if k == n and n > 0:
            for s in slots:
                for r in ranks:
                    self.allowed[s, r, [c for c in real if c not in cats]] = False
        if n == units:
            for s in slots:
                for r in ranks:
                    self.allowed[s, r, self.K - 1] = False

    def settled(self, slots, c) -> bool:
        for s in set(slots):
            if self.ranked:
                never = not self.allowed[s, :, c].any()
                fixed = self.always[s, c] or any(self.allowed[s, r].sum() == 1 and self.allowed[s, r, c]
                                                 for r in range(self.R))
                if not (never or fixed):
                    return False
            elif self.allowed[s, 0, c] and self.allowed[s, 0].sum() > 1:
                return False
        return True

    def solve(self, objective):
        A = np.array(self.rows)
        res = milp(objective, constraints=[LinearConstraint(A, np.array(self.lo, float), np.array(self.hi, float))],
                   integrality=np.ones(self.n), bounds=Bounds(0, 1), options={"time_limit": 60})
        if res.status != 0 or res.x is None:
            return None
        x = np.rint(res.x)
        self.pool.append(x)
        self._matrix = None
        return x

    def matrix(self) -> np.ndarray:
        """Every solution found, one per row."""
        if getattr(self, "_matrix", None) is None:
            self._matrix = np.array(self.pool)
        return self._matrix



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

    Returns
    -------
    AuditResult
    """
    start = time.perf_counter()
    facts = read_facts(data_dir, where)
    pages = _pages(report_dir)
    problems, cells, merged, trees = [], [], set(), []
    for path in pages:
        tree = lxml_html.document_fromstring(path.read_text(encoding="utf-8"))
        name = "/".join(path.parts[-2:])
        trees.append((name, tree))
        found = parse_cells(tree, name)
        cells += found
        merged |= {tuple(c.group.split("+")) for c in found if c.by == "size_class" and "+" in (c.group or "")}
    for name, tree in trees:  # a merged group shown anywhere: its label names no protected group
        problems += check_prose(prose_sentences(tree), name, facts, threshold, merged)
    variables = facts.codebook["variables"]
    models: dict = {}
    for cell in cells:
        where_text = f"{cell.page}: {cell.variable} {cell.unit} by {cell.by} group {cell.group!r} codes {' '.join(cell.codes)}"
        if cell.variable not in variables:
            problems.append(f"{where_text}: not a variable of the codebook")
            continue
        spec = variables[cell.variable]
        munis = _group_munis(facts, cell.by, cell.group)
        if munis is None:
            problems.append(f"{where_text}: not a group of the selection")
            continue
        if cell.k is None:
            continue
        model = models.get(cell.variable)
        if model is None:
            model = models[cell.variable] = Model(facts, cell.variable, spec)
        unit = "interview" if model.ranked else cell.unit
        if unit not in ("municipality", "interview"):
            problems.append(f"{where_text}: unknown unit")
            continue
        n_munis, n_itv = len(munis), len(facts.units("interview", munis))
        if n_munis < threshold or (unit == "interview" and n_itv < threshold):
            problems.append(f"{where_text}: a shown cell rests on {n_munis} municipalities and {n_itv} interviews, "
                            f"fewer than {threshold}")
        if not model.ranked and 0 < cell.n < threshold:
            problems.append(f"{where_text}: a shown cell rests on {cell.n} units with a value, fewer than {threshold}")
        bad = [c for c in cell.codes if c not in model.codes]
        if bad or not cell.codes:
            problems.append(f"{where_text}: codes {bad or '(none)'} are not codes of the variable")
            continue
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
    groups = protected_groups(facts, threshold)
    protected = 0
    narrowest = None
    rng = np.random.default_rng(0)
    for var_id, model in models.items():
        if model.solve(np.zeros(model.n)) is None:
            problems.append(f"{var_id}: the published numbers contradict each other (no solution)")
            continue
        for _ in range(seeds):
            model.solve(rng.integers(-5, 6, size=model.n).astype(float))
        cats = range(model.K - 1) if model.ranked else range(model.K)
        candidates = []
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
    return AuditResult(protected, narrowest, problems, round(time.perf_counter() - start, 2), len(cells), len(pages))
