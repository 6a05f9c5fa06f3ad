"""The index of a folder of reports and its disclosure log, pages for readers of both languages.

Both lead with Dutch, the language of the bodies that publish them and of most of their readers:
the index is a Dutch page (`<html lang="nl">`) whose every piece of chrome is followed by its
English counterpart marked `lang="en"`, with one row per notebook and one column per language. It
shows the notices of its reports at the top, says what the data is ("About the data") and ends
with the accessibility statement. The disclosure log gives the whole log in Dutch, then in English.
One page of each serves both languages: the index is the one address a body links to, and the log
describes the pages of both languages at once.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..core import LANGS, thousands
from .page import TEXT, both_languages, page_html, data_label, settings_text
from .statement import statement_html

FIRST = ("nl", "en")  # the order of the languages on the index and the log

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


def _common_settings(entries) -> dict:
    """{lang: the settings every report of the language shares, as (name, value) pairs}."""
    common = {}
    for lang in FIRST:
        sets = [set(tuple(p) for p in e.parameters if p[0] not in ("lang", "data_dir")) for e in entries
                if e.lang == lang]
        shared = set.intersection(*sets) if sets else set()
        common[lang] = [tuple(p) for p in next(e.parameters for e in entries if e.lang == lang)
                        if tuple(p) in shared] if shared else []
    return common


def _index_settings(entries: dict, common: dict | None = None) -> str:
    """The settings of a notebook's reports in words, Dutch first, then English marked `lang="en"`
    (`lang` and `data_dir` left out: the columns say them, and so those every report shares, said
    above the table); a dash when none is left."""
    shown = []
    for lang in FIRST:
        e = entries.get(lang)
        skip = {"lang", "data_dir", *(name for name, _ in (common or {}).get(lang, ()))}
        if e is None or not [k for k, _ in e.parameters if k not in skip]:
            continue
        if "publish" in skip:
            skip.add("threshold")
        text = html.escape(settings_text(e.parameters, lang, skip=skip), quote=False)
        shown.append(text if lang == "nl" else f'<span lang="{lang}">{text}</span>')
    return " / ".join(shown) if shown else "–"


def _share(count: int, total: int, lang: str) -> str:
    """'58 (4.2%)', with a decimal comma in Dutch and the thousands separator of `lang`."""
    pct = f"{100 * count / total:.1f}" if total else "0.0"
    return f"{thousands(count, lang)} ({pct.replace('.', ',') if lang == 'nl' else pct}%)"


def about_html(info: dict | None, *, data_dir_name: str | None) -> str:
    """The index's "About the data" section (`id="about-the-data"`, where the notices link), in
    Dutch and English: what the data of the run is and, when any value is reconstructed, what
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
    >>> from commissioning.run.index import about_html
    >>> info = {"n_municipalities": 18, "n_interviews": 24, "n_coders": 1, "n_values": 1080,
    ...         "basis": {"observed": 0, "reported": 38, "derived": 21, "imputed": 1021}}
    >>> section = about_html(info, data_dir_name=None)
    >>> print(section[:section.index("De analyses")])
    <section id="about-the-data" class="cm-meta">
    <h2>Over de gegevens / <span lang="en">About the data</span></h2>
    <p>De rapporten hierboven zijn gemaakt met de meegeleverde gegevens: 18 gemeenten en 24 interviews, gecodeerd door één codeur.
    >>> "1,021 (94.5%) imputed" in section, "Geïmputeerd zijn er 1.021 (94,5%)" in section
    (True, True)
    >>> about_html(None, data_dir_name=None)
    ''
    """
    if not info:
        return ""
    parts = [f'<section id="about-the-data" class="cm-meta">\n<h2>{both_languages("about")}</h2>']
    for lang in FIRST:
        t = TEXT[lang]
        one, many = t["coder_one"], t["coders_many"]
        n_c = info.get("n_coders", 0)
        text = t["about_units"].format(label=data_label(data_dir_name, lang),
                                       n_m=thousands(info.get("n_municipalities", 0), lang),
                                       n_i=thousands(info.get("n_interviews", 0), lang),
                                       n_c=one if n_c == 1 else many.format(n=n_c),
                                       n_v=thousands(info.get("n_values", 0), lang))
        basis, total = info.get("basis", {}), info.get("n_values", 0)
        if any(basis.get(b, 0) for b in ("reported", "derived", "imputed")):
            text += " " + t["about_reconstructed"].format(**{b: _share(basis.get(b, 0), total, lang) for b in
                                                             ("observed", "reported", "derived", "imputed")})
        else:
            text += " " + t["about_observed"]
        attr = "" if lang == FIRST[0] else f' lang="{lang}"'
        parts.append(f"<p{attr}>{html.escape(text)}</p>")
    return "\n".join(parts) + "\n</section>"


DISCLOSURE_PAGE = "disclosure.html"


def _selection_text(selection: dict | None, lang: str) -> str:
    """The filters of a published set in words ("alle gemeenten van het onderzoek" without any)."""
    if not selection:
        return TEXT[lang]["every_municipality"]
    shown = [(k, repr(v)) for k, v in selection.items() if v is not None]
    return settings_text(shown, lang) if shown else TEXT[lang]["every_municipality"]


def disclosure_page(logs: dict, *, threshold: int, fingerprint: str, version: str,
                    data_dir_name: str | None = None, selection: dict | None = None, publication=None) -> str:
    """The disclosure log of a published report set, next to the index: in Dutch, then in English.

    Parameters
    ----------
    logs : dict
        {lang: the log's HTML in that language (`commissioning.disclosure.protection.log_html`)}.
    threshold : int
    fingerprint, version : str
    data_dir_name : str or None
        The data folder's name, None for the shipped data (the page says what data it is about).
    selection : dict, optional
        The filters of the run ({"region": "Zuid"}); None: every municipality.

    Returns
    -------
    str
        The HTML page (`<html lang="nl">`, the English half marked `lang="en"`).

    Examples
    --------
    >>> from commissioning.run.index import disclosure_page
    >>> page = disclosure_page({"en": "<p>Nothing merged.</p>", "nl": "<p>Niets samengevoegd.</p>"}, threshold=3,
    ...                        fingerprint="592c46e5e5d0", version="0.1.0")
    >>> print(page[page.index("<main>"):page.index("Deze rapporten")])
    <main>
    <h1>Logboek statistische geheimhouding / <span lang="en">Disclosure log</span></h1>
    <p><a href="#log-en" hreflang="en" lang="en">English version below</a></p>
    <div id="log-nl">
    <p>Dit logboek gaat over de meegeleverde gegevens (alle gemeenten van het onderzoek), vingerafdruk <code>592c46e5e5d0</code>.</p>
    <p>
    >>> print(page[page.index("<p>Niets"):page.index("<footer")])
    <p>Niets samengevoegd.</p>
    </div>
    <div id="log-en" lang="en">
    <p><a href="#log-nl" hreflang="nl" lang="nl">Nederlandse versie hierboven</a></p>
    <p>This log is about the shipped data (every municipality of the study), fingerprint <code>592c46e5e5d0</code>.</p>
    <p>These reports are published with disclosure control (threshold 3): ...</p>
    <p>Nothing merged.</p>
    </div>
    </main>
    <BLANKLINE>
    """
    fp = f"<code>{html.escape(fingerprint)}</code>"
    parts = [f"<h1>{both_languages('log_title')}</h1>",
             f'<p><a href="#log-en" hreflang="en" lang="en">{html.escape(TEXT["nl"]["log_other"])}</a></p>']
    for lang in FIRST:
        attr = f' id="log-{lang}"' + ("" if lang == FIRST[0] else f' lang="{lang}"')
        t = TEXT[lang]
        about = (html.escape(t["log_about"]).replace("{label}", html.escape(data_label(data_dir_name, lang)))
                 .replace("{selection}", html.escape(_selection_text(selection, lang))).replace("{fingerprint}", fp))
        back = ("" if lang == FIRST[0] else
                f'<p><a href="#log-nl" hreflang="nl" lang="nl">{html.escape(t["log_other"])}</a></p>\n')
        intro = html.escape(t["log_intro"].format(t=threshold))
        parts.append(f"<div{attr}>\n{back}<p>{about}</p>\n<p>{intro}</p>\n{logs.get(lang, '')}\n</div>")
    footer = (f'<p><a href="index.html">{both_languages("all_reports")}</a> · {both_languages("data_fingerprint")} {fp} · '
              f"{both_languages('library')} <code>commissioning {html.escape(version)}</code></p>")
    title = f"{TEXT['nl']['log_title']} / {TEXT['en']['log_title']}"
    return page_html(title, "\n".join(parts), footer, lang="nl", publication=publication)


def _index_rows(entries, common: dict) -> list:
    """The index's rows: one per notebook, its number as the row's header, then its report in each
    language (Dutch first), its own settings and the data's fingerprint."""
    rows_by_name: dict[str, dict] = {}
    for e in entries:
        rows_by_name.setdefault(e.name, {})[e.lang] = e
    rows = []
    for name in sorted(rows_by_name):
        by_lang = {lang: rows_by_name[name][lang] for lang in FIRST if lang in rows_by_name[name]}
        number = name.split("-", 1)[0] if name[:2].isdigit() else name
        cells = [f'<th scope="row">{html.escape(number)}</th>']
        for lang in FIRST:
            e = by_lang.get(lang)
            attr = "" if lang == FIRST[0] else f' lang="{lang}"'
            if e is None:
                cells.append(f"<td{attr}>{html.escape(TEXT[lang]['not_made'])}</td>")
            else:
                href = html.escape(f"{lang}/{name}.html", quote=True)
                cells.append(f'<td{attr}><a href="{href}" hreflang="{lang}">{html.escape(e.title)}</a></td>')
        cells.append("<td>" + _index_settings(by_lang, common) + "</td>")
        cells.append("<td>" + _per_language(
            by_lang, lambda e: f"<code>{html.escape(e.fingerprint)}</code>") + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def index_page(entries, *, fingerprint: str, version: str, data_dir_name: str | None,
               data: dict | None = None, disclosure_log: bool = False, publication=None) -> str:
    """The bilingual index: one row per notebook, one column per language, Dutch first.

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
        The HTML page (`<html lang="nl">`, English chrome marked `lang="en"`), ending with the
        accessibility statement (`commissioning.run.statement`).

    Examples
    --------
    >>> from commissioning.run.index import IndexEntry, index_page
    >>> entries = [IndexEntry("00-sample", "en", "Who was interviewed", (("lang", "'en'"), ("publish", "True")), "abc"),
    ...            IndexEntry("00-sample", "nl", "Wie zijn er geïnterviewd", (("lang", "'nl'"), ("publish", "True")), "abc")]
    >>> page = index_page(entries, fingerprint="abc", version="0.1.0", data_dir_name=None)
    >>> print(page[page.index("<tbody>"):page.index("</tbody>")])
    <tbody>
    <tr><th scope="row">00</th><td><a href="nl/00-sample.html" hreflang="nl">Wie zijn er geïnterviewd</a></td><td lang="en"><a href="en/00-sample.html" hreflang="en">Who was interviewed</a></td><td>–</td><td><code>abc</code></td></tr>
    <BLANKLINE>
    >>> "<p>Instellingen van alle rapporten: gepubliceerd (drempel 3).</p>" in page
    True
    """
    languages = [f'<th scope="col">{html.escape(TEXT[lang]["language"])}</th>' if lang == FIRST[0]
                 else f'<th scope="col" lang="{lang}">{html.escape(TEXT[lang]["language"])}</th>' for lang in FIRST]
    head = "".join([f'<th scope="col">{both_languages("notebook")}</th>', *languages,
                    f'<th scope="col">{both_languages("parameters_column")}</th>',
                    f'<th scope="col">{both_languages("data_column")}</th>'])
    fp = f"<code>{html.escape(fingerprint)}</code>"
    about = []
    for lang in FIRST:
        t = TEXT[lang]
        label = html.escape(data_label(data_dir_name, lang))
        text = (html.escape(t["index_data"]).replace("{label}", label).replace("{fingerprint}", fp) + " "
                + html.escape(t["index_library"].format(version=version)))
        about.append(f"<p>{text}</p>" if lang == FIRST[0] else f'<p lang="{lang}">{text}</p>')
    common = _common_settings(entries)
    for lang in FIRST:
        if common.get(lang):
            text = html.escape(TEXT[lang]["index_common"].format(settings=settings_text(common[lang], lang)),
                               quote=False)
            about.append(f"<p>{text}</p>" if lang == FIRST[0] else f'<p lang="{lang}">{text}</p>')
    notices = []
    for lang in FIRST:
        seen = []
        for e in entries:
            if e.lang == lang:
                seen.extend(n for n in e.notices if n not in seen)
        # the notices link to the index's section from a report's folder; on the index it is this page
        seen = [n.replace('href="../index.html#', 'href="#') for n in seen]
        if seen:
            notices.append(f'<div lang="{lang}">\n' + "\n".join(seen) + "\n</div>")
    body = (
        f"<h1>{both_languages('index_title')}</h1>\n" + "\n".join(about) + "\n"
        f"<table class=\"cm-meta\">\n<caption>{both_languages('index_caption')}</caption>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(_index_rows(entries, common)) + "\n</tbody>\n</table>\n"
        + (f'<p><a href="{DISCLOSURE_PAGE}">{both_languages("log_link")}</a></p>\n' if disclosure_log else "")
        + about_html(data, data_dir_name=data_dir_name) + "\n" + statement_html()
    )
    footer = (f"<p>{both_languages('data_fingerprint')} {fp} · {both_languages('library')} "
              f"<code>commissioning {html.escape(version)}</code></p>")
    page_title = f"{TEXT['nl']['index_title']} / {TEXT['en']['index_title']}"
    return page_html(page_title, body, footer, lang="nl", notices=notices, publication=publication)
