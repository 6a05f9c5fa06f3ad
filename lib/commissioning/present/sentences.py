"""Sentences that say what the data shows, computed from the data, in English and Dutch.

No fixed sentence of a report states a finding: each function here reads a table the report shows
(so a published sentence can only repeat what a published table shows) and returns a `Sentence`
in the report's language. Every function is tested on data where the finding goes the other way.

A `Sentence` shows as a paragraph in JupyterLab and in a report; its counts carry the table cell
they come from (variable, codes, unit, group, k and n) as data attributes, as the tables do.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..core.checks import check_lang
from .tables import ALL, CountTable
from ..core.formats import percent_half_up


@dataclass(frozen=True)
class Num:
    """A count in a sentence: k of n units of a group, from a table cell."""

    k: int
    n: int
    variable: str = ""
    codes: tuple = ()
    unit: str = ""
    by: str = "none"
    group: str = ALL
    percent: bool = True
    noun: str = ""

    def text(self, lang: str) -> str:
        word = "van" if lang == "nl" else "of"
        share = f" ({percent_half_up(self.k, self.n)}%)" if self.percent and self.n else ""
        noun = f" {self.noun}" if self.noun else ""
        return f"{self.k} {word} {self.n}{noun}{share}"

    def html(self, lang: str) -> str:
        if not self.variable:  # a public fact (Table 1: municipalities and interviews per group)
            return f'<span class="cm-public">{html.escape(self.text(lang))}</span>'
        attrs = {"variable": self.variable, "codes": " ".join(self.codes), "unit": self.unit, "by": self.by,
                 "group": self.group, "k": str(self.k), "n": str(self.n)}
        data = " ".join(f'data-{k}="{html.escape(v, quote=True)}"' for k, v in attrs.items())
        return f'<span class="cm-num" {data}>{html.escape(self.text(lang))}</span>'


class Sentence:
    """A computed sentence (or a short paragraph) in one language.

    Parameters
    ----------
    parts : list of str and Num
    lang : {"en", "nl"}
    """

    def __init__(self, parts, lang: str):
        self.parts = [p for p in parts if p != ""]
        self.lang = check_lang(lang)

    def __str__(self) -> str:
        return "".join(p.text(self.lang) if isinstance(p, Num) else p for p in self.parts)

    def __repr__(self) -> str:
        return str(self)

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def _repr_html_(self) -> str:
        inner = "".join(p.html(self.lang) if isinstance(p, Num) else html.escape(p) for p in self.parts)
        return f'<p class="cm-sentence">{inner}</p>'

    def _repr_markdown_(self) -> str:
        return str(self)


def _join(items: list, lang: str) -> list:
    """'a, b and c' (or 'a, b en c') as parts; 'a; b; c' when an item itself holds 'and' (a label
    such as 'engineering and specialist work'), so that the list still reads as a list."""
    word = " en " if lang == "nl" else " and "
    plain = ["".join(p if isinstance(p, str) else "" for p in (it if isinstance(it, list) else [it])) for it in items]
    semicolons = any(word in text for text in plain)
    out = []
    for i, item in enumerate(items):
        if i:
            out.append("; " if semicolons else (word if i == len(items) - 1 else ", "))
        out.extend(item if isinstance(item, list) else [item])
    return out


def _cells(table: CountTable, group: str = ALL):
    """(row, cell) for every shown cell of one group column."""
    col = [g for g, _ in table.groups].index(group)
    return [(r, r.cells[col]) for r in table.rows if r.cells[col].shown]


def _num(table: CountTable, row, cell, group: str = ALL) -> Num:
    return Num(cell.k, cell.n, row.variable, row.codes, table.unit, table.by or "none", group)


def group_noun(codebook, code: str, lang: str) -> str:
    """'large municipalities' / 'grote gemeenten' for a size class, or for a merged group of size
    classes ('large+very_large': 'large and very large municipalities')."""
    attr = codebook.attributes["size_class"]
    parts = code.split("+")
    if len(parts) == 1:
        return attr.codes[code].get(f"{lang}_group") or attr.codes[code][lang].lower()
    nouns = [attr.codes[p].get(f"{lang}_group", attr.codes[p][lang].lower()) for p in parts]
    last_word = nouns[-1].split()[-1]
    adjectives = [n[: -len(last_word)].strip() for n in nouns]
    return (" en " if lang == "nl" else " and ").join(adjectives) + " " + last_word


def _var_label(study, variable, lang):
    return study.codebook.label(variable, lang)


def _code_label(study, variable, code, lang):
    return study.codebook.code_label(variable, code, lang)


# --- 00 the sample --------------------------------------------------------------------------------

def composition(study, *, lang: str = "en", publish: bool = False) -> Sentence:
    """How the sample is spread over size classes and regions (public facts of Table 1).

    When publishing, a size class whose municipalities all lie in one region is not named (a
    sentence about all of a small group, even of public facts, is left out).

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> print(composition(cm.load_study()))  # doctest: +ELLIPSIS
    The largest size class is 'large', with 8 of 18 municipalities (44%), not a majority; ...
    """
    check_lang(lang)
    m = study.municipalities
    cb = study.codebook
    sizes = m.size_class.value_counts()
    top = sizes[sizes == sizes.max()].index.tolist()
    n = len(m)
    order = cb.attributes["size_class"].code_list
    top = sorted(top, key=order.index)
    noun = lambda c: group_noun(cb, c, lang)  # noqa: E731
    label = lambda c: cb.code_label("size_class", c, lang).lower()  # noqa: E731
    municipalities = "gemeenten" if lang == "nl" else "municipalities"
    count = lambda c: Num(int(sizes[c]), n, noun=municipalities)  # noqa: E731
    majority = 2 * sizes[top[0]] > n
    if lang == "nl":
        if len(top) == 1:
            parts = [f"De grootste grootteklasse is '{label(top[0])}', met ", count(top[0]),
                     ", een meerderheid;" if majority else ", geen meerderheid;"]
        else:
            parts = ["De grootste grootteklassen zijn "] + _join([f"'{label(c)}'" for c in top], lang) + \
                    [", elk met ", count(top[0]), ";"]
    else:
        if len(top) == 1:
            parts = [f"The largest size class is '{label(top[0])}', with ", count(top[0]),
                     ", a majority;" if majority else ", not a majority;"]
        else:
            parts = ["The largest size classes are "] + _join([f"'{label(c)}'" for c in top], lang) + \
                    [", each with ", count(top[0]), ";"]
    regions = cb.attributes["region"].code_list
    concentrated = []
    for c in order:
        where = m[m.size_class == c].region.unique().tolist()
        if len(where) == 1 and (m.size_class == c).sum() > 1 and m.region.nunique() > 1:
            concentrated.append((c, where[0]))
    for c, r in ([] if publish else concentrated):  # public facts, but a statement about a small group
        rl = cb.code_label("region", r, lang)
        parts.append(f" de {noun(c)} liggen alle in regio {rl};" if lang == "nl" else
                     f" the {noun(c)} all lie in the region {rl};")
    present_sizes = [c for c in order if c in set(m.size_class)]
    present_regions = [r for r in regions if r in set(m.region)]
    combos = len(present_sizes) * len(present_regions)
    empty = sum(1 for s in present_sizes for r in present_regions if not ((m.size_class == s) & (m.region == r)).any())
    if lang == "nl":
        parts += [f" {empty} van de {combos} combinaties van grootteklasse en regio hebben geen gemeente."]
    else:
        parts += [f" {empty} of the {combos} combinations of size class and region have no municipality."]
    return Sentence(parts, lang)


def agreement(table, n_interviews: int, *, lang: str = "en") -> Sentence:
    """Whether interviews were coded twice, and how well coders agree where they were.

    Parameters
    ----------
    table : DataFrame
        `cm.agreement_table(study)`.
    n_interviews : int

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    if table is None or not len(table):
        return Sentence(["Geen interview in deze selectie is door meer dan één codeur gecodeerd; er is geen "
                         "overeenstemming tussen codeurs te meten." if lang == "nl" else
                         "No interview in this selection was coded by more than one coder, so there is no "
                         "agreement between coders to measure."], lang)
    twice = int(table.n_units.max()) if "n_units" in table.columns else 0
    alpha = table["alpha"].dropna()
    low = alpha[alpha < 0.667]
    if lang == "nl":
        parts = [f"Tot {twice} van de {n_interviews} interviews zijn dubbel gecodeerd; ",
                 f"bij {len(low)} van de {len(alpha)} variabelen met een alfa ligt Krippendorffs alfa onder 0,667, "
                 "de ondergrens die Krippendorff voor voorlopige conclusies noemt."]
    else:
        parts = [f"Up to {twice} of the {n_interviews} interviews were coded twice; ",
                 f"for {len(low)} of the {len(alpha)} variables with an alpha, Krippendorff's alpha is below 0.667, "
                 "the lowest value Krippendorff accepts for tentative conclusions."]
    return Sentence(parts, lang)


# --- most common codes, per row group ----------------------------------------------------------------

def most_common(table: CountTable, study, *, lang: str = "en", subject: str = "variable") -> Sentence:
    """For each variable of an overall table, its most common code, grouped by that code.

    Says 'a majority' only where the code holds more than half of the units with a value, and
    names the variables without a majority.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> s = cm.load_study()
    >>> t = count_table(s, ["segment.housing.investment"])
    >>> print(most_common(t, s))
    Most common answer: Sets frameworks and facilitates only for housing (18 of 18 (100%), a majority).
    """
    check_lang(lang)
    by_var: dict = {}
    for row, cell in _cells(table):
        by_var.setdefault(row.variable, []).append((row, cell))
    groups: dict = {}
    none = []
    for var, cells in by_var.items():
        cells = [(r, c) for r, c in cells if c.n]
        if not cells:
            none.append(var)
            continue
        top = max(c.k for _, c in cells)
        winners = [(r, c) for r, c in cells if c.k == top]
        if len(winners) > 1 or top == 0:
            none.append(var)
            continue
        r, c = winners[0]
        groups.setdefault(r.codes, []).append((var, r, c))
    short = lambda v: _subject(study, v, lang)  # noqa: E731
    parts = ["Meest gegeven antwoord: " if lang == "nl" else "Most common answer: "]
    first = True
    for codes, items in groups.items():
        if not first:
            parts.append("; ")
        first = False
        var0 = items[0][0]
        parts.append(" / ".join(_code_label(study, var0, c, lang) for c in codes))
        parts.append(" voor " if lang == "nl" else " for ")
        entries = []
        for var, r, c in items:
            maj = (", een meerderheid" if lang == "nl" else ", a majority") if 2 * c.k > c.n else ""
            entries.append([f"{short(var)} (", _num(table, r, c), f"{maj})"])
        parts += _join(entries, lang)
    if none:
        parts.append("; " if not first else "")
        parts.append("geen duidelijk meest gegeven antwoord voor " if lang == "nl" else "no single most common answer for ")
        parts += _join([short(v) for v in none], lang)
    parts.append(".")
    return Sentence(parts, lang)


def _subject(study, variable, lang):
    """A variable's label without the part before a colon ('Investment role: housing' -> 'housing')."""
    label = study.codebook.label(variable, lang)
    return label.split(": ", 1)[1] if ": " in label else label[0].lower() + label[1:]


def activities(table: CountTable, study, *, lang: str = "en") -> Sentence:
    """Which activities most units do in-house, which most outsource (wholly), and which have no
    majority either way, from an overall table of the activities' codes.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> s = cm.load_study()
    >>> print(activities(count_table(s, ["sourcing.strategy"]), s))  # doctest: +ELLIPSIS
    Done in-house by a majority of units: strategy and policy (...). Outsourced by a majority: none.
    """
    check_lang(lang)
    inside, outside, neither = [], [], []
    for var in dict.fromkeys(r.variable for r in table.rows):
        cells = {r.codes: (r, c) for r, c in _cells(table) if r.variable == var}
        home, out = cells.get(("in_house",)), cells.get(("outsourced",))
        if home and home[1].n and 2 * home[1].k > home[1].n:
            inside.append([_subject(study, var, lang).lower(), " (", _num(table, *home), ")"])
        elif out and out[1].n and 2 * out[1].k > out[1].n:
            outside.append([_subject(study, var, lang).lower(), " (", _num(table, *out), ")"])
        else:
            neither.append(_subject(study, var, lang).lower())
    none = "geen" if lang == "nl" else "none"
    if lang == "nl":
        parts = ["Door een meerderheid van de eenheden zelf gedaan: "] + (_join(inside, lang) or [none]) + \
                [". Door een meerderheid uitbesteed: "] + (_join(outside, lang) or [none]) + ["."]
        if neither:
            parts += [" Zonder meerderheid voor zelf of uitbesteed: "] + _join(neither, lang) + ["."]
    else:
        parts = ["Done in-house by a majority of units: "] + (_join(inside, lang) or [none]) + \
                [". Outsourced by a majority: "] + (_join(outside, lang) or [none]) + ["."]
        if neither:
            parts += [" No majority either way: "] + _join(neither, lang) + ["."]
    return Sentence(parts, lang)


def extremes(table: CountTable, study, *, lang: str = "en", what: str = "") -> Sentence:
    """The highest and the lowest share among the rows of an overall table (e.g. the structures a
    municipality has, or the activities most often (partly) outsourced).

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    cells = [(r, c) for r, c in _cells(table) if c.n]
    if not cells:
        return Sentence(["Geen eenheid met een waarde." if lang == "nl" else "No unit has a value."], lang)
    share = lambda rc: rc[1].k / rc[1].n  # noqa: E731
    hi = max(share(rc) for rc in cells)
    lo = min(share(rc) for rc in cells)
    top = [rc for rc in cells if share(rc) == hi]
    bottom = [rc for rc in cells if share(rc) == lo]
    lab = lambda r: r.label.split(": ")[0] if table.rows and len({x.codes for x in table.rows}) == 1 else r.label  # noqa: E731
    if hi == lo:
        return Sentence([("Alle rijen hebben hetzelfde aandeel: " if lang == "nl" else "Every row has the same share: "),
                         _num(table, *cells[0]), "."], lang)
    if lang == "nl":
        parts = [f"{what}Het hoogst: "] + _join([[lab(r), " (", _num(table, r, c), ")"] for r, c in top], lang) + \
                ["; het laagst: "] + _join([[lab(r), " (", _num(table, r, c), ")"] for r, c in bottom], lang) + ["."]
    else:
        parts = [f"{what}Highest: "] + _join([[lab(r), " (", _num(table, r, c), ")"] for r, c in top], lang) + \
                ["; lowest: "] + _join([[lab(r), " (", _num(table, r, c), ")"] for r, c in bottom], lang) + ["."]
    return Sentence(parts, lang)


def group_sizes(table: CountTable, *, lang: str = "en", unit_word: str | None = None) -> Sentence:
    """How many units each group column of a table holds, and what one unit does to a share.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> t = count_table(cm.load_study(), "organisation.model", by="size_class")
    >>> print(group_sizes(t))
    The groups hold between 2 and 8 municipalities: one municipality more or less moves a share by between 13 and 50 percentage points.
    """
    check_lang(lang)
    sizes = []
    for i, (g, _) in enumerate(table.groups):
        if g == ALL:
            continue
        ns = [r.cells[i].n for r in table.rows if r.cells[i].shown]
        if ns:
            sizes.append(max(ns))
    sizes = [s for s in sizes if s]
    if not sizes:
        return Sentence(["Geen groep om te vergelijken." if lang == "nl" else "No group to compare."], lang)
    unit = unit_word or {"municipality": ("municipalities", "gemeenten"), "interview": ("interviews", "interviews"),
                         "mention": ("mentions", "vermeldingen")}.get(table.unit, ("units", "eenheden"))[lang == "nl"]
    one = {"municipality": ("municipality", "gemeente"), "interview": ("interview", "interview"),
           "mention": ("mention", "vermelding")}.get(table.unit, ("unit", "eenheid"))[lang == "nl"]
    lo, hi = min(sizes), max(sizes)
    step_lo, step_hi = percent_half_up(1, hi), percent_half_up(1, lo)
    if lang == "nl":
        if hi == 1:
            unit = one
        span = f"tussen {lo} en {hi}" if lo != hi else f"elk {lo}"
        moves = f"tussen {step_lo} en {step_hi}" if step_lo != step_hi else f"{step_lo}"
        return Sentence([f"De groepen tellen {span} {unit}: één {one} meer of minder verschuift een aandeel met "
                         f"{moves} procentpunt."], lang)
    if hi == 1:
        unit = one
    span = f"between {lo} and {hi} {unit}" if lo != hi else f"{lo} {unit} each"
    moves = f"between {step_lo} and {step_hi}" if step_lo != step_hi else f"{step_lo}"
    points = "percentage point" if step_hi == 1 else "percentage points"
    return Sentence([f"The groups hold {span}: one {one} more or less moves a share by {moves} {points}."], lang)


def highest_group(table: CountTable, study, *, lang: str = "en") -> Sentence:
    """Per row of a table by group: the group with the highest share and the one with the lowest.

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    parts = []
    groups = [(i, g, label) for i, (g, label) in enumerate(table.groups) if g != ALL]
    for row in table.rows:
        shown = [(i, g, label, row.cells[i]) for i, g, label in groups if row.cells[i].shown and row.cells[i].n]
        if len(shown) < 2:
            continue
        share = {g: c.k / c.n for i, g, label, c in shown}
        hi, lo = max(share.values()), min(share.values())
        if parts:
            parts.append(" ")
        if hi == lo:
            parts += [f"{row.label}: " + ("in elke groep even vaak." if lang == "nl" else "the same share in every group.")]
            continue
        top = [(g, label, c) for i, g, label, c in shown if share[g] == hi]
        bottom = [(g, label, c) for i, g, label, c in shown if share[g] == lo]
        fmt = lambda items: _join([[label.lower(), " (", Num(c.k, c.n, row.variable, row.codes, table.unit,  # noqa: E731
                                                              table.by or "none", g), ")"] for g, label, c in items], lang)
        if lang == "nl":
            parts += [f"{row.label}: het vaakst bij "] + fmt(top) + [", het minst vaak bij "] + fmt(bottom) + ["."]
        else:
            parts += [f"{row.label}: most often in "] + fmt(top) + [", least often in "] + fmt(bottom) + ["."]
    if not parts:
        parts = ["Te weinig groepen om te vergelijken." if lang == "nl" else "Too few groups to compare."]
    return Sentence(parts, lang)


def cells(table: CountTable, items, *, lang: str = "en") -> Sentence:
    """Named cells of an overall table, one per line: 'label: k of n (p%).'

    Parameters
    ----------
    table : CountTable
    items : list of (variable, code or codes)

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    parts = []
    for i, (variable, codes) in enumerate(items):
        codes = (codes,) if isinstance(codes, str) else tuple(codes)
        row = next(r for r in table.rows if r.variable == variable and r.codes == codes)
        cell = table.value(variable, codes)
        if i:
            parts.append("\n")
        parts += [f"{row.label}: ", _num(table, row, cell) if cell.shown else "–", "."]
    return Sentence(parts, lang)


# --- tests ------------------------------------------------------------------------------------------

def tests(table, *, lang: str = "en", alpha: float = 0.05) -> Sentence:
    """What the tests of association say, and what they cannot say, from `Report.association_tests`.

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    tested = table[table["status"] == "tested"]
    k = int((tested["p_adjusted"] < alpha).sum())
    m = len(tested)
    if not m:
        return Sentence(["Geen enkele variabele kon getoetst worden (te weinig eenheden of groepen)." if lang == "nl"
                         else "No variable could be tested (too few units or groups)."], lang)
    v = tested["cramers_v_corrected"].dropna()
    top = v.idxmax() if len(v) else None
    if lang == "nl":
        parts = [f"Van de {m} getoetste variabelen verschillen er {k} tussen de groepen op het "
                 f"{alpha:.0%}-niveau na Holm-correctie."]
        if top is not None:
            parts.append(f" De grootste gecorrigeerde Cramérs V is {v.max():.2f} ({tested.loc[top, 'label']}).".replace(
                f"{v.max():.2f}", f"{v.max():.2f}".replace(".", ",")))
        if k < m:
            parts.append(" Een toets die geen verschil vindt, laat niet zien dat de groepen gelijk zijn: met zo weinig "
                         "eenheden blijven ook flinke verschillen onopgemerkt.")
        parts.append(" De gemeenten zijn gekozen, niet getrokken: een p-waarde zegt hoe ongewoon het patroon zou zijn als "
                     "de codes willekeurig over deze gemeenten verdeeld waren, niet of het voor alle gemeenten geldt.")
    else:
        parts = [f"Of the {m} variables tested, {k} differ between the groups at the {alpha:.0%} level after Holm "
                 "correction."]
        if top is not None:
            parts.append(f" The largest bias-corrected Cramér's V is {v.max():.2f} ({tested.loc[top, 'label']}).")
        if k < m:
            parts.append(" A test that finds no difference does not show that the groups are alike: with this few "
                         "units, sizeable differences go undetected too.")
        parts.append(" The municipalities were chosen, not drawn: a p-value says how unusual the pattern would be if "
                     "the codes were dealt out at random over these municipalities, not whether it holds for all "
                     "municipalities.")
    return Sentence(parts, lang)


def tests_count(table, *, lang: str = "en", alpha: float = 0.05) -> Sentence:
    """The counts of the tests, one per line (for a checked output)."""
    check_lang(lang)
    tested = table[table["status"] == "tested"]
    holm = int((tested["p_adjusted"] < alpha).sum())
    bh = int((tested["p_bh"] < alpha).sum()) if "p_bh" in tested else 0
    if lang == "nl":
        a = str(alpha).replace(".", ",")
        lines = [f"Getoetst: {len(tested)} van {len(table)}", f"Verschillend na Holm-correctie (p < {a}): {holm}",
                 f"Verschillend na Benjamini-Hochberg (q < {a}): {bh}"]
    else:
        lines = [f"Tested: {len(tested)} of {len(table)}", f"Different after Holm correction (p < {alpha}): {holm}",
                 f"Different after Benjamini-Hochberg (q < {alpha}): {bh}"]
    return Sentence(["\n".join(lines)], lang)


# --- maturity ---------------------------------------------------------------------------------------

def top_mentions(table: CountTable, *, lang: str = "en", n: int = 5) -> Sentence:
    """The most mentioned aspects as the study lists them (ties share a place), and the aspects
    never mentioned, from an overall `present.mention_table`.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import mention_table
    >>> print(top_mentions(mention_table(cm.load_study()), n=2))  # doctest: +NORMALIZE_WHITESPACE
    Of 72 mentions, the most mentioned aspects are: 1. People and competences, 15 of 72 (21%);
    2. Culture and leadership, 11 of 72 (15%). Never mentioned: Organisation and policy.
    """
    check_lang(lang)
    cells = _cells(table)
    total = cells[0][1].n if cells else 0
    counts = sorted(((c.k, i, r, c) for i, (r, c) in enumerate(cells)), key=lambda x: (-x[0], x[1]))
    parts = [f"Van {total} vermeldingen zijn de meest genoemde aspecten: " if lang == "nl"
             else f"Of {total} mentions, the most mentioned aspects are: "]
    place, previous, shown = 0, None, 0
    for pos, (k, _, r, c) in enumerate(counts):
        if k == 0:
            break
        if k != previous:
            place = pos + 1
            if place > n:
                break
        previous = k
        if shown:
            parts.append("; ")
        parts += [f"{place}. {r.label}, ", _num(table, r, c)]
        shown += 1
    parts.append(".")
    never = [r.label for k, _, r, c in counts if k == 0]
    if never:
        parts += [" Nooit genoemd: " if lang == "nl" else " Never mentioned: "] + _join(never, lang) + ["."]
    return Sentence(parts, lang)


def below_top(table: CountTable, *, lang: str = "en", n: int = 5) -> Sentence:
    """How many mentions the aspects below the first `n` places share, and the range of their counts."""
    check_lang(lang)
    ks = sorted((c.k for _, c in _cells(table)), reverse=True)
    if len(ks) <= n:
        return Sentence([""], lang)
    cut = ks[n - 1]
    rest = [k for k in ks if k < cut]
    total = sum(ks)
    if lang == "nl":
        return Sentence([f"De {len(rest)} aspecten onder de top {n} krijgen samen {sum(rest)} van de {total} "
                         f"vermeldingen, elk tussen {min(rest)} en {max(rest)}." if rest else
                         f"Onder de top {n} staat geen aspect met minder vermeldingen."], lang)
    return Sentence([f"The {len(rest)} aspects below the top {n} share {sum(rest)} of the {total} mentions, each "
                     f"between {min(rest)} and {max(rest)}." if rest else
                     f"No aspect below the top {n} has fewer mentions."], lang)


def bootstrap(boot, *, lang: str = "en", level: float = 0.9) -> Sentence:
    """Which places of the ranking the bootstrap settles (an aspect whose observed rank it
    reproduces in at least `level` of the resamples) and how many it leaves open.

    Parameters
    ----------
    boot : Top3Bootstrap

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    ranks = boot.ranks
    shares = boot.shares
    settled = []
    for row in shares.itertuples():
        r = int(round(row.rank)) if float(row.rank).is_integer() else None
        if r is None:
            continue
        p = ranks[(ranks.aspect == row.aspect) & (ranks["rank"] == r)].probability
        if len(p) and float(p.iat[0]) >= level:
            settled.append(row.label)
    n = len(shares)
    if lang == "nl":
        head = (f"In minstens {level:.0%} van de {boot.n_resamples} trekkingen houdt een aspect zijn plaats: "
                if settled else f"Geen aspect houdt zijn plaats in minstens {level:.0%} van de {boot.n_resamples} trekkingen")
        tail = f"; de plaats van de andere {n - len(settled)} ligt niet vast." if settled else "."
    else:
        head = (f"An aspect keeps its place in at least {level:.0%} of the {boot.n_resamples} resamples: "
                if settled else f"No aspect keeps its place in at least {level:.0%} of the {boot.n_resamples} resamples")
        tail = f"; the places of the other {n - len(settled)} are not settled." if settled else "."
    return Sentence([head] + (_join(settled, lang) if settled else []) + [tail], lang)


# --- fragmentation, names, verdicts ----------------------------------------------------------------------

def fragmentation(frag, *, lang: str = "en", alpha: float = 0.05) -> Sentence:
    """How often respondents of one municipality differ compared with chance, over the variables
    of `cm.fragmentation` (with `p_adjusted`, Holm across the variables).

    Returns
    -------
    Sentence
    """
    check_lang(lang)
    if frag is None or not len(frag):
        return Sentence(["Geen gemeente in deze selectie heeft meerdere interviews; er is geen versnippering te meten."
                         if lang == "nl" else "No municipality in this selection has several interviews, so there "
                         "is no fragmentation to measure."], lang)
    m = len(frag)
    more = int((frag.share_differ >= frag.expected_share - 1e-12).sum())
    agree = int((frag.p_adjusted < alpha).sum()) if "p_adjusted" in frag else 0
    n = int(frag.n_municipalities.max())
    if lang == "nl":
        return Sentence([f"Bij {more} van de {m} variabelen verschillen respondenten van één gemeente minstens zo vaak "
                         f"als bij toeval (over {n} gemeenten met meerdere interviews); bij {agree} zijn ze na "
                         f"Holm-correctie over de variabelen eensgezinder dan toeval (p < {str(alpha).replace('.', ',')})."],
                        lang)
    return Sentence([f"For {more} of the {m} variables, respondents of one municipality differ at least as often as "
                     f"chance would make them (over {n} municipalities with several interviews); for {agree}, they "
                     f"agree more than chance after Holm correction across the variables (p < {alpha})."], lang)


def named(study, variable: str, code: str, *, lang: str = "en", publish: bool = False) -> Sentence:
    """Which municipalities have a code of a municipality-level variable; when publishing, only
    how many (a single municipality's value is never published).

    Returns
    -------
    Sentence
    """
    from ..analysis.units import unit_values

    check_lang(lang)
    values = unit_values(study, variable, unit="municipality")
    hits = values[values.code == code]
    label = study.codebook.code_label(variable, code, lang).lower()
    subject = _subject(study, variable, lang).lower()
    n, k = len(values), len(hits)
    noun = "gemeenten" if lang == "nl" else "municipalities"
    count = Num(k, n, variable, (code,), "municipality", noun=noun)
    head = f"{subject[0].upper() + subject[1:]}, {label}: "
    if publish or not k:
        return Sentence([head, count, "."], lang)
    names = sorted(study.municipalities.set_index("cbs_code").loc[hits.municipality, "study_name"])
    return Sentence([head, count, ": "] + _join(names, lang) + ["."], lang)


def verdict_counts(table, *, lang: str = "en") -> Sentence:
    """How many claims the data supports, does not support, or cannot decide (`cm.claims_table`).

    Returns
    -------
    Sentence
    """
    from ..analysis.claims import INSUFFICIENT, NOT_SUPPORTED, SUPPORTED

    check_lang(lang)
    counts = table.verdict.value_counts()
    s, ns, ins = (int(counts.get(v, 0)) for v in (SUPPORTED, NOT_SUPPORTED, INSUFFICIENT))
    if lang == "nl":
        return Sentence([f"Van de {len(table)} uitspraken worden er {s} ondersteund door de gegevens, {ns} niet, en "
                         f"over {ins} kunnen de gegevens niet beslissen."], lang)
    return Sentence([f"Of the {len(table)} statements, the data support {s}, do not support {ns}, and cannot decide "
                     f"{ins}."], lang)
