"""A cache on disk of loaded studies, so that a second process need not parse the files again.

Every notebook, test and command loads its data directory in a fresh process. With 10,000
interview files a parse takes tens of seconds; the cache makes every load after the first read
one file instead.

Where
    ``$COMMISSIONING_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/commissioning``, else
    ``~/.cache/commissioning``. Safe to delete at any time: what is missing is rebuilt.
Off
    ``COMMISSIONING_NO_CACHE=1`` (any value but empty or ``0``): nothing is read or written.
Key
    A SHA-256 over the format, the library's own source files that affect loading, the versions
    of Python, NumPy, pandas and PyYAML, and the name and content digest of every file of the
    data directory. When anything changed the entry is not used (and is replaced by the new
    load).
Format
    One NumPy ``.npz`` archive per data directory, read with ``allow_pickle=False``: each text
    column as integer codes into its list of values, each numeric column as it is, and a JSON
    header (stored as bytes) with the key, the columns, their dtypes and the value lists.
    Nothing in it is a pickle, so reading it cannot run code.
Writing
    Into a temporary file in the cache folder, then ``os.replace``: two processes that load the
    same folder at once each write a complete file and the last one stays. A file that cannot be
    read (truncated, corrupt, another format) counts as missing; a cache folder that cannot be
    written is skipped. The cache never makes a load fail.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

FORMAT = 1
# the modules whose code decides what a load returns: a change to any of them is a new key
_TEXT_DTYPES = ("str", "string", "object")
_HEADER = "header"


class _Unsupported(Exception):
    """A table the cache does not store (the load then simply is not cached)."""


def cache_dir(environ=None) -> Path | None:
    """The cache folder, or None when the cache is switched off.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (default ``os.environ``).

    Returns
    -------
    pathlib.Path or None
        ``$COMMISSIONING_CACHE_DIR``, else ``$XDG_CACHE_HOME/commissioning`` (an absolute
        XDG_CACHE_HOME only, as the XDG specification asks), else ``~/.cache/commissioning``;
        None when ``COMMISSIONING_NO_CACHE`` is set to anything but empty or ``0``.

    Examples
    --------
    >>> from commissioning.data.cache import cache_dir
    >>> cache_dir({"XDG_CACHE_HOME": "/var/cache"}).as_posix()
    '/var/cache/commissioning'
    >>> cache_dir({"COMMISSIONING_CACHE_DIR": "/tmp/c", "XDG_CACHE_HOME": "/var/cache"}).as_posix()
    '/tmp/c'
    >>> cache_dir({"COMMISSIONING_NO_CACHE": "1"}) is None
    True
    """
    env = os.environ if environ is None else environ
    if env.get("COMMISSIONING_NO_CACHE", "") not in ("", "0"):
        return None
    own = env.get("COMMISSIONING_CACHE_DIR")
    if own:
        return Path(own)
    xdg = env.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "commissioning"


_LIBRARY_DIGEST: list[str] = []


def library_sources() -> list[Path]:
    """The modules whose content is part of the cache key: every module of the package, since a
    change to any of them may change what a load means.

    Returns
    -------
    list of Path

    Examples
    --------
    >>> "study.py" in {p.name for p in library_sources()}
    True
    """
    return sorted(Path(__file__).resolve().parents[1].rglob("*.py"))


def library_digest() -> str:
    """SHA-256 of the library's loading code and of the versions of what it runs on.

    Returns
    -------
    str
        64 hexadecimal digits, computed once per process.

    Examples
    --------
    >>> from commissioning.data.cache import library_digest
    >>> len(library_digest()), library_digest() == library_digest()
    (64, True)
    """
    if not _LIBRARY_DIGEST:
        h = hashlib.sha256()
        package = Path(__file__).resolve().parents[1]
        for path in library_sources():
            h.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
        for part in (platform.python_version(), np.__version__, pd.__version__, yaml.__version__,
                     str(getattr(yaml, "__with_libyaml__", ""))):
            h.update(part.encode() + b"\0")
        _LIBRARY_DIGEST.append(h.hexdigest())
    return _LIBRARY_DIGEST[0]


def study_key(digests: dict[str, str]) -> str:
    """The cache key of a data directory whose files have the content digests `digests`.

    Returns
    -------
    str
        64 hexadecimal digits; a change to a file's name or content, or to the library, changes it.

    Examples
    --------
    >>> from commissioning.data.cache import study_key
    >>> key = study_key({"codebook.yaml": "5563c12d", "municipalities.csv": "0be1f2a3"})
    >>> len(key), key == study_key({"municipalities.csv": "0be1f2a3", "codebook.yaml": "5563c12d"})
    (64, True)
    >>> key == study_key({"codebook.yaml": "5563c12d", "municipalities.csv": "ffffffff"})
    False
    """
    h = hashlib.sha256(f"commissioning study cache {FORMAT}\n{library_digest()}\n".encode())
    for rel, digest in sorted(digests.items()):
        h.update(rel.encode() + b"\0" + digest.encode() + b"\n")
    return h.hexdigest()


def entry_path(data_dir: Path, folder: Path) -> Path:
    """The cache file of one data directory (one per directory: a rewrite replaces it).

    Returns
    -------
    pathlib.Path
        ``study-<24 hexadecimal digits of the directory's absolute path>.npz`` in `folder`.

    Examples
    --------
    >>> from pathlib import Path
    >>> from commissioning.data.cache import entry_path
    >>> path = entry_path(Path("data"), Path("/tmp/cache"))
    >>> path.parent.as_posix(), path.name[:6], len(path.stem), path.suffix
    ('/tmp/cache', 'study-', 30, '.npz')
    >>> path == entry_path(Path("data").resolve(), Path("/tmp/cache"))
    True
    """
    where = hashlib.sha256(str(Path(data_dir).resolve()).encode()).hexdigest()[:24]
    return folder / f"study-{where}.npz"


# --- tables <-> arrays ---------------------------------------------------------------------------

def _encode(name: str, frame, arrays: dict) -> list[dict]:
    index = frame.index
    if not (isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1) or not frame.columns.is_unique:
        raise _Unsupported(name)
    columns = []
    for i, col in enumerate(frame.columns):
        series = frame[col]
        dtype = str(series.dtype)
        spec = {"name": col, "dtype": dtype}
        if isinstance(series.dtype, np.dtype) and series.dtype.kind in "biuf":
            arrays[f"{name}.{i}"] = series.to_numpy()
        elif dtype in _TEXT_DTYPES:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
            values = list(uniques)
            if not all(type(v) is str for v in values) or (dtype != "str" and (codes < 0).any()):
                raise _Unsupported(f"{name}.{col}")
            small = np.int8 if len(values) < 2**7 else np.int16 if len(values) < 2**15 else np.int32
            arrays[f"{name}.{i}"] = codes.astype(small)
            spec["values"] = values
        else:
            raise _Unsupported(f"{name}.{col}")
        columns.append(spec)
    return columns


def _decode(name: str, columns: list[dict], archive, n_rows: int):
    data = {}
    for i, spec in enumerate(columns):
        arr = archive[f"{name}.{i}"]
        if arr.shape != (n_rows,):
            raise ValueError(f"{name}.{i}: {arr.shape} rows, not {n_rows}")
        dtype = pd.api.types.pandas_dtype(spec["dtype"])
        if "values" in spec:
            values = spec["values"]
            if arr.dtype.kind != "i" or (n_rows and (arr.min() < -1 or arr.max() >= len(values))):
                raise ValueError(f"{name}.{i}: codes outside the value list")
            lookup = np.empty(len(values) + 1, dtype=object)
            lookup[:-1] = values
            lookup[-1] = np.nan  # code -1: missing
            column = lookup[arr]
        else:
            if arr.dtype != dtype:
                raise ValueError(f"{name}.{i}: dtype {arr.dtype}, not {dtype}")
            column = arr
        # a Series of the stored dtype, so that an object column is not inferred as text
        data[spec["name"]] = pd.Series(column, dtype=dtype, index=pd.RangeIndex(n_rows), copy=False)
    return pd.DataFrame(data, index=pd.RangeIndex(n_rows), columns=[spec["name"] for spec in columns], copy=False)


# --- read and write -----------------------------------------------------------------------------

def read(data_dir: Path, key: str, names=()) -> dict | None:
    """The tables cached for `data_dir` under `key`, or None (no cache, another key, unreadable,
    or without one of the tables `names`).

    Returns
    -------
    dict or None
        Table name -> DataFrame, as `write` stored them.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> import pandas as pd
    >>> from commissioning.data.cache import read, write
    >>> table = pd.DataFrame({"code": ["in_house", "mixed", "in_house"], "rank": [0, 1, 2]})
    >>> with tempfile.TemporaryDirectory() as folder, mock.patch.dict(
    ...         os.environ, {"COMMISSIONING_CACHE_DIR": folder, "COMMISSIONING_NO_CACHE": ""}):
    ...     _ = write("some/data", "key-1", {"codings": table})
    ...     back = read("some/data", "key-1", ("codings",))
    ...     other = read("some/data", "key-2"), read("some/data", "key-1", ("codings", "interviews"))
    >>> back["codings"].equals(table), other
    (True, (None, None))
    """
    folder = cache_dir()
    if folder is None:
        return None
    path = entry_path(data_dir, folder)
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(archive[_HEADER].tobytes().decode("utf-8"))
            if header.get("format") != FORMAT or header.get("key") != key or set(names) - set(header["tables"]):
                return None
            return {name: _decode(name, table["columns"], archive, int(table["rows"]))
                    for name, table in header["tables"].items()}
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001 - truncated, corrupt or foreign: a miss, rewritten by the load
        return None


def _sweep(folder: Path, age: float = 3600.0) -> None:
    """Remove temporary files that writers killed halfway left behind (an hour old: no writer
    takes that long)."""
    now = time.time()
    for leftover in folder.glob(".study-*.tmp"):
        try:
            if now - leftover.stat().st_mtime > age:
                leftover.unlink()
        except OSError:
            pass


def write(data_dir: Path, key: str, tables: dict) -> Path | None:
    """Store `tables` (name -> DataFrame) for `data_dir` under `key`.

    Returns
    -------
    pathlib.Path or None
        The file written (`entry_path`); None when the cache is off, its folder cannot be written
        or a table has a column the cache does not store.

    Examples
    --------
    >>> import os, tempfile
    >>> from unittest import mock
    >>> import pandas as pd
    >>> from pathlib import Path
    >>> from commissioning.data.cache import entry_path, write
    >>> table = pd.DataFrame({"interview_id": ["GM0518-1", "GM0518-2"], "n": [3, 4]})
    >>> with tempfile.TemporaryDirectory() as folder, mock.patch.dict(
    ...         os.environ, {"COMMISSIONING_CACHE_DIR": folder, "COMMISSIONING_NO_CACHE": ""}):
    ...     path = write("some/data", "key-1", {"interviews": table})
    ...     written = path == entry_path("some/data", Path(folder)) and path.is_file()
    ...     mixed = write("some/data", "key-1", {"t": pd.DataFrame({"x": ["a", 1]})})
    >>> written, mixed
    (True, None)
    >>> with mock.patch.dict(os.environ, {"COMMISSIONING_NO_CACHE": "1"}):
    ...     write("some/data", "key-1", {"interviews": table}) is None
    True
    """
    folder = cache_dir()
    if folder is None:
        return None
    try:
        arrays: dict = {}
        header = {"format": FORMAT, "key": key, "tables": {}}
        for name, frame in tables.items():
            header["tables"][name] = {"rows": len(frame), "columns": _encode(name, frame, arrays)}
        arrays[_HEADER] = np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)
        if any(a.dtype.hasobject for a in arrays.values()):  # never a pickle
            raise _Unsupported("object array")
        folder.mkdir(parents=True, exist_ok=True)
        path = entry_path(data_dir, folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, path)
            _sweep(folder)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
        return path
    except (OSError, _Unsupported):
        return None
