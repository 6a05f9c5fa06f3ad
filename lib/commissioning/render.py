"""Executed notebooks as self-contained HTML pages in English or Dutch, and the index of the reports.

A markdown (or code) cell tagged `lang-en` or `lang-nl` belongs to one language; an untagged cell
belongs to every language. A report in language L keeps the untagged cells and those tagged
`lang-L` (`select_language`). In a notebook every run of cells tagged `lang-en` is immediately
followed by as many cells tagged `lang-nl`, the n-th of one the counterpart of the n-th of the
other (`check_language_cells`).

Every page declares its language (`<html lang="nl">`), and its chrome (footer, headings, column
names) comes from the text table `TEXT`, so a Dutch page holds no English chrome. The index
serves readers of both languages: it is an English page (`<html lang="en">`) whose every piece of
chrome is followed by its Dutch counterpart marked `lang="nl"`, with one row per notebook and one
column per language.

An output whose metadata holds ``{"commissioning": {"notice": true}}`` (a display_data whose
text/html is the notice) is taken out of its cell and shown first on the page, before the
notebook's title, in ``<aside class="notice" role="note">``; the index shows the notices of its
reports there too.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field

from .errors import NotebookError, Problem

LANGS = ("en", "nl")
LANG_TAGS = {f"lang-{lang}": lang for lang in LANGS}
PAPERMILL_TAGS = ("parameters", "injected-parameters")

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

_SCRIPT_RE = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    """One rendered report: its title, the HTML of its body and of its notices (in page order)."""

    title: str
    body: str
    notices: tuple = field(default_factory=tuple)


# --- language cells ----------------------------------------------------------------------------

def _tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


def _first_line(cell) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    return first if len(first) <= 60 else first[:57] + "..."


def _where(i: int, cell) -> str:
    first = _first_line(cell)
    return f"cell {i} (first line: {first})" if first else f"cell {i}"


def check_language_cells(nb, *, name: str = "notebook") -> int:
    """Check that every language-tagged cell of `nb` has its counterpart in the other language.

    The rule: a cell carries at most one of the tags `lang-en` and `lang-nl` (and no other
    `lang-` tag); every run of consecutive cells tagged `lang-en` is immediately followed by a
    run of as many cells tagged `lang-nl`, and the n-th cell of one run has the cell type of the
    n-th of the other; a cell tagged `lang-nl` comes only in such a run.

    Parameters
    ----------
    nb : NotebookNode
    name : str
        How the notebook is named in an error (e.g. its file name).

    Returns
    -------
    int
        The number of pairs of language cells.

    Raises
    ------
    NotebookError
        Listing every cell that breaks the rule, by notebook and cell number (1-based, as
        committed) with its first line.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> from commissioning.render import check_language_cells
    >>> en, nl = new_markdown_cell("Shares"), new_markdown_cell("Aandelen")
    >>> en.metadata["tags"], nl.metadata["tags"] = ["lang-en"], ["lang-nl"]
    >>> check_language_cells(new_notebook(cells=[new_markdown_cell("# Title"), en, nl]))
    1
    >>> from commissioning import NotebookError
    >>> try:
    ...     check_language_cells(new_notebook(cells=[en]), name="00-x.ipynb")
    ... except NotebookError as exc:
    ...     print(exc.problems[0].file, exc.problems[0].where, "-", exc.problems[0].message)
    00-x.ipynb cell 1 (first line: Shares) - is tagged lang-en but not followed by its counterpart tagged lang-nl
    """
    rule = ("every run of cells tagged lang-en immediately followed by as many cells tagged lang-nl, "
            "of the same cell types")
    problems = []
    langs = []
    for i, cell in enumerate(nb.cells, 1):
        tags = _tags(cell)
        unknown = sorted(t for t in tags if t.lower().startswith("lang-") and t not in LANG_TAGS)
        for tag in unknown:
            problems.append(Problem(name, _where(i, cell), "has an unknown language tag", value=tag,
                                    allowed=", ".join(LANG_TAGS)))
        found = [LANG_TAGS[t] for t in LANG_TAGS if t in tags]
        if len(found) > 1:
            problems.append(Problem(name, _where(i, cell), "is tagged both lang-en and lang-nl",
                                    allowed="one language tag per cell, or none for a cell shown in every language"))
        langs.append(found[0] if len(found) == 1 else None)
    pairs = 0
    i, n = 0, len(nb.cells)
    while i < n:
        if langs[i] == "en":
            j = i
            while j < n and langs[j] == "en":
                j += 1
            k = j
            while k < n and langs[k] == "nl":
                k += 1
            if k - j != j - i:
                cell = nb.cells[i]
                if k == j:
                    message = "is tagged lang-en but not followed by its counterpart tagged lang-nl"
                else:
                    message = (f"starts a run of {j - i} cell(s) tagged lang-en followed by {k - j} "
                               "tagged lang-nl")
                problems.append(Problem(name, _where(i + 1, cell), message, allowed=rule))
            else:
                for a in range(j - i):
                    en, nl = nb.cells[i + a], nb.cells[j + a]
                    if en.cell_type != nl.cell_type:
                        problems.append(Problem(name, _where(j + a + 1, nl),
                                                f"is a {nl.cell_type} cell tagged lang-nl, the counterpart of "
                                                f"{en.cell_type} cell {i + a + 1}", allowed=rule))
                pairs += j - i
            i = k
        elif langs[i] == "nl":
            problems.append(Problem(name, _where(i + 1, nb.cells[i]),
                                    "is tagged lang-nl but does not follow its counterpart tagged lang-en",
                                    allowed=rule))
            i += 1
        else:
            i += 1
    if problems:
        raise NotebookError(problems)
    return pairs


def select_language(nb, lang: str):
    """A copy of `nb` without the cells tagged for another language than `lang`.

    Returns
    -------
    NotebookNode

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> from commissioning.render import select_language
    >>> en, nl = new_markdown_cell("Shares"), new_markdown_cell("Aandelen")
    >>> en.metadata["tags"], nl.metadata["tags"] = ["lang-en"], ["lang-nl"]
    >>> nb = new_notebook(cells=[new_markdown_cell("# 00"), en, nl])
    >>> [c.source for c in select_language(nb, "nl").cells]
    ['# 00', 'Aandelen']
    """
    check_language(lang)
    other = {tag for tag, tag_lang in LANG_TAGS.items() if tag_lang != lang}
    out = copy.copy(nb)
    out.cells = [cell for cell in nb.cells if not (_tags(cell) & other)]
    return out


def check_language(lang) -> str:
    """`lang` if it is a report language (en, nl), else a ParameterError that lists them."""
    from .errors import ParameterError

    if lang not in LANGS:
        raise ParameterError(f"lang: {lang!r} is not allowed; allowed: {', '.join(LANGS)}")
    return lang


# --- one report --------------------------------------------------------------------------------

def title(nb, fallback: str) -> str:
    """The text of the first markdown heading of `nb`, or `fallback`."""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            m = re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line)
            if m:
                return m.group(1)
    return fallback


def coalesce(outputs: list) -> list:
    """Merge consecutive outputs of the same stream (nbconvert's coalesce_streams): how a kernel
    splits printed text into messages depends on timing, and reports and notebooks must not."""
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    from nbformat import NotebookNode

    cell, _ = CoalesceStreamsPreprocessor().preprocess_cell(
        NotebookNode(cell_type="code", outputs=copy.deepcopy(list(outputs))), {}, 0)
    return cell.outputs


def is_notice(output) -> bool:
    """Whether an output is a notice for the top of the page (metadata ``{"commissioning": {"notice": true}}``)."""
    meta = output.get("metadata") or {}
    mark = meta.get("commissioning") if isinstance(meta, dict) else None
    return isinstance(mark, dict) and bool(mark.get("notice"))


def _notice_html(output) -> str:
    data = output.get("data", {})
    if "text/html" in data:
        text = data["text/html"]
        return _SCRIPT_RE.sub("", "".join(text) if isinstance(text, list) else text).strip()
    text = data.get("text/plain", "")
    text = "".join(text) if isinstance(text, list) else text
    return f"<p>{html.escape(text.strip())}</p>" if text.strip() else ""


def _prose(cell) -> str:
    """A markdown cell's text without its heading lines and markup."""
    lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith("#")]
    return " ".join(re.sub(r"[*_`]", "", " ".join(lines)).split())


def _alt_text(cells, i: int) -> str:
    """The alt text of the figure of cell `i`: the markdown that follows it when that is prose (a
    caption), else the prose of the markdown before it, which announces the figure."""
    after = next((c for c in cells[i + 1:] if c.cell_type == "markdown"), None)
    if after is not None and not after.source.lstrip().startswith("#") and _prose(after):
        return _prose(after)
    before = next((c for c in reversed(cells[:i]) if c.cell_type == "markdown"), None)
    return _prose(before) if before is not None else ""


def clean_for_html(nb, lang: str | None = None):
    """A copy of `nb` ready to render, and its notices.

    Without the cells of another language than `lang`, the parameter cells, cells tagged
    `remove`, stderr output, notices (returned apart, in page order) and code cells left without
    output; a figure without alt text gets the caption that follows it or the text that announces it.

    Returns
    -------
    (NotebookNode, list of str)
        The cleaned copy and the HTML of each notice.
    """
    nb = copy.deepcopy(select_language(nb, lang) if lang is not None else nb)
    kept, notices = [], []
    for cell in nb.cells:
        tags = _tags(cell)
        if tags & {"remove", *PAPERMILL_TAGS}:
            continue
        if cell.cell_type == "markdown" and "papermill-error-cell-tag" in tags:
            continue
        if cell.cell_type == "code":
            outputs = []
            for o in coalesce(cell.get("outputs", [])):
                if o.get("output_type") == "stream" and o.get("name") == "stderr":
                    continue
                if o.get("output_type") in ("display_data", "execute_result") and is_notice(o):
                    notice = _notice_html(o)
                    if notice and notice not in notices:
                        notices.append(notice)
                    continue
                outputs.append(o)
            cell.outputs = outputs
            if not cell.outputs:  # code is hidden, so a cell without output shows nothing
                continue
        kept.append(cell)
    for i, cell in enumerate(kept):  # alt text of a figure: the text around it
        has_image = cell.cell_type == "code" and any("image/png" in o.get("data", {}) for o in cell.outputs)
        if has_image and not cell.metadata.get("alt"):
            alt = _alt_text(kept, i)
            if alt:
                cell.metadata["alt"] = alt
    nb.cells = kept
    return nb, notices


def render(nb, lang: str | None, *, fallback_title: str) -> Page:
    """Render an executed notebook in `lang` (None: every cell) without code, prompts or scripts.

    Returns
    -------
    Page
    """
    from nbconvert import HTMLExporter

    cleaned, notices = clean_for_html(nb, lang)
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(cleaned)
    return Page(title(cleaned, fallback_title), _SCRIPT_RE.sub("", body), tuple(notices))


# --- pages -------------------------------------------------------------------------------------

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
    """How a report shows one parameter's value; `data_dir` is None for the shipped data or a folder name."""
    if name == "data_dir":
        t = TEXT[lang]
        return t["data_dir_shipped"] if value is None else t["data_dir_folder"].format(name=repr(value))
    return str(value)


def parameters_html(parameters, lang: str, *, skip=()) -> str:
    """`name = value` pairs as code, in `lang` (see `parameter_text`)."""
    shown = [(k, v) for k, v in parameters if k not in skip]
    if not shown:
        return html.escape(TEXT[lang]["none"])
    return ", ".join(f"<code>{html.escape(k)} = {html.escape(parameter_text(k, v, lang))}</code>" for k, v in shown)


def report_page(page: Page, *, lang: str, parameters, fingerprint: str, version: str) -> str:
    """The HTML file of one report in `lang`, with its footer (parameters as a list of (name, value))."""
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
    """'the shipped data' (None) or 'the folder 'x'' in `lang`."""
    t = TEXT[lang]
    return t["shipped_data"] if data_dir_name is None else t["folder"].format(name=repr(data_dir_name))


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
    reported, derived and imputed mean and how much of each there is (`report.provenance`)."""
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
        {lang: the log's HTML in that language (`commissioning.disclosure.log_html`)}.
    threshold : int
    fingerprint, version : str

    Returns
    -------
    str
        The HTML page.
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
