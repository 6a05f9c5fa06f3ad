"""The flat public API: every exported name resolves, and importing stays light."""

import subprocess
import sys

import commissioning as cm


def test_every_exported_name_resolves():
    for name in cm.__all__:
        assert getattr(cm, name) is not None, name


def test_unknown_name():
    import pytest

    with pytest.raises(AttributeError, match="has no attribute 'nonsense'"):
        cm.nonsense  # noqa: B018


def test_import_does_not_load_the_analysis_stack():
    code = "import sys, commissioning.cli; print('scipy' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_no_exported_name_is_shadowed_by_a_module():
    # a submodule imported by another module becomes a package attribute; no export may share its name
    import pkgutil

    modules = {m.name for m in pkgutil.iter_modules(cm.__path__)}
    assert not modules & set(cm.__all__)
