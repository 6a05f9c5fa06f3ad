"""The gate of a published run: it joins the release of its data folder, and its pages are
audited together with every other published run of that release before anything is written.

A release (`disclosure.release`) is every published run over one data folder. Which runs belong
to it is recorded in two places: ``release.json`` in each output folder of a published run (the
data's fingerprint, the threshold, the recoding, the runs it holds, the audit), and a register of
those folders per fingerprint in the suite's state folder (`state_dir`), so that a later run,
written anywhere, is audited with the pages of the runs before it. A folder of the register that
no longer holds a release.json of that fingerprint has left the release (its pages were removed
or replaced by another data folder's).

`join` is called before anything runs (one threshold per release; the plans stored for the
notebooks' kernels); `publish` after the notebooks ran and before anything is written: it audits
the run's pages with the release's other runs (`audit_release`; a problem stops the run with
`DisclosureError`, exit code 3, naming the page and the value) and gives the disclosure log and
the release record to write.

Examples
--------
>>> import os, tempfile
>>> from unittest import mock
>>> with tempfile.TemporaryDirectory() as state, tempfile.TemporaryDirectory() as national:
...     _ = (Path(national) / RECORD).write_text(json.dumps({"fingerprint": "abc123", "threshold": 3}))
...     with mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": state}):
...         register("abc123", national, 3)
...         folders = registered("abc123")
>>> [f["threshold"] for f in folders]
[3]
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import DisclosureError, ParameterError
from .release import release, save_plans

RECORD = "release.json"  # in the output folder of a published run


def state_dir(environ=None) -> Path | None:
    """Where the register of releases is kept: ``$COMMISSIONING_STATE_DIR``, else
    ``$XDG_STATE_HOME/commissioning`` (an absolute XDG_STATE_HOME only), else
    ``~/.local/state/commissioning``.

    Returns
    -------
    pathlib.Path or None
        None when no home folder is known.

    Examples
    --------
    >>> state_dir({"COMMISSIONING_STATE_DIR": "/srv/state"}).as_posix()
    '/srv/state'
    >>> state_dir({"XDG_STATE_HOME": "/var/state"}).as_posix()
    '/var/state/commissioning'
    """
    env = os.environ if environ is None else environ
    if env.get("COMMISSIONING_STATE_DIR"):
        return Path(env["COMMISSIONING_STATE_DIR"])
    xdg = env.get("XDG_STATE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "commissioning"
    try:
        return Path.home() / ".local" / "state" / "commissioning"
    except RuntimeError:  # no home folder
        return None


def _register_file(fingerprint: str) -> Path | None:
    folder = state_dir()
    return None if folder is None else folder / "releases" / f"{fingerprint[:32]}.json"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def read_record(folder) -> dict | None:
    """The release.json of an output folder, or None when it has none (or an unreadable one).

    Returns
    -------
    dict or None

    Examples
    --------
    >>> import tempfile
    >>> read_record(tempfile.mkdtemp()) is None
    True
    """
    try:
        return json.loads((Path(folder) / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def registered(fingerprint: str) -> list:
    """The output folders of the published runs of a release, as registered and still holding a
    release.json of that data: [{"folder", "threshold"}].

    Returns
    -------
    list of dict

    Examples
    --------
    >>> registered("no-such-release")
    []
    """
    path = _register_file(fingerprint)
    try:
        entries = json.loads(path.read_text(encoding="utf-8")) if path is not None else []
    except (OSError, ValueError):
        entries = []
    out = []
    for entry in entries:
        record = read_record(entry.get("folder", ""))
        if record is not None and record.get("fingerprint") == fingerprint:
            out.append({"folder": entry["folder"], "threshold": int(record.get("threshold", entry.get("threshold")))})
    return out


def register(fingerprint: str, folder, threshold: int) -> None:
    """Add an output folder to the register of its release (once).

    Returns
    -------
    None
        Nothing is kept when the state folder cannot be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as state, mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": state}):
    ...     register("f", "/a", 3); register("f", "/a", 3)
    ...     n = len(json.loads((Path(state) / "releases" / "f.json").read_text()))
    >>> n
    1
    """
    path = _register_file(fingerprint)
    if path is None:
        return
    folder = str(Path(folder).resolve())
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = []
    entries = [e for e in entries if e.get("folder") != folder] + [{"folder": folder, "threshold": int(threshold)}]
    try:
        _write(path, json.dumps(entries, indent=1, sort_keys=True) + "\n")
    except OSError:
        pass


def join(study, *, threshold: int, size_class=None, out) -> object:
    """Join the release of `study`'s data folder with a published run into `out`: check that the
    run's threshold is the release's and that its filter does not split a published group, and
    store the release's plans for the run's kernels.

    Parameters
    ----------
    study : Study
        The data folder as loaded (not filtered).
    threshold : int
    size_class : str, optional
        The run's size-class filter.
    out : path
        The run's output folder (its own earlier release.json does not bind it).

    Returns
    -------
    Release

    Raises
    ------
    ParameterError
        When another folder of the release was published at another threshold, or the filter
        would split a published group.
    DisclosureError
        When the data folder holds fewer municipalities or interviews than the threshold.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> import commissioning as cm
    >>> with tempfile.TemporaryDirectory() as state, mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": state}):
    ...     rel = join(cm.load_study(), threshold=3, out=tempfile.mkdtemp())
    >>> rel.group_codes()
    ['small', 'medium', 'large+very_large']
    """
    own = str(Path(out).resolve())
    others = [f for f in registered(study.fingerprint) if f["folder"] != own]
    other = sorted({f["threshold"] for f in others} - {int(threshold)})
    if other:
        folders = ", ".join(f["folder"] for f in others if f["threshold"] == other[0])
        raise ParameterError(
            "threshold", threshold,
            problem=f"differs from the release of this data folder, published at threshold {other[0]} in {folders}; "
                    "a release has one threshold (pages at two thresholds together can give a group away): publish "
                    f"with --threshold {other[0]}, or remove those folders first", allowed=str(other[0]))
    munis = int((study.municipalities["n_interviews"] > 0).sum())  # those that took part
    interviews = int(study.municipalities["n_interviews"].sum())
    if min(munis, interviews) < int(threshold):
        raise DisclosureError(
            f"this data holds {munis} municipalit{'y' if munis == 1 else 'ies'} and {interviews} "
            f"interview{'' if interviews == 1 else 's'}, fewer than the threshold "
            f"{threshold}: nothing of it can be published; run without --publish for your own reading")
    rel = release(study, threshold=threshold)
    rel.check_size_class(size_class)
    save_plans(rel)
    return rel


def audit_release(staged, out, rel, data_dir):
    """Audit a run's pages (written to `staged`, with the pages its folder keeps) together with the
    pages of every other folder of the release.

    Parameters
    ----------
    staged : path
        A folder holding the run's pages as they will be written, and those `out` keeps.
    out : path
        The run's output folder (its pages are those of `staged`).
    rel : Release
    data_dir : path
        The data folder, for the public facts.

    Returns
    -------
    AuditResult
        When the audit found no problem.

    Raises
    ------
    DisclosureError
        When it found any; nothing is to be written.

    Examples
    --------
    A run with no page to audit is refused (in a register of its own, so that no other run joins):

    >>> import os, tempfile
    >>> from unittest import mock
    >>> import commissioning as cm
    >>> from commissioning.data.files import default_data_dir
    >>> with tempfile.TemporaryDirectory() as state, mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": state}):
    ...     audit_release(tempfile.mkdtemp(), tempfile.mkdtemp(), release(cm.load_study()), default_data_dir())
    Traceback (most recent call last):
    ...
    commissioning.errors.DisclosureError: the audit of the published pages found 1 problem, with the other published runs of this data (0 folders); nothing was written
      no page of the release to audit in ...
    """
    from .audit import audit  # lxml and the integer programs: only when a published run is audited

    own = str(Path(out).resolve())
    folders = [Path(staged)] + [Path(f["folder"]) for f in registered(rel.fingerprint) if f["folder"] != own]
    result = audit(folders, data_dir, rel.threshold)
    if result.problems:
        n = len(result.problems)
        raise DisclosureError(
            f"the audit of the published pages found {n} problem{'s' if n != 1 else ''}, with the other published "
            f"runs of this data ({len(folders) - 1} folder{'s' if len(folders) != 2 else ''}); nothing was written",
            result.problems)
    return result


@dataclass
class Publication:
    """What the gate lets a published run write: the disclosure log's HTML per language, the
    folder's release record (with the audit's summary) and the audit itself."""

    logs: dict
    record: dict
    audit: object


def publish(pages: dict, index: str, *, out, rel, data_dir, selection: dict, titles: dict) -> Publication:
    """The gate of a published run, in one call: its pages (every report the folder will hold,
    {"<lang>/<notebook>": html}) and its index are audited with the release's other runs
    (`audit_release`); then the disclosure log of the run's view of the release, each page's
    entries those of the variables it shows, and the release record.

    Parameters
    ----------
    pages : dict
        {"<lang>/<notebook>": the page's HTML}, as it will be written.
    index : str
        The folder's index page.
    out : path
        The run's output folder.
    rel : Release
        The release the run joined (`join`).
    data_dir : path
        The data folder (its public facts).
    selection : dict
        The run's ``region`` and ``size_class``, where given.
    titles : dict
        {lang: {notebook: title}}, for the log's links.

    Returns
    -------
    Publication

    Raises
    ------
    DisclosureError
        When the audit finds a problem; nothing is to be written.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> import commissioning as cm
    >>> from commissioning.data.files import default_data_dir
    >>> with tempfile.TemporaryDirectory() as state, mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": state}):
    ...     rel = join(cm.load_study(), threshold=3, out=tempfile.mkdtemp())
    ...     publish({}, "<html></html>", out=tempfile.mkdtemp(), rel=rel, data_dir=default_data_dir(),
    ...             selection={}, titles={})
    Traceback (most recent call last):
    ...
    commissioning.errors.DisclosureError: the audit of the published pages found 1 problem, ...
    """
    import re

    from ..core import LANGS
    from .log import log_html

    with tempfile.TemporaryDirectory(prefix="commissioning-gate-") as staged:
        staged = Path(staged)
        (staged / "index.html").write_text(index, encoding="utf-8")
        for key, text in pages.items():
            (staged / f"{key}.html").parent.mkdir(parents=True, exist_ok=True)
            (staged / f"{key}.html").write_text(text, encoding="utf-8")
        result = audit_release(staged, out, rel, data_dir)
    view = rel.view(**selection)
    used: dict[str, set] = {}
    for key, text in sorted(pages.items()):
        used.setdefault(key.split("/", 1)[1], set()).update(re.findall(r'data-variable="([^"]+)"', text))
    entries = {name: [e for e in view.log if e.get("variable") is None or e["variable"] in variables]
               for name, variables in used.items()}
    logs = {lang: log_html(entries, lang, audit=result, protection=view, titles=titles.get(lang, {})) for lang in LANGS}
    record = {**rel.record(), "runs": sorted({json.dumps(selection, sort_keys=True)}),
              "audit": {"protected": result.protected_cells, "narrowest": result.narrowest_range,
                        "pages": len(result.pages), "problems": len(result.problems)}}
    return Publication(logs, record, result)
