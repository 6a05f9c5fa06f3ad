"""The auditor's reading of a release: every page of every run over one data folder, each with
its selection, and the checks that they belong together (published, one threshold, one data
fingerprint).

Part of the independent auditor (`commissioning.disclosure.audit`); it shares no code with the
disclosure engine.
"""

from __future__ import annotations

from collections import Counter

from .audit_facts import Facts, parse_selection, selection_munis
from .audit_pages import Page, page_paths, read_pages

REQUIRED_META = ("cm-publish", "cm-threshold", "cm-fingerprint")


def selection_label(selection: str) -> str:
    """How a message names a run's selection: "national", or its canonical form.

    Returns
    -------
    str

    Examples
    --------
    >>> selection_label(""), selection_label("region=Zuid")
    ('national', 'region=Zuid')
    """
    return selection or "national"


def _where_selection(where: dict | None) -> str:
    """An old caller's `where` ({"region": "Zuid"}) as a selection's text."""
    return " ".join(f"{k}={v}" for k, v in sorted((where or {}).items()) if v is not None)


def _selections(paths: list, facts: Facts, where: dict | None, problems: list) -> list:
    """The pages, each with its selection (its meta, else `where`) and its name with the
    selection; the pages whose selection can be read, the national run first."""
    parsed = {}

    def label(page):
        text = page.meta.get("cm-selection", _where_selection(where))
        parsed[page.path] = (text, *parse_selection(text, facts))
        return selection_label(parsed[page.path][2]) if parsed[page.path][1] is not None else "unread"

    readable = []
    for page in read_pages(paths, label):
        text, selection, canonical = parsed[page.path]
        if selection is None:
            problems.append(f"{page.name}: a selection the auditor cannot read "
                            f"(<meta name=\"cm-selection\" content=\"{text}\">): {canonical}; the page is not read")
            continue
        page.selection = canonical
        readable.append(page)
    return sorted(readable, key=lambda p: (p.selection != "", p.selection, str(p.path)))


def _release_value(pages: list, name: str, given):
    """The release's value of a meta (`given`, else the most common among the pages)."""
    if given is not None:
        return str(given)
    values = Counter(p.meta[name] for p in pages if name in p.meta)
    return values.most_common(1)[0][0] if values else None


def check_meta(pages: list, threshold: int | None, fingerprint: str | None) -> tuple[int, list[str]]:
    """The pages' metadata against each other: every page says it is published, and states the
    release's threshold and data fingerprint.

    Parameters
    ----------
    pages : list of Page
        The release's pages.
    threshold : int or None
        The release's threshold; None: the one most pages state (3 when none does).
    fingerprint : str or None
        The data's fingerprint; None: the one most pages state.

    Returns
    -------
    tuple
        (the threshold to audit at, problems).

    Examples
    --------
    >>> from pathlib import Path
    >>> pages = [Page(Path(f"r/en/{n}.html"), f"en/{n}.html", meta, None) for n, meta in [
    ...     ("a", {"cm-publish": "yes", "cm-threshold": "3", "cm-fingerprint": "592c"}),
    ...     ("b", {"cm-publish": "no", "cm-threshold": "5", "cm-fingerprint": "592c"}),
    ...     ("c", {"cm-publish": "yes", "cm-threshold": "3"})]]
    >>> threshold, problems = check_meta(pages, None, None)
    >>> threshold
    3
    >>> for problem in problems:
    ...     print(problem)
    en/b.html: says it is not for publication (cm-publish 'no'), yet it is a page of the published release
    en/c.html: lacks <meta name="cm-fingerprint">: the auditor cannot tell that it belongs to the release
    en/b.html: was protected at threshold 5, the release at 3 (en/a.html)
    """
    problems = []
    for page in pages:
        publish = page.meta.get("cm-publish")
        if publish is not None and publish != "yes":
            problems.append(f"{page.name}: says it is not for publication (cm-publish {publish!r}), yet it is a page "
                            "of the published release")
        missing = [m for m in REQUIRED_META if m not in page.meta]
        if missing:
            problems.append(f"{page.name}: lacks {', '.join(f'<meta name={chr(34)}{m}{chr(34)}>' for m in missing)}: "
                            "the auditor cannot tell that it belongs to the release")
    release = _release_value(pages, "cm-threshold", threshold)
    if release is not None and not release.isdigit():
        problems.append(f"the release's threshold {release!r} is not a whole number")
        release = None
    release_threshold = int(release) if release is not None else 3
    checks = (("cm-threshold", str(release_threshold), "was protected at threshold {v}, the release at {r}"),
              ("cm-fingerprint", _release_value(pages, "cm-fingerprint", fingerprint),
               "shows data with fingerprint {v}, the release {r}"))
    for name, value, what in checks:
        agree = [p.name for p in pages if p.meta.get(name) == value]
        for page in pages:
            if name in page.meta and page.meta[name] != value:
                problems.append(f"{page.name}: {what.format(v=page.meta[name], r=value)}"
                                + (f" ({agree[0]})" if agree else ""))
    return release_threshold, problems


def read_release(report_dirs, facts: Facts, threshold: int | None = None, where: dict | None = None,
                 fingerprint: str | None = None) -> tuple[list, int, dict, list]:
    """The pages of a release, with their selections, and the checks of their metadata.

    Parameters
    ----------
    report_dirs : path or list of paths
        Folders (every ``*.html`` at any depth) or pages.
    facts : Facts
        The public facts, unfiltered.
    threshold, fingerprint
        As `check_meta`.
    where : dict, optional
        The selection of pages without ``<meta name="cm-selection">`` (for old callers; default
        the national run).

    Returns
    -------
    tuple
        (pages in the release's order, the national run first; the threshold; {selection:
        its municipalities}; problems).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.disclosure.audit_facts import read_facts
    >>> meta = '<meta name="cm-publish" content="yes"><meta name="cm-threshold" content="3">'
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for run, selection in (("zuid", "region=Zuid"), ("national", "")):
    ...         page = Path(folder, run, "en", "02.html")
    ...         page.parent.mkdir(parents=True)
    ...         _ = page.write_text(f'<html lang="en"><head>{meta}<meta name="cm-selection" content="{selection}">'
    ...                             '<meta name="cm-fingerprint" content="592c"></head><body></body></html>')
    ...     pages, threshold, within, problems = read_release(folder, read_facts(default_data_dir()))
    >>> [p.name for p in pages], threshold, len(within["region=Zuid"]), problems
    (['en/02.html (national)', 'en/02.html (region=Zuid)'], 3, 6, [])
    """
    problems: list = []
    pages = _selections(page_paths(report_dirs), facts, where, problems)
    threshold, meta_problems = check_meta(pages, threshold, fingerprint)
    within = {}
    for page in pages:
        if page.selection not in within:
            within[page.selection] = selection_munis(facts, parse_selection(page.selection, facts)[0])
    return pages, threshold, within, problems + meta_problems


def runs(pages: list) -> list[str]:
    """The runs (selections) of a release's pages, the national run first.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from pathlib import Path
    >>> runs([Page(Path("a"), "a", {}, None, "region=Zuid"), Page(Path("b"), "b", {}, None, "")])
    ['national', 'region=Zuid']
    """
    return [selection_label(s) for s in sorted({p.selection for p in pages}, key=lambda s: (s != "", s))]
