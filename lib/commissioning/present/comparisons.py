"""Sentences that compare and rank: the highest and lowest share, the group with the highest
share, what one unit does to a group's share, the most mentioned maturity aspects and what the
bootstrap settles of their ranking.

Each function reads a table the report shows and returns a `Sentence` in the report's language
(see the door, `commissioning.present`).

Examples
--------
>>> import commissioning as cm
>>> from commissioning.present.tables import mention_table
>>> print(below_top(mention_table(cm.load_study(), lang="nl"), lang="nl"))
De 5 aspecten onder de top 5 krijgen samen 19 van de 72 vermeldingen, elk tussen 0 en 7.
"""

from __future__ import annotations

from ..core import check_lang, percent_half_up, thousands
from .sentence import Num, Sentence, shown_cells, join_parts, whole_num
from .tables import ALL, CountTable


def extremes(table: CountTable, study, *, lang: str = "en", what: str = "") -> Sentence:
    """The highest and the lowest share among the rows of an overall table (e.g. the structures a
    municipality has, or the activities most often (partly) outsourced).

    Parameters
    ----------
    table : CountTable
    study : Study
    lang : {"en", "nl"}
    what : str
        Words put before the sentence.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> s = cm.load_study()
    >>> structures = ["structure.engineering_bureau", "structure.project_bureau", "structure.tenderboard"]
    >>> print(extremes(count_table(s, structures, codes=["yes"]), s))
    Highest: Project management bureau (all 18); lowest: Tenderboard (6 of 18 (33%)).
    >>> print(extremes(count_table(s, structures, codes=["yes"], lang="nl"), s, lang="nl"))
    Het hoogst: Projectmanagementbureau (alle 18); het laagst: Tenderboard (6 van 18 (33%)).
    """
    check_lang(lang)
    cells = [(r, c) for r, c in shown_cells(table) if c.n]
    if not cells:
        return Sentence(["Niemand gaf een antwoord." if lang == "nl" else "No unit has a value."], lang)
    share = lambda rc: rc[1].k / rc[1].n  # noqa: E731
    hi = max(share(rc) for rc in cells)
    lo = min(share(rc) for rc in cells)
    top = [rc for rc in cells if share(rc) == hi]
    bottom = [rc for rc in cells if share(rc) == lo]
    lab = lambda r: r.label.split(": ")[0] if table.rows and len({x.codes for x in table.rows}) == 1 else r.label  # noqa: E731
    if hi == lo:
        return Sentence([("Alle rijen hebben hetzelfde aandeel: " if lang == "nl" else "Every row has the same share: "),
                         whole_num(table, *cells[0]), "."], lang)
    if lang == "nl":
        parts = [f"{what}Het hoogst: "] + join_parts([[lab(r), " (", whole_num(table, r, c), ")"] for r, c in top], lang) + \
                ["; het laagst: "] + join_parts([[lab(r), " (", whole_num(table, r, c), ")"] for r, c in bottom], lang) + ["."]
    else:
        parts = [f"{what}Highest: "] + join_parts([[lab(r), " (", whole_num(table, r, c), ")"] for r, c in top], lang) + \
                ["; lowest: "] + join_parts([[lab(r), " (", whole_num(table, r, c), ")"] for r, c in bottom], lang) + ["."]
    return Sentence(parts, lang)


def group_sizes(table: CountTable, *, lang: str = "en", unit_word: str | None = None) -> Sentence:
    """How many units each group column of a table holds, and what one unit does to a share.

    Only the groups the table shows are counted: a suppressed group's size is not given, and the
    sentence says how many groups are left out.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> t = count_table(cm.load_study(), "organisation.model", by="size_class")
    >>> print(group_sizes(t))
    The groups hold between 2 and 8 municipalities: one municipality more or less moves a share by between
    13 and 50 percentage points.
    >>> print(group_sizes(t, lang="nl"))
    De groepen tellen tussen 2 en 8 gemeenten: één gemeente meer of minder verschuift een aandeel met
    tussen 13 en 50 procentpunt.
    >>> print(group_sizes(cm.Report(lang="nl", publish=True).mentions(by="region"), lang="nl"))
    De enige getoonde groep telt 27 vermeldingen: één vermelding meer of minder verschuift een aandeel met 4
    procentpunt. 2 groepen zijn weggelaten.
    """
    check_lang(lang)
    sizes, hidden = [], 0
    for i, (g, _) in enumerate(table.groups):
        if g == ALL:
            continue
        ns = [r.cells[i].n for r in table.rows if r.cells[i].shown]
        if ns and max(ns):
            sizes.append(max(ns))
        elif any(not r.cells[i].shown for r in table.rows):
            hidden += 1
    if not sizes:
        return Sentence(["Geen groep om te vergelijken." if lang == "nl" else "No group to compare."], lang)
    unit = unit_word or {"municipality": ("municipalities", "gemeenten"), "interview": ("respondents", "respondenten"),
                         "mention": ("mentions", "vermeldingen")}.get(table.unit, ("units", "eenheden"))[lang == "nl"]
    one = {"municipality": ("municipality", "gemeente"), "interview": ("respondent", "respondent"),
           "mention": ("mention", "vermelding")}.get(table.unit, ("unit", "eenheid"))[lang == "nl"]
    lo, hi = min(sizes), max(sizes)
    step_lo, step_hi = percent_half_up(1, hi), percent_half_up(1, lo)
    unit = one if hi == 1 else unit
    if lang == "nl":
        groups = f"De {len(sizes)} getoonde groepen tellen" if hidden else "De groepen tellen"
        span = f"tussen {lo} en {hi}" if lo != hi else f"elk {lo}"
        if len(sizes) == 1:
            groups, span = ("De enige getoonde groep telt" if hidden else "De groep telt"), f"{lo}"
        moves = f"tussen {step_lo} en {step_hi}" if step_lo != step_hi else f"{step_lo}"
        left = "" if not hidden else (" 1 groep is weggelaten." if hidden == 1 else f" {hidden} groepen zijn weggelaten.")
        return Sentence([f"{groups} {span} {unit}: één {one} meer of minder verschuift een aandeel met "
                         f"{moves} procentpunt.{left}"], lang)
    groups = f"The {len(sizes)} groups shown hold" if hidden else "The groups hold"
    span = f"between {lo} and {hi} {unit}" if lo != hi else f"{lo} {unit} each"
    if len(sizes) == 1:
        groups, span = ("The only group shown holds" if hidden else "The group holds"), f"{lo} {unit}"
    moves = f"between {step_lo} and {step_hi}" if step_lo != step_hi else f"{step_lo}"
    points = "percentage point" if step_hi == 1 else "percentage points"
    left = "" if not hidden else (" 1 group is suppressed." if hidden == 1 else f" {hidden} groups are suppressed.")
    return Sentence([f"{groups} {span}: one {one} more or less moves a share by {moves} {points}.{left}"], lang)


def highest_group(table: CountTable, study, *, lang: str = "en") -> Sentence:
    """Per row of a table by group: the group with the highest share and the one with the lowest.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import count_table
    >>> s = cm.load_study()
    >>> t = count_table(s, "procurement.central_unit", by="size_class", codes=["yes"])
    >>> print(highest_group(t, s))
    Central procurement unit: Yes: most often in large (6 of 8 (75%)), least often in very large (none of the 2).
    >>> t = count_table(s, "procurement.central_unit", by="size_class", codes=["yes"], lang="nl")
    >>> print(highest_group(t, s, lang="nl"))
    Centrale inkoopafdeling: Ja: het vaakst bij groot (6 van 8 (75%)), het minst vaak bij zeer groot (geen van de 2).
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
        fmt = lambda items: join_parts([[label.lower(), " (", Num(c.k, c.n, row.variable, row.codes, table.unit,  # noqa: E731
                                                              table.by or "none", g, words=True), ")"]
                                   for g, label, c in items], lang)
        if lang == "nl":
            parts += [f"{row.label}: het vaakst bij "] + fmt(top) + [", het minst vaak bij "] + fmt(bottom) + ["."]
        else:
            parts += [f"{row.label}: most often in "] + fmt(top) + [", least often in "] + fmt(bottom) + ["."]
    if not parts:
        parts = ["Te weinig groepen om te vergelijken." if lang == "nl" else "Too few groups to compare."]
    return Sentence(parts, lang)


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
    >>> print(top_mentions(mention_table(cm.load_study()), n=2))
    Of 72 mentions, the most mentioned aspects are: 1. People and competences, 15 of 72 (21%);
    2. Culture and leadership, 11 of 72 (15%). Never mentioned: Organisation and policy.
    >>> print(top_mentions(mention_table(cm.load_study(), lang="nl"), lang="nl", n=2))
    Van 72 vermeldingen zijn de meest genoemde aspecten: 1. Mensen & competenties, 15 van 72 (21%);
    2. Cultuur en leiderschap, 11 van 72 (15%). Nooit genoemd: Organisatie & beleid.
    """
    check_lang(lang)
    cells = shown_cells(table)
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
        parts += [f"{place}. {r.label}, ", whole_num(table, r, c)]
        shown += 1
    parts.append(".")
    never = [r.label for k, _, r, c in counts if k == 0]
    if never:
        parts += [" Nooit genoemd: " if lang == "nl" else " Never mentioned: "] + join_parts(never, lang) + ["."]
    return Sentence(parts, lang)


def below_top(table: CountTable, *, lang: str = "en", n: int = 5) -> Sentence:
    """How many mentions the aspects below the first `n` places share, and the range of their counts.

    Returns
    -------
    Sentence
        Empty when the table has no more than `n` aspects.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.present.tables import mention_table
    >>> print(below_top(mention_table(cm.load_study())))
    The 5 aspects below the top 5 share 19 of the 72 mentions, each between 0 and 7.
    >>> print(below_top(mention_table(cm.load_study(), lang="nl"), lang="nl"))
    De 5 aspecten onder de top 5 krijgen samen 19 van de 72 vermeldingen, elk tussen 0 en 7.
    """
    check_lang(lang)
    ks = sorted((c.k for _, c in shown_cells(table)), reverse=True)
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
        `cm.bootstrap_top3` of the selection.
    lang : {"en", "nl"}
    level : float
        The share of the resamples in which an aspect must keep its place.

    Returns
    -------
    Sentence

    Examples
    --------
    >>> import commissioning as cm
    >>> s = cm.load_study()
    >>> print(bootstrap(cm.bootstrap_top3(s, n_resamples=100, seed=1)))
    An aspect keeps its place in at least 90% of the 100 resamples: Organisation and policy; the places of
    the other 9 are not settled.
    >>> print(bootstrap(cm.bootstrap_top3(s, n_resamples=100, seed=1, lang="nl"), lang="nl"))
    In minstens 90% van de 100 trekkingen houdt een aspect zijn plaats: Organisatie & beleid; de plaats van
    de andere 9 ligt niet vast.
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
        b = thousands(boot.n_resamples, lang)
        head = (f"In minstens {level:.0%} van de {b} trekkingen houdt een aspect zijn plaats: "
                if settled else f"Geen aspect houdt zijn plaats in minstens {level:.0%} van de {b} trekkingen")
        tail = f"; de plaats van de andere {n - len(settled)} ligt niet vast." if settled else "."
    else:
        b = thousands(boot.n_resamples, lang)
        head = (f"An aspect keeps its place in at least {level:.0%} of the {b} resamples: "
                if settled else f"No aspect keeps its place in at least {level:.0%} of the {b} resamples")
        tail = f"; the places of the other {n - len(settled)} are not settled." if settled else "."
    return Sentence([head] + (join_parts(settled, lang) if settled else []) + [tail], lang)
