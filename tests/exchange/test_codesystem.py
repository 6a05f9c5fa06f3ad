"""A project's code system as a codebook: which codes become which variables, their ids and labels."""

import re

import pytest

from commissioning.data.codebook import codebook_from_text
from commissioning.data.skeleton import attributes_block
from commissioning.exchange.codesystem import CodeSystem, slug
from commissioning.exchange.project import ProjectCode, ProjectSet

from ..conftest import DATA

ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)*$")


def system(codes, sets=(), lang="en"):
    """A CodeSystem of codes given as (guid, name, parent guid)."""
    return CodeSystem({g: ProjectCode(g, name, "", parent) for g, name, parent in codes}, list(sets), lang=lang,
                      section="p.qdpx")


def kinds(s):
    return {v: spec["type"] for v, spec in s.variables.items()}


NVIVO = [("s", "Sourcing", None), ("d", "Design", "s"), ("d1", "In house", "d"), ("d2", "Outsourced", "d"),
         ("b", "Barriers", None), ("b1", "Budget", "b"), ("b2", "Politics", "b"), ("t", "Tenderboard", None)]


def test_alternatives_are_one_nominal_variable_and_co_occurring_codes_yes_no_variables():
    s = system(NVIVO)
    notes = s.decide([{"d1", "b1", "b2", "t"}, {"d2", "b1"}])
    assert kinds(s) == {"sourcing.design": "nominal", "barriers.budget": "boolean", "barriers.politics": "boolean",
                        "tenderboard": "boolean"}
    assert list(s.variables["sourcing.design"]["codes"]) == ["in_house", "outsourced"]
    assert s.results("d2") == [("sourcing.design", "outsourced", None)]
    assert s.results("b2") == [("barriers.politics", "yes", None)]
    assert s.results("s") == []  # a theme that is never coded itself makes no variable
    assert s.yes_no_variables() == ["barriers.budget", "barriers.politics", "tenderboard"]
    assert notes == ["code group 'Barriers': one yes/no variable per code, as one interview has 2 of its codes "
                     "(Budget, Politics)"]
    assert {v: spec["theme"] for v, spec in s.variables.items()} == {
        "sourcing.design": "sourcing", "barriers.budget": "barriers", "barriers.politics": "barriers",
        "tenderboard": "codes"}


def test_a_group_coded_itself_gets_a_variable_of_its_own_and_yes_no_codes():
    s = system(NVIVO)
    notes = s.decide([{"d1", "d"}, {"d2"}])
    assert kinds(s)["sourcing.design"] == "boolean"  # the code 'Design' itself
    assert s.variables["sourcing.design"]["question"]["en"].startswith("Is the interview coded 'Design' itself")
    assert kinds(s)["sourcing.design.in_house"] == "boolean"
    assert s.results("d") == [("sourcing.design", "yes", None)]
    assert "code group 'Sourcing / Design': one yes/no variable per code, as it is coded itself too" in notes


def test_a_group_of_one_code_is_a_yes_no_variable_and_unused_codes_stay():
    s = system([("g", "Group", None), ("c", "Only", "g"), ("u", "Unused", None)])
    assert s.decide([{"c"}]) == []
    assert kinds(s) == {"group.only": "boolean", "unused": "boolean"}


def test_atlas_ti_parent_names_nest_codes_even_when_the_parent_comes_later():
    s = system([("f", "Coke::full-fat Coke", None), ("d", "Coke::diet Coke", None), ("c", "Coke", None),
                ("x", "Tea::green", None), ("y", "Tea::black", None)])
    s.decide([{"f"}, {"d"}, {"x"}])
    assert kinds(s) == {"coke": "nominal", "tea": "nominal"}
    assert list(s.variables["coke"]["codes"]) == ["full_fat_coke", "diet_coke"]
    assert s.path("d") == ["Coke", "diet Coke"]
    s.decide([{"f", "c"}])  # Coke coded itself
    assert kinds(s)["coke"] == "boolean" and "coke.diet_coke" in s.variables


def test_code_groups_are_variables_and_a_code_in_two_groups_codes_both():
    codes = [("a", "budget", None), ("b", "capacity", None), ("c", "tenderboard", None), ("d", "Barriers", None)]
    sets = [ProjectSet("s1", "Barriers", ["a", "b"], []), ProjectSet("s2", "Organisation", ["c", "b"], []),
            ProjectSet("s3", "Documents", [], ["src"])]
    s = system(codes, sets)
    s.decide([{"a"}, {"b"}, {"c"}])
    # 'Barriers' is a top-level code's name too: the group's id gets _group; codes in a group are not loose
    assert kinds(s) == {"barriers_group": "nominal", "organisation": "nominal", "barriers": "boolean"}
    assert s.results("b") == [("barriers_group", "capacity", None), ("organisation", "capacity", None)]
    s.decide([{"a", "b"}])
    assert kinds(s) == {"barriers_group.budget": "boolean", "barriers_group.capacity": "boolean",
                        "organisation": "nominal", "barriers": "boolean"}


def test_ids_are_slugs_unique_among_siblings():
    s = system([("g", "Sourcing: Design", None), ("c1", "In-house", "g"), ("c2", "in house!", "g"),
                ("c3", "Ontwerp & Ingenieur", "g"), ("r", "Sourcing: Design", None), ("r1", "x", "r"),
                ("r2", "y", "r")])
    s.decide([{"c1"}, {"c2"}, {"r1"}])
    assert list(s.variables) == ["sourcing_design", "sourcing_design_2"]
    assert list(s.variables["sourcing_design"]["codes"]) == ["in_house", "in_house_2", "ontwerp_ingenieur"]
    assert all(ID.match(v) for v in s.variables)


@pytest.mark.parametrize("lang, other, mark", [("en", "nl", "niet vertaald"), ("nl", "en", "not translated")])
def test_labels_are_the_names_and_the_other_language_is_marked(lang, other, mark):
    s = system(NVIVO, lang=lang)
    s.decide([{"d1"}])
    spec = s.variables["sourcing.design"]
    assert spec["label"] == {lang: "Design", other: f"Design ({mark})"}
    assert spec["codes"]["in_house"] == {lang: "In house", other: f"In house ({mark})"}
    assert spec["untranslated"] == [other]
    assert s.variables["tenderboard"]["codes"] == {"yes": {"en": "Yes", "nl": "Ja"}, "no": {"en": "No", "nl": "Nee"}}


def test_the_codebook_text_loads_and_has_no_aliases():
    s = system(NVIVO)
    s.decide([{"d1", "b1", "b2"}])
    attributes = attributes_block((DATA / "codebook.yaml").read_text(encoding="utf-8"))
    text = s.codebook_text(attributes, project="p.qdpx", origin="NVivo")
    assert "&" not in text and "*" not in text
    codebook = codebook_from_text(text)
    assert list(codebook.variables) == list(s.variables)
    assert codebook.variables["barriers.budget"].extra["untranslated"] == ["nl"]
    assert list(codebook.attributes) == ["region", "size_class"]


def test_the_same_code_system_gives_the_same_codebook():
    texts = set()
    for _ in range(2):
        s = system(NVIVO)
        s.decide([{"d1", "b1", "b2"}])
        texts.add(s.codebook_text("attributes: {}\n", project="p.qdpx", origin="NVivo"))
    assert len(texts) == 1


@pytest.mark.parametrize("name, expected", [("Über-große Zahl", "uber_grosse_zahl"), ("1960s", "1960s"),
                                            ("  ", "code"), ("a.b", "a_b")])
def test_slug(name, expected):
    assert slug(name) == expected
