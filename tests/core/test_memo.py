"""Tests of commissioning.core.memo: language-independent results computed once per process, keyed by
content, and identical to what the functions compute without the memo."""

import re
import shutil

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import commissioning as cm
from commissioning.core import memo as memo_store
from commissioning.analysis import robustness
from commissioning.core.memo import memoize
from commissioning.data.study import study_key


@pytest.fixture(autouse=True)
def fresh_memo():
    memo_store.clear()
    yield
    memo_store.clear()


def _bootstrap(study, lang):
    b = cm.bootstrap_top3(study, n_resamples=300, seed=7, lang=lang)
    return [b.shares, b.ranks]


def _association(study, lang):
    return [cm.association_tests(study, n_resamples=199, seed=3, method="holm", lang=lang)]


def _fragmentation(study, lang):
    return [cm.fragmentation(study, n_permutations=150, seed=5, lang=lang)]


def _size_difference(study, lang):
    return [cm.size_difference(study, unit="interview")]


def _seeds(study, lang):
    return list(robustness.run_seeds([1, 2], template=study))


def _crosstab(study, lang):  # through unit_values, memoised per variable and unit
    return [cm.crosstab(study, cm.activity_variables(study), by="size_class", unit=unit, lang=lang)
            for unit in ("municipality", "interview")]


CALLS = [_bootstrap, _association, _fragmentation, _size_difference, _seeds, _crosstab]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: c.__name__.strip("_"))
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_results_are_identical_with_and_without_the_memo(call, lang):
    with memo_store.disabled():
        plain = call(cm.load_study(), lang)
    assert memo_store.stats() == {"hits": 0, "misses": 0, "entries": 0}
    first = call(cm.load_study(), lang)
    again = call(cm.load_study(), lang)  # another Study object loaded from the same files
    assert memo_store.stats()["hits"] >= 1
    for a, b, c in zip(plain, first, again):
        assert_frame_equal(a, b)
        assert_frame_equal(a, c)


def test_the_second_language_reuses_the_first_and_only_the_labels_differ():
    en = cm.bootstrap_top3(cm.load_study(), n_resamples=300, seed=7, lang="en")
    misses = memo_store.stats()["misses"]
    nl = cm.bootstrap_top3(cm.load_study(), n_resamples=300, seed=7, lang="nl")
    assert memo_store.stats()["misses"] == misses
    assert_frame_equal(en.shares.drop(columns="label"), nl.shares.drop(columns="label"))
    assert (en.shares.label != nl.shares.label).any()
    assert "Mensen & competenties" in set(nl.shares.label)

    en_tests = cm.association_tests(cm.load_study(), n_resamples=199, lang="en")
    nl_tests = cm.association_tests(cm.load_study(), n_resamples=199, lang="nl")
    assert_frame_equal(en_tests.drop(columns="label"), nl_tests.drop(columns="label"))


def _fragmentation_entries():
    return sum(1 for name in memo_store.stored_functions() if name.endswith("._fragmentation_draws"))


def test_other_arguments_filters_or_data_are_computed_afresh(tmp_path):
    cm.fragmentation(cm.load_study(), n_permutations=150, seed=5)
    assert _fragmentation_entries() == 1
    cm.fragmentation(cm.load_study(), n_permutations=150, seed=6)  # another seed
    cm.fragmentation(cm.load_study().filter(region="West"), n_permutations=150, seed=5)  # a filter
    assert _fragmentation_entries() == 3
    data = tmp_path / "data"
    shutil.copytree(cm.default_data_dir(), data)
    cm.fragmentation(cm.load_study(data), n_permutations=150, seed=5)  # same content, other folder
    path = data / "interviews" / "GM0518-1.yaml"
    text = path.read_text(encoding="utf-8")
    old = re.search(r"portfolio.overview: \{code: (\w+),", text).group(1)
    new = "none" if old != "none" else "own_department"
    path.write_text(text.replace(f"portfolio.overview: {{code: {old},", f"portfolio.overview: {{code: {new},"),
                    encoding="utf-8")
    assert f"portfolio.overview: {{code: {new}," in path.read_text(encoding="utf-8")
    changed = cm.load_study(data)
    cm.fragmentation(changed, n_permutations=150, seed=5)  # changed data
    assert _fragmentation_entries() == 5


def test_a_study_changed_after_loading_is_not_mistaken_for_the_loaded_one():
    study = cm.load_study()
    published = cm.for_publication(study)  # same fingerprint and filters, other coder names
    assert study_key(study) != study_key(published)
    from dataclasses import replace

    fewer = replace(study, codings=study.codings[study.codings.interview_id != "GM0518-1"].reset_index(drop=True))
    assert study_key(study) != study_key(fewer)


def test_a_returned_result_can_be_changed_without_changing_the_stored_one():
    first = cm.association_tests(cm.load_study(), n_resamples=199)
    first.loc[:, "p_value"] = -1.0
    again = cm.association_tests(cm.load_study(), n_resamples=199)
    assert (again.p_value.dropna() >= 0).all()


def test_a_draw_in_memory_is_not_kept():
    calls = []

    @memoize
    def count(study):
        calls.append(1)
        return len(study.codings)

    template = cm.load_study()
    draw = template.__class__(**{**template.__dict__, "fingerprint": ""})
    count(draw)
    count(draw)
    assert len(calls) == 2 and memo_store.stats()["entries"] == 0


def test_a_memoised_function_may_not_take_lang():
    with pytest.raises(TypeError, match="must not take `lang`"):
        @memoize
        def labelled(study, lang="en"):
            return study

    @memoize
    def frame_sum(frame, *, columns):
        return float(frame[list(columns)].to_numpy().sum())

    df = pd.DataFrame({"a": [1, 2], "b": [3, 4]})
    assert frame_sum(df, columns=("a",)) == 3.0
    assert frame_sum(df.copy(), columns=("a",)) == 3.0  # a copy with the same values hits
    assert frame_sum(df.assign(a=[5, 6]), columns=("a",)) == 11.0
    assert memo_store.stats() == {"hits": 1, "misses": 2, "entries": 2}


def test_the_store_is_bounded():
    @memoize
    def ident(x):
        return x

    for i in range(memo_store.MAX_ENTRIES + 10):
        ident(i)
    assert memo_store.stats()["entries"] == memo_store.MAX_ENTRIES
