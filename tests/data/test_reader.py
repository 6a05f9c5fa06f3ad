"""The fast way of reading YAML gives exactly PyYAML's data; anchors and aliases are refused
(in a codebook: bounded), so that an alias bomb cannot hang a command."""

import shutil
import time

import pytest
import yaml

from commissioning.cli import main
from commissioning.data import reader
from commissioning.data.reader import MAX_EXPANDED_NODES, alias_problem, load_data, load_yaml

from ..conftest import DATA, REPO, tree_digest


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
    got = load_data(text, aliases="bounded")
    if kind == "error":
        assert got is None
    else:
        assert got == expected and type(got) is type(expected)


def test_fast_yaml_shares_aliases_as_pyyaml():
    data = load_data("base: &b {code: x}\nv: *b\nw: *b\n", aliases="bounded")
    assert data["v"] is data["w"]


def test_fast_yaml_equals_pyyaml_on_every_shipped_file():
    for path in sorted((REPO / "data" / "interviews").glob("*.yaml")) + [REPO / "data" / "codebook.yaml"]:
        text = path.read_text(encoding="utf-8")
        assert load_data(text, aliases="bounded") == yaml.load(text, Loader=yaml.CSafeLoader), path.name


# --- anchors, aliases and alias bombs --------------------------------------------------------------

def bomb(levels=9, head="", key="values"):
    """An alias bomb: nine lists of nine aliases of the list before, 9**9 values once expanded."""
    lines = [head.rstrip("\n")] if head else []
    lines.append('a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]')
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]")
    lines.append(f"{key}: *a{levels}")
    return "\n".join(lines) + "\n"


INTERVIEW_HEAD = "interview_id: GM0518-1\nmunicipality: GM0518\ncoder: ab\n"
ANCHOR_LINE = 1 + INTERVIEW_HEAD.count("\n")  # the line of &a0
ANCHOR_MESSAGE = ("has a YAML anchor (&a0); anchors and aliases are refused in this file, as an alias can make "
                  "a small file expand without end; allowed: every value written out in full, as in the "
                  "README's example")


@pytest.mark.parametrize("text, line, sign", [
    ("a: &x 1\nb: *x\n", 1, "&x"),
    ("a: 1\nb:\n  c: &deep [1, 2]\n", 3, "&deep"),
    ("- &k key\n- x\n", 1, "&k"),
])
def test_an_anchor_is_refused_at_its_line(text, line, sign):
    data, lines, problems = load_yaml(text, "f.yaml")
    assert data is None and lines == {}
    assert [str(p) for p in problems] == [
        f"f.yaml, line {line}: has a YAML anchor ({sign}); anchors and aliases are refused in this file, as an "
        "alias can make a small file expand without end; allowed: every value written out in full, as in the "
        "README's example"]
    assert load_data(text) is None


def test_ampersands_and_asterisks_in_text_are_no_anchors():
    text = "notes: 'R&D and *the* budget'\nrole: adviser & coordinator\nx: a*b\n"
    assert alias_problem(text, "f.yaml") is None
    assert load_data(text) == yaml.safe_load(text)


def test_an_undefined_alias_is_refused_or_invalid_yaml():
    assert load_yaml("a: *nowhere\n", "f.yaml")[2][0].message.startswith("has a YAML alias (*nowhere); ")
    problems = load_yaml("a: *nowhere\n", "codebook.yaml", aliases="bounded")[2]
    assert len(problems) == 1 and problems[0].message.startswith("is not valid YAML: ")


def test_a_codebook_may_share_code_lists_but_not_explode():
    assert alias_problem((DATA / "codebook.yaml").read_text(encoding="utf-8"), "codebook.yaml", "bounded") is None
    problem = alias_problem(bomb(), "codebook.yaml", "bounded")
    assert str(problem) == (f"codebook.yaml, line 6: has aliases that expand to more than {MAX_EXPANDED_NODES:,} "
                            "values; allowed: anchors for shared lists of codes, each written out once")


def test_the_bound_counts_what_the_aliases_expand_to(monkeypatch):
    text = "a: &a [x, y, z]\nb: [*a, *a]\n"  # the mapping, a, [x, y, z] (4), b, the list (1 + 2 * 4): 16 values
    monkeypatch.setattr(reader, "MAX_EXPANDED_NODES", 16)
    assert alias_problem(text, "c.yaml", "bounded") is None
    monkeypatch.setattr(reader, "MAX_EXPANDED_NODES", 15)
    assert alias_problem(text, "c.yaml", "bounded").where == "line 2"


def test_an_unknown_policy_is_a_programming_error():
    with pytest.raises(ValueError, match="aliases must be one of"):
        alias_problem("a: 1\n", "f.yaml", "allow")


def own_copy(tmp_path):
    d = tmp_path / "data"
    shutil.copytree(DATA, d)
    return d


def timed_main(args, capsys):
    start = time.monotonic()
    code = main(args)
    return code, capsys.readouterr(), time.monotonic() - start


def test_an_alias_bomb_in_an_interview_file_is_refused_within_seconds(tmp_path, capsys):
    d = own_copy(tmp_path)
    (d / "interviews" / "GM0518-1.yaml").write_text(bomb(head=INTERVIEW_HEAD), encoding="utf-8")
    before = tree_digest(d)
    code, out, seconds = timed_main(["validate", "--data", str(d)], capsys)
    assert code == 2 and seconds < 10
    assert out.err == f"error: interviews/GM0518-1.yaml, line {ANCHOR_LINE}: {ANCHOR_MESSAGE}\n"
    assert out.out == "" and tree_digest(d) == before


def test_an_alias_bomb_in_a_passage_file_is_refused(tmp_path, capsys):
    d = own_copy(tmp_path)
    (d / "passages").mkdir()
    (d / "passages" / "GM0518-1.yaml").write_text(bomb(head="interview_id: GM0518-1\ncoder: ab\n", key="passages"),
                                                   encoding="utf-8")
    code, out, seconds = timed_main(["validate", "--data", str(d)], capsys)
    assert code == 2 and seconds < 10
    assert out.err == f"error: passages/GM0518-1.yaml, line 3: {ANCHOR_MESSAGE}\n"


def test_an_alias_bomb_in_a_claims_file_is_refused(tmp_path, capsys):
    d = own_copy(tmp_path)
    (d / "claims.yaml").write_text(bomb(key="claims"), encoding="utf-8")
    code, out, seconds = timed_main(["claims", "--data", str(d)], capsys)
    assert code == 2 and seconds < 10
    assert out.err == f"error: claims.yaml, line 1: {ANCHOR_MESSAGE}\n"


def test_an_alias_bomb_in_a_codebook_is_refused(tmp_path, capsys):
    d = own_copy(tmp_path)
    text = (d / "codebook.yaml").read_text(encoding="utf-8")
    text = text.replace("\nattributes:\n", "\n" + bomb(key="bomb") + "attributes:\n", 1)
    (d / "codebook.yaml").write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"a5: &a5 [{', '.join(['*a4'] * 9)}]") + 1  # a5 expands to 597,871 values
    code, out, seconds = timed_main(["validate", "--data", str(d)], capsys)
    assert code == 2 and seconds < 10
    assert out.err == (f"error: codebook.yaml, line {line}: has aliases that expand to more than "
                       f"{MAX_EXPANDED_NODES:,} values; allowed: anchors for shared lists of codes, each written "
                       "out once\n")
