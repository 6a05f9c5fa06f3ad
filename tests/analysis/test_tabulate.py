"""Tests of commissioning.analysis.tabulate on the shipped data."""

import csv

import pandas as pd
import pytest

import commissioning as cm
from commissioning.analysis.tabulate import COMPOSITION_COLUMNS, SAMPLE_COLUMNS


@pytest.fixture(scope="module")
def csv_rows():
    with open(cm.default_data_dir() / "municipalities.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sample_table_has_one_row_per_municipality(study, csv_rows):
    table = cm.sample_table(study)
    assert list(table.columns) == SAMPLE_COLUMNS
    assert len(table) == 18 == len(csv_rows)
    assert sorted(table.municipality) == sorted(r["study_name"] for r in csv_rows)


def test_sample_table_populations_equal_the_csv(study, csv_rows):
    table = cm.sample_table(study)
    expected = {r["study_name"]: int(r["population"]) for r in csv_rows}
    assert dict(zip(table.municipality, table.population)) == expected
    official = {r["study_name"]: r["official_name"] for r in csv_rows}
    assert dict(zip(table.municipality, table.official_name)) == official


def test_sample_table_order_follows_table_1(study, csv_rows):
    table = cm.sample_table(study)
    sizes = ["Very large", "Large", "Medium", "Small"]
    regions = ["North", "West", "South"]
    keys = [(sizes.index(s), regions.index(r)) for s, r in zip(table.size_class, table.region)]
    assert keys == sorted(keys)
    # within a size class x region cell, the csv order is kept
    csv_order = [r["study_name"] for r in csv_rows]
    large_north = table[(table.size_class == "Large") & (table.region == "North")].municipality.tolist()
    assert large_north == [n for n in csv_order if n in large_north]
    assert table.municipality.iloc[:2].tolist() == ["Den Haag", "Rotterdam"]
    assert table.municipality.iloc[-1] == "Middelburg"


def test_sample_table_labels_in_dutch(study):
    table = cm.sample_table(study, lang="nl")
    assert table.size_class.iloc[0] == "Zeer groot"
    assert set(table.region) == {"Noord", "West", "Zuid"}


def test_sample_table_interview_counts_match_the_study(study):
    table = cm.sample_table(study)
    assert table.n_interviews.sum() == study.n_interviews


def test_sample_table_does_not_mutate_the_study(study):
    before = study.municipalities.copy()
    cm.sample_table(study)
    cm.sample_composition(study)
    pd.testing.assert_frame_equal(study.municipalities, before)


def test_sample_table_rejects_an_unknown_language(study):
    with pytest.raises(cm.ParameterError, match="lang: 'fr'.*en, nl"):
        cm.sample_table(study, lang="fr")
    with pytest.raises(cm.ParameterError, match="lang"):
        cm.sample_composition(study, lang="fr")


def test_sample_composition_includes_zero_cells_and_sums_to_18(study):
    comp = cm.sample_composition(study)
    assert list(comp.columns) == COMPOSITION_COLUMNS
    assert len(comp) == 4 * 3
    assert comp.n_municipalities.sum() == 18
    assert comp.n_interviews.sum() == study.n_interviews
    cell = comp.set_index(["size_class", "region"])
    assert cell.loc[("Very large", "West"), "n_municipalities"] == 2
    assert cell.loc[("Very large", "North"), "n_municipalities"] == 0
    assert cell.loc[("Medium", "South"), "n_municipalities"] == 3


def test_sample_composition_of_a_filtered_study(study):
    comp = cm.sample_composition(study.filter(region="Zuid"), lang="nl")
    assert comp.region.unique().tolist() == ["Zuid"]
    assert comp.size_class.tolist() == ["Zeer groot", "Groot", "Middelgroot", "Klein"]
    assert comp.n_municipalities.tolist() == [0, 2, 3, 1]
