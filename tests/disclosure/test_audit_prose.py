"""The auditor's check of prose, both ways: a size-class label names a group only where it is used
as one, so ordinary adjectives ("a large share", "small tables", "de grote lijn") raise no alarm,
while sentences about a group below the threshold are still caught, in both languages and on the
pages of filtered runs."""

import pytest

from commissioning.disclosure.audit import audit
from commissioning.disclosure.audit_facts import read_facts, selection_munis
from commissioning.disclosure.audit_prose import check_prose, named_groups

from .fixture_pages import DATA, write

FACTS = read_facts(DATA)
MERGED = {("large", "very_large")}
ZUID = selection_munis(FACTS, {"region": ("Zuid",)})


@pytest.mark.parametrize("sentence", [
    "Small tables of 3 rows hide little.",
    "A large share of the activities (12 of 18) is done in-house.",
    "A very large share, 90%, keeps the strategy in-house.",
    "De grote lijn: 12 van 18 gemeenten doen het zelf.",
    "Een zeer grote meerderheid (15 van 18) doet het zelf.",
    "De verschillen zijn klein: 2 procentpunten.",
    "De verschillen zijn klein (2 procentpunten).",
    "The difference is large: 40 points.",
    "With this few units, sizeable differences go undetected too; only a very large effect, 0.5 or more, shows.",
    "Larger municipalities outsource 3 of 10 activities.",  # a comparative names no class
    "Large and very large: 7 of 10.",  # the merged group shown: 10 municipalities
    "Hermans, Huizing and Veldhuis (2018), Delft University of Technology, 21 interviews.",  # the citation
])
def test_words_that_name_no_protected_group(sentence):
    assert named_groups(sentence, FACTS, 3, MERGED) == []
    assert named_groups(sentence, FACTS, 3, MERGED, ZUID) == [] or "arge and very large" in sentence


@pytest.mark.parametrize("sentence, named", [
    ("The very large municipalities: 2 of 2.", "Very large (Den Haag, Rotterdam)"),
    ("In the very large municipalities 2 of 2 have a sector model.", "Very large (Den Haag, Rotterdam)"),
    ("De zeer grote gemeenten hebben allemaal een sectorenmodel.", "Very large (Den Haag, Rotterdam)"),
    ("Very large: 2 of 2.", "Very large (Den Haag, Rotterdam)"),
    ("In the very large class 2 of 2 do.", "Very large (Den Haag, Rotterdam)"),
    ("Size class very large: 2 of 2.", "Very large (Den Haag, Rotterdam)"),
    ("Grootteklasse zeer groot: 2 van 2.", "Very large (Den Haag, Rotterdam)"),
    ("The class 'very large' has 2 of 2.", "Very large (Den Haag, Rotterdam)"),
    ("Outsourced in Very large 2 of 2, in Large 5 of 8.", "Very large (Den Haag, Rotterdam)"),
    ("Very large 2 of 2, large 5 of 8.", "Very large (Den Haag, Rotterdam)"),
    ("The very large ones: both.", "Very large (Den Haag, Rotterdam)"),
    ("Rotterdam outsources all of it.", "Rotterdam"),
    ("Den Haag en Rotterdam: allebei.", "Den Haag"),
    ("Kleine gemeenten in de regio Zuid: geen enkele heeft een tenderboard.", "South x Small (Middelburg)"),
])
def test_sentences_about_a_protected_group(sentence, named):
    assert named in named_groups(sentence, FACTS, 3, MERGED)


@pytest.mark.parametrize("sentence, named", [
    ("Small municipalities: 1 of 1.", "Small (Middelburg)"),
    ("Kleine gemeenten: 1 van 1.", "Small (Middelburg)"),
    ("Small: 1 of 1.", "Small (Middelburg)"),
    ("In the small class 1 of 1.", "Small (Middelburg)"),
    ("2 of 22 values (9%) in large and very large municipalities are mixed.", "Large and very large (Eindhoven, Tilburg)"),
    ("Bij de grote en zeer grote gemeenten 2 van 2.", "Large and very large (Eindhoven, Tilburg)"),
    ("Large and very large: 2 of 2.", "Large and very large (Eindhoven, Tilburg)"),
    ("The large ones: 2 of 2.", "Large (Eindhoven, Tilburg)"),
])
def test_a_shown_group_within_a_regions_selection(sentence, named):
    """On a page of the Zuid run a shown group is Zuid's part of it."""
    assert named_groups(sentence, FACTS, 3, MERGED, ZUID) == [named]
    assert named not in named_groups(sentence, FACTS, 3, MERGED)  # nationally: 3 small, 10 large and very large


def test_a_phrase_citing_the_threshold_is_no_number():
    note = "Very large municipalities, fewer than 3, are merged with the large ones."
    assert named_groups(note, FACTS, 3) == ["Very large (Den Haag, Rotterdam)"]
    assert check_prose([note], "en/02.html", FACTS, 3) == []
    assert check_prose([note.replace("fewer than 3", "2 of them")], "en/02.html", FACTS, 3)


def test_prose_of_pages_and_what_is_not_prose(tmp_path):
    parts = ['<p>In the very large municipalities 2 of 2 have a sector model.</p>',
             '<p class="cm-meta">Parameters: size_class = very_large, threshold 3.</p>',
             '<p>The study reports <span class="cm-study">2 of the 2</span> very large municipalities.</p>',
             '<table class="cm-public"><tr><td>Rotterdam</td><td>629,606</td></tr></table>',
             '<figure><img alt="Very large: 2 of 2 outsource design." src="x.png"></figure>',
             '<table class="cm-counts" data-unit="municipality" data-by="none"><caption>Rotterdam: all 1</caption>'
             '<thead><tr><th></th><th data-group="all">All</th></tr></thead><tbody></tbody></table>',
             '<table class="cm-text"><tr><td>Rotterdam: every activity</td></tr></table>',
             '<table class="cm-claims"><tbody><tr class="cm-claim"><td>Only Rotterdam and Den Haag discuss it.</td>'
             '<td>supported</td></tr><tr class="cm-claim cm-withheld"><td>Only Den Haag has a tenderboard.</td>'
             '<td>withheld: a group of fewer than 3</td></tr></tbody></table>']
    result = audit([write(tmp_path / "r", {"en/05-conclusions.html": parts})], DATA)
    sentences = sorted(p.split(": the sentence ")[1].split(" names ")[0] for p in result.problems)
    assert sentences == ["'In the very large municipalities 2 of 2 have a sector model.'",
                         "'Only Rotterdam and Den Haag discuss it.'", "'Rotterdam: all 1'",
                         "'Rotterdam: every activity'", "'Very large: 2 of 2 outsource design.'"]


def test_a_page_whose_selection_is_below_the_threshold(tmp_path):
    parts = ["<p>Done in-house by a majority of units: strategy (1 of 1).</p>", "<p>Outsourced by a majority: none.</p>"]
    result = audit([write(tmp_path / "r", {"en/02.html": parts}, selection="region=Zuid size_class=small")], DATA)
    assert result.problems == [
        "en/02.html (region=Zuid size_class=small): the page's selection holds 1 municipalities and 1 interviews, "
        "fewer than 3, and 2 sentences state a number or an all/none word about it, e.g. 'Done in-house by a majority "
        "of units: strategy (1 of 1).'"]
