"""What a table of counts is about, in words: its caption and the header of its row labels.

Every table a report shows has a caption that says what it counts, by which group and in which
unit, computed from the variables it holds (so that a table of one's own codebook is captioned
too), and a header over its row labels, so that no header cell is empty.

Examples
--------
>>> import commissioning as cm
>>> cb = cm.load_study().codebook
>>> count_caption(cb, ["sourcing.design", "sourcing.execution"], by="size_class", unit="municipality",
...               codes=[("mixed", "outsourced")], lang="nl")
'Activiteiten: zelf of uitbesteed, per grootteklasse; geteld: deels uitbesteed of uitbesteed (aantal gemeenten)'
"""

from __future__ import annotations

from .texts import CHAPTERS

CAPTION_TEXT = {
    "en": {"by": {None: "", "none": "", "size_class": ", by size class", "region": ", by region",
                  "rank": ", by place in the top three"}, "by_attribute": ", by {name}",
           "unit": {"municipality": "number of municipalities", "interview": "number of respondents",
                    "mention": "number of mentions"},
           "counted": "; counted: {codes}", "or": " or ", "and": " and ", "variables": "{n} questions",
           "mentions": "Mentions of the aspects of the maturity model",
           "row": {"both": "Question and answer", "code": "Answer", "variable": "Question", "mention": "Aspect"}},
    "nl": {"by": {None: "", "none": "", "size_class": ", per grootteklasse", "region": ", per regio",
                  "rank": ", per plaats in de top drie"}, "by_attribute": ", per {name}",
           "unit": {"municipality": "aantal gemeenten", "interview": "aantal respondenten",
                    "mention": "aantal vermeldingen"},
           "counted": "; geteld: {codes}", "or": " of ", "and": " en ", "variables": "{n} vragen",
           "mentions": "Vermeldingen van de aspecten van het Maturity Model",
           "row": {"both": "Vraag en antwoord", "code": "Antwoord", "variable": "Vraag", "mention": "Aspect"}},
}
# What one row of a table of a theme is, as the header of the row labels.
THEME_NOUN = {"activities": ("Activity", "Activiteit"), "segments": ("Segment", "Segment"),
              "agenda": ("Question", "Vraag"), "maturity": ("Aspect", "Aspect")}


def common_prefix(labels: list[str]) -> str:
    """The part before ": " that every label shares ('Rol bij investeren'), or "".

    Returns
    -------
    str

    Examples
    --------
    >>> common_prefix(["Rol bij investeren: woningbouw", "Rol bij investeren: openbare ruimte"])
    'Rol bij investeren'
    >>> common_prefix(["Ontwerp", "Uitvoering"]), common_prefix(["Rol: a"])
    ('', '')
    """
    if len(labels) < 2 or not all(": " in label for label in labels):
        return ""
    heads = {label.split(": ", 1)[0] for label in labels}
    return heads.pop() if len(heads) == 1 else ""


def _subject(codebook, variables, lang: str) -> str:
    """What the rows are about: one variable's label, the part its labels share, the chapter of
    their theme, or their labels (three at most), else how many questions."""
    labels = [codebook.label(v, lang) for v in variables]
    if len(labels) == 1:
        return labels[0]
    prefix = common_prefix(labels)
    if prefix:
        return prefix
    themes = {codebook.variables[v].theme for v in variables}
    if len(themes) == 1 and next(iter(themes)) in CHAPTERS:
        title = CHAPTERS[next(iter(themes))][lang == "nl"]
        return title.rsplit(" (", 1)[0]
    if len(labels) <= 3:
        t = CAPTION_TEXT[lang]
        return ", ".join(labels[:-1]) + t["and"] + labels[-1][:1].lower() + labels[-1][1:]
    return CAPTION_TEXT[lang]["variables"].format(n=len(labels))


def count_caption(codebook, variables, *, by, unit: str, codes=None, lang: str = "en") -> str:
    """The caption of a table of counts: what it counts, by which group, which codes, in which unit.

    Parameters
    ----------
    codebook : Codebook
    variables : list of str
    by : {None, "size_class", "region", "rank"}
    unit : {"municipality", "interview", "mention"}
    codes : list of tuple, optional
        The code sets the rows count when not every code has a row of its own.
    lang : {"en", "nl"}

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> investment = [v for v in cb.variables if v.startswith("segment.") and v.endswith(".investment")]
    >>> count_caption(cb, investment, by=None, unit="municipality", lang="en")
    'Investment role (number of municipalities)'
    >>> count_caption(cb, ["maturity.top3"], by="rank", unit="mention", lang="nl")
    'Vermeldingen van de aspecten van het Maturity Model, per plaats in de top drie (aantal vermeldingen)'
    """
    t = CAPTION_TEXT[lang]
    if unit == "mention":
        subject = t["mentions"]
    else:
        subject = _subject(codebook, variables, lang)
    counted = ""
    if codes:
        first = codebook.variables[variables[0]]
        words = [t["or"].join(first.code_label(c, lang).lower() for c in code_set) for code_set in codes]
        counted = t["counted"].format(codes="; ".join(words))
    if by in t["by"]:
        grouping = t["by"][by]
    else:  # a further attribute of the codebook, by its name
        grouping = t["by_attribute"].format(name=codebook.attributes[by].label[lang].lower())
    return f"{subject}{grouping}{counted} ({t['unit'][unit]})"


def row_header(codebook, variables, *, label: str, lang: str = "en") -> str:
    """The header of a table's row labels: what one row is ('Activiteit', 'Vraag en antwoord').

    Returns
    -------
    str

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> row_header(cb, ["sourcing.design", "sourcing.execution"], label="variable", lang="nl")
    'Activiteit'
    >>> row_header(cb, ["organisation.model"], label="both", lang="en")
    'Question and answer'
    """
    t = CAPTION_TEXT[lang]
    if label in ("variable", "grid"):
        themes = {codebook.variables[v].theme for v in variables}
        if len(themes) == 1 and next(iter(themes)) in THEME_NOUN:
            return THEME_NOUN[next(iter(themes))][lang == "nl"]
        return t["row"]["variable"]
    return t["row"].get(label, t["row"]["both"])
