"""The auditor's check of prose: no sentence names a group below the threshold (a municipality,
a size class, a region, a region x size class cell) with a number or an all/none word.

Part of the independent auditor (`commissioning.disclosure.audit`); it shares no code with the
disclosure engine.
"""

from __future__ import annotations

import re

from .audit_facts import Facts

ALL_NONE_WORDS = {
    "en": ["all", "every", "each", "none", "no", "nobody", "neither", "both", "only", "always", "never", "whole",
           "entire", "most", "majority", "half", "one", "two", "three", "four", "five", "six", "seven", "eight",
           "nine", "ten", "single", "sole"],
    "nl": ["alle", "allemaal", "allebei", "elke", "ieder", "iedere", "geen", "niemand", "beide", "alleen",
           "slechts", "altijd", "nooit", "geheel", "meeste", "meerderheid", "helft", "één", "twee", "drie", "vier",
           "vijf", "zes", "zeven", "acht", "negen", "tien", "enige"],
}
CITATION = re.compile(r"(?:TU|Technische Universiteit)\s+Delft|Delft\s*:\s*TU\b", re.I)


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
    """The label of merged size classes in `lang` ("Large and very large")."""
    labels = [facts.codebook["attributes"]["size_class"]["codes"][c][lang] for c in codes]
    parts = [labels[0], *(lab[:1].lower() + lab[1:] for lab in labels[1:])]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + {"en": " and ", "nl": " en "}[lang] + parts[-1]


def protected_names(facts: Facts, threshold: int) -> tuple[list, list]:
    """The names of the protected groups, as regular expressions.

    Every municipality's names (with their capitals), and the labels (en, nl, with Dutch
    inflections) of each size class and region below the threshold; a region x size class cell
    below the threshold is a pair, named when both labels occur.

    Returns
    -------
    tuple of list
        (single patterns [(pattern, what)], pairs [((pattern, pattern), what)]).

    Examples
    --------
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> from commissioning.data.files import default_data_dir
    >>> singles, pairs = protected_names(read_facts(default_data_dir()), 3)
    >>> pattern, what = singles[0]
    >>> what, bool(re.search(pattern, "In Groningen")), bool(re.search(pattern, "in groningen"))
    ('Groningen', True, False)
    >>> [what for _, what in singles][-2:]  # the size class below the threshold, in English and Dutch
    ['Very large', 'Very large']
    >>> [what for _, what in pairs][:3]
    ['North x Medium', 'North x Medium', 'West x Small']
    """
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
        Merged size classes shown anywhere, e.g. ``{("large", "very_large")}``: their labels are
        taken out of a sentence first (they name no protected group).

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
    en/05.html: the sentence 'Large and very large: 2 of 8.' names Very large (a group below the threshold) with a number or an all/none word
    >>> check_prose(["Large and very large: 2 of 8."], "en/05.html", facts, 3, {("large", "very_large")})
    []
    """
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
