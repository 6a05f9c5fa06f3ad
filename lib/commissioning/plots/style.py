"""The house style of every figure: a colour-blind-safe palette, the figure canvas and caption.

Figures are matplotlib `Figure` objects made directly (never through pyplot's current figure), so
that drawing one never touches another. `set_style` applies the style's defaults (seaborn's
"whitegrid" theme, bold left-aligned titles, no top and right spines) to matplotlib's settings.
"""

from __future__ import annotations

import matplotlib as mpl
import seaborn as sns
from matplotlib.figure import Figure

# Okabe & Ito's colour-blind-safe palette (as in seaborn's "colorblind").
PALETTE = sns.color_palette("colorblind")
SEQUENTIAL = "crest"  # for heatmaps of shares: light = low, dark = high
FIG_DPI = 100
CAPTION_COLOR = "#444444"


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
    """Write `text` as the figure's caption, bottom left in the caption colour.

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
    fig.text(0.01, 0.005, text, ha="left", va="bottom", fontsize=9, color=CAPTION_COLOR)


def _caption(fig, share: float, lang: str, extra: str = "") -> None:
    text = imputed_note(share, lang) if share == share else ""  # NaN: nothing behind the figure
    if extra:
        text = f"{extra}  {text}".strip()
    caption(fig, text)


def _new_figure(width: float, height: float, *, h_pad: float = 0.25) -> Figure:
    set_style()
    fig = Figure(figsize=(width, height), dpi=FIG_DPI, layout="constrained")
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
    fig = _new_figure(width, height, h_pad=h_pad)
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


def _imputed(table) -> float:
    """Imputed share behind a table; cells hidden for publication (NaN counts) are left out."""
    n = table["n_total"] if "variable_label" in table.columns else table["n"]
    n = n.fillna(0).to_numpy(dtype=float)
    if n.sum() == 0:
        return float("nan")
    return float((n * table["imputed_share"].fillna(0).to_numpy(dtype=float)).sum() / n.sum())
