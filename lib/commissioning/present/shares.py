"""Sentences on shares and majorities: how the sample is spread, the most common answer, what a
majority does in-house, named cells of a table, which municipalities have a code.

Each function reads a table the report shows (or public facts of the sample) and returns a
`Sentence` in the report's language (see the door, `commissioning.present`).

Examples
--------
>>> import commissioning as cm
>>> print(named(cm.load_study(), "structure.tenderboard", "yes", lang="nl", publish=True))
Tenderboard, ja: 6 van 18 gemeenten (33%).
"""

from __future__ import annotations

from ..analysis import unit_values
from ..core import check_lang
from .sentence import Num, Sentence, shown_cells, code_label, join_parts, whole_num, subject_label, group_noun
from .tables import CountTable


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
    >>> study = cm.load_study()
    >>> print(composition(study))
    The largest size class is 'large', with 8 of 18 municipalities (44%), not a majority; the very large
    municipalities all lie in the region West; 4 of the 12 combinations of size class and region have no
    municipality.
    >>> print(composition(study, lang="nl", publish=True))
    De grootste grootteklasse is 'groot', met 8 van 18 gemeenten (44%), geen meerderheid; 4 van de 12
    combinaties van grootteklasse en regio hebben geen gemeente.
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
            parts = ["De grootste grootteklassen zijn "] + join_parts([f"'{label(c)}'" for c in top], lang) + \
                    [", elk met ", count(top[0]), ";"]
    else:
        if len(top) == 1:
            parts = [f"The largest size class is '{label(top[0])}', with ", count(top[0]),
                     ", a majority;" if majority else ", not a majority;"]
        else:
            parts = ["The largest size classes are "] + join_parts([f"'{label(c)}'" for c in top], lang) + \
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
    return Sentence(parts, lang, public=True)  # Table 1's facts


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
    Most common answer: Sets frameworks and facilitates only for housing (10 of 18 (56%), a majority).
    >>> print(most_common(count_table(s, ["segment.housing.investment"], lang="nl"), s, lang="nl"))
    Meest gegeven antwoord: Alleen kaderstellend en faciliterend voor woningbouw (10 van 18 (56%), een meerderheid).
    """
    check_lang(lang)
    by_var: dict = {}
    for row, cell in shown_cells(table):
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
    short = lambda v: subject_label(study, v, lang)  # noqa: E731
    parts = ["Meest gegeven antwoord: " if lang == "nl" else "Most common answer: "]
    first = True
    for codes, items in groups.items():
        if not first:
            parts.append("; ")
        first = False
        var0 = items[0][0]
        parts.append(" / ".join(code_label(study, var0, c, lang) for c in codes))
        parts.append(" voor " if lang == "nl" else " for ")
        entries = []
        for var, r, c in items:
            maj = (", een meerderheid" if lang == "nl" else ", a majority") if c.n > c.k > c.n / 2 else ""
            entries.append([f"{short(var)} (", whole_num(table, r, c), f"{maj})"])
        parts += join_parts(entries, lang)
    if none:
        parts.append("; " if not first else "")
        parts.append("geen duidelijk meest gegeven antwoord voor " if lang == "nl" else "no single most common answer for ")
        parts += join_parts([short(v) for v in none], lang)
    parts.append(".")
    return Sentence(parts, lang)


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
    >>> print(activities(count_table(s, ["sourcing.strategy"]), s))
    Done in-house by a majority of municipalities: strategy and policy (13 of 18 (72%)). Outsourced by a majority:
    none.
    >>> print(activities(count_table(s, ["sourcing.strategy", "sourcing.execution"], lang="nl"), s, lang="nl"))
    Door meer dan de helft van de gemeenten zelf gedaan: strategische afwegingen en beleid (13 van 18 (72%));
    uitvoering (16 van 18 (89%)). Door meer dan de helft uitbesteed: geen.
    """
    check_lang(lang)
    inside, outside, neither = [], [], []
    for var in dict.fromkeys(r.variable for r in table.rows):
        cells = {r.codes: (r, c) for r, c in shown_cells(table) if r.variable == var}
        home, out = cells.get(("in_house",)), cells.get(("outsourced",))
        if home and home[1].n and 2 * home[1].k > home[1].n:
            inside.append([subject_label(study, var, lang).lower(), " (", whole_num(table, *home), ")"])
        elif out and out[1].n and 2 * out[1].k > out[1].n:
            outside.append([subject_label(study, var, lang).lower(), " (", whole_num(table, *out), ")"])
        else:
            neither.append(subject_label(study, var, lang).lower())
    none = "geen" if lang == "nl" else "none"
    units = {"municipality": ("municipalities", "gemeenten"), "interview": ("respondents", "respondenten")}.get(
        table.unit, ("units", "gemeenten of respondenten"))[lang == "nl"]
    if lang == "nl":
        parts = [f"Door meer dan de helft van de {units} zelf gedaan: "] + (join_parts(inside, lang) or [none]) + \
                [". Door meer dan de helft uitbesteed: "] + (join_parts(outside, lang) or [none]) + ["."]
        if neither:
            parts += [" Zonder meerderheid voor zelf of uitbesteed: "] + join_parts(neither, lang) + ["."]
    else:
        parts = [f"Done in-house by a majority of {units}: "] + (join_parts(inside, lang) or [none]) + \
                [". Outsourced by a majority: "] + (join_parts(outside, lang) or [none]) + ["."]
        if neither:
            parts += [" No majority either way: "] + join_parts(neither, lang) + ["."]
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
        A suppressed cell shows as "–".

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> s = cm.load_study()
    >>> items = [("structure.tenderboard", "yes"), ("structure.project_bureau", "yes")]
    >>> print(cells(count_table(s, ["structure.tenderboard", "structure.project_bureau"]), items))
    Tenderboard: Yes: 6 of 18 (33%).
    Project management bureau: Yes: all 18.
    >>> table = count_table(s, ["structure.tenderboard", "structure.project_bureau"], lang="nl")
    >>> print(cells(table, items, lang="nl"))
    Tenderboard: Ja: 6 van 18 (33%).
    Projectmanagementbureau: Ja: alle 18.
    """
    check_lang(lang)
    parts = []
    for i, (variable, codes) in enumerate(items):
        codes = (codes,) if isinstance(codes, str) else tuple(codes)
        row = next(r for r in table.rows if r.variable == variable and r.codes == codes)
        cell = table.value(variable, codes)
        if i:
            parts.append("\n")
        parts += [f"{row.label}: ", whole_num(table, row, cell) if cell.shown else "–", "."]
    return Sentence(parts, lang)


WITHHELD = {"en": "not shown (a count for this selection is withheld to protect respondents).",
            "nl": "niet getoond (een aantal voor deze selectie wordt niet gegeven, ter bescherming van de respondenten)."}


def named(study, variable: str, code: str, *, lang: str = "en", publish: bool = False, protection=None) -> Sentence:
    """Which municipalities have a code of a municipality-level variable; when publishing, only
    how many (a single municipality's value is never published), and with `protection` (the
    report's, `cm.protection`) not even that where it withholds the selection's count.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> s = cm.load_study()
    >>> print(named(s, "structure.tenderboard", "yes"))
    Tenderboard, yes: 6 of 18 municipalities (33%): Delft, Den Haag, Groningen, Leeuwarden, Maasluis and Rotterdam.
    >>> print(named(s, "structure.tenderboard", "yes", lang="nl", publish=True))
    Tenderboard, ja: 6 van 18 gemeenten (33%).
    >>> west = cm.protection(s.filter(region="West"), publish=True)
    >>> print(named(west.study, "network.partner_discussion", "structural", publish=True, protection=west))
    Commissioning discussed with partners, structurally: not shown (a count for this selection is withheld to protect respondents).
    """
    check_lang(lang)
    values = unit_values(study, variable, unit="municipality")
    hits = values[values.code == code]
    label = study.codebook.code_label(variable, code, lang).lower()
    subject = subject_label(study, variable, lang).lower()
    n, k = len(values), len(hits)
    noun = "gemeenten" if lang == "nl" else "municipalities"
    count = Num(k, n, variable, (code,), "municipality", noun=noun)
    head = f"{subject[0].upper() + subject[1:]}, {label}: "
    if protection is not None and not protection.shown(variable, None, "all", "municipality"):
        return Sentence([head, WITHHELD[lang]], lang)
    if publish or not k:
        return Sentence([head, count, "."], lang)
    names = sorted(study.municipalities.set_index("cbs_code").loc[hits.municipality, "study_name"])
    return Sentence([head, count, ": "] + join_parts(names, lang) + ["."], lang)
