"""The index of a folder of reports and its disclosure log, pages for readers of both languages.

The index is an English page (`<html lang="en">`) whose every piece of chrome is followed by its
Dutch counterpart marked `lang="nl"`, with one row per notebook and one column per language. It
shows the notices of its reports at the top and says what the data is ("About the data").
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..core.checks import LANGS
from .page import TEXT, _both, _page, data_label, parameters_html

@dataclass(frozen=True)
class IndexEntry:
    """One report as the index lists it."""

    name: str
    lang: str
    title: str
    parameters: tuple  # (name, value) pairs, as the report's footer shows them
    fingerprint: str
    notices: tuple = ()


def _per_language(entries: dict, text) -> str:
    """One cell's content: once when every language agrees, else one line per language."""
    shown = {lang: text(e) for lang, e in entries.items()}
    if len(set(shown.values())) <= 1:
        return next(iter(shown.values()), "")
    return "<br>".join(f'<span lang="{lang}">{lang}: {value}</span>' for lang, value in shown.items())


def _index_parameters(entry) -> str:
    """A report's parameters as the index shows them: without `lang` (its column says it) and
    `data_dir` (the data column does); a dash when none is left."""
    if not [k for k, _ in entry.parameters if k not in ("lang", "data_dir")]:
        return "–"
    return parameters_html(entry.parameters, "en", skip=("lang", "data_dir"))


def _share(count: int, total: int, lang: str) -> str:
    """'58 (4.2%)', with a decimal comma in Dutch."""
    pct = f"{100 * count / total:.1f}" if total else "0.0"
    return f"{count} ({pct.replace('.', ',') if lang == 'nl' else pct}%)"


def about_html(info: dict | None, *, data_dir_name: str | None) -> str:
    """The index's "About the data" section (`id="about-the-data"`, where the notices link), in
    English and Dutch: what the data of the run is and, when any value is reconstructed, what
    reported, derived and imputed mean and how much of each there is (`report.provenance`).

    Parameters
    ----------
    info : dict or None
        The data's summary (`commissioning.present.report.provenance`); None or empty: no section.
    data_dir_name : str or None
        The data folder's name, None for the shipped data.

    Returns
    -------
    str
        The HTML section, or "" without `info`.

    Examples
    --------
    >>> from commissioning.run.render import about_html
    >>> info = {"n_municipalities": 18, "n_interviews": 24, "n_coders": 1, "n_values": 1080,
    ...         "basis": {"observed": 0, "reported": 38, "derived": 21, "imputed": 1021}}
    >>> section = about_html(info, data_dir_name=None)
    >>> print(section[:section.index("Behind")])
    <section id="about-the-data">
    <h2>About the data / <span lang="nl">Over de gegevens</span></h2>
    <p>The reports above ran on the shipped data: 18 municipalities, 24 interviews, coded by one coder.
    >>> "1021 (94.5%) imputed" in section, "1021 (94,5%) geïmputeerd" in section
    (True, True)
    >>> about_html(None, data_dir_name=None)
    ''
    """
    if not info:
        return ""
    parts = [f'<section id="about-the-data">\n<h2>{_both("about")}</h2>']
    for lang in LANGS:
        t = TEXT[lang]
        one, many = t["coder_one"], t["coders_many"]
        n_c = info.get("n_coders", 0)
        text = t["about_units"].format(label=data_label(data_dir_name, lang), n_m=info.get("n_municipalities", 0),
                                       n_i=info.get("n_interviews", 0), n_c=one if n_c == 1 else many.format(n=n_c),
                                       n_v=info.get("n_values", 0))
        basis, total = info.get("basis", {}), info.get("n_values", 0)
        if any(basis.get(b, 0) for b in ("reported", "derived", "imputed")):
            text += " " + t["about_reconstructed"].format(**{b: _share(basis.get(b, 0), total, lang) for b in
                                                             ("observed", "reported", "derived", "imputed")})
        else:
            text += " " + t["about_observed"]
        attr = "" if lang == "en" else f' lang="{lang}"'
        parts.append(f"<p{attr}>{html.escape(text)}</p>")
    return "\n".join(parts) + "\n</section>"


DISCLOSURE_PAGE = "disclosure.html"


def disclosure_page(logs: dict, *, threshold: int, fingerprint: str, version: str) -> str:
    """The disclosure log of a published report set, next to the index, in English and Dutch.

    Parameters
    ----------
    logs : dict
        {lang: the log's HTML in that language (`commissioning.disclosure.protection.log_html`)}.
    threshold : int
    fingerprint, version : str

    Returns
    -------
    str
        The HTML page.

    Examples
    --------
    >>> from commissioning.run.render import disclosure_page
    >>> page = disclosure_page({"en": "<p>Nothing merged.</p>", "nl": "<p>Niets samengevoegd.</p>"}, threshold=3,
    ...                        fingerprint="592c46e5e5d0", version="0.1.0")
    >>> print(page[page.index("<body>"):page.index("These reports")])
    <body>
    <h1>Disclosure log / <span lang="nl">Logboek statistische geheimhouding</span></h1>
    <div>
    <p>
    >>> print(page[page.index("<p>Nothing"):page.index("<footer")])
    <p>Nothing merged.</p>
    </div>
    <div lang="nl">
    <p>Deze rapporten zijn gepubliceerd met statistische geheimhouding (drempel 3): ...</p>
    <p>Niets samengevoegd.</p>
    </div>
    <BLANKLINE>
    """
    parts = [f"<h1>{_both('log_title')}</h1>"]
    for lang in LANGS:
        attr = "" if lang == "en" else f' lang="{lang}"'
        intro = html.escape(TEXT[lang]["log_intro"].format(t=threshold))
        parts.append(f"<div{attr}>\n<p>{intro}</p>\n{logs.get(lang, '')}\n</div>")
    fp = f"<code>{html.escape(fingerprint)}</code>"
    footer = (f'<p><a href="index.html">{_both("all_reports")}</a> · {_both("data_fingerprint")} {fp} · '
              f"commissioning {html.escape(version)}</p>")
    title = f"{TEXT['en']['log_title']} / {TEXT['nl']['log_title']}"
    return _page(title, "\n".join(parts), footer, lang="en")


def index_page(entries, *, fingerprint: str, version: str, data_dir_name: str | None,
               data: dict | None = None, disclosure_log: bool = False) -> str:
    """The bilingual index: one row per notebook, one column per language.

    Parameters
    ----------
    entries : list of IndexEntry
    fingerprint, version : str
        Of the data and library of this run.
    data_dir_name : str or None
        The data folder's name, None for the shipped data.

    Returns
    -------
    str
        The HTML page (`<html lang="en">`, Dutch chrome marked `lang="nl"`).

    Examples
    --------
    >>> from commissioning.run.render import IndexEntry, index_page
    >>> entries = [IndexEntry("00-sample", "en", "Who was interviewed", (("lang", "'en'"), ("publish", "True")), "abc"),
    ...            IndexEntry("00-sample", "nl", "Wie zijn er geïnterviewd", (("lang", "'nl'"), ("publish", "True")), "abc")]
    >>> page = index_page(entries, fingerprint="abc", version="0.1.0", data_dir_name=None)
    >>> print(page[page.index("<tbody>"):page.index("</tbody>")])
    <tbody>
    <tr><td><code>00-sample</code></td><td><a href="en/00-sample.html" hreflang="en">Who was interviewed</a></td><td lang="nl"><a href="nl/00-sample.html" hreflang="nl">Wie zijn er geïnterviewd</a></td><td><code>publish = True</code></td><td><code>abc</code></td></tr>
    <BLANKLINE>
    """
    rows_by_name: dict[str, dict] = {}
    for e in entries:
        rows_by_name.setdefault(e.name, {})[e.lang] = e
    rows = []
    for name in sorted(rows_by_name):
        by_lang = {lang: rows_by_name[name][lang] for lang in LANGS if lang in rows_by_name[name]}
        cells = [f"<td><code>{html.escape(name)}</code></td>"]
        for lang in LANGS:
            e = by_lang.get(lang)
            attr = "" if lang == "en" else f' lang="{lang}"'
            if e is None:
                cells.append(f"<td{attr}>{html.escape(TEXT[lang]['not_made'])}</td>")
            else:
                href = html.escape(f"{lang}/{name}.html", quote=True)
                cells.append(f'<td{attr}><a href="{href}" hreflang="{lang}">{html.escape(e.title)}</a></td>')
        cells.append("<td>" + _per_language(by_lang, _index_parameters) + "</td>")
        cells.append("<td>" + _per_language(
            by_lang, lambda e: f"<code>{html.escape(e.fingerprint)}</code>") + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    languages = [f"<th>{html.escape(TEXT[lang]['language'])}</th>" if lang == "en"
                 else f'<th lang="{lang}">{html.escape(TEXT[lang]["language"])}</th>' for lang in LANGS]
    head = "".join([f"<th>{_both('notebook')}</th>", *languages,
                    f"<th>{_both('parameters_column')}</th>", f"<th>{_both('data_column')}</th>"])
    fp = f"<code>{html.escape(fingerprint)}</code>"
    about = []
    for lang in LANGS:
        t = TEXT[lang]
        label = html.escape(data_label(data_dir_name, lang))
        text = (html.escape(t["index_data"]).replace("{label}", label).replace("{fingerprint}", fp) + " "
                + html.escape(t["index_library"].format(version=version)))
        about.append(f"<p>{text}</p>" if lang == "en" else f'<p lang="{lang}">{text}</p>')
    notices = []
    for lang in LANGS:
        seen = []
        for e in entries:
            if e.lang == lang:
                seen.extend(n for n in e.notices if n not in seen)
        # the notices link to the index's section from a report's folder; on the index it is this page
        seen = [n.replace('href="../index.html#', 'href="#') for n in seen]
        if seen:
            notices.append(f'<div lang="{lang}">\n' + "\n".join(seen) + "\n</div>")
    heading = _both("index_title")
    body = (
        f"<h1>{heading}</h1>\n" + "\n".join(about) + "\n"
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>\n"
        + (f'<p><a href="{DISCLOSURE_PAGE}">{_both("log_link")}</a></p>\n' if disclosure_log else "")
        + about_html(data, data_dir_name=data_dir_name)
    )
    footer = (f"<p>{_both('data_fingerprint')} {fp} · commissioning {html.escape(version)}</p>")
    page_title = f"{TEXT['en']['index_title']} / {TEXT['nl']['index_title']}"
    return _page(page_title, body, footer, lang="en", notices=notices)
