"""An in-process memo of expensive, language-independent computations.

`commissioning run` executes a notebook once for every report language in one kernel (see
`commissioning.run.suite`): the English pass and the Dutch pass call the same resamplings, permutation
tests and reconstructions with the same data and options, only `lang` differs. A function
decorated with `memoize` computes once per process for each distinct input and hands out a copy
of the stored result afterwards.

The key is made from content, never from object identity: a `Study` counts by its data's
fingerprint, its filters, its data directory, a digest of its three tables and its codebook, and
the digests of the suite files its analyses read (claims, quantifiers, constraints); a DataFrame by
a digest of its values, index, columns and dtypes; a path by its text; lists, tuples, dicts and
scalars by their values. A call with an argument the memo cannot key (any other object) is simply
computed. A memoised function must not take `lang`: it computes what every language shares, and its
caller puts on the labels.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import inspect
import os
import threading
from collections import OrderedDict
from pathlib import PurePath

MAX_ENTRIES = 256  # a long JupyterLab session keeps at most this many results

_STORE: OrderedDict = OrderedDict()
_LOCK = threading.RLock()
_STATS = {"hits": 0, "misses": 0}
_ENABLED = [os.environ.get("COMMISSIONING_MEMO", "1") != "0"]


class _Unkeyable(Exception):
    """An argument the memo cannot turn into a key."""


def _frame_digest(frame) -> str:
    import pandas as pd

    from ..data.study import memo

    def compute():
        h = hashlib.sha256()
        h.update(repr((list(frame.columns), [str(t) for t in frame.dtypes], frame.shape)).encode())
        if len(frame.columns):
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        else:
            h.update(repr(list(frame.index)).encode())
        return h.hexdigest()

    return memo(frame, "_memo_digest", compute)  # the suite never changes a loaded table in place


def _file_digest(path) -> str:
    from ..data.files import file_digest

    return file_digest(path) if os.path.isfile(path) else "missing"


def study_key(study) -> tuple:
    """What a `Study` is made of, as a hashable key (see the module's docstring).

    Returns
    -------
    tuple
        Equal for two studies loaded separately from the same files with the same filters;
        different when a value, a filter, the codebook or a suite file differs.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.core.memo import study_key
    >>> study_key(cm.load_study()) == study_key(cm.load_study())
    True
    >>> study_key(cm.load_study()) == study_key(cm.load_study().filter(region="Zuid"))
    False
    """
    from ..data.study import memo, suite_file

    codebook = memo(study.codebook, "_memo_digest",
                    lambda: hashlib.sha256(repr(study.codebook).encode()).hexdigest())
    suite_files = tuple(_file_digest(suite_file(study.data_dir, name))
                        for name in ("claims.yaml", "quantifiers.csv", "constraints.yaml"))
    return ("Study", study.fingerprint, tuple(sorted((k, str(v)) for k, v in study.filters.items())),
            str(study.data_dir), _frame_digest(study.municipalities), _frame_digest(study.interviews),
            _frame_digest(study.codings), codebook, suite_files)


def _freeze(value):
    import numpy as np
    import pandas as pd

    from ..data.study import Study

    if value is None or isinstance(value, (bool, int, float, str, bytes, np.integer, np.floating, np.bool_)):
        return (type(value).__name__, value)
    if isinstance(value, Study):
        if not value.fingerprint:  # not loaded from files (a reconstruction drawn in memory): not kept
            raise _Unkeyable("Study without fingerprint")
        return study_key(value)
    if isinstance(value, pd.DataFrame):
        return ("DataFrame", _frame_digest(value))
    if isinstance(value, PurePath):
        return ("path", str(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_freeze(k), _freeze(v)) for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))))
    if isinstance(value, range):
        return ("range", value.start, value.stop, value.step)
    raise _Unkeyable(type(value).__name__)


def memoize(fn=None, *, ignore: tuple[str, ...] = ()):
    """Decorate `fn` so that a call with the same inputs as an earlier one returns a copy of its result.

    Parameters
    ----------
    fn : callable
        A function whose result depends only on its arguments (and the files they name).
    ignore : tuple of str
        Arguments that do not change the result (a progress callback, say); they are left out of
        the key. `lang` may not be an argument of a memoised function.

    Returns
    -------
    callable
        The memoised function; its result is a deep copy, so a caller may change it freely.

    Examples
    --------
    >>> from commissioning.core.memo import clear, memoize, stats
    >>> calls = []
    >>> @memoize
    ... def square(x):
    ...     calls.append(x)
    ...     return x * x
    >>> clear()
    >>> square(3), square(3), square(x=3), calls
    (9, 9, 9, [3])
    >>> stats()
    {'hits': 2, 'misses': 1, 'entries': 1}
    """
    if fn is None:
        return functools.partial(memoize, ignore=ignore)
    signature = inspect.signature(fn)
    if "lang" in signature.parameters:
        raise TypeError(f"{fn.__qualname__}: a memoised function computes what every language shares; "
                        "it must not take `lang`")
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if not _ENABLED[0]:
            return fn(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        try:
            key = (name, tuple((k, _freeze(v)) for k, v in bound.arguments.items() if k not in ignore))
        except _Unkeyable:
            return fn(*args, **kwargs)
        with _LOCK:
            if key in _STORE:
                _STORE.move_to_end(key)
                _STATS["hits"] += 1
                return copy.deepcopy(_STORE[key])
        result = fn(*args, **kwargs)
        with _LOCK:
            _STATS["misses"] += 1
            _STORE[key] = copy.deepcopy(result)
            while len(_STORE) > MAX_ENTRIES:
                _STORE.popitem(last=False)
        return result

    wrapper.__wrapped__ = fn
    return wrapper


def clear() -> None:
    """Forget every stored result and reset the counts of `stats`."""
    with _LOCK:
        _STORE.clear()
        _STATS.update(hits=0, misses=0)


def stats() -> dict:
    """Hits, misses and stored entries since the last `clear`.

    Returns
    -------
    dict with keys `hits`, `misses`, `entries`
    """
    with _LOCK:
        return {**_STATS, "entries": len(_STORE)}


@contextlib.contextmanager
def disabled():
    """Within the block every memoised function computes afresh and nothing is stored.

    Examples
    --------
    >>> from commissioning.core.memo import disabled, memoize
    >>> @memoize
    ... def one():
    ...     return 1
    >>> with disabled():
    ...     one()
    1
    """
    with _LOCK:
        before = _ENABLED[0]
        _ENABLED[0] = False
    try:
        yield
    finally:
        with _LOCK:
            _ENABLED[0] = before
