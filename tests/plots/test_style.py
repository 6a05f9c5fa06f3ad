"""Tests of commissioning.plots.style: colours that meet WCAG 2.1's contrast, and figures that
carry their text alternative into the notebook."""

import numpy as np
import pytest

import commissioning as cm
from commissioning import plots
from commissioning.plots import alt, style


def test_contrast_is_wcag_s_ratio():
    # published values: black on white 21:1, #767676 on white 4.54:1, Okabe-Ito's orange 2.6:1
    assert style.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert style.contrast("#767676", "white") == pytest.approx(4.54, abs=0.01)
    assert style.contrast("#de8f05", "white") < 3  # the orange the palette had: too light for a graphic


def test_every_colour_of_the_palette_stands_out_from_the_page():
    for color in style.PALETTE:
        assert style.contrast(color, "white") >= 3, color


def test_every_colour_of_the_heatmaps_stands_out_and_carries_legible_numbers():
    colors = [style.SEQUENTIAL(x) for x in np.linspace(0, 1, 256)]
    assert all(style.contrast(c, "white") >= 3 for c in colors)
    assert all(style.contrast(style.text_color(c), c) >= 4.5 for c in colors + list(style.PALETTE))
    assert style.contrast("white", style.SEQUENTIAL(0.0)) < 4.5  # white on the lightest cell would fail: the choice matters


def test_the_numbers_on_a_heatmap_contrast_with_their_cells(study):
    table = cm.Report(publish=True).counts(cm.activity_variables(study), by="size_class", codes=["mixed", "outsourced"],
                                           label="variable")
    fig = plots.count_heatmap(table)
    ax = fig.axes[0]
    mesh = ax.collections[0]
    values = np.ma.getdata(mesh.get_array()).reshape(len(table.rows), -1)
    checked = 0
    for text in ax.texts:
        x, y = text.get_position()
        v = values[int(y), int(x)]
        face = mesh.cmap(mesh.norm(v)) if v == v else "white"  # a cell without a value shows the page
        assert style.contrast(text.get_color(), face) >= 4.5, (text.get_text(), face)
        checked += 1
    assert checked == values.size


def test_the_bars_numbers_contrast_with_their_bars(study):
    table = cm.crosstab(study, cm.activity_variables(study), by=None)
    fig = plots.sourcing_bars(table, study)
    ax = fig.axes[0]
    for text in ax.texts:
        x, y = text.get_position()
        bar = next(p for p in ax.patches if p.get_x() <= x <= p.get_x() + p.get_width()
                   and p.get_y() <= y <= p.get_y() + p.get_height())
        assert style.contrast(text.get_color(), bar.get_facecolor()) >= 4.5


def test_a_figure_of_the_house_style_hands_its_alt_text_to_the_notebook(study):
    fig = plots.sample_bars(cm.sample_composition(study, lang="nl"), lang="nl")
    data, meta = fig._repr_mimebundle_()
    assert meta["image/png"]["alt"] == alt.alt_text(fig) == data["text/plain"]
    assert alt.alt_text(fig).startswith("Staven van het aantal gemeenten per grootteklasse")
    assert "West 2" in alt.alt_text(fig)  # the very large municipalities: both in West (Table 1)


def test_a_figure_drawn_on_ones_own_axes_carries_its_alt_text_too(study):
    from matplotlib.figure import Figure

    ax = Figure().subplots()
    fig = plots.share_intervals(cm.activity_shares(study, by=None), study, ax=ax)
    assert fig is ax.figure and alt.alt_text(fig).startswith("Dots with 95% Wilson intervals")
