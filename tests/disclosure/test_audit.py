"""The auditor attacks published HTML: the attacks of the issue are caught, a safe page passes, the
engine's plan passes an independent attack, and (once the reports carry count tables) a full run.

The auditor (commissioning.disclosure.audit) shares no code with the engine (commissioning.disclosure.protection)."""

import html
import re

import pytest

import commissioning as cm

from commissioning.disclosure.audit import AuditResult, audit
from ..conftest import DATA, REPO
from .fixture_pages import table, write


def problems_about(result: AuditResult, text: str) -> list[str]:
    return [p for p in result.problems if text in p]


# --- the attacks of the issue ---------------------------------------------------------------------------

def test_hidden_very_large_given_by_the_total(tmp_path):
    """A table by size class hides very large but shows 'All': 8 - (1 + 1 + 6) = 0 of 4 interviews,
    and Rotterdam's one interview with it."""
    rows = [("sourcing.design", "in_house", {"small": (1, 3), "medium": (1, 6), "large": (6, 11),
                                             "very_large": None, "all": (8, 24)})]
    result = audit(write(tmp_path / "r", {"en/02-outsourcing.html": [table("interview", "size_class", rows)]}), DATA)
    assert problems_about(result, "'in_house' in size class very_large (interview) is determined: 0")
    assert problems_about(result, "'in_house' in interview an interview of Rotterdam (interview) is determined: 0")
    assert problems_about(result, "'in_house' in municipality's interviews Den Haag (interview) is determined: 0")
    assert result.narrowest_range == 1


def test_size_and_region_on_two_pages_give_a_municipality(tmp_path):
    """By size on one page, by region on another: one small municipality has a tenderboard, no
    municipality in West has one, so it is Middelburg (Zuid's only small municipality)."""
    by_size = table("municipality", "size_class", [
        ("structure.tenderboard", "yes", {"small": (1, 3), "medium": (0, 5), "large+very_large": (0, 10),
                                          "all": (1, 18)})])
    by_region = table("municipality", "region", [
        ("structure.tenderboard", "yes", {"Noord": (0, 6), "West": (0, 6), "Zuid": (1, 6), "all": (1, 18)})])
    folder = write(tmp_path / "r", {"en/03-organisation.html": [by_size], "nl/03-organisation.html": [by_region]})
    result = audit(folder, DATA)
    assert problems_about(result, "'yes' in municipality Middelburg (municipality) is determined: 1")
    # either page alone is safe
    alone = audit(write(tmp_path / "alone", {"en/03-organisation.html": [by_size]}), DATA)
    assert alone.problems == [] and alone.narrowest_range == 2


def test_sentences_about_a_protected_group(tmp_path):
    prose = ["<p>In the very large municipalities 2 of 2 have a sector model.</p>",
             "<p>De zeer grote gemeenten hebben allemaal een sectorenmodel.</p>",
             "<p>Rotterdam outsources every activity.</p>",
             "<p>Kleine gemeenten in de regio Zuid: geen enkele heeft een tenderboard.</p>"]
    result = audit(write(tmp_path / "r", {"en/05-conclusions.html": prose}), DATA)
    assert len(problems_about(result, "names Very large")) == 2
    assert problems_about(result, "names Rotterdam")
    assert problems_about(result, "names South x Small")
    # a claim's paraphrase whose evidence is withheld keeps its verdict
    claim = ('<div class="cm-claim"><p>The very large municipalities all have a sector model.</p>'
             '<p class="cm-withheld">Supported. Evidence withheld: fewer than 3 municipalities.</p></div>')
    assert audit(write(tmp_path / "claim", {"en/05-conclusions.html": [claim]}), DATA).problems == []
    shown = '<div class="cm-claim"><p>The very large municipalities all have a sector model: 2 of 2.</p></div>'
    assert audit(write(tmp_path / "shown", {"en/05-conclusions.html": [shown]}), DATA).problems


def test_a_shown_cell_of_a_small_group(tmp_path):
    rows = [("sourcing.design", "in_house", {"very_large": (3, 4), "all": (16, 24)})]
    result = audit(write(tmp_path / "r", {"en/02-outsourcing.html": [table("interview", "size_class", rows)]}), DATA)
    assert problems_about(result, "a shown cell rests on 2 municipalities and 4 interviews, fewer than 3")
    span = ('<p>Design is in-house in <span class="cm-num" data-variable="sourcing.design" data-unit="interview" '
            'data-by="region" data-group="West" data-codes="in_house" data-k="1" data-n="2">1 of 2</span>.</p>')
    result = audit(write(tmp_path / "span", {"en/02-outsourcing.html": [span]}), DATA)
    assert problems_about(result, "a shown cell rests on 2 units with a value, fewer than 3")


def test_numbers_that_disagree_across_pages(tmp_path):
    rows = lambda k: [("sourcing.design", "in_house", {"small": (k, 3), "all": (9, 24)})]  # noqa: E731
    folder = write(tmp_path / "r", {"en/a.html": [table("interview", "size_class", rows(1))],
                                    "nl/a.html": [table("interview", "size_class", rows(2))]})
    assert problems_about(audit(folder, DATA), "is published as 2 and elsewhere as 1")


def test_a_correctly_merged_table_passes(tmp_path):
    rows = [("structure.tenderboard", "yes", {"small": (1, 3), "medium": (2, 5), "large+very_large": (4, 10),
                                              "all": (7, 18)}),
            ("structure.tenderboard", "no", {"small": (2, 3), "medium": (3, 5), "large+very_large": (6, 10),
                                             "all": (11, 18)})]
    note = ("<p>Published with disclosure control: size classes with fewer than 3 municipalities or respondents "
            "are merged with their neighbour (here: large and very large).</p>"
            "<p>Grootteklassen met minder dan 3 gemeenten zijn samengevoegd (hier: groot en zeer groot); "
            "bij de grote en zeer grote gemeenten 4 van 10.</p>")
    folder = write(tmp_path / "r", {"en/03.html": [note, table("municipality", "size_class", rows)],
                                    "nl/03.html": [table("municipality", "size_class", rows)]})
    result = audit(folder, DATA)
    assert result.problems == []
    assert result.protected_cells > 0 and result.narrowest_range == 2 and len(result.pages) == 2


# --- the engine's plan against the independent auditor ---------------------------------------------------------

def render_publication(p, variables=None) -> list[str]:
    """Count tables of every variable as a publish run may show them (a stand-in for the renderer):
    both units, overall, by shown size group and by region; for a ranked set the mentions by group
    and by rank. A cell the engine suppresses is shown as suppressed."""
    out = []
    s = p.study
    for var in s.codebook.variables.values():
        if variables and var.id not in variables:
            continue
        if var.type == "ranked_set":
            values = cm.unit_values(s, var.id, unit="interview")
            for by in (None, "size_class", "region", "rank"):
                groups = [g for g, _, _ in p.groups(by)] if by else []
                cells = {}
                for code in var.code_list:
                    cells[code] = {}
                    for g in [*groups, "all"]:
                        sel = values if g == "all" else values[values["rank"] == int(g)] if by == "rank" else \
                            values[values[by] == g]
                        shown = p.shown(var.id, by, g, "interview")
                        cells[code][g] = (int((sel["code"] == code).sum()), len(sel)) if shown else None
                out.append(table("interview", by or "none", [(var.id, c, cells[c]) for c in var.code_list]))
            continue
        for unit in ("municipality", "interview"):
            overall = cm.crosstab(s, var.id, by=None, unit=unit).set_index("code")
            for by in (None, "size_class", "region"):
                tab = cm.crosstab(s, var.id, by=by, unit=unit) if by else None
                groups = [g for g, _, _ in p.groups(by)] if by else []
                rows = []
                for code in var.code_list:
                    cells = {}
                    for g in [*groups, "all"]:
                        if not p.shown(var.id, by, g, unit):
                            cells[g] = None
                        elif g == "all":
                            cells[g] = (int(overall.loc[code, "n"]), int(overall.loc[code, "n_total"]))
                        else:
                            row = tab[(tab[by] == g) & (tab["code"] == code)].iloc[0]
                            cells[g] = (int(row["n"]), int(row["n_total"]))
                    rows.append((var.id, code, cells))
                out.append(table(unit, by or "none", rows))
    return out


def test_the_engines_plan_passes_the_auditor(tmp_path, study):
    p = cm.protection(study, publish=True)
    tables = render_publication(p)
    prose = f"<p>{html.escape(p.note('en'))}</p>"
    folder = write(tmp_path / "r", {"en/all.html": [prose, *tables],
                                    "nl/all.html": [f"<p>{html.escape(p.note('nl'))}</p>", *tables],
                                    "index.html": [cm.log_html({"all": p}, "en")]})
    result = audit(folder, DATA)
    assert result.problems == [], result.problems[:10]
    assert result.protected_cells == p.checked["protected"]  # the same protected values, counted apart
    assert result.narrowest_range == 2
    # the same tables with nothing suppressed but the merge (the naive protection) do not pass: for a
    # fact about the municipality and a variable coded per interview whose blocks the engine
    # suppresses, the auditor finds a protected count determined
    suppressed = [e["variable"] for e in p.log if e["action"] == "suppressed" and e["variable"]
                  and e["by"] in (None, "size_class", "region", "rank")]  # a national table's block
    chosen = [next(v for v in suppressed if not study.codebook.variables[v].per_interview),
              next(v for v in suppressed if study.codebook.variables[v].per_interview)]
    naive = cm.protection(study, publish=True)
    naive.shown = lambda variable, by, group, unit: not (  # noqa: E731
        unit == "interview" and not study.codebook.variables[variable].per_interview)
    folder = write(tmp_path / "naive", {"en/x.html": render_publication(naive, chosen)})
    flagged = audit(folder, DATA)
    for variable in chosen:
        found = problems_about(flagged, f"{variable}: the count of ")
        assert any("is determined" in problem for problem in found), (variable, flagged.problems[:5])


# --- a full published run ---------------------------------------------------------------------------------

def _release_pages_in(folder) -> bool:
    """Whether the pages follow the release's markup contract (they carry <meta name="cm-publish">)."""
    return any(re.search(r'<meta[^>]*name="cm-publish"', p.read_text(encoding="utf-8", errors="replace"))
               for p in folder.rglob("*.html")) if folder.is_dir() else False


@pytest.mark.xdist_group("published-shipped")
def test_a_full_published_run(published_shipped, tmp_path):
    """Every notebook in both languages, and 02-outsourcing per interview, published and attacked."""
    import os
    from unittest import mock

    from commissioning.run.suite import run_suite

    full, state = published_shipped  # what `make reports` writes, in a release of its own
    runs = [full]
    assert list(full.rglob("nl/*.html")) and list(full.rglob("en/*.html"))
    per_interview = tmp_path / "interview"
    with mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": str(state)}):  # it joins that release
        run_suite(out_dir=per_interview, only=["02-outsourcing"], parameters={"publish": True, "unit": "interview"},
                  force=True)
    runs.append(per_interview)
    assert all(_release_pages_in(run) for run in runs)  # the auditor reads the release's markup
    result = audit(runs, DATA)
    assert result.problems == [], "\n".join(result.problems[:20])
    assert result.protected_cells > 0 and result.narrowest_range >= 2
