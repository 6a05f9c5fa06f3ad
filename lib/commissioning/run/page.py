"""The page around a report: its template, its chrome in English or Dutch (`TEXT`) and its footer.

Every page declares its language (`<html lang="nl">`), and its chrome (footer, headings, column
names) comes from the text table `TEXT`, so a Dutch page holds no English chrome.
"""

from __future__ import annotations

import ast
import re
import functools
import html

from ..core import thousands
from .convert import Page

TEXT = {
    "en": {
        "language": "English",
        "all_reports": "All reports",
        "parameters": "parameters",
        "none": "none",
        "data_fingerprint": "data fingerprint",
        "shipped_data": "the shipped data",
        "folder": "the folder {name}",
        "data_dir_shipped": "shipped data",
        "data_dir_folder": "folder {name}",
        "index_title": "Commissioning: reports",
        "settings": "settings",
        "library": "software",
        "index_data": "Data: {label}, fingerprint {fingerprint}.",
        "index_library": "Library: commissioning {version}.",
        "index_common": "Settings of every report: {settings}.",
        "notebook": "Report",
        "parameters_column": "Settings",
        "data_column": "Data fingerprint",
        "not_made": "not made",
        "index_caption": "Every report, in Dutch and in English, with the settings it ran with",
        "about": "About the data",
        "about_units": ("The reports above ran on {label}: {n_m} municipalities, {n_i} interviews, coded by {n_c}. "
                        "Behind the analyses are {n_v} values, one per variable and municipality or respondent (as "
                        "each question was asked)."),
        "about_reconstructed": ("Of these values {reported} are reported (the study states them for every "
                                "municipality or for a named one), {derived} derived (they follow from a statement "
                                "of the study about a named group), {imputed} imputed (drawn at random within "
                                "everything the study publishes; the draw can be repeated exactly) and {observed} "
                                "observed. The "
                                "study's own interview codings are confidential and were never published: "
                                "imputed values are one dataset that fits the study, not what its respondents "
                                "said. A figure that rests on them shows what such data can look like, not a "
                                "finding of the study; the report on robustness shows which patterns hold in "
                                "every reconstruction and which differ from one to the next. Each table and "
                                "figure states the share of imputed values behind it."),
        "about_observed": ("Every one of these values is observed: a coding of an interview as its coder recorded "
                           "it. None is reconstructed, so the reports carry no notice of reconstruction."),
        "coder_one": "one coder", "coders_many": "{n} coders",
        "log_link": "Disclosure log: what publishing merged or suppressed, and the audit of the pages",
        "log_title": "Disclosure log",
        "log_about": "This log is about {label} ({selection}), fingerprint {fingerprint}.",
        "log_other": "Nederlandse versie hierboven",
        "every_municipality": "every municipality of the study",
        "log_intro": ("These reports are published with disclosure control (threshold {t}): no group of fewer than {t} "
                      "municipalities or respondents may be recoverable from the pages, by subtraction within a table, "
                      "across tables or across pages. Size classes too small are merged with their neighbour and "
                      "blocks whose counts would still give such a group away are suppressed. Below, per report, "
                      "what was merged or suppressed and by which rule, then what an independent audit of every "
                      "published page found."),
    },
    "nl": {
        "language": "Nederlands",
        "all_reports": "Alle rapporten",
        "parameters": "parameters",
        "none": "geen",
        "data_fingerprint": "vingerafdruk van de gegevens",
        "shipped_data": "de meegeleverde gegevens",
        "folder": "de map {name}",
        "data_dir_shipped": "meegeleverde gegevens",
        "data_dir_folder": "map {name}",
        "index_title": "Opdrachtgeverschap: rapporten",
        "settings": "instellingen",
        "library": "software",
        "index_data": "Gegevens: {label}, vingerafdruk {fingerprint}.",
        "index_library": "Software: commissioning {version}.",
        "index_common": "Instellingen van alle rapporten: {settings}.",
        "notebook": "Rapport",
        "parameters_column": "Instellingen",
        "data_column": "Vingerafdruk van de gegevens",
        "not_made": "niet gemaakt",
        "index_caption": "Alle rapporten, in het Nederlands en in het Engels, met de instellingen waarmee ze zijn gemaakt",
        "about": "Over de gegevens",
        "about_units": ("De rapporten hierboven zijn gemaakt met {label}: {n_m} gemeenten en {n_i} interviews, "
                        "gecodeerd door {n_c}. De analyses rusten op {n_v} waarden: één per vraag en per gemeente of "
                        "respondent, zoals de vraag is gesteld."),
        "about_reconstructed": ("Van deze waarden zijn er {reported} gerapporteerd: het onderzoek noemt ze voor "
                                "elke gemeente of voor een gemeente bij naam. Afgeleid zijn er {derived}: ze volgen "
                                "uit een uitspraak van het onderzoek over een benoemde groep. Geïmputeerd zijn er "
                                "{imputed}: willekeurig getrokken binnen alles wat het onderzoek publiceert, op een "
                                "manier die precies te herhalen is. Waargenomen zijn er {observed}. Hoe het onderzoek "
                                "zelf de interviews codeerde, is vertrouwelijk en nooit gepubliceerd. Geïmputeerde "
                                "waarden zijn dus één mogelijke verzameling gegevens die bij het onderzoek past, "
                                "niet wat de respondenten zeiden. Een figuur die erop rust, laat zien hoe zulke "
                                "gegevens eruit kunnen zien. Het is geen bevinding van het onderzoek. Het rapport "
                                "over robuustheid laat zien welke patronen in elke reconstructie standhouden en "
                                "welke per reconstructie verschillen. Bij elke tabel en figuur staat het aandeel "
                                "geïmputeerde waarden."),
        "about_observed": ("Al deze waarden zijn waargenomen: de codering van een interview zoals de codeur die "
                           "vastlegde. Geen ervan is gereconstrueerd. De rapporten hebben daarom geen melding over "
                           "reconstructie."),
        "coder_one": "één codeur", "coders_many": "{n} codeurs",
        "log_link": "Logboek statistische geheimhouding: wat bij publicatie is samengevoegd of weggelaten, en de controle "
                    "van de pagina's",
        "log_title": "Logboek statistische geheimhouding",
        "log_about": "Dit logboek gaat over {label} ({selection}), vingerafdruk {fingerprint}.",
        "log_other": "English version below",
        "every_municipality": "alle gemeenten van het onderzoek",
        "log_intro": ("Deze rapporten zijn gepubliceerd met statistische geheimhouding, met drempel {t}. Geen "
                      "groep van minder dan {t} gemeenten of respondenten mag uit de pagina's te herleiden zijn. Ook "
                      "niet door aantallen van elkaar af te trekken, binnen een tabel, tussen tabellen of tussen "
                      "pagina's. Te kleine grootteklassen zijn daarom samengevoegd met de naastgelegen klasse. "
                      "Blokken waarvan de aantallen zo'n groep nog zouden prijsgeven, zijn weggelaten. Hieronder "
                      "staat per rapport wat is samengevoegd of weggelaten en volgens welke regel. Daarna volgt wat "
                      "een onafhankelijke controle van elke gepubliceerde pagina vond."),
    },
}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1, h2, h3 { line-height: 1.25; }
a { color: #0b5cad; }
a.anchor-link { display: none; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 0 0 0.4rem; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
table.cm-counts td { white-space: nowrap; }
thead th { border-bottom: 2px solid #606060; }
img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5rem; }
.jp-OutputArea-output pre, .output_text pre { background: none; padding: 0; }
.meta { color: #555; font-size: 0.85rem; }
.cm-note { color: #444; font-size: 0.85rem; margin-top: -0.5rem; }
aside.notice { border-left: 4px solid #b35900; background: #fff6ea; padding: 0.5rem 1rem; margin: 0 0 1.5rem; }
""".strip()


def publication_meta(publication) -> str:
    """The page's statement, for the auditor, of how it was published: whether with disclosure
    control, the selection of its run (relative to which its groups are read), the threshold and
    the data's fingerprint (what identifies the release).

    Parameters
    ----------
    publication : dict or None
        {"publish": bool, "selection": {"region": .., "size_class": ..}, "threshold": int,
        "fingerprint": str}; None for a page that is no report of a run (nothing is stated).

    Returns
    -------
    str
        ``<meta>`` elements, escaped.

    Examples
    --------
    >>> print(publication_meta({"publish": True, "selection": {"region": "Zuid"}, "threshold": 3,
    ...                         "fingerprint": "abc"}))
    <meta name="cm-publish" content="yes">
    <meta name="cm-selection" content="region=Zuid">
    <meta name="cm-threshold" content="3">
    <meta name="cm-fingerprint" content="abc">
    <BLANKLINE>
    """
    if not publication:
        return ""
    selection = " ".join(f"{k}={v}" for k, v in sorted((publication.get("selection") or {}).items()) if v is not None)
    values = [("cm-publish", "yes" if publication.get("publish") else "no"), ("cm-selection", selection),
              ("cm-threshold", str(publication.get("threshold", ""))),
              ("cm-fingerprint", str(publication.get("fingerprint", "")))]
    return "".join(f'<meta name="{k}" content="{html.escape(v, quote=True)}">\n' for k, v in values)


def page_html(title_text: str, body: str, footer: str, *, lang: str, notices=(), publication=None) -> str:
    """A whole report page: head with its styles, the title, notices, body and footer."""
    aside = ""
    if notices:
        aside = '<aside class="notice" role="note">\n' + "\n".join(notices) + "\n</aside>\n"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"{publication_meta(publication)}"
        f"<title>{html.escape(title_text)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n<main>\n"
        f"{aside}{body.strip()}\n</main>\n<footer class=\"meta\">\n{footer}\n</footer>\n</body>\n</html>\n"
    )


def parameter_text(name: str, value, lang: str) -> str:
    """How a report shows one parameter's value; `data_dir` is None for the shipped data or a folder name.

    Returns
    -------
    str
        The value as text; `data_dir` put into words in `lang`.

    Examples
    --------
    >>> from commissioning.run.page import parameter_text
    >>> parameter_text("threshold", "3", "en"), parameter_text("data_dir", None, "nl")
    ('3', 'meegeleverde gegevens')
    >>> parameter_text("data_dir", "pilot", "en")
    "folder 'pilot'"
    """
    if name == "data_dir":
        t = TEXT[lang]
        return t["data_dir_shipped"] if value is None else t["data_dir_folder"].format(name=repr(value))
    return str(value)


# How the footer and the index say a run's settings in words ({v}: the value, {t}: the threshold).
SETTINGS = {
    "en": {"region": ("all regions", "region {v}"), "size_class": ("all size classes", "size class {v}"),
           "unit": {"municipality": "counted per municipality", "interview": "counted per respondent"},
           "lang": {"en": "English", "nl": "Dutch"},
           "publish": {True: "published (threshold {t})", False: "not published"},
           "n_resamples": "{v} bootstrap resamples", "n_permutations": "{v} permutations",
           "seed": "random start value {v}", "n_seeds": "{v} reconstructions", "variable": "question {v}",
           "code": "answer {v}", "themes": ("every theme", "themes {v}"), "variables": ("every question", "questions {v}"),
           "by": ("every attribute", "by {v}"), "outcome": ("no outcome", "outcome {v}"),
           "conditions": ("no conditions", "conditions {v}"), "fuzzy": {True: "fuzzy sets", False: "crisp sets"},
           "incl_cut": "consistency cut-off {v}", "n_cut": "fewest cases per configuration minimised: {v}",
           "dir_exp": ("no directional expectations", "directional expectations {v}")},
    "nl": {"region": ("alle regio's", "regio {v}"), "size_class": ("alle grootteklassen", "grootteklasse {v}"),
           "unit": {"municipality": "geteld per gemeente", "interview": "geteld per respondent"},
           "lang": {"en": "Engels", "nl": "Nederlands"},
           "publish": {True: "gepubliceerd (drempel {t})", False: "niet gepubliceerd"},
           "n_resamples": "{v} bootstraptrekkingen", "n_permutations": "{v} permutaties",
           "seed": "startwaarde van het toeval {v}", "n_seeds": "{v} reconstructies", "variable": "vraag {v}",
           "code": "antwoord {v}", "themes": ("elk thema", "thema's {v}"), "variables": ("elke vraag", "vragen {v}"),
           "by": ("elk kenmerk", "naar {v}"), "outcome": ("geen uitkomst", "uitkomst {v}"),
           "conditions": ("geen voorwaarden", "voorwaarden {v}"),
           "fuzzy": {True: "vage verzamelingen", False: "scherpe verzamelingen"},
           "incl_cut": "consistentiegrens {v}", "n_cut": "minste aantal gevallen per geminimaliseerde configuratie: {v}",
           "dir_exp": ("geen verwachte richtingen", "verwachte richtingen {v}")},
}


def _value(text):
    """A parameter's value from the text a report shows ("'nl'", "None", "3"), as Python."""
    try:
        return ast.literal_eval(text) if isinstance(text, str) else text
    except (ValueError, SyntaxError):
        return text


@functools.lru_cache(maxsize=1)
def _shipped_codebook():
    # lazy: the codebook is read only when a setting names a code (a filter, a variable)
    from ..data import load_codebook
    from ..data import default_data_dir

    return load_codebook(default_data_dir() / "codebook.yaml")


def _label(name: str, value, lang: str, values: dict) -> str:
    """The label of a setting's code in the shipped codebook, or the code when it has none there."""
    try:
        cb = _shipped_codebook()
        if name in ("region", "size_class"):
            label = cb.attributes[name].codes[value][lang]
            return label.lower() if name == "size_class" else label
        if name == "variable":
            return cb.label(value, lang)
        if name == "code":
            return cb.code_label(values.get("variable"), value, lang).lower()
    except Exception:  # noqa: BLE001 - a code of one's own codebook: shown as it is
        pass
    return str(value)


def _set_words(text, lang: str) -> str:
    """A set of 09-configurations named with what it is about, from the shipped codebook:
    "EXPLICIT: agenda.explicitness=explicit" is "EXPLICIT (Commissioning on the agenda)". Its codes
    are left to the report's sentences: a footer that named size classes or regions beside numbers
    would read, to the auditor, as a count of a group. A set whose variables the shipped codebook
    lacks is shown as written."""
    name, sep, rest = str(text).partition(":")
    variables = [v.strip() for v in rest.partition("=")[0].split("|") if v.strip()]
    try:
        cb = _shipped_codebook()
        what = " / ".join((cb.attributes.get(v) or cb.variables[v]).label[lang] for v in variables)
    except Exception:  # noqa: BLE001 - a set of one's own codebook, or not a set: shown as written
        return str(text)
    return f"{name.strip()} ({what})" if sep and variables else str(text)


def settings_text(parameters, lang: str, *, skip=()) -> str:
    """A run's settings in words, in `lang`: "shipped data, all regions, Dutch, published (threshold 3)".

    Parameters
    ----------
    parameters : list of (str, object)
        (name, value as the report shows it: `repr` of the value, the folder's name for `data_dir`).
    lang : {"en", "nl"}
    skip : collection of str
        Names left out.

    Returns
    -------
    str
        Plain text (not escaped); the word for "none" in `lang` when no setting is left. The
        threshold is said with `publish`; a region, size class, variable or code by its label in
        the shipped codebook (as it is when the codebook has none); a parameter without words of
        its own reads "name value".

    Examples
    --------
    >>> from commissioning.run.page import settings_text
    >>> shown = [("data_dir", None), ("region", "None"), ("size_class", "None"), ("lang", "'nl'"),
    ...          ("publish", "True"), ("threshold", "3"), ("unit", "'municipality'"), ("n_resamples", "2000")]
    >>> settings_text(shown, "nl")
    "meegeleverde gegevens, alle regio's, alle grootteklassen, Nederlands, gepubliceerd (drempel 3), geteld per gemeente, 2.000 bootstraptrekkingen"
    >>> settings_text(shown, "en", skip=("lang", "data_dir"))
    'all regions, all size classes, published (threshold 3), counted per municipality, 2,000 bootstrap resamples'
    >>> settings_text([("size_class", "'very_large'"), ("variable", "'sourcing.design'"), ("code", "'outsourced'")], "nl")
    'grootteklasse zeer groot, vraag Ontwerp, antwoord uitbesteed'
    >>> settings_text([("outcome", "'EXPLICIT: agenda.explicitness=explicit'"), ("fuzzy", "False"),
    ...                ("incl_cut", "0.8"), ("dir_exp", "None")], "nl")
    'uitkomst EXPLICIT (Opdrachtgeverschap op de agenda), scherpe verzamelingen, consistentiegrens 0,8, geen verwachte richtingen'
    >>> settings_text([("lang", "'en'")], "nl", skip=("lang",))
    'geen'
    """
    words = SETTINGS[lang]
    values = {name: _value(text) for name, text in parameters}
    out = []
    for name, text in parameters:
        value = values[name]
        if name in skip or (name == "threshold" and "publish" in values):
            continue
        if name == "data_dir":
            out.append(parameter_text(name, value, lang))
        elif name in ("region", "size_class"):
            every, one = words[name]
            out.append(every if value is None else one.format(v=_label(name, value, lang, values)))
        elif name == "publish":
            out.append(words[name][bool(value)].format(t=values.get("threshold", 3)))
        elif name in ("unit", "lang") or isinstance(words.get(name), dict):
            out.append(words[name].get(value, str(value)))
        elif isinstance(words.get(name), tuple):  # (without a value, with one): a text or a list of them
            every, one = words[name]
            if name in ("outcome", "conditions") and value:
                value = [_set_words(v, lang) for v in value] if isinstance(value, (list, tuple)) \
                    else _set_words(value, lang)
            shown = "; ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            out.append(every if value is None or value == [] else one.format(v=shown))
        elif name in ("variable", "code"):
            out.append(words[name].format(v=_label(name, value, lang, values)))
        elif name in words:
            counted = isinstance(value, int) and name.startswith("n_")  # a count, not an identifier like a seed
            if isinstance(value, float):
                value = f"{value:g}".replace(".", ",") if lang == "nl" else f"{value:g}"
            out.append(words[name].format(v=thousands(value, lang) if counted else value))
        else:
            out.append(f"{name} {value}")
    return ", ".join(out) if out else TEXT[lang]["none"]


def report_page(page: Page, *, lang: str, parameters, fingerprint: str, version: str, publication=None) -> str:
    """The HTML file of one report in `lang`, with its footer (parameters as a list of (name, value)).

    Returns
    -------
    str
        A self-contained page: `<html lang=...>`, a `<main>` holding the notices first (in an
        aside) and then the body, then a footer with a link to the index, the settings in words,
        the data's fingerprint and the library's version, its chrome in `lang`.

    Examples
    --------
    >>> from commissioning.run.convert import Page
    >>> from commissioning.run.page import report_page
    >>> page = Page("Aandelen", "<p>Tekst</p>", ("<p>Gereconstrueerd.</p>",))
    >>> shown = [("lang", "'nl'"), ("region", "None"), ("publish", "True")]
    >>> text = report_page(page, lang="nl", parameters=shown, fingerprint="592c46e5e5d0", version="0.1.0")
    >>> print(text[:40])
    <!DOCTYPE html>
    <html lang="nl">
    <head>
    >>> print(text[text.index("<body>"):])
    <body>
    <main>
    <aside class="notice" role="note">
    <p>Gereconstrueerd.</p>
    </aside>
    <p>Tekst</p>
    </main>
    <footer class="meta">
    <p><a href="../index.html">Alle rapporten</a> · instellingen: Nederlands, alle regio's, gepubliceerd (drempel 3) · vingerafdruk van de gegevens <code>592c46e5e5d0</code> · software <code>commissioning 0.1.0</code></p>
    </footer>
    </body>
    </html>
    <BLANKLINE>
    """
    t = TEXT[lang]
    footer = (
        f'<p><a href="../index.html">{html.escape(t["all_reports"])}</a> · '
        f"{html.escape(t['settings'])}: {html.escape(settings_text(parameters, lang), quote=False)} · "
        f"{html.escape(t['data_fingerprint'])} <code>{html.escape(fingerprint)}</code> · "
        f"{html.escape(t['library'])} <code>commissioning {html.escape(version)}</code></p>"
    )
    return page_html(page.title, page.body, footer, lang=lang, notices=page.notices, publication=publication)


def both_languages(key: str, first: str = "nl") -> str:
    """A piece of chrome in `first` language followed by its counterpart in the other, marked with
    its `lang` (once when they agree)."""
    second = "en" if first == "nl" else "nl"
    a, b = html.escape(TEXT[first][key]), html.escape(TEXT[second][key])
    return a if a == b else f'{a} / <span lang="{second}">{b}</span>'


def data_label(data_dir_name: str | None, lang: str) -> str:
    """'the shipped data' (None) or 'the folder 'x'' in `lang`.

    Returns
    -------
    str

    Examples
    --------
    >>> from commissioning.run.page import data_label
    >>> data_label(None, "en"), data_label("pilot", "nl")
    ('the shipped data', "de map 'pilot'")
    """
    t = TEXT[lang]
    return t["shipped_data"] if data_dir_name is None else t["folder"].format(name=repr(data_dir_name))
