"""Tests of commissioning.present.tables' HTML: captions, scoped headers, grids the auditor reads."""

import dataclasses

from lxml import html as lxml_html

import commissioning as cm
from commissioning.disclosure.audit_pages import parse_cells
from commissioning.present.tables import CountTable


def test_a_table_of_activities_is_a_grid_with_a_caption_and_scoped_headers(study):
    r = cm.Report(lang="nl", publish=True)
    table = r.counts(cm.activity_variables(study))
    assert table.grid
    tree = lxml_html.fromstring(table._repr_html_())
    assert tree.xpath("//caption")[0].text == "Activiteiten: zelf of uitbesteed (aantal gemeenten)"
    heads = [(th.get("scope"), th.text) for th in tree.xpath("//thead//th")]
    assert heads == [("col", "Activiteit"), ("col", "Zelf"), ("col", "Deels uitbesteed"), ("col", "Uitbesteed")]
    rows = tree.xpath("//tbody/tr")
    assert len(rows) == 12 and all(tr.xpath("./th")[0].get("scope") == "row" for tr in rows)
    # the auditor reads every cell with its own code, as it reads the list the grid replaces
    rows = [dataclasses.replace(r, code_label="") for r in table.rows]  # without codes' labels: a list
    as_list = CountTable(rows, table.groups, table.unit, table.by, table.lang)
    assert not as_list.grid
    key = lambda c: (c.variable, c.codes, c.group, c.k, c.n)  # noqa: E731
    grid_cells = sorted(map(key, parse_cells(tree, "nl/02.html")))
    list_cells = sorted(map(key, parse_cells(lxml_html.fromstring(as_list._repr_html_()), "nl/02.html")))
    assert grid_cells == list_cells and len(grid_cells) == 36


def test_a_table_by_group_stays_a_list_and_names_its_rows(study):
    table = cm.Report(publish=True).counts("organisation.model", by="size_class")
    assert not table.grid
    tree = lxml_html.fromstring(table._repr_html_())
    assert tree.xpath("//caption")[0].text == "Organisation model, by size class (number of municipalities)"
    assert tree.xpath("//thead//th")[0].text == "Question and answer"
    assert all(th.get("scope") for th in tree.xpath("//th"))


def test_a_region_table_says_what_publishing_did_to_regions():
    notes = cm.Report(publish=True, lang="nl").counts("organisation.model", by="region").notes
    assert any("een regio met minder dan 3" in n for n in notes)
    assert not any("zeer groot" in n for n in notes)  # the size classes' merge is not a region table's note


def test_captions_of_the_tables_of_one_report_differ(study):
    r = cm.Report(lang="nl")
    investment = [v.id for v in study.codebook.theme("segments") if v.id.endswith(".investment")]
    maintenance = [v.id for v in study.codebook.theme("segments") if v.id.endswith(".maintenance")]
    captions = [r.counts(investment).caption, r.counts(maintenance).caption,
                r.counts(investment, by="size_class", codes=["commissioner"], label="variable").caption,
                r.counts(maintenance, by="size_class", codes=["own_service"], label="variable").caption]
    assert len(set(captions)) == 4, captions
    assert captions[0] == "Rol bij investeren (aantal gemeenten)"
