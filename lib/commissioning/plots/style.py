"""The house style of every figure: a colour-blind-safe palette, the figure canvas and caption.

Figures are matplotlib `Figure` objects made directly (never through pyplot's current figure), so
that drawing one never touches another. `set_style` applies the style's defaults (seaborn's
"whitegrid" theme, bold left-aligned titles, no top and right spines) to matplotlib's settings.

Colours meet WCAG 2.1's contrast for graphics: every colour of `PALETTE` and of the heatmaps'
colour map `SEQUENTIAL` has a contrast of at least 3:1 with the white page, and a number written
on a colour takes black or white, whichever contrasts more (`text_color`), which is at least
4.5:1 on each of them (`contrast` computes WCAG's ratio; a test checks every colour).
"""

from __future__ import annotations

import textwrap

import matplotlib as mpl
import matplotlib.colors as mcolors
import numpy as np
import seaborn as sns
from matplotlib.figure import Figure

from .alt import alt_text

# Okabe & Ito's colour-blind-safe hues, darkened where the original is lighter than 3:1 on white
# (orange #de8f05 is 2.6:1, bluish green 3.4:1 kept darker for text on it): blue, orange, green,
# red, purple, brown, wine, grey, olive, teal.
PALETTE = [mcolors.to_rgb(c) for c in ("#0072b2", "#b35900", "#007a5e", "#b2182b", "#aa4499", "#8c5a00",
                                       "#882255", "#767676", "#6b6b00", "#006d8f")]
# For heatmaps of shares, light = low, dark = high: seaborn's "crest" from where it reaches 3:1 on white.
SEQUENTIAL = mcolors.ListedColormap(sns.color_palette("crest", as_cmap=True)(np.linspace(0.33, 1.0, 256)),
                                    name="commissioning-crest")
FIG_DPI = 100
CAPTION_COLOR = "#444444"
TEXT_COLORS = ("#000000", "#ffffff")


def luminance(color) -> float:
    """WCAG 2.1's relative luminance of a colour (0 black, 1 white).

    Returns
    -------
    float

    Examples
    --------
    >>> round(luminance("#ffffff"), 3), round(luminance("#767676"), 3)
    (1.0, 0.181)
    """
    def channel(x):
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4
    r, g, b = mcolors.to_rgb(color)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a, b) -> float:
    """WCAG 2.1's contrast ratio of two colours, from 1 (none) to 21 (black on white).

    Returns
    -------
    float

    Examples
    --------
    >>> round(contrast("#de8f05", "white"), 1), round(contrast("#000000", "#ffffff"), 1)
    (2.6, 21.0)
    """
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_color(background) -> str:
    """Black or white, whichever contrasts more with `background`: the colour of a number on it.

    Returns
    -------
    str

    Examples
    --------
    >>> text_color("#0072b2"), text_color("#a5cd90")
    ('#ffffff', '#000000')
    """
    return max(TEXT_COLORS, key=lambda c: contrast(c, background))


class ReportFigure(Figure):
    """A figure of the house style: it hands its text alternative (`plots.alt.describe`) to the
    notebook's output, as the metadata ``{"image/png": {"alt": ...}}`` that nbconvert puts on the
    ``<img>``, and as its plain-text form; the image itself is drawn by the notebook's backend.

    Examples
    --------
    >>> from commissioning.plots.alt import describe
    >>> fig = describe(ReportFigure(), "Bars of the sample.")
    >>> fig._repr_mimebundle_()
    ({'text/plain': 'Bars of the sample.'}, {'image/png': {'alt': 'Bars of the sample.'}})
    """

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = alt_text(self)
        if not text:
            return {}, {}
        meta = {"alt": text, "public": True} if getattr(self, "commissioning_public", False) else {"alt": text}
        return {"text/plain": text}, {"image/png": meta}


def set_style() -> None:
    """Apply the house style to matplotlib and seaborn (idempotent).

    Returns
    -------
    None

    Examples
    --------
    >>> import matplotlib as mpl
    >>> set_style()
    >>> mpl.rcParams["axes.titleweight"], mpl.rcParams["axes.spines.top"]
    ('bold', False)
    """
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    mpl.rcParams.update({
        "figure.dpi": FIG_DPI,
        "savefig.dpi": FIG_DPI,
        "axes.titleweight": "bold",
        "axes.titlesize": 12,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "legend.frameon": False,
        "svg.hashsalt": "commissioning",
    })


def code_colors(codes: list[str]) -> dict[str, tuple]:
    """A fixed colour per code, in codebook order, so a code keeps its colour across figures.

    Returns
    -------
    dict
        Code to an RGB triple of `PALETTE`.

    Examples
    --------
    >>> colors = code_colors(["in_house", "mixed", "outsourced"])
    >>> colors["in_house"] == PALETTE[0], colors["outsourced"] == PALETTE[2]
    (True, True)
    """
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def imputed_note(share: float, lang: str = "en", *, what: str = "figure") -> str:
    """The caption line that states the share of imputed values behind a figure or table.

    `what` is "figure" or "table" (the word used in the line).

    Returns
    -------
    str

    Examples
    --------
    >>> imputed_note(0.25)
    'Share of imputed values behind this figure: 25%'
    >>> imputed_note(0.25, "nl", what="table")
    'Aandeel geïmputeerde waarden in deze tabel: 25%'
    """
    if lang == "nl":
        return f"Aandeel geïmputeerde waarden in deze {'tabel' if what == 'table' else 'figuur'}: {share:.0%}"
    return f"Share of imputed values behind this {'table' if what == 'table' else 'figure'}: {share:.0%}"


def caption(fig, text: str) -> None:
    """Write `text` as the figure's caption, below it on the left in the caption colour, wrapped to
    the figure's width.

    Returns
    -------
    None

    Examples
    --------
    >>> fig, ax = canvas(None, 4, 3)
    >>> caption(fig, "Numbers in the bars: units.")
    >>> [t.get_text() for t in fig.texts]
    ['Numbers in the bars: units.']
    """
    chars = max(40, int(fig.get_size_inches()[0] * FIG_DPI / 6.5))  # about the figure's width at 9 points
    wrapped = "\n".join(textwrap.fill(line, chars) for line in str(text).split("\n"))
    # below the drawing: a saved figure's tight box takes it in, so a long note neither overlaps the
    # axes nor widens the image (which a page would then shrink, numbers and all)
    fig.text(0.01, 0.0, wrapped, ha="left", va="top", fontsize=9, color=CAPTION_COLOR)


def add_caption(fig, share: float, lang: str, extra: str = "") -> None:
    """Put the figure's caption: what is imputed behind it, after `extra`."""
    text = imputed_note(share, lang) if share == share else ""  # NaN: nothing behind the figure
    if extra:
        text = f"{extra}  {text}".strip()
    caption(fig, text)


def new_figure(width: float, height: float, *, h_pad: float = 0.25) -> Figure:
    """A figure of the house style (size in inches, constrained layout)."""
    set_style()
    fig = ReportFigure(figsize=(width, height), dpi=FIG_DPI, layout="constrained")
    fig.get_layout_engine().set(h_pad=h_pad)
    return fig


def canvas(ax, width: float, height: float, *, h_pad: float = 0.25):
    """The figure and axes to draw on: `ax` and its figure when given, else a new figure of the
    house style (`width` x `height` inches, constrained layout) with one axes.

    Returns
    -------
    (matplotlib.figure.Figure, matplotlib.axes.Axes)

    Examples
    --------
    >>> fig, ax = canvas(None, 6, 2)
    >>> fig.get_size_inches().tolist(), fig.dpi
    ([6.0, 2.0], 100)
    >>> canvas(ax, 1, 1) == (fig, ax)
    True
    """
    if ax is not None:
        set_style()
        return ax.figure, ax
    fig = new_figure(width, height, h_pad=h_pad)
    return fig, fig.subplots()


def pad(fig, h_pad: float) -> None:
    """Set the vertical padding of a figure with constrained layout (nothing for other figures).

    Returns
    -------
    None

    Examples
    --------
    >>> fig, _ = canvas(None, 4, 3)
    >>> pad(fig, 0.45)
    >>> fig.get_layout_engine().get()["h_pad"]
    0.45
    """
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        engine.set(h_pad=h_pad)


def imputed_share(table) -> float:
    """Imputed share behind a table; cells hidden for publication (NaN counts) are left out."""
    n = table["n_total"] if "variable_label" in table.columns else table["n"]
    n = n.fillna(0).to_numpy(dtype=float)
    if n.sum() == 0:
        return float("nan")
    return float((n * table["imputed_share"].fillna(0).to_numpy(dtype=float)).sum() / n.sum())


def annotate(ax, values, labels, *, cmap=None, fontsize: float = 8) -> None:
    """Write `labels` on the cells of a heatmap drawn from `values` (rows x columns, shares 0 to 1),
    each in the text colour that contrasts most with its cell (`text_color`); a cell without a
    value (NaN) shows the page's white, so its label is black.

    Returns
    -------
    None

    Examples
    --------
    >>> fig, ax = canvas(None, 3, 2)
    >>> annotate(ax, np.array([[0.0, 1.0, np.nan]]), np.array([["0%", "100%", "–"]]))
    >>> [(t.get_text(), t.get_color()) for t in ax.texts]
    [('0%', '#000000'), ('100%', '#ffffff'), ('–', '#000000')]
    """
    cmap = cmap or SEQUENTIAL
    for i, row in enumerate(np.asarray(values, dtype=float)):
        for j, v in enumerate(row):
            color = TEXT_COLORS[0] if v != v else text_color(cmap(float(v)))
            ax.text(j + 0.5, i + 0.5, str(labels[i][j]), ha="center", va="center", fontsize=fontsize, color=color)
