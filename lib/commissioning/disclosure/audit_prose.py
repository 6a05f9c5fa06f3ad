"""The auditor's check of prose: no sentence names a group below the threshold (a municipality,
a size class, a region, a region x size class cell, a shown group within a filtered run's
selection) with a number or an all/none word.

A municipality or a region is named by its name (with its capitals). A size class is named by
its label only where the label is used as the name of a group, not as an ordinary adjective
("a large share", "small tables", "de grote lijn" name nothing). A label sequence -- one label,
or several joined by "and", "or", "en", "of", a comma or "/" ("large and very large") -- names
its classes when it is

a. followed by a group noun: "small municipalities", "kleine gemeenten", "the small ones",
   "in the small class", "grote en zeer grote gemeenten";
b. preceded by a class word: "size class small", "grootteklasse: klein";
c. followed by a colon, at the start of a sentence or a clause: "Small:", "...; large and very
   large: 7 of 10" (not "de verschillen zijn klein: ...");
d. quoted: "'very large'";
e. the whole sentence or cell ("Very large", a table's label);
f. capitalised as a label in the middle of a sentence ("in Very large");
g. followed by a number, at the start of a sentence or a clause or after a preposition ("Very
   large 2 of 2", "in very large (2 of 2)"; not "de verschillen zijn klein (2 punten)");
h. after "the", "de" or "het" and followed by punctuation or the end ("bij de zeer grote.");
i. two labels or more followed by punctuation or the end ("small and medium, ...").

A sequence whose classes are a merged size group of the release names that group (on a page of
a filtered run: the group within the page's selection); otherwise it names each class.

Part of the independent auditor (`commissioning.disclosure.audit`); it shares no code with the
disclosure engine.
"""

from __future__ import annotations

import re

from .audit_facts import Facts, below
from .audit_pages import without_threshold

ALL_NONE_WORDS = {
    "en": ["all", "every", "each", "none", "no", "nobody", "neither", "both", "only", "always", "never", "whole",
           "entire", "most", "majority", "half", "one", "two", "three", "four", "five", "six", "seven", "eight",
           "nine", "ten", "single", "sole"],
    "nl": ["alle", "allemaal", "allebei", "elke", "ieder", "iedere", "geen", "niemand", "beide", "alleen",
           "slechts", "altijd", "nooit", "meeste", "meerderheid", "helft", "één", "twee", "drie", "vier",
           "vijf", "zes", "zeven", "acht", "negen", "tien", "enige"],
}
CITATION = re.compile(r"(?:TU|Technische Universiteit)\s+Delft|Delft\s*:\s*TU\b|Delft\s+University\s+of\s+Technology"
                      # a section, table or figure of the study, and a citation by authors and year: no data
                      r"|(?:sections?|paragra(?:af|fen)|§|chapters?|hoofdstuk(?:ken)?|tables?|tabel(?:len)?|"
                      r"figures?|figuur|figuren)\s+\d+(?:\.\d+)*"
                      r"|[A-Z][\w-]+(?:,\s*[A-Z][\w-]+)*\s*(?:&|and|en)\s*[A-Z][\w-]+,?\s+(?:19|20)\d\d",
                      re.I)
_QUANTIFIED = re.compile(r"\d|(?<![\w-])(?:" + "|".join(
    re.escape(w) for lang in ALL_NONE_WORDS for w in ALL_NONE_WORDS[lang]) + r")(?![\w-])", re.I)
_NOUN = re.compile(r"\s*(?:municipalit(?:y|ies)|ones|councils|cities|towns|(?:size\s+)?(?:class|classes|groups?)"
                   r"|categor(?:y|ies)|gemeente[ns]?|groep(?:en)?|(?:grootte)?klassen?|categorieën|categorie|steden)"
                   r"(?![\w-])", re.I)
_CLASS_WORD = re.compile(r"(?:size\s+class(?:es)?|size\s+groups?|class(?:es)?|groups?|categor(?:y|ies)|"
                         r"(?:grootte)?klassen?|groep(?:en)?|categorie)\s*[:'\"‘“]?\s*$", re.I)
_JOINER = re.compile(r"\s*(?:,\s*(?:and|or|en|of)?|and|or|en|of|&|/)\s*(?:(?:the|de|het)\s+)?", re.I)
_LEAD = re.compile(r"(?:^|[;,(•:/\u2013\u2014-]|(?<![\w-])(?:in|among|for|at|bij|onder|voor|in de|in the))\s*$",
                   re.I)
_DEFINITE = re.compile(r"(?<![\w-])(?:the|de|het)\s*$", re.I)
_ENDS = re.compile(r"\s*(?:[,.;:)!?]|$)")


def inflections(word: str) -> str:
    """A word and its Dutch inflected forms as a regular expression (klein -> kleine, groot -> grote).

    Returns
    -------
    str

    Examples
    --------
    >>> bool(re.fullmatch(inflections("groot"), "grote")), bool(re.fullmatch(inflections("klein"), "kleine"))
    (True, True)
    """
    forms = {word, word + "e"}
    double = re.search(r"([aeiou])\1([^aeiou])$", word)
    if double:
        forms.add(word[:-2] + word[-1] + "e")
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def label_pattern(label: str) -> str:
    """A label as a regular expression, each word allowing a Dutch inflection (zeer groot -> zeer grote).

    Returns
    -------
    str

    Examples
    --------
    >>> bool(re.search(label_pattern("Zeer groot"), "de zeer grote gemeenten", re.I))
    True
    """
    words = [inflections(w) for w in label.lower().split()]
    return r"(?<![\w-])" + r"\s+".join(words) + r"(?![\w-])"


def merged_label(codes, facts: Facts, lang: str) -> str:
    """The label of merged size classes in `lang` ("Large and very large").

    Returns
    -------
    str

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> merged_label(("large", "very_large"), read_facts(default_data_dir()), "nl")
    'Groot en zeer groot'
    """
    labels = [facts.codebook["attributes"]["size_class"]["codes"][c][lang] for c in codes]
    parts = [labels[0], *(lab[:1].lower() + lab[1:] for lab in labels[1:])]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + {"en": " and ", "nl": " en "}[lang] + parts[-1]


def _label_regex(facts: Facts):
    """(one regular expression for every size class label in both languages, label -> code)."""
    forms = {}
    for code, labels in facts.codebook["attributes"]["size_class"]["codes"].items():
        for lang in ("en", "nl"):
            forms[labels[lang]] = code
    alternatives = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(f"({label_pattern(f)})" for f in alternatives), re.I), alternatives, forms


def _used_as_group(text: str, start: int, end: int, first: str, labels: int) -> bool:
    """Whether the label sequence text[start:end] (of `labels` labels, the first as matched:
    `first`) is used as the name of a group (rules a to i of the module)."""
    pre, post = text[:start], text[end:]
    if _NOUN.match(post) or _CLASS_WORD.search(pre):  # a, b
        return True
    if re.match(r"\s*:", post) and _LEAD.search(pre):  # c
        return True
    if re.search(r"['\"‘“]\s*$", pre) and re.match(r"\s*['\"’”]", post):  # d
        return True
    if not re.search(r"\w", pre) and not re.search(r"\w", post):  # e
        return True
    if first[:1].isupper() and re.search(r"\w", pre) and not re.search(r"[.!?:]\s*$", pre):  # f
        return True
    if re.match(r"\s*\(?\d", post) and _LEAD.search(pre):  # g
        return True
    return bool(_ENDS.match(post) and (_DEFINITE.search(pre) or labels > 1))  # h, i


def size_mentions(text: str, facts: Facts, merged=frozenset()) -> list[tuple]:
    """The size groups a sentence names (module docstring: a label used as a group's name).

    Parameters
    ----------
    text : str
        One sentence.
    facts : Facts
        The public facts (the codebook's labels).
    merged : set of tuple
        Merged size groups of the release, e.g. ``{("large", "very_large")}``.

    Returns
    -------
    list of tuple
        One tuple of size class codes per group named, in order.

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> size_mentions("In the very large municipalities 2 of 2 do.", facts)
    [('very_large',)]
    >>> size_mentions("A large share, 90%, uses small tables; de grote lijn.", facts)
    []
    >>> size_mentions("Large and very large: 7 of 10; small: 1 of 3.", facts, {("large", "very_large")})
    [('large', 'very_large'), ('small',)]
    """
    regex, alternatives, forms = _label_regex(facts)
    matches = [(m.start(), m.end(), forms[alternatives[m.lastindex - 1]], m.group(0)) for m in regex.finditer(text)]
    sequences = []
    for match in matches:
        if sequences and _JOINER.fullmatch(text[sequences[-1][-1][1]:match[0]]):
            sequences[-1].append(match)
        else:
            sequences.append([match])
    named = []
    for seq in sequences:
        if not _used_as_group(text, seq[0][0], seq[-1][1], seq[0][3], len(seq)):
            continue
        codes = {m[2] for m in seq}
        for group in sorted(merged, key=len, reverse=True):
            if set(group) <= codes:
                named.append(tuple(group))
                codes -= set(group)
        named += [(c,) for c in facts.size_order if c in codes]
    return named


def _names(facts: Facts) -> list[tuple]:
    """[(pattern, kind, code)] of every municipality's names and every region's labels (proper
    names: matched with their capitals)."""
    out = []
    for m in facts.munis:
        for name in facts.names[m]:
            out.append((re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])"), "municipality", m))
    for code, labels in facts.codebook["attributes"]["region"]["codes"].items():
        for label in {labels["en"], labels["nl"]}:
            out.append((re.compile(r"(?<![\w-])" + re.escape(label) + r"(?![\w-])"), "region", code))
    return out


def _display(facts: Facts, what: str, members) -> str:
    """How a message names a group: its label and its municipalities."""
    return f"{what} ({', '.join(facts.columns[m]['study_name'] for m in members)})"


def named_groups(sentence: str, facts: Facts, threshold: int, merged=frozenset(), within=None) -> list[str]:
    """The groups below the threshold that a sentence names, whatever it says of them.

    Parameters
    ----------
    sentence : str
        One sentence.
    facts : Facts
        The public facts.
    threshold : int
        The smallest group a reader may learn anything exact about.
    merged : set of tuple
        Merged size groups of the release.
    within : list, optional
        The municipalities of the page's selection (default: all): a shown group names its
        municipalities within it.

    Returns
    -------
    list of str
        How a message names each (label and municipalities), sorted; empty when none.

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts, selection_munis
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> text = "2 of 22 values (9%) in large and very large municipalities are mixed or outsourced."
    >>> named_groups(text, facts, 3, {("large", "very_large")})
    []
    >>> named_groups(text, facts, 3, {("large", "very_large")}, selection_munis(facts, {"region": ("Zuid",)}))
    ['Large and very large (Eindhoven, Tilburg)']
    >>> named_groups("Kleine gemeenten in Zuid: geen.", facts, 3)
    ['South x Small (Middelburg)']
    """
    within = list(facts.munis) if within is None else list(within)
    text = CITATION.sub(" ", sentence)
    found = set()
    regions = []
    for pattern, kind, code in _names(facts):
        if pattern.search(text):
            if kind == "municipality":
                found.add(facts.columns[code]["study_name"])
            else:
                regions.append(code)
    region_labels = facts.codebook["attributes"]["region"]["codes"]
    for code in regions:
        members = [m for m in within if facts.region[m] == code]
        if below(facts, members, threshold):
            found.add(_display(facts, region_labels[code]["en"], members))
    for classes in size_mentions(text, facts, merged):
        label = merged_label(classes, facts, "en")
        members = [m for m in within if facts.size[m] in classes]
        if below(facts, members, threshold):
            found.add(_display(facts, label, members))
        for code in regions:
            pair = [m for m in members if facts.region[m] == code]
            if below(facts, pair, threshold):
                found.add(_display(facts, f"{region_labels[code]['en']} x {label}", pair))
    return sorted(found)


def check_prose(sentences: list[str], page: str, facts: Facts, threshold: int, merged=frozenset(),
                within=None) -> list[str]:
    """The sentences that name a protected group with a number or an all/none word.

    Parameters
    ----------
    sentences : list of str
        A page's prose (`prose_sentences`).
    page : str
        The page's name, for the messages.
    facts : Facts
        The public facts.
    threshold : int
        The smallest group a reader may learn anything exact about.
    merged : set of tuple
        Merged size classes of the release, e.g. ``{("large", "very_large")}``: their label names
        the merged group.
    within : list, optional
        The municipalities of the page's selection (default: all). When it is itself below the
        threshold, every sentence with a number or an all/none word is about it: one problem.
        A phrase citing the threshold ("fewer than 3") is not a number.

    Returns
    -------
    list of str
        One problem per sentence at fault; empty when the prose is safe.

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> facts = read_facts(default_data_dir())
    >>> for p in check_prose(["Rotterdam outsources all of it.", "Large and very large: 2 of 8."],
    ...                      "en/05.html", facts, 3, set()):
    ...     print(p)
    en/05.html: the sentence 'Rotterdam outsources all of it.' names Rotterdam (a group below the threshold) with a number or an all/none word
    en/05.html: the sentence 'Large and very large: 2 of 8.' names Very large (Den Haag, Rotterdam) (a group below the threshold) with a number or an all/none word
    >>> check_prose(["Large and very large: 2 of 8.", "A very large share: 90%."], "en/05.html", facts, 3,
    ...             {("large", "very_large")})
    []
    """
    within = list(facts.munis) if within is None else list(within)
    quantified = [s for s in sentences if _QUANTIFIED.search(without_threshold(CITATION.sub(" ", s), threshold))]
    if below(facts, within, threshold) and quantified:
        return [f"{page}: the page's selection holds {len(within)} municipalities and "
                f"{len(facts.units('interview', within))} interviews, fewer than {threshold}, and "
                f"{len(quantified)} sentences state a number or an all/none word about it, e.g. {quantified[0]!r}"]
    problems = []
    for sentence in quantified:
        named = named_groups(sentence, facts, threshold, merged, within)
        if named:
            problems.append(f"{page}: the sentence {sentence!r} names {', '.join(named)} "
                            "(a group below the threshold) with a number or an all/none word")
    return problems
