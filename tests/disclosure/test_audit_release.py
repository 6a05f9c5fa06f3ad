"""The auditor reads a release (every run over one data folder) as a reader with every page would:
the attacks of issue 19 on hand-written pages, each caught, and its safe counterpart passing.

Pages are written by tests/disclosure/fixture_pages.py from a hand-written dataset; the auditor
reads only their HTML and the public facts."""

import time

from commissioning.disclosure.audit import audit, summary

from .fixture_pages import (DATA, DESIGN, DESIGN_CODES, TENDERBOARD, cells, count, page, stat, table, value_table,
                            write)

SIZES = ["small", "medium", "large+very_large", "all"]
REGIONS = ["Noord", "West", "Zuid", "all"]


def problems_about(result, text: str) -> list[str]:
    return [p for p in result.problems if text in p]


def design_by_size(selection="", caption="Design by size class"):
    return value_table("sourcing.design", DESIGN, DESIGN_CODES, SIZES, selection=selection, caption=caption)


def design_all(selection):
    return value_table("sourcing.design", DESIGN, DESIGN_CODES, ["all"], by="none", selection=selection)


# --- (a) a national page and a per-class page subtract -------------------------------------------------

def test_a_per_class_run_minus_the_national_merged_group_gives_very_large(tmp_path):
    national = write(tmp_path / "national", {f"{lang}/02-outsourcing.html": [design_by_size()] for lang in ("en", "nl")})
    large = write(tmp_path / "large", {f"{lang}/02-outsourcing.html": [design_all("size_class=large")]
                                       for lang in ("en", "nl")}, selection="size_class=large")
    result = audit([national, large], DATA)
    assert result.runs == ["national", "size_class=large"]
    # 5 of 10 mixed in large and very large, 3 of the 8 large: both very large municipalities are mixed
    found = problems_about(result, "the count of 'mixed' in size class very_large (municipality) is determined: 2")
    assert found == ["en/02-outsourcing.html (size_class=large): sourcing.design: the count of 'mixed' in size class "
                     "very_large (municipality) is determined: 2, by the cells of en/02-outsourcing.html (national) "
                     "and en/02-outsourcing.html (size_class=large)"]
    assert problems_about(result, "'mixed' in municipality Rotterdam (municipality) is determined: 1")
    assert result.narrowest_range == 1
    # each run alone is safe, and so is a run of the merged group itself (the filter mapped)
    for folders in ([national], [large]):
        alone = audit(folders, DATA)
        assert alone.problems == [] and alone.narrowest_range == 2, alone.problems
    merged = write(tmp_path / "merged", {"en/02-outsourcing.html": [design_all("size_class=large+very_large")]},
                   selection="size_class=large+very_large")
    both = audit([national, merged], DATA)
    assert both.problems == [] and both.narrowest_range == 2


# --- (b) a per-region run shows what the national run suppressed as complements ------------------------

def tenderboard(by, groups, selection="", hidden=()):
    return value_table("structure.tenderboard", TENDERBOARD, ["yes", "no"], groups, by=by, selection=selection,
                       hidden=hidden)


def test_a_region_run_shows_totals_the_national_run_suppressed(tmp_path):
    national = write(tmp_path / "national", {"en/03-organisation.html": [
        tenderboard("size_class", SIZES), tenderboard("region", REGIONS, hidden=("West", "Zuid"))]})
    assert audit([national], DATA).problems == []
    zuid = write(tmp_path / "zuid", {"en/03-organisation.html": [tenderboard("none", ["all"], "region=Zuid")]},
                 selection="region=Zuid")
    result = audit([national, zuid], DATA)
    assert problems_about(result, "en/03-organisation.html (region=Zuid): structure.tenderboard municipality by none "
                                  "group 'all' codes yes: shown here, but en/03-organisation.html (national) "
                                  "suppresses the same block (region group 'Zuid', 6 municipalities")
    assert problems_about(result, "structure.tenderboard: the count of 'yes' in municipality Middelburg (municipality) "
                                  "is determined: 1, by the cells of en/03-organisation.html (national) and "
                                  "en/03-organisation.html (region=Zuid)")


# --- (c) a count in the prose of a filtered run ---------------------------------------------------------

POOLED = ("Pooled over the 11 activities, 2 of 22 values (9%) in large and very large municipalities are mixed or "
          "outsourced, against 12 of 44 (27%) in medium ones.")


def test_a_prose_count_about_a_merged_group_within_a_region(tmp_path):
    zuid = write(tmp_path / "zuid", {"en/02-outsourcing.html": [design_by_size("region=Zuid", None), f"<pre>{POOLED}</pre>"],
                                     "nl/02-outsourcing.html": [
        "<p>Grote en zeer grote gemeenten: 2 van 22 waarden (9%) zijn gemengd of uitbesteed.</p>"]},
                 selection="region=Zuid")
    result = audit([zuid], DATA)
    assert problems_about(result, f"en/02-outsourcing.html (region=Zuid): the sentence {POOLED!r} names Large and very "
                                  "large (Eindhoven, Tilburg) (a group below the threshold)")
    assert problems_about(result, "nl/02-outsourcing.html (region=Zuid): the sentence 'Grote en zeer grote gemeenten: 2 "
                                  "van 22 waarden (9%) zijn gemengd of uitbesteed.' names Large and very large "
                                  "(Eindhoven, Tilburg)")
    # the table's column of the merged group is a shown cell of Eindhoven and Tilburg alone
    assert problems_about(result, "en/02-outsourcing.html (region=Zuid): sourcing.design municipality by size_class "
                                  "group 'large+very_large' codes in_house: a shown cell rests on 2 municipalities and "
                                  "3 interviews, fewer than 3")
    span = ('<p>Mixed in <span class="cm-num" data-variable="sourcing.design" data-unit="municipality" '
            'data-by="size_class" data-group="large+very_large" data-codes="mixed" data-k="1" data-n="2">1 of 2'
            '</span>.</p>')
    spans = audit([write(tmp_path / "span", {"en/02.html": [span]}, selection="region=Zuid")], DATA)
    assert problems_about(spans, "group 'large+very_large' codes mixed: a shown cell rests on 2 municipalities")
    # the same sentence on the national page names 10 municipalities: no problem
    national = write(tmp_path / "national", {"en/02-outsourcing.html": [design_by_size(), f"<pre>{POOLED}</pre>"]})
    assert audit([national], DATA).problems == []


# --- (d) a p-value over a hidden group ------------------------------------------------------------------

def pvalue(groups, selection=""):
    data = cells("sourcing.design", DESIGN, groups, DESIGN_CODES, selection)
    return ('<table class="cm-stats"><caption>Tests of association with size class</caption><thead><tr><th>Activity'
            '</th><th>p</th></tr></thead><tbody><tr><th scope="row">Design</th>'
            f'<td>{stat("0.598", tag="span", cells=data, measure="p")}</td></tr></tbody></table>')


def test_a_p_value_over_very_large_alone_is_caught(tmp_path):
    four = write(tmp_path / "four", {"en/02-outsourcing.html": [design_by_size()],
                                     "en/06-robustness.html": [pvalue(["small", "medium", "large", "very_large"])]})
    result = audit([four], DATA)
    assert problems_about(result, "en/06-robustness.html (national): a cell of the statistic '0.598': sourcing.design "
                                  "municipality by size_class group 'very_large' codes mixed: a shown cell rests on 2 "
                                  "municipalities and 4 interviews, fewer than 3")
    assert problems_about(result, "'mixed' in size class very_large (municipality) is determined: 2, by the cells of "
                                  "en/06-robustness.html (national)")
    assert result.statistics == 1
    shown = write(tmp_path / "shown", {"en/02-outsourcing.html": [design_by_size()],
                                       "en/06-robustness.html": [pvalue(["small", "medium", "large+very_large"])]})
    passed = audit([shown], DATA)
    assert passed.problems == [] and passed.narrowest_range == 2


def test_a_statistic_over_a_block_the_release_suppresses(tmp_path):
    """02 withholds Zuid's design (with West, as its complement); 06 prints a test by region."""
    by_region = value_table("sourcing.design", DESIGN, DESIGN_CODES, REGIONS, by="region", hidden=("West", "Zuid"))
    data = cells("sourcing.design", DESIGN, ["Noord", "West", "Zuid"], DESIGN_CODES, by="region")
    folder = write(tmp_path / "r", {"en/02-outsourcing.html": [by_region],
                                    "en/06-robustness.html": [f"<p>p = {stat('0.32', cells=data)}</p>"]})
    result = audit([folder], DATA)
    assert problems_about(result, "en/06-robustness.html (national): a cell of the statistic '0.32': sourcing.design "
                                  "municipality by region group 'Zuid' codes in_house: shown here, but "
                                  "en/02-outsourcing.html (national) suppresses the same block")
    missing = write(tmp_path / "m", {"en/06.html": [f"<p>p = {stat('0.32')}</p>"]})
    assert problems_about(audit([missing], DATA), "the statistic '0.32' (table) does not say which count cells it is "
                                                  "computed from (data-cells)")


def test_a_resample_over_a_small_group(tmp_path):
    boot = stat("[0.41, 0.77]", "resample", variables="sourcing.design", unit="municipality", by="size_class",
                group="large+very_large")
    result = audit([write(tmp_path / "zuid", {"en/02.html": [f"<p>Interval: {boot}</p>"]}, selection="region=Zuid")],
                   DATA)
    assert problems_about(result, "en/02.html (region=Zuid): the statistic '[0.41, 0.77]' (resample): a resample over "
                                  "2 municipalities and 3 interviews, fewer than 3")
    national = audit([write(tmp_path / "national", {"en/02.html": [f"<p>Interval: {boot}</p>"]})], DATA)
    assert national.problems == []


# --- (e) a table the auditor cannot read ---------------------------------------------------------------

def test_tables_the_auditor_cannot_read(tmp_path):
    plain = ('<table class="dataframe"><thead><tr><th>Activity</th><th>Loaded data</th></tr></thead><tbody><tr>'
             '<th>Design</th><td>0.598</td></tr></tbody></table>')
    text = '<table class="cm-text"><tr><th>Test</th><td>permutation chi-square, 9,999 resamples</td></tr></table>'
    stats = ('<table class="cm-stats"><tbody><tr><th>Design</th><td>n = 18</td><td>'
             f'{stat("0.598", cells=cells("sourcing.design", DESIGN, SIZES[:3], DESIGN_CODES))}</td></tr></tbody></table>')
    claims = ('<table class="cm-claims"><tbody><tr class="cm-claim cm-withheld"><td>Only two municipalities discuss '
              'it</td><td>2 of 2</td></tr></tbody></table>')
    counts = ('<table class="cm-counts" data-unit="municipality" data-by="none"><thead><tr><th></th><th data-group="all">'
              'All</th></tr></thead><tbody><tr data-variable="sourcing.design" data-codes="mixed"><th>Mixed</th>'
              '<td>9/18</td></tr></tbody></table>')
    result = audit([write(tmp_path / "r", {"en/06-robustness.html": [plain, text, stats, claims, counts]})], DATA)
    assert problems_about(result, "en/06-robustness.html (national): table 1 ('Activity') is a table the auditor cannot "
                                  "read: it carries none of the classes cm-counts, cm-stats, cm-claims, cm-text, "
                                  "cm-public, cm-meta (it shows '0.598')")
    assert problems_about(result, "table 2 ('Test') is a text table (cm-text) but shows '9,999'")
    assert problems_about(result, "table 3 ('Design'): a row shows '18' outside the marked numbers")
    assert problems_about(result, "table 4: a row shows '2' outside the marked numbers")
    assert problems_about(result, "table 5 ('All'): a cell of sourcing.design is neither a count")
    fine = ('<table class="cm-public"><tr><td>Rotterdam</td><td>629,606</td></tr></table>'
            '<table class="cm-text"><tr><th>Test</th><td>permutation chi-square</td></tr></table>'
            '<table class="cm-stats" data-stat="resample" data-variables="sourcing.design" data-unit="municipality" '
            'data-by="none" data-group="all"><tbody><tr><th>Design</th><td>[0.41, 0.77]</td></tr></tbody></table>')
    assert audit([write(tmp_path / "fine", {"en/06.html": [fine]})], DATA).problems == []


# --- (f) how often respondents of one municipality differ -----------------------------------------------

def within(k, n, municipalities, group="all"):
    return stat(f"{k} of {n} pairs", "within", variables="sourcing.design", group=group,
                municipalities=municipalities, k=k, n=n)


def test_within_municipality_disagreement_all_or_none(tmp_path):
    result = audit([write(tmp_path / "r", {"en/03.html": [f"<p>Pairs that differ: {within(0, 7, 5)}</p>"]})], DATA)
    assert problems_about(result, "en/03.html (national): the statistic '0 of 7 pairs' (within): 0 of 7 pairs of "
                                  "respondents differ, which says of each of the 5 municipalities that its "
                                  "respondents all agree")
    few = audit([write(tmp_path / "few", {"en/03.html": [f"<p>{within(1, 2, 'GM0518 GM0193', 'large+very_large')}</p>"]})],
                DATA)
    assert problems_about(few, "pools 2 municipalities with several respondents, fewer than 3")
    wrong = audit([write(tmp_path / "wrong", {"en/03.html": [f"<p>{within(2, 7, 'GM0599 GM0518 GM0193')}</p>"]})], DATA)
    assert problems_about(wrong, "pools GM0599, not municipalities of its group with several respondents")
    fine = audit([write(tmp_path / "fine", {"en/03.html": [f"<p>Pairs that differ: {within(3, 7, 5)}</p>"]})], DATA)
    assert fine.problems == []


# --- the release belongs together ------------------------------------------------------------------------

def test_pages_that_do_not_belong_to_the_release(tmp_path):
    base = write(tmp_path / "base", {"en/02.html": [design_by_size()]})
    draft = write(tmp_path / "draft", {"en/02.html": [design_by_size()]}, publish="no", selection="region=Zuid")
    other = write(tmp_path / "other", {"en/02.html": [design_all("region=Noord")]}, selection="region=Noord",
                  threshold="5", fingerprint="0000")
    bare = write(tmp_path / "bare", {"en/02.html": [design_all("region=West")]}, selection="region=West",
                 threshold=None, fingerprint=None)
    result = audit([base, draft, other, bare], DATA)
    assert problems_about(result, "en/02.html (region=Zuid): says it is not for publication (cm-publish 'no'), yet it "
                                  "is a page of the published release")
    assert problems_about(result, "en/02.html (region=Noord): was protected at threshold 5, the release at 3 "
                                  "(en/02.html (national))")
    assert problems_about(result, "en/02.html (region=Noord): shows data with fingerprint 0000, the release "
                                  "592c46e5e5d0")
    assert problems_about(result, "en/02.html (region=West): lacks <meta name=\"cm-threshold\">, "
                                  "<meta name=\"cm-fingerprint\">")
    assert audit([base], DATA, fingerprint="1111").problems == [
        "en/02.html (national): shows data with fingerprint 592c46e5e5d0, the release 1111"]
    odd = write(tmp_path / "odd", {"en/02.html": [design_by_size()]}, selection="region=Oost")
    assert problems_about(audit([odd], DATA), "a selection the auditor cannot read (<meta name=\"cm-selection\" "
                                              "content=\"region=Oost\">): 'Oost' is not a value of region")


def test_no_page_is_no_pass(tmp_path):
    (tmp_path / "empty").mkdir()
    result = audit(tmp_path / "empty", DATA)
    assert result.problems == [f"no page of the release to audit in {tmp_path / 'empty'}"]


def test_an_old_caller_gives_the_selection_with_where(tmp_path):
    folder = tmp_path / "zuid"
    folder.mkdir()
    (folder / "02.html").write_text("<html><body>" + design_all("region=Zuid") + "</body></html>", encoding="utf-8")
    result = audit(folder, DATA, 3, where={"region": "Zuid"})
    assert result.runs == ["region=Zuid"]
    assert problems_about(result, "zuid/02.html (region=Zuid): lacks <meta name=\"cm-publish\">")
    assert not problems_about(result, "rests on")  # Zuid's 6 municipalities


def test_the_summary_names_runs_and_problems(tmp_path):
    national = write(tmp_path / "national", {"en/02.html": [design_by_size()]})
    large = write(tmp_path / "large", {"en/02.html": [design_all("size_class=large")]}, selection="size_class=large")
    result = audit([national, large], DATA)
    assert summary(result).startswith("Audit of 2 pages of 2 runs (national; size_class=large): ")
    assert f"; {len(result.problems)} problems; the first: en/02.html" in summary(result)
    assert summary(result, "nl").startswith("Controle van 2 pagina's uit 2 runs (landelijk; size_class=large): ")
    assert summary(audit([national], DATA), "nl").endswith("smalste bereik: 2 waarden; geen problemen.")


# --- speed: a release of the shipped size ----------------------------------------------------------------

def test_a_release_of_seven_runs_is_audited_quickly(tmp_path):
    """Seven runs (national, three regions, three size groups) of count tables by size and region for
    two variables, in both languages: the gate must be fast enough for every published run."""
    runs = {"": "national", "region=Noord": "noord", "region=West": "west", "region=Zuid": "zuid",
            "size_class=small": "small", "size_class=medium": "medium", "size_class=large+very_large": "large"}
    folders = []
    for selection, name in runs.items():
        parts = [value_table("sourcing.design", DESIGN, DESIGN_CODES, ["all"], by="none", selection=selection),
                 tenderboard("none", ["all"], selection)]
        if selection == "":
            parts += [design_by_size(), tenderboard("size_class", SIZES)]
        folders.append(write(tmp_path / name, {f"{lang}/0{i}.html": parts for lang in ("en", "nl") for i in range(3)},
                             selection=selection))
    start = time.process_time()
    result = audit(folders, DATA)
    seconds = time.process_time() - start
    assert len(result.pages) == 42 and len(result.runs) == 7
    assert seconds < 60, seconds
    # Middelburg is the only small municipality of Zuid; the small run and the Zuid run publish a
    # tenderboard in each, and the national run says where it is: the release gives it away
    assert problems_about(result, "'yes' in municipality Middelburg (municipality) is determined: 1")
    assert count(TENDERBOARD, "small", "yes") == (1, 3)


def test_numbers_of_two_runs_that_contradict_each_other(tmp_path):
    """The national run's Zuid column and the Zuid run's size groups cannot both be true: the pages
    are named (and a quantity published twice with two values is named as such)."""
    national = write(tmp_path / "national", {"en/02.html": [value_table("sourcing.design", DESIGN, DESIGN_CODES,
                                                                        REGIONS, by="region")]})
    wrong = dict(DESIGN, GM0794="in_house")  # Helmond
    zuid = write(tmp_path / "zuid", {"en/02.html": [value_table("sourcing.design", wrong, DESIGN_CODES,
                                                                ["small", "medium", "large"], selection="region=Zuid")]},
                 selection="region=Zuid")
    result = audit([national, zuid], DATA)
    assert problems_about(result, "en/02.html (region=Zuid): sourcing.design: the published numbers contradict each "
                                  "other (no solution), on en/02.html (national) and en/02.html (region=Zuid)")
    again = write(tmp_path / "again", {"en/02.html": [value_table("sourcing.design", wrong, DESIGN_CODES, ["all"],
                                                                  by="none", selection="region=Zuid")]},
                  selection="region=Zuid")
    assert problems_about(audit([national, again], DATA), "en/02.html (region=Zuid): sourcing.design municipality by "
                                                          "none group 'all' codes in_house: is published as 2 and "
                                                          "elsewhere as 1 (en/02.html (national))")
