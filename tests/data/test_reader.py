"""The fast way of reading YAML gives exactly PyYAML's data."""

import pytest
import yaml

from commissioning.data.reader import load_data

from ..conftest import REPO


TRICKY = [
    "a: 1\nb: [x, 'y', 2.5, null, yes, no, ~, 2016-01-01]\n",
    "values:\n  v: {code: 'no', section: '2.1'}\n  w: {code: no}\n  x: on\n",
    "base: &b {code: x, section: '1'}\nv: *b\nw: *b\n",  # an aliased mapping is shared
    "base: &b {code: x}\nv:\n  <<: *b\n  section: '2'\n",  # merge key
    "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\nbin: !!binary aGVsbG8=\n",
    "? [a, b]\n: c\n",  # an unhashable key: an error, as PyYAML says
    "k: !!str 12\nl: !!int '7'\nm: !!float '1e3'\n",
    "- a\n- [b, c]\n- {d: e}\n",
    "just text\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: 1\na: 2\n",  # a repeated key: the last wins, as in PyYAML
    "",
    "# only a comment\n",
    "a: [1, 2\n",  # invalid
    "a: !unknown tag\n",  # a tag PyYAML does not construct
    "'1': one\n1: int one\n",
]


def reference_load(text):
    try:
        return ("ok", yaml.load(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return ("error", None)


@pytest.mark.parametrize("text", TRICKY)
def test_fast_yaml_equals_pyyaml(text):
    kind, expected = reference_load(text)
    got = load_data(text)
    if kind == "error":
        assert got is None
    else:
        assert got == expected and type(got) is type(expected)


def test_fast_yaml_shares_aliases_as_pyyaml():
    data = load_data("base: &b {code: x}\nv: *b\nw: *b\n")
    assert data["v"] is data["w"]


def test_fast_yaml_equals_pyyaml_on_every_shipped_file():
    for path in sorted((REPO / "data" / "interviews").glob("*.yaml")) + [REPO / "data" / "codebook.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert load_data(text) == yaml.load(text, Loader=yaml.CSafeLoader), path.name
