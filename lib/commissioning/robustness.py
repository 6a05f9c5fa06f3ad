"""How the claims and headline statistics depend on the reconstruction's imputed values.

`run_seeds` draws the reconstruction for many seeds (in memory, without writing files), runs
every claim and the headline statistics on each, and `support_table` / `spread_table` summarise
per claim the share of seeds that support it and per statistic its spread.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats as sps

from ._memo import memoize
from .claims import claims_table, load_claims, suite_file, unit_table
from .errors import ParameterError
from .reconstruct import CODER, load_inputs, reconstruct
from .study import CODING_COLUMNS

DEFAULT_SEEDS = 40


def study_from_draw(frame, draw, template):
    """A `Study` holding one reconstruction draw, with `template`'s codebook and municipalities."""
    attrs = {m["cbs_code"]: m for m in frame.municipalities}
    rows = []
    for iid, code in frame.interviews:
        a = attrs[code]
        for var in frame.codebook.variables.values():
            unit = iid if var.per_interview else code
            value = draw.values[var.id][unit]
            basis, section, cid = draw.provenance[var.id][unit]
            if var.type == "ranked_set":
                rows.extend((iid, CODER, code, a["region"], a["size_class"], var.id, c, r, basis, section, cid)
                            for r, c in enumerate(value, 1))
            else:
                rows.append((iid, CODER, code, a["region"], a["size_class"], var.id, value, 0, basis, section, cid))
    codings = pd.DataFrame(rows, columns=CODING_COLUMNS)
    ids = [i for i, _ in frame.interviews]
    interviews = pd.DataFrame({"interview_id": ids, "coder": CODER,
                               "municipality": [c for _, c in frame.interviews]})
    interviews["region"] = interviews.municipality.map(lambda c: attrs[c]["region"])
    interviews["size_class"] = interviews.municipality.map(lambda c: attrs[c]["size_class"])
    interviews["respondent_role"] = "not published"
    interviews["file"] = ""
    interviews["notes"] = ""
    munis = template.municipalities.copy()
    munis["n_interviews"] = munis.cbs_code.map(interviews.groupby("municipality").size()).fillna(0).astype("int64")
    return replace(template, municipalities=munis, interviews=interviews, codings=codings, filters={},
                   fingerprint="")


def headline_statistics(study) -> dict[str, float]:
    """The headline statistics whose spread the robustness analysis reports.

    Returns
    -------
    dict of statistic name -> value
    """
    cod = study.codings
    src = cod[cod.variable.str.startswith("sourcing.")]
    larger = src.size_class.isin(["large", "very_large"])
    ext = src.code.isin(["mixed", "outsourced"])
    agenda = unit_table(study, "agenda.explicitness")
    sizes = study.codebook.attributes["size_class"].code_list
    order = study.codebook.variable("agenda.explicitness").code_list
    rho = sps.spearmanr(agenda.size_class.map(sizes.index), agenda.code.map(order.index)).statistic
    top = cod[cod.variable == "maturity.top3"]
    central = unit_table(study, "procurement.central_unit")
    return {
        "share of activities outsourced": float((src.code == "outsourced").mean()),
        "share of activities done in-house": float((src.code == "in_house").mean()),
        "outsourced or mixed: larger minus smaller (points)": float(100 * (ext[larger].mean() - ext[~larger].mean())),
        "Spearman's rho, size class x agenda": float(rho),
        "share of municipalities with central procurement": float((central.code == "yes").mean()),
        "share of mentions: people and competences": float((top.code == "people_competences").mean()),
    }


def run_seeds(seeds=DEFAULT_SEEDS, *, data_dir=None, template=None, region=None, size_class=None, progress=None):
    """Reconstruct for each seed; return (verdicts, statistics), both tidy DataFrames.

    Parameters
    ----------
    seeds : int or iterable of int
        A number n means seeds 1..n.
    template : Study, optional
        Supplies codebook and municipalities (default: the shipped data).
    region, size_class : str, optional
        Filters applied to each seed's dataset before the claims are checked.

    Returns
    -------
    verdicts : DataFrame with columns `seed`, `id`, `verdict`, `value`
    statistics : DataFrame with columns `seed`, `statistic`, `value`

    Notes
    -----
    Memoised in the process (`commissioning._memo`): a second call with the same seeds, data and
    filters, as the Dutch pass of a report makes after the English one, returns a copy of the
    first result at once (without calling `progress`).
    """
    from ._files import fingerprint
    from .study import load_study

    seeds = list(range(1, seeds + 1)) if isinstance(seeds, int) else list(seeds)
    if not seeds:
        raise ParameterError("seeds: at least one seed is needed")
    template = template if template is not None else load_study(data_dir)
    inputs_dir = Path(data_dir if data_dir is not None else template.data_dir)
    return _run_seeds(seeds, inputs_dir, fingerprint(inputs_dir), template=template, region=region,
                      size_class=size_class, progress=progress)


@memoize(ignore=("progress",))
def _run_seeds(seeds, inputs_dir, inputs_fingerprint, *, template, region, size_class, progress):
    """`run_seeds` after its arguments were checked; `inputs_fingerprint` keys the memo on the
    content of the folder the reconstruction's inputs are read from."""
    inputs = load_inputs(inputs_dir)
    claims = load_claims(suite_file(template, "claims.yaml"))
    verdict_rows, stat_rows = [], []
    for i, seed in enumerate(seeds, 1):
        frame, draw, _ = reconstruct(seed, inputs=inputs)
        s = study_from_draw(frame, draw, template)
        if region is not None or size_class is not None:
            s = s.filter(region=region, size_class=size_class)
        t = claims_table(s, claims=claims)
        verdict_rows.append(t[["id", "verdict", "value"]].assign(seed=seed))
        stat_rows.extend((seed, k, v) for k, v in headline_statistics(s).items())
        if progress:
            progress(i, len(seeds))
    verdicts = pd.concat(verdict_rows, ignore_index=True)[["seed", "id", "verdict", "value"]]
    return verdicts, pd.DataFrame(stat_rows, columns=["seed", "statistic", "value"])


def support_table(verdicts: pd.DataFrame, claims: list[dict], *, lang: str = "en") -> pd.DataFrame:
    """Per claim, the share of seeds on which it is supported.

    Returns
    -------
    DataFrame with columns `id`, `section`, `claim`, `basis` ('fixed by construction' or
    'rests on imputed values'), `n_seeds`, `supported`, `not_supported`, `insufficient`
    (shares of seeds), ordered with the fixed claims first.
    """
    shares = (verdicts.groupby("id").verdict.value_counts(normalize=True).unstack(fill_value=0.0)
              .reindex(columns=["supported", "not supported", "insufficient data"], fill_value=0.0))
    n = verdicts.groupby("id").seed.nunique()
    meta = pd.DataFrame([(c["id"], c["section"], c[lang],
                          "fixed by construction" if c["fixed_by"] else "rests on imputed values")
                         for c in claims], columns=["id", "section", "claim", "basis"])
    out = meta.assign(n_seeds=meta.id.map(n).astype("int64"),
                      supported=meta.id.map(shares["supported"]),
                      not_supported=meta.id.map(shares["not supported"]),
                      insufficient=meta.id.map(shares["insufficient data"]))
    out["_order"] = out.basis.ne("fixed by construction")
    return out.sort_values(["_order", "section", "id"], kind="stable").drop(columns="_order").reset_index(drop=True)


def spread_table(statistics: pd.DataFrame, shipped: dict | None = None) -> pd.DataFrame:
    """Per headline statistic, its spread over seeds (and its value on the shipped data).

    Returns
    -------
    DataFrame with columns `statistic`, `n_seeds`, `mean`, `sd`, `min`, `p05`, `median`, `p95`,
    `max`, and `shipped` when given.
    """
    g = statistics.groupby("statistic", sort=False).value
    out = pd.DataFrame({
        "n_seeds": g.size(), "mean": g.mean(), "sd": g.std(ddof=1), "min": g.min(),
        "p05": g.quantile(0.05), "median": g.median(), "p95": g.quantile(0.95), "max": g.max(),
    }).reset_index()
    if shipped is not None:
        out["shipped"] = out.statistic.map(shipped)
    return out


def plot_support(support: pd.DataFrame, *, lang: str = "en"):
    """Horizontal bars: per claim the share of seeds that support it, coloured by basis.

    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    from .plots import PALETTE

    text = {
        "en": {"x": "Share of seeds on which the claim is supported", "fixed by construction": "fixed by construction",
               "rests on imputed values": "rests on imputed values"},
        "nl": {"x": "Aandeel seeds waarop de claim wordt ondersteund", "fixed by construction": "vast door constructie",
               "rests on imputed values": "rust op geïmputeerde waarden"},
    }[lang]
    colors = {"fixed by construction": PALETTE[0], "rests on imputed values": PALETTE[1]}
    data = support.iloc[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(data) + 1.2))
    ax.barh(data.id, data.supported, color=[colors[b] for b in data.basis])
    ax.set_xlim(0, 1)
    ax.set_xlabel(text["x"])
    ax.xaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
    handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors.values()]
    ax.legend(handles, [text[k] for k in colors], loc="lower right", frameon=True)
    ax.tick_params(axis="y", labelsize=8)
    fig.tight_layout()
    return fig
