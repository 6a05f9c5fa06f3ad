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

This module gathers the renderer's parts under one name (`commissioning.render`):
`commissioning.run.language` (language cells), `commissioning.run.convert` (one notebook as a
report's body), `commissioning.run.page` (the page template and its chrome) and
`commissioning.run.index` (the index and the disclosure log's page).
"""

from __future__ import annotations

from ..core.checks import LANGS, check_lang  # noqa: F401
from ..errors import NotebookError, Problem  # noqa: F401
from .convert import (  # noqa: F401
    _SCRIPT_RE, PAPERMILL_TAGS, Page, _alt_text, _notice_html, _prose, clean_for_html, coalesce, is_notice, render,
    title,
)
from .index import (  # noqa: F401
    DISCLOSURE_PAGE, IndexEntry, _index_settings, _per_language, _share, about_html, disclosure_page, index_page,
)
from .language import LANG_TAGS, _first_line, _tags, _where, check_language_cells, select_language  # noqa: F401
from .page import _STYLE, SETTINGS, TEXT, _both, _page, data_label, parameter_text, report_page, settings_text  # noqa: F401

__all__ = [  # the public renderer, then the names kept for code that used them from here
    "DISCLOSURE_PAGE", "IndexEntry", "LANG_TAGS", "PAPERMILL_TAGS", "Page", "TEXT", "about_html",
    "check_language_cells", "clean_for_html", "coalesce", "data_label", "disclosure_page", "index_page",
    "is_notice", "parameter_text", "settings_text", "render", "report_page", "select_language", "title",
    "LANGS", "NotebookError", "Problem", "check_lang", "_SCRIPT_RE", "_STYLE", "_alt_text", "_both",
    "_first_line", "_index_settings", "_notice_html", "_page", "_per_language", "_prose", "_share", "_tags",
    "_where",
]
