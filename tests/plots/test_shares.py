"""Figures of notebooks 01 and 02: labels from the codebook in the chosen language, the imputed
share in the caption, the palette of the house style."""

import matplotlib.colors as mcolors
import pytest
from matplotlib.figure import Figure

import commissioning as cm
from commissioning import plots


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title(loc="left"), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
        legend = ax.get_legend()
        if legend:
            out += [t.get_text() for t in legend.get_texts()]
    return out


@pytest.mark.parametrize("lang,size_label,activity", [("en", "Very large", "Design"), ("nl", "Zeer groot", "Ontwerp")])
def test_heatmap_labels_and_caption(study, lang, size_label, activity):
    shares = cm.activity_shares(study, by="size_class", lang=lang)
    fig = plots.share_heatmap(shares, study, by="size_class", lang=lang)
    assert isinstance(fig, Figure)
    texts = _texts(fig)
    assert size_label in texts and activity in texts
    assert plots.imputed_note(cm.imputed_share_of(shares), lang) in texts
    # every cell is annotated with its share and k/n
    annotations = [t.get_text() for t in fig.axes[0].texts]
    assert len(annotations) == 12 * 4 and all("/" in a for a in annotations)


def test_stacked_bars_use_the_code_colours_and_codebook_labels(study):
    table = cm.crosstab(study, cm.activity_variables(study), by=None, lang="nl")
    fig = plots.sourcing_bars(table, study, lang="nl")
    texts = _texts(fig)
    assert {"Zelf", "Deels uitbesteed", "Uitbesteed"} <= set(texts)
    assert "Strategische afwegingen en beleid" in texts
    colours = plots.code_colors(["in_house", "mixed", "outsourced"])
    bars = fig.axes[0].patches
    assert mcolors.to_rgb(bars[0].get_facecolor()) == pytest.approx(colours["in_house"])
    assert any("Aandeel geïmputeerde waarden" in t for t in texts)


def test_intervals_and_segment_grid_render(study):
    fig = plots.share_intervals(cm.activity_shares(study, by=None), study)
    assert len(fig.axes[0].get_yticklabels()) == 12
    segments = [v.id for v in study.codebook.theme("segments")]
    grid = plots.segment_grid(cm.crosstab(study, segments, by=None), study)
    texts = _texts(grid)
    assert "Role when investing" in texts and "Who maintains" in texts and "Public space" in texts
    assert any(t.startswith("Numbers in the cells: municipalities.") and "imputed" in t for t in texts)


def test_figures_for_a_one_group_selection(study):
    small = study.filter(region="West", size_class="very_large")
    fig = plots.share_heatmap(cm.activity_shares(small, by="size_class"), small, by="size_class")
    assert "Very large" in _texts(fig)


def test_unknown_language_is_rejected(study):
    with pytest.raises(cm.ParameterError, match="lang: 'fr'"):
        plots.share_heatmap(cm.activity_shares(study), study, lang="fr")


def test_hidden_groups_stay_blank(study):
    shares = cm.activity_shares(study, by="size_class")
    hidden = shares["size_class"] == "very_large"
    numeric = [c for c in shares.columns if c not in ("size_class", "variable", "label", "by_label")
               and shares[c].dtype.kind in "fi"]
    shares[numeric] = shares[numeric].astype(float)
    shares.loc[hidden, numeric] = float("nan")
    note = "A group with fewer than 3 municipalities is hidden."
    fig = plots.share_heatmap(shares, study, by="size_class", note=note)
    annotations = [t.get_text() for t in fig.axes[0].texts]
    # the very large column (2 municipalities) is left without colour, each of its cells a dash
    assert len(annotations) == 12 * 4 and annotations.count("–") == 12
    assert not any("nan" in a for a in annotations)
    assert any(note in t for t in _texts(fig))
    wide = cm.wide_shares(shares, study)
    assert (wide["Very large"] == "–").all() and not wide["Small"].str.contains("nan").any()
    assert cm.imputed_share_of(shares) == pytest.approx(cm.imputed_share_of(cm.activity_shares(study, by="size_class")))
