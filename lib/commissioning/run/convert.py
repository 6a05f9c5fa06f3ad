"""An executed notebook as the body of one report: cleaned of code, parameters and stderr, in one
language, without scripts.

An output whose metadata holds ``{"commissioning": {"notice": true}}`` (a display_data whose
text/html is the notice) is taken out of its cell and returned apart (`Page.notices`), to be shown
first on the page, before the notebook's title (`commissioning.run.page.report_page`).
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field

from .accessible import accessible_tables, mark_foreign
from .language import cell_tags, select_language

PAPERMILL_TAGS = ("parameters", "injected-parameters")

_SCRIPT_RE = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Page:
    """One rendered report: its title, the HTML of its body and of its notices (in page order)."""

    title: str
    body: str
    notices: tuple = field(default_factory=tuple)


def title(nb, fallback: str) -> str:
    """The text of the first markdown heading of `nb`, or `fallback`.

    Returns
    -------
    str

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> from commissioning.run.convert import title
    >>> title(new_notebook(cells=[new_code_cell("# a comment"), new_markdown_cell("Intro\\n## Shares ##")]), "00-x")
    'Shares'
    >>> title(new_notebook(), "00-x")
    '00-x'
    """
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
    splits printed text into messages depends on timing, and reports and notebooks must not.

    Returns
    -------
    list
        Copies of the outputs, each run of one stream merged into one output.

    Examples
    --------
    >>> from nbformat.v4 import new_output
    >>> from commissioning.run.convert import coalesce
    >>> outputs = [new_output("stream", name="stdout", text="1\\n"), new_output("stream", name="stdout", text="2\\n"),
    ...            new_output("stream", name="stderr", text="warning\\n")]
    >>> [(o.name, o.text) for o in coalesce(outputs)]
    [('stdout', '1\\n2\\n'), ('stderr', 'warning\\n')]
    """
    # lazy: nbconvert and nbformat are heavy (over a second each to import) and only rendering needs them
    from nbconvert.preprocessors import CoalesceStreamsPreprocessor
    from nbformat import NotebookNode

    cell, _ = CoalesceStreamsPreprocessor().preprocess_cell(
        NotebookNode(cell_type="code", outputs=copy.deepcopy(list(outputs))), {}, 0)
    return cell.outputs


def is_notice(output) -> bool:
    """Whether an output is a notice for the top of the page (metadata ``{"commissioning": {"notice": true}}``).

    Returns
    -------
    bool

    Examples
    --------
    >>> from nbformat.v4 import new_output
    >>> from commissioning.run.convert import is_notice
    >>> notice = new_output("display_data", data={"text/html": "<p>Reconstructed data.</p>"},
    ...                     metadata={"commissioning": {"notice": True}})
    >>> is_notice(notice), is_notice(new_output("display_data", data={"text/plain": "1"}))
    (True, False)
    """
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


def _mark_public_figures(body: str, nb) -> str:
    """`body` with the figures that show public facts only (`plots.alt.describe(public=True)`)
    marked ``cm-public``, for the auditor of published pages."""
    public = {(o.get("metadata") or {}).get("image/png", {}).get("alt", "") for cell in nb.cells
              if cell.cell_type == "code" for o in cell.get("outputs", [])
              if ((o.get("metadata") or {}).get("image/png") or {}).get("public")}
    public.discard("")

    def mark(match):
        alt = re.search(r'\balt="([^"]*)"', match.group(0))
        if alt is None or " ".join(html.unescape(alt.group(1)).split()) not in public:
            return match.group(0)
        return match.group(0).replace("<img", '<img class="cm-public"', 1)

    return re.sub(r"<img\b[^>]*>", mark, body) if public else body


def _own_alt(output) -> str:
    """The alt text a figure brought with it (`commissioning.plots.alt`): its output's metadata."""
    meta = (output.get("metadata") or {}).get("image/png") or {}
    return meta.get("alt", "") if isinstance(meta, dict) else ""


def _alt_text(cells, i: int) -> str:
    """The alt text of a figure of cell `i` that brought none: the markdown that follows it when
    that is prose (a caption), else the prose of the markdown before it, which announces it."""
    after = next((c for c in cells[i + 1:] if c.cell_type == "markdown"), None)
    if after is not None and not after.source.lstrip().startswith("#") and _prose(after):
        return _prose(after)
    before = next((c for c in reversed(cells[:i]) if c.cell_type == "markdown"), None)
    return _prose(before) if before is not None else ""


def clean_for_html(nb, lang: str | None = None):
    """A copy of `nb` ready to render, and its notices.

    Without the cells of another language than `lang`, the parameter cells, cells tagged
    `remove`, stderr output, notices (returned apart, in page order) and code cells left without
    output. A figure carries its own alt text, computed from its data
    (`commissioning.plots.alt`, in its output's metadata), which nbconvert puts on its ``<img>``;
    a figure without one gets the caption that follows it or the text that announces it.

    Returns
    -------
    (NotebookNode, list of str)
        The cleaned copy and the HTML of each notice.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    >>> from commissioning.run.convert import clean_for_html
    >>> nl = new_markdown_cell("Aandelen")
    >>> nl.metadata["tags"] = ["lang-nl"]
    >>> shown = new_code_cell("print(1)", outputs=[new_output("stream", name="stdout", text="1\\n"),
    ...                                            new_output("stream", name="stderr", text="warning\\n")])
    >>> notice = new_code_cell("notice()", outputs=[new_output(
    ...     "display_data", data={"text/html": "<p>Reconstructed data.</p>"}, metadata={"commissioning": {"notice": True}})])
    >>> nb = new_notebook(cells=[new_markdown_cell("# Shares"), nl, new_code_cell("x = 1"), shown, notice])
    >>> cleaned, notices = clean_for_html(nb, "en")
    >>> [(c.cell_type, c.source) for c in cleaned.cells], notices
    ([('markdown', '# Shares'), ('code', 'print(1)')], ['<p>Reconstructed data.</p>'])
    >>> [o.name for o in cleaned.cells[1].outputs]
    ['stdout']
    """
    nb = copy.deepcopy(select_language(nb, lang) if lang is not None else nb)
    kept, notices = [], []
    for cell in nb.cells:
        tags = cell_tags(cell)
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
    for i, cell in enumerate(kept):  # alt text of a figure without its own: the text around it
        bare = cell.cell_type == "code" and any("image/png" in o.get("data", {}) and not _own_alt(o)
                                                for o in cell.outputs)
        if bare and not cell.metadata.get("alt"):
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
        The title (the first heading), the HTML body without code and the notices. Every table
        of the body has a caption and scoped header cells in one header row
        (`run.accessible.accessible_tables`), and the phrases of another language it keeps are
        marked with their `lang` (`run.accessible.mark_foreign`).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    >>> from commissioning.run.convert import render
    >>> shown = new_code_cell("print(1)", outputs=[new_output("stream", name="stdout", text="1\\n")])
    >>> page = render(new_notebook(cells=[new_markdown_cell("# Shares"), shown]), "en", fallback_title="00-x")
    >>> page.title, page.notices
    ('Shares', ())
    >>> "<pre>1\\n</pre>" in page.body, "print(1)" in page.body, "<script" in page.body
    (True, False, False)
    """
    # lazy: nbconvert is heavy (over a second to import) and only rendering needs it
    from nbconvert import HTMLExporter

    cleaned, notices = clean_for_html(nb, lang)
    exporter = HTMLExporter(template_name="basic")
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(cleaned)
    body = _mark_public_figures(body, cleaned)
    body = accessible_tables(_SCRIPT_RE.sub("", body))
    body = mark_foreign(body, lang) if lang is not None else body
    return Page(title(cleaned, fallback_title), body, tuple(notices))

