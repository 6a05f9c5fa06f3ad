"""Language cells: which cells of a notebook belong to which report language.

A markdown (or code) cell tagged `lang-en` or `lang-nl` belongs to one language; an untagged cell
belongs to every language. A report in language L keeps the untagged cells and those tagged
`lang-L` (`select_language`). In a notebook every run of cells tagged `lang-en` is immediately
followed by as many cells tagged `lang-nl`, the n-th of one the counterpart of the n-th of the
other (`check_language_cells`).
"""

from __future__ import annotations

import copy

from ..core import check_lang, LANGS
from ..errors import NotebookError, Problem

LANG_TAGS = {f"lang-{lang}": lang for lang in LANGS}


def cell_tags(cell) -> set:
    """The tags of a notebook cell."""
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
    >>> from commissioning.run.language import check_language_cells
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
        tags = cell_tags(cell)
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
    >>> from commissioning.run.language import select_language
    >>> en, nl = new_markdown_cell("Shares"), new_markdown_cell("Aandelen")
    >>> en.metadata["tags"], nl.metadata["tags"] = ["lang-en"], ["lang-nl"]
    >>> nb = new_notebook(cells=[new_markdown_cell("# 00"), en, nl])
    >>> [c.source for c in select_language(nb, "nl").cells]
    ['# 00', 'Aandelen']
    """
    check_lang(lang)
    other = {tag for tag, tag_lang in LANG_TAGS.items() if tag_lang != lang}
    out = copy.copy(nb)
    out.cells = [cell for cell in nb.cells if not (cell_tags(cell) & other)]
    return out
