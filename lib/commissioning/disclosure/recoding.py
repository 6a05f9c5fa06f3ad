"""Global recoding: size classes too small to publish merged with their neighbour, and the
threshold and group vocabulary of the disclosure control."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from ..core import THRESHOLD


MIN_MUNICIPALITIES = THRESHOLD  # the common threshold rule: a subgroup shown must hold three or more


BY_CHOICES = (None, "size_class", "region", "rank")


#: the groupings of a national run's tables (the others are crosses shown by filtered runs)
NATIONAL_BY = BY_CHOICES


UNITS = ("municipality", "interview")


#: the grouping of a block by the dimensions it selects on (region, size group, rank): the single
#: groupings of a national run's tables, and the crosses that a filtered run of a release shows
CROSS_BY = {(): None, ("size_class",): "size_class", ("region",): "region", ("rank",): "rank",
            ("region", "size_class"): "region_size", ("region", "rank"): "region_rank",
            ("size_class", "rank"): "size_rank", ("region", "size_class", "rank"): "region_size_rank"}


def block_key(unit: str, region=None, group=None, rank=None, **attributes) -> tuple:
    """The key of a block: (unit, grouping, group), the group of a cross joined by "|" in the order
    region, size group, rank, then the codebook's further attributes (a province...) by name.

    Returns
    -------
    tuple

    Examples
    --------
    >>> block_key("municipality"), block_key("interview", group="small")
    (('municipality', None, 'all'), ('interview', 'size_class', 'small'))
    >>> block_key("interview", region="Zuid", group="large+very_large", rank="2")
    ('interview', 'region_size_rank', 'Zuid|large+very_large|2')
    >>> block_key("municipality", province="Zeeland"), block_key("municipality", region="Zuid", province="Zeeland")
    (('municipality', 'province', 'Zeeland'), ('municipality', 'region|province', 'Zuid|Zeeland'))
    """
    parts = [(d, v) for d, v in (("region", region), ("size_class", group), ("rank", rank)) if v is not None]
    extra = [(a, attributes[a]) for a in sorted(attributes) if attributes[a] is not None]
    if not parts and not extra:
        return (unit, None, ALL)
    if not extra:
        return (unit, CROSS_BY[tuple(d for d, _ in parts)], "|".join(str(v) for _, v in parts))
    dims = parts + extra
    return (unit, "|".join(d for d, _ in dims), "|".join(str(v) for _, v in dims))


ALL = "all"


ALL_LABEL = {"en": "All", "nl": "Alle"}


RANK_LABEL = {"en": "Rank {r}", "nl": "Plaats {r}"}


TEXT = {
    "en": "hidden: fewer than {m} municipalities",
    "nl": "verborgen: minder dan {m} gemeenten",
}


def join_labels(labels: list[str], lang: str) -> str:
    """'Large and very large' / 'Groot en zeer groot': the first label as it is, the others in lower case.

    Returns
    -------
    str

    Examples
    --------
    >>> join_labels(["Large", "Very large"], "en")
    'Large and very large'
    >>> join_labels(["Klein", "Middelgroot", "Groot"], "nl")
    'Klein, middelgroot en groot'
    """
    parts = [labels[0], *(lab[:1].lower() + lab[1:] for lab in labels[1:])]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + {"en": " and ", "nl": " en "}[lang] + parts[-1]


def group_counts(munis: pd.DataFrame, column: str, codes) -> dict:
    """{code: (municipalities, interviews)} for the codes of `column` present in `munis`.

    Returns
    -------
    dict

    Examples
    --------
    >>> import commissioning as cm
    >>> group_counts(cm.load_study().municipalities, "size_class", ["small", "medium", "large", "very_large", "huge"])
    {'small': (3, 3), 'medium': (5, 6), 'large': (8, 11), 'very_large': (2, 4)}
    """
    grouped = munis.groupby(column)["n_interviews"].agg(["size", "sum"])
    return {c: (int(grouped.loc[c, "size"]), int(grouped.loc[c, "sum"])) for c in codes if c in grouped.index}


def recode_groups(study, threshold: int) -> tuple[list, list]:
    """The shown size groups, each a list of original classes in order, and the merges made
    [(merged classes, into classes, counts before)].

    Returns
    -------
    tuple of list
        (groups, merges).

    Examples
    --------
    >>> import commissioning as cm
    >>> recode_groups(cm.load_study(), 3)
    ([['small'], ['medium'], ['large', 'very_large']], [(['very_large'], ['large'], (2, 4))])
    >>> recode_groups(cm.load_study(), 1)[1]
    []
    """
    attr = study.codebook.attributes["size_class"]
    counts = group_counts(study.municipalities, "size_class", attr.code_list)
    groups = [[c] for c in attr.code_list if c in counts]
    merges = []

    def size(g):
        return sum(counts[c][0] for c in g), sum(counts[c][1] for c in g)

    while len(groups) > 1:
        below = [i for i, g in enumerate(groups) if min(size(g)) < threshold]
        if not below:
            break
        i = min(below, key=lambda i: (*size(groups[i]), i))
        neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(groups)]
        j = min(neighbours, key=lambda j: (*size(groups[j]), -j))
        merges.append((list(groups[i]), list(groups[j]), size(groups[i])))
        lo, hi = sorted((i, j))
        groups[lo:hi + 1] = [groups[lo] + groups[hi]]
    return groups, merges


def recoded_study(study, groups: list) -> tuple:
    """(study, size_map): the study with its size classes replaced by the shown groups.

    Returns
    -------
    tuple
        (the recoded study, or `study` itself when nothing is merged; {original class: group code}).

    Examples
    --------
    >>> import commissioning as cm
    >>> study = cm.load_study()
    >>> recoded, size_map = recoded_study(study, [["small"], ["medium"], ["large", "very_large"]])
    >>> size_map["very_large"], recoded.codebook.attributes["size_class"].codes["large+very_large"]
    ('large+very_large', {'en': 'Large and very large', 'nl': 'Groot en zeer groot'})
    >>> sorted(set(recoded.municipalities["size_class"]))
    ['large+very_large', 'medium', 'small']
    >>> recoded_study(study, [["small"], ["medium"], ["large"], ["very_large"]])[0] is study
    True
    """
    attr = study.codebook.attributes["size_class"]
    size_map = {c: "+".join(g) for g in groups for c in g}
    if all(len(g) == 1 for g in groups):
        return study, size_map
    codes, thresholds = {}, {}
    inside = {c for g in groups for c in attr.code_list[attr.code_list.index(g[0]):attr.code_list.index(g[-1]) + 1]}
    old = attr.extra.get("thresholds", {})
    shown = {g[0]: g for g in groups}
    for c in attr.code_list:  # absent classes stay, unless a merged group spans them
        if c in shown:
            g = shown[c]
            code = "+".join(g)
            codes[code] = {lang: join_labels([attr.codes[m][lang] for m in g], lang) for lang in ("en", "nl")}
            if c in old:
                thresholds[code] = old[c]
        elif c not in inside:
            codes[c] = dict(attr.codes[c])
            if c in old:
                thresholds[c] = old[c]
    new_attr = replace(attr, codes=codes, extra={**attr.extra, "thresholds": thresholds})
    codebook = replace(study.codebook, attributes={**study.codebook.attributes, "size_class": new_attr})

    def recode(frame):
        out = frame.copy()
        out["size_class"] = out["size_class"].map(size_map).fillna(out["size_class"])
        return out

    filters = dict(study.filters)
    if filters.get("size_class") in size_map:
        filters["size_class"] = size_map[filters["size_class"]]
    recoded = replace(study, municipalities=recode(study.municipalities), interviews=recode(study.interviews),
                      codings=recode(study.codings), codebook=codebook, filters=filters)
    return recoded, size_map


RULES = {
    "merge_size_class": {
        "en": "size class with fewer than {t} municipalities or respondents: merged with its neighbour",
        "nl": "grootteklasse met minder dan {t} gemeenten of respondenten: samengevoegd met de buurklasse"},
    "region_below_threshold": {
        "en": "region with fewer than {t} municipalities or respondents: suppressed",
        "nl": "regio met minder dan {t} gemeenten of respondenten: weggelaten"},
    "region_complement": {
        "en": "smallest other region, suppressed so that the total does not give a suppressed region by subtraction",
        "nl": "kleinste andere regio, weggelaten zodat het totaal een weggelaten regio niet door aftrekken geeft"},
    "selection_below_threshold": {
        "en": "the selection has fewer than {t} municipalities or respondents: nothing is shown",
        "nl": "de selectie heeft minder dan {t} gemeenten of respondenten: niets wordt getoond"},
    "per_municipality_by_interview": {
        "en": "a variable coded per municipality is shown per municipality only: counted per interview it weighs "
              "each municipality by its number of interviews, and the two counts together would give the value of "
              "a municipality with several interviews",
        "nl": "een variabele die per gemeente is gecodeerd wordt alleen per gemeente getoond: per interview geteld "
              "weegt elke gemeente met haar aantal interviews, en samen zouden beide tellingen de waarde geven van "
              "een gemeente met meerdere interviews"},
    "group_below_threshold": {
        "en": "a group of fewer than {t} municipalities or respondents",
        "nl": "een groep van minder dan {t} gemeenten of respondenten"},
    "few_values": {
        "en": "fewer than {t} municipalities or respondents with an answer",
        "nl": "minder dan {t} gemeenten of respondenten met een antwoord"},
    "linked_tables": {
        "en": "the published cells together would determine {protects}",
        "nl": "de gepubliceerde cellen samen zouden {protects} vastleggen"},
    "complementary": {
        "en": "complementary suppression: otherwise the published cells together would still determine {protects}",
        "nl": "aanvullend weggelaten: anders zouden de gepubliceerde cellen samen nog {protects} vastleggen"},
}


def log_entry(action: str, rule: str, *, variable=None, key=None, merged=None, into=None, protects=(), n=None) -> dict:
    """One entry of the disclosure log (see `Protection.log`); `key` is a block's (unit, by, group).

    Returns
    -------
    dict

    Examples
    --------
    >>> log_entry("suppressed", "few_values", variable="sourcing.design", key=("interview", "region", "Noord"), n=2)
    {'action': 'suppressed', 'rule': 'few_values', 'variable': 'sourcing.design', 'unit': 'interview', 'by': 'region', 'group': 'Noord', 'merged': None, 'into': None, 'protects': [], 'n': 2}
    """
    unit, by, group = key if key is not None else (None, None, None)
    return {"action": action, "rule": rule, "variable": variable, "unit": unit, "by": by, "group": group,
            "merged": merged, "into": into, "protects": list(protects), "n": n}
