"""The page around a report: its template, its chrome in English or Dutch (`TEXT`) and its footer.

Every page declares its language (`<html lang="nl">`), and its chrome (footer, headings, column
names) comes from the text table `TEXT`, so a Dutch page holds no English chrome.
"""

from __future__ import annotations

import html

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
        "index_data": "Data: {label}, fingerprint {fingerprint}.",
        "index_library": "Library: commissioning {version}.",
        "notebook": "Notebook",
        "parameters_column": "Parameters",
        "data_column": "Data",
        "not_made": "not made",
        "about": "About the data",
        "about_units": ("The reports above ran on {label}: {n_m} municipalities, {n_i} interviews, coded by {n_c}. "
                        "Behind the analyses are {n_v} values, one per unit and variable (per municipality or per "
                        "interview, as each variable is asked)."),
        "about_reconstructed": ("Of these values {reported} are reported (the study states them for every "
                                "municipality or for a named one), {derived} derived (they follow from a statement "
                                "of the study about a named group), {imputed} imputed (drawn at random, with a "
                                "fixed seed, within everything the study publishes) and {observed} observed. The "
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
        "index_data": "Gegevens: {label}, vingerafdruk {fingerprint}.",
        "index_library": "Bibliotheek: commissioning {version}.",
        "notebook": "Notebook",
        "parameters_column": "Parameters",
        "data_column": "Gegevens",
        "not_made": "niet gemaakt",
        "about": "Over de gegevens",
        "about_units": ("De rapporten hierboven draaiden op {label}: {n_m} gemeenten, {n_i} interviews, gecodeerd "
                        "door {n_c}. Achter de analyses staan {n_v} waarden, één per eenheid en variabele (per "
                        "gemeente of per interview, zoals de variabele is uitgevraagd)."),
        "about_reconstructed": ("Van deze waarden zijn er {reported} gerapporteerd (het onderzoek noemt ze voor "
                                "elke gemeente of voor een gemeente bij naam), {derived} afgeleid (ze volgen uit een "
                                "uitspraak van het onderzoek over een benoemde groep), {imputed} geïmputeerd "
                                "(willekeurig getrokken, met een vaste seed, binnen alles wat het onderzoek "
                                "publiceert) en {observed} waargenomen. De eigen codering van de interviews is "
                                "vertrouwelijk en nooit gepubliceerd: geïmputeerde waarden vormen één dataset die "
                                "bij het onderzoek past, niet wat de respondenten zeiden. Een figuur die erop "
                                "rust, laat zien hoe zulke gegevens eruit kunnen zien, geen bevinding van het "
                                "onderzoek; het rapport over robuustheid laat zien welke patronen in elke "
                                "reconstructie standhouden en welke per reconstructie verschillen. Bij elke tabel "
                                "en figuur staat het aandeel geïmputeerde waarden erachter."),
        "about_observed": ("Al deze waarden zijn waargenomen: de codering van een interview zoals de codeur die "
                           "vastlegde. Geen ervan is gereconstrueerd, dus de rapporten dragen geen melding van "
                           "reconstructie."),
        "coder_one": "één codeur", "coders_many": "{n} codeurs",
        "log_link": "Logboek statistische geheimhouding: wat bij publicatie is samengevoegd of weggelaten, en de controle "
                    "van de pagina's",
        "log_title": "Logboek statistische geheimhouding",
        "log_intro": ("Deze rapporten zijn gepubliceerd met statistische geheimhouding (drempel {t}): geen groep van "
                      "minder dan {t} gemeenten of respondenten mag uit de pagina's te herleiden zijn, niet door "
                      "aftrekken binnen een tabel, tussen tabellen of tussen pagina's. Te kleine grootteklassen zijn "
                      "samengevoegd met de naastgelegen klasse, en blokken waarvan de aantallen zo'n groep nog zouden "
                      "prijsgeven zijn weggelaten. Hieronder per rapport wat is samengevoegd of weggelaten en volgens "
                      "welke regel, en daarna wat een onafhankelijke controle van elke gepubliceerde pagina vond."),
    },
}

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
h1, h2, h3 { line-height: 1.25; }
a.anchor-link { display: none; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #d0d0d0; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td { font-variant-numeric: tabular-nums; }
thead th { border-bottom: 2px solid #606060; }
img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5rem; }
.jp-OutputArea-output pre, .output_text pre { background: none; padding: 0; }
.meta { color: #555; font-size: 0.85rem; }
aside.notice { border-left: 4px solid #b35900; background: #fff6ea; padding: 0.5rem 1rem; margin: 0 0 1.5rem; }
""".strip()


def _page(title_text: str, body: str, footer: str, *, lang: str, notices=()) -> str:
    aside = ""
    if notices:
        aside = '<aside class="notice" role="note">\n' + "\n".join(notices) + "\n</aside>\n"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title_text)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{aside}{body.strip()}\n<footer class=\"meta\">\n{footer}\n</footer>\n</body>\n</html>\n"
    )


def parameter_text(name: str, value, lang: str) -> str:
    """How a report shows one parameter's value; `data_dir` is None for the shipped data or a folder name.

    Returns
    -------
    str
        The value as text; `data_dir` put into words in `lang`.

    Examples
    --------
    >>> from commissioning.run.render import parameter_text
    >>> parameter_text("threshold", "3", "en"), parameter_text("data_dir", None, "nl")
    ('3', 'meegeleverde gegevens')
    >>> parameter_text("data_dir", "pilot", "en")
    "folder 'pilot'"
    """
    if name == "data_dir":
        t = TEXT[lang]
        return t["data_dir_shipped"] if value is None else t["data_dir_folder"].format(name=repr(value))
    return str(value)


def parameters_html(parameters, lang: str, *, skip=()) -> str:
    """`name = value` pairs as code, in `lang` (see `parameter_text`).

    Parameters
    ----------
    parameters : list of (str, object)
    lang : str
    skip : collection of str
        Names left out.

    Returns
    -------
    str
        HTML, escaped; the word for "none" in `lang` when no parameter is left.

    Examples
    --------
    >>> from commissioning.run.render import parameters_html
    >>> parameters_html([("lang", "'nl'"), ("data_dir", None), ("threshold", "3")], "nl", skip=("lang",))
    '<code>data_dir = meegeleverde gegevens</code>, <code>threshold = 3</code>'
    >>> parameters_html([("lang", "'nl'")], "nl", skip=("lang",))
    'geen'
    """
    shown = [(k, v) for k, v in parameters if k not in skip]
    if not shown:
        return html.escape(TEXT[lang]["none"])
    return ", ".join(f"<code>{html.escape(k)} = {html.escape(parameter_text(k, v, lang))}</code>" for k, v in shown)


def report_page(page: Page, *, lang: str, parameters, fingerprint: str, version: str) -> str:
    """The HTML file of one report in `lang`, with its footer (parameters as a list of (name, value)).

    Returns
    -------
    str
        A self-contained page: `<html lang=...>`, the notices first in an aside, then the body,
        then a footer with a link to the index, the parameters, the data's fingerprint and the
        library's version, its chrome in `lang`.

    Examples
    --------
    >>> from commissioning.run.render import Page, report_page
    >>> page = Page("Aandelen", "<p>Tekst</p>", ("<p>Gereconstrueerd.</p>",))
    >>> text = report_page(page, lang="nl", parameters=[("lang", "'nl'")], fingerprint="592c46e5e5d0", version="0.1.0")
    >>> print(text[:40])
    <!DOCTYPE html>
    <html lang="nl">
    <head>
    >>> print(text[text.index("<body>"):])
    <body>
    <aside class="notice" role="note">
    <p>Gereconstrueerd.</p>
    </aside>
    <p>Tekst</p>
    <footer class="meta">
    <p><a href="../index.html">Alle rapporten</a> · parameters: <code>lang = &#x27;nl&#x27;</code> · vingerafdruk van de gegevens <code>592c46e5e5d0</code> · commissioning 0.1.0</p>
    </footer>
    </body>
    </html>
    <BLANKLINE>
    """
    t = TEXT[lang]
    footer = (
        f'<p><a href="../index.html">{html.escape(t["all_reports"])}</a> · '
        f"{html.escape(t['parameters'])}: {parameters_html(parameters, lang)} · "
        f"{html.escape(t['data_fingerprint'])} <code>{html.escape(fingerprint)}</code> · "
        f"commissioning {html.escape(version)}</p>"
    )
    return _page(page.title, page.body, footer, lang=lang, notices=page.notices)


def _both(key: str) -> str:
    """A piece of index chrome in English followed by its Dutch counterpart (once when they agree)."""
    en, nl = html.escape(TEXT["en"][key]), html.escape(TEXT["nl"][key])
    return en if en == nl else f'{en} / <span lang="nl">{nl}</span>'


def data_label(data_dir_name: str | None, lang: str) -> str:
    """'the shipped data' (None) or 'the folder 'x'' in `lang`.

    Returns
    -------
    str

    Examples
    --------
    >>> from commissioning.run.render import data_label
    >>> data_label(None, "en"), data_label("pilot", "nl")
    ('the shipped data', "de map 'pilot'")
    """
    t = TEXT[lang]
    return t["shipped_data"] if data_dir_name is None else t["folder"].format(name=repr(data_dir_name))

