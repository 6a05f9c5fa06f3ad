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
scalars by their values; any other object that defines `__memo_key__()` by what that returns
(`Study` does, in `data.study`, so that this module needs nothing above it). A call with an
argument the memo cannot key (any other object) is simply computed. A memoised function must not take `lang`: it computes what every language shares, and its
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
import weakref
from collections import OrderedDict
from pathlib import PurePath

import numpy as np
import pandas as pd

MAX_ENTRIES = 256  # a long JupyterLab session keeps at most this many results

_STORE: OrderedDict = OrderedDict()
_LOCK = threading.RLock()
_STATS = {"hits": 0, "misses": 0}
_ENABLED = [os.environ.get("COMMISSIONING_MEMO", "1") != "0"]


_OBJECT_MEMO: dict[int, dict] = {}


def remember(obj, name: str, compute):
    """`compute()` remembered for the life of `obj` (the suite never changes a loaded table in
    place, so what is derived from one can be reused: a crosstab per variable of 10,000
    interviews then costs milliseconds, not a pass over half a million rows).

    Returns
    -------
    object
        What `compute()` returned, the first time `name` was asked of `obj`.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"n": [1, 2]})
    >>> calls = []
    >>> def total():
    ...     calls.append(1)
    ...     return int(frame["n"].sum())
    >>> remember(frame, "total", total), remember(frame, "total", total), len(calls)
    (3, 3, 1)
    """
    key = id(obj)
    store = _OBJECT_MEMO.get(key)
    if store is None:
        store = _OBJECT_MEMO[key] = {}
        weakref.finalize(obj, _OBJECT_MEMO.pop, key, None)
    if name not in store:
        store[name] = compute()
    return store[name]


class Unkeyable(Exception):
    """An argument the memo cannot turn into a key (raised by a `__memo_key__` that declines)."""


def frame_digest(frame) -> str:
    """A digest of a DataFrame's columns, dtypes, shape, index and values, computed once per table.

    Returns
    -------
    str
        A SHA-256 hex digest.

    Examples
    --------
    >>> import pandas as pd
    >>> a, b = pd.DataFrame({"x": [1, 2]}), pd.DataFrame({"x": [1, 2]})
    >>> frame_digest(a) == frame_digest(b), frame_digest(a) == frame_digest(b.assign(x=[2, 1]))
    (True, False)
    """
    def compute():
        h = hashlib.sha256()
        h.update(repr((list(frame.columns), [str(t) for t in frame.dtypes], frame.shape)).encode())
        if len(frame.columns):
            h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        else:
            h.update(repr(list(frame.index)).encode())
        return h.hexdigest()

    return remember(frame, "_memo_digest", compute)  # the suite never changes a loaded table in place


def _freeze(value):
    if value is None or isinstance(value, (bool, int, float, str, bytes, np.integer, np.floating, np.bool_)):
        return (type(value).__name__, value)
    if hasattr(type(value), "__memo_key__"):  # a Study says what it is made of (data.study)
        return value.__memo_key__()
    if isinstance(value, pd.DataFrame):
        return ("DataFrame", frame_digest(value))
    if isinstance(value, PurePath):
        return ("path", str(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(_freeze(v) for v in value))
    if isinstance(value, dict):
        return ("dict", tuple((_freeze(k), _freeze(v)) for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))))
    if isinstance(value, range):
        return ("range", value.start, value.stop, value.step)
    raise Unkeyable(type(value).__name__)


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
        except Unkeyable:
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
    """Forget every stored result and reset the counts of `stats`.

    Returns
    -------
    None

    Examples
    --------
    >>> from commissioning.core.memo import clear, stats
    >>> clear()
    >>> stats()
    {'hits': 0, 'misses': 0, 'entries': 0}
    """
    with _LOCK:
        _STORE.clear()
        _STATS.update(hits=0, misses=0)


def stats() -> dict:
    """Hits, misses and stored entries since the last `clear`.

    Returns
    -------
    dict with keys `hits`, `misses`, `entries`

    Examples
    --------
    >>> from commissioning.core.memo import clear, memoize, stats
    >>> @memoize
    ... def double(x):
    ...     return 2 * x
    >>> clear()
    >>> double(1), double(2), double(1)
    (2, 4, 2)
    >>> stats()
    {'hits': 1, 'misses': 2, 'entries': 2}
    """
    with _LOCK:
        return {**_STATS, "entries": len(_STORE)}


def stored_functions() -> list[str]:
    """The qualified name of the function behind each stored result, oldest first.

    Examples
    --------
    >>> from commissioning.core.memo import clear, memoize, stored_functions
    >>> @memoize
    ... def double(x):
    ...     return 2 * x
    >>> clear()
    >>> double(1), double(2)
    (2, 4)
    >>> [name.rsplit(".", 1)[-1] for name in stored_functions()]
    ['double', 'double']
    """
    with _LOCK:
        return [key[0] for key in _STORE]


@contextlib.contextmanager
def disabled():
    """Within the block every memoised function computes afresh and nothing is stored.

    Returns
    -------
    context manager
        Switches the memo off on entry and back to its former state on exit.

    Examples
    --------
    >>> from commissioning.core.memo import disabled, memoize
    >>> @memoize
    ... def one():
    ...     return 1
    >>> from commissioning.core.memo import clear, stats
    >>> clear()
    >>> with disabled():
    ...     one()
    1
    >>> stats()
    {'hits': 0, 'misses': 0, 'entries': 0}
    """
    with _LOCK:
        before = _ENABLED[0]
        _ENABLED[0] = False
    try:
        yield
    finally:
        with _LOCK:
            _ENABLED[0] = before
