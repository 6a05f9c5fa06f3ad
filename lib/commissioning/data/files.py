"""Files of a data directory without the analysis stack: where the shipped data lies, and
content fingerprints (so that an unchanged run can be recognised without importing pandas)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

RECORD_NAME = "reconstruction.csv"  # in interviews/: what `commissioning reconstruct` wrote (data.origin)


def default_data_dir() -> Path:
    """The shipped data directory (or $COMMISSIONING_DATA when set).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> (default_data_dir() / "codebook.yaml").is_file()
    True
    """
    env = os.environ.get("COMMISSIONING_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "data"


def suite_file(data_dir, name: str) -> Path:
    """`name` (claims.yaml, quantifiers.csv, constraints.yaml) from a data directory, or the
    shipped one when the directory has none: a researcher's data folder need not copy them.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir, suite_file
    >>> suite_file("/a/folder/without/claims", "claims.yaml") == default_data_dir() / "claims.yaml"
    True
    """
    own = Path(data_dir) / name
    return own if own.is_file() else default_data_dir() / name


_DIGEST_CACHE: dict[tuple, str] = {}


def file_digests(data_dir: Path) -> dict[str, str]:
    """{relative path: SHA-256 of the content} for every file under `data_dir` (dot-folders
    such as caches excluded). A file whose size, modification and change times and inode are
    those of its last reading is not read again.

    Returns
    -------
    dict
        Paths relative to `data_dir` with ``/`` separators, in sorted order.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir, file_digests
    >>> digests = file_digests(default_data_dir())
    >>> list(digests)[:4]
    ['claims.yaml', 'codebook.yaml', 'constraints.yaml', 'interviews/GM0014-1.yaml']
    >>> len(digests["codebook.yaml"])
    64
    """
    data_dir = Path(data_dir)
    out = {}
    for dirpath, dirnames, filenames in os.walk(data_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = Path(dirpath).relative_to(data_dir).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in filenames:
            path = os.path.join(dirpath, name)
            out[prefix + name] = file_digest(path)
    return dict(sorted(out.items()))


def file_digest(path) -> str:
    """SHA-256 of one file's content; not read again while its size, modification and change
    times and inode are those of its last reading.

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from commissioning.data.files import file_digest
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "abc.txt"
    ...     _ = path.write_bytes(b"abc")
    ...     file_digest(path)
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    """
    path = os.fspath(path)
    st = os.stat(path)
    key = (path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    digest = _DIGEST_CACHE.get(key)
    if digest is None:
        with open(path, "rb") as fh:
            digest = _DIGEST_CACHE[key] = hashlib.sha256(fh.read()).hexdigest()
    return digest


def combine_digests(digests: dict[str, str]) -> str:
    """One short digest of {relative path: digest}, independent of their order."""
    h = hashlib.sha256()
    for rel, digest in sorted(digests.items()):
        h.update(rel.encode() + b"\0" + digest.encode() + b"\n")
    return h.hexdigest()[:12]


def fingerprint(data_dir: Path) -> str:
    """A short hash of every data file's name and content.

    Returns
    -------
    str
        12 hexadecimal digits; the `fingerprint` of a study loaded from `data_dir`.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.data.files import default_data_dir, fingerprint
    >>> len(fingerprint(default_data_dir())), fingerprint(default_data_dir()) == cm.load_study().fingerprint
    (12, True)
    """
    return combine_digests(file_digests(data_dir))
