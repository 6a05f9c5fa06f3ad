"""The output folder: what each report was made from (the manifest), and writing files atomically.

``<out>/.manifest.json`` records, per report ``<lang>/<notebook>``, the key of its inputs
(notebook, parameters and language, data, library and lock: `input_key`), its title, parameters,
notices and the parameters its notebook declares, and a summary of the data. A report whose key
is unchanged is kept; the index lists every report the manifest names.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from ..core import LANGS
from .notebooks import REPO, declared_parameters

MANIFEST = ".manifest.json"  # in the output folder: what each (notebook, language) report was made from


def write_atomically(files: dict[Path, str]):
    """Write every file to a temporary file next to it, then move them all into place."""
    temps = []
    umask = os.umask(0)
    os.umask(umask)
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
            temps.append((tmp, target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; reports are ordinary files
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)


def default_text(source: str) -> str:
    """A declared default as a report shows a given value ('en', not "en")."""
    try:
        return repr(ast.literal_eval(source))
    except (ValueError, SyntaxError, TypeError):
        return str(source)


def shown_parameters(declared: dict, given: dict, data_dir, lang: str) -> list:
    """The parameters a report ran with, as (name, text) pairs for its footer and the index; the
    text of `data_dir` is None for the shipped data or the folder's name (no absolute path), put
    into words in the report's language by `render.parameter_text`."""
    shown = []
    for name, spec in declared.items():
        if name == "data_dir":
            shown.append([name, None if data_dir is None else Path(data_dir).name])
        elif name == "lang":
            shown.append([name, repr(lang)])
        elif name in given:
            shown.append([name, repr(given[name])])
        else:
            shown.append([name, default_text(spec.get("default"))])
    return shown


def hash_files(paths) -> str:
    """A SHA-256 of the names and bytes of `paths`, in their order."""
    h = hashlib.sha256()
    for path in paths:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def library_key() -> str:
    """A hash of the library's source and the lock: a change to either reruns every report."""
    lib = sorted(Path(__file__).resolve().parents[1].rglob("*.py"))
    lock = [REPO / "requirements.lock"] if (REPO / "requirements.lock").is_file() else []
    return hash_files(lib + lock)


def input_key(notebook: Path, given: dict, fingerprint: str, code_key: str) -> str:
    """What a report depends on: notebook, parameters and language, data, library and lock."""
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    h.update(json.dumps(given, sort_keys=True, default=str).encode())
    h.update(fingerprint.encode())
    h.update(code_key.encode())
    return h.hexdigest()


REPORT_KEY = re.compile(r"^(?P<lang>[a-z]{2})/(?P<name>\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*)$")


def report_key(lang: str, name: str) -> str:
    """A report's key in the manifest and its path without `.html` in the output folder: `nl/00-sample`."""
    return f"{lang}/{name}"


def read_manifest(out: Path) -> dict:
    """The manifest's reports, {'<lang>/<name>': entry} (entries of another layout are dropped)."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        reports = data.get("reports", {}) if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
    return {k: e for k, e in reports.items()
            if isinstance(e, dict) and (m := REPORT_KEY.match(k)) and m["lang"] in LANGS}


def all_published(manifest: dict) -> bool:
    """Whether every report of the folder was made by a published run (each entry's `published`,
    a boolean; an entry without it, of an older manifest, counts as not published)."""
    return bool(manifest) and all(e.get("published") is True for e in manifest.values())


def read_data_summary(out: Path, fingerprint: str) -> dict | None:
    """The manifest's summary of the data (`report.provenance`) when it is of this data."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8")).get("data")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(data, dict) and data.get("fingerprint") == fingerprint and isinstance(data.get("summary"), dict):
        return data["summary"]
    return None


def declared_cached(name: str, path: Path, manifest: dict) -> dict:
    """The notebook's declared parameters, from the manifest when the notebook is unchanged."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for lang in LANGS:
        entry = manifest.get(report_key(lang, name), {})
        if entry.get("notebook") == digest and isinstance(entry.get("declared"), list):
            return {k: {"default": default} for k, default in entry["declared"]}  # a list keeps the order
    return {k: {"default": v.get("default")} for k, v in declared_parameters(path).items()}
