"""Figures in one house style: a colour-blind-safe palette, labels from the codebook.

Every figure function takes tidy data first, returns the matplotlib Figure, and labels axes,
legends and titles in the chosen `lang` from the codebook. Figures render as PNG (deterministic
bytes for the same input).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import seaborn as sns  # noqa: E402

# Okabe & Ito's colour-blind-safe palette (as in seaborn's "colorblind").
PALETTE = sns.color_palette("colorblind")
SEQUENTIAL = "crest"  # for heatmaps of shares: light = low, dark = high
FIG_DPI = 100


def set_style() -> None:
    """Apply the house style to matplotlib and seaborn (idempotent)."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    plt.rcParams.update({
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
    """A fixed colour per code, in codebook order, so a code keeps its colour across figures."""
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def imputed_note(share: float, lang: str = "en") -> str:
    """The caption line that states the share of imputed values behind a figure or table."""
    if lang == "nl":
        return f"Aandeel geïmputeerde waarden in deze figuur: {share:.0%}"
    return f"Share of imputed values behind this figure: {share:.0%}"
