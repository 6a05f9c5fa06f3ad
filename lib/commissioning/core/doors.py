"""A part's front door: its `__init__` names the part's public surface, module by module, and
imports a module only when one of its names is first used (so that the command line starts fast).

Every name one part takes from another is on that part's door (tests/test_architecture.py checks
this), and the flat `commissioning` API is assembled from the doors.
"""

from __future__ import annotations

import importlib
import sys
import types


def door(package: str, exports: dict[str, list[str]]):
    """(``__all__``, ``__getattr__``, ``__dir__``) for the package `package`, whose public names
    are `exports` ({module of the package: [names defined there]}).

    Returns
    -------
    tuple of the sorted public names and the package's ``__getattr__`` and ``__dir__``

    Examples
    --------
    >>> import commissioning.core as core
    >>> "check_lang" in core.__all__, core.check_lang("nl")
    (True, 'nl')
    >>> import commissioning.data.origin
    >>> from commissioning import data
    >>> callable(data.origin)  # the function the door names, not its module
    True
    >>> core.nothing_here
    Traceback (most recent call last):
    ...
    AttributeError: module 'commissioning.core' has no attribute 'nothing_here'
    """
    where = {name: module for module, names in exports.items() for name in names}
    if len(where) != sum(len(names) for names in exports.values()):
        raise ValueError(f"{package}: a name is exported twice")

    def __getattr__(name: str):
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__():
        return sorted(set(where) | set(vars(sys.modules[package])))

    class Door(types.ModuleType):
        """The package, whose exported names win over its submodules of the same name (importing
        `commissioning.data.origin` leaves `commissioning.data.origin` the function it exports;
        the module stays in `sys.modules`)."""

        def __setattr__(self, name, value):
            if name in where and isinstance(value, types.ModuleType) and value.__name__ == f"{package}.{name}":
                return
            super().__setattr__(name, value)

    sys.modules[package].__class__ = Door
    return sorted(where), __getattr__, __dir__
