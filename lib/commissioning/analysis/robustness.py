"""What not to read from the reconstruction: how much the patterns the study does not state move.

Every statement of the study is a constraint of the reconstruction, so every claim holds on every
reconstructed dataset by construction. What the reconstruction does *not* fix are the patterns the
study never states: how the regions differ, which activity the tests of association with size
class single out, whether respondents of one municipality agree more than chance
(fragmentation), and the order of the maturity aspects below the fifth. How much each activity's
outsourcing differs between larger and smaller municipalities is not among them: the study states
it (s21-size-hardly-differs, as a rule below the minimum effect), and so do the places of the five
aspects it prints and of the one never named. `run_seeds` draws the reconstruction for many seeds (in memory) and measures
these patterns on each; `spread_table` shows how far each one moves, next to its value on the
loaded data, so that a reader knows which figures of the shipped data are a draw and not a finding.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..core import memoize
from ..data import CODING_COLUMNS, fingerprint, load_study, origin
from ..errors import ParameterError
from ..reconstruct import CODER, load_inputs, reconstruct
from ..rules import FAILS, KINDS, measure, STATUS_TEXT
from .association import association_tests
from .claims import load_claims, suite_file, verdicts_of
from .maturity import top3_mentions
from .organisation import fragmentation
from .tabulate import activity_shares, activity_variables
from .units import table_from_study

DEFAULT_SEEDS = 30
FAMILIES = ("region_difference", "association_p", "fragmentation_p", "maturity_rank")
SPREAD_COLUMNS = ["family", "statistic", "n_seeds", "mean", "sd", "min", "p05", "median", "p95", "max", "shipped"]


def study_from_reconstruction(rec, template):
    """A `Study` holding one reconstruction, with `template`'s codebook and municipalities.

    Parameters
    ----------
    rec : Reconstruction
        A draw of `commissioning.reconstruct.drawing.reconstruct`.
    template : Study
        Supplies the codebook, the municipalities and the data folder.

    Returns
    -------
    Study
        The reconstruction's interviews and codings (coder 'reconstruction', each value with its
        basis, section and statements), the municipalities with their interview counts, unfiltered.

    Examples
    --------
    >>> import commissioning as cm
    >>> s = study_from_reconstruction(reconstruct(1), cm.load_study())
    >>> len(s.interviews), s.codings.coder.unique().tolist(), int(s.municipalities.n_interviews.sum())
    (24, ['reconstruction'], 24)
    >>> sorted(s.codings.basis.unique())
    ['derived', 'external', 'imputed', 'reported']
    """
    table = rec.table
    itv = table.spaces["interview"]
    munis = list(table.spaces["municipality"].ids)
    attrs = template.municipalities.set_index("cbs_code")
    rows = []
    for pos, (iid, code) in enumerate(zip(itv.ids, itv.municipality)):
        region, size = attrs.at[code, "region"], attrs.at[code, "size_class"]
        for var in table.codebook.variables.values():
            u = pos if table.space_of[var.id] == "interview" else munis.index(code)
            value = table.values[var.id][0, u]
            basis, section, ids = rec.provenance[var.id][u]
            if var.type == "ranked_set":
                rows.extend((iid, CODER, code, region, size, var.id, var.code_list[c], r, basis, section, ids)
                            for r, c in enumerate(value, 1))
            else:
                rows.append((iid, CODER, code, region, size, var.id, var.code_list[int(value)], 0, basis, section, ids))
    codings = pd.DataFrame(rows, columns=CODING_COLUMNS)
    interviews = pd.DataFrame({"interview_id": list(itv.ids), "coder": CODER, "municipality": list(itv.municipality)})
    interviews["region"] = interviews.municipality.map(attrs["region"])
    interviews["size_class"] = interviews.municipality.map(attrs["size_class"])
    interviews["respondent_role"] = "not published"
    interviews["file"] = ""
    interviews["notes"] = ""
    munis_table = template.municipalities.copy()
    counts = interviews.groupby("municipality").size()
    munis_table["n_interviews"] = munis_table.cbs_code.map(counts).fillna(0).astype("int64")
    return replace(template, municipalities=munis_table, interviews=interviews, codings=codings, filters={},
                   fingerprint="")


def stated_aspects(claims) -> set:
    """The maturity aspects whose place the claims fix: those whose printed share or place among
    the most mentioned they state, and those never named.

    Returns
    -------
    set of str

    Examples
    --------
    >>> import commissioning as cm
    >>> sorted(stated_aspects(cm.load_claims()))[:3]
    ['culture_leadership', 'market_interaction', 'organisation_policy']
    """
    out = set()
    for c in claims:
        for spec in c["rules"]:
            out |= KINDS[spec["rule"]].stated(spec)
    return out


def unstated_patterns(study, *, n_resamples: int = 999, n_permutations: int = 500, seed: int = 2018,
                      claims=None) -> pd.DataFrame:
    """The patterns the study does not state, measured on one dataset.

    Parameters
    ----------
    study : Study
    n_resamples, n_permutations : int
        Resamples of the association tests and permutations of the fragmentation test.
    seed : int
        Seed of those tests.
    claims : list of dict, optional
        The claims (default: the study's claims.yaml); the maturity aspects whose place they state
        are left out.

    Returns
    -------
    DataFrame with columns `family`, `statistic` (a variable id, or an aspect code of the top three:
    a report labels it in its language), `value`: per activity the largest difference between two
    regions (`region_difference`, in percentage points, per municipality); the p-value of the
    association test of each activity with size class (`association_p`); the fragmentation p-value
    of each variable coded per interview (`fragmentation_p`); and the rank of each maturity aspect
    whose place no claim states (`maturity_rank`, ties sharing their mean rank). Per-activity
    differences between larger and smaller municipalities are left out: s21-size-hardly-differs
    states them.

    Examples
    --------
    >>> import commissioning as cm
    >>> p = unstated_patterns(cm.load_study(), n_resamples=99, n_permutations=100)
    >>> sorted(p.family.unique())
    ['association_p', 'fragmentation_p', 'maturity_rank', 'region_difference']
    >>> sorted(p[p.family == "maturity_rank"].statistic)
    ['creativity_flexibility', 'portfolio_tradeoffs', 'professional_conduct', 'public_rules']
    """
    claims = claims if claims is not None else load_claims(suite_file(study, "claims.yaml"), codebook=study.codebook)
    rows = []
    label = {v: v for v in study.codebook.variables}  # ids: a report labels them in its language
    by_region = activity_shares(study, by="region", unit="municipality")
    for var, grp in by_region.groupby("variable", sort=False):
        shares = grp.share.dropna()
        rows.append(("region_difference", label[var], 100 * (shares.max() - shares.min()) if len(shares) else np.nan))
    tests = association_tests(study, activity_variables(study), method=None, n_resamples=n_resamples, seed=seed)
    rows.extend(("association_p", v, p) for v, p in zip(tests.variable, tests.p_value))
    frag = fragmentation(study, n_permutations=n_permutations, seed=seed)
    rows.extend(("fragmentation_p", v, p) for v, p in zip(frag.variable, frag.p_value))
    mentions = top3_mentions(study)
    ranks = mentions.n_mentions.rank(method="average", ascending=False)
    stated = stated_aspects(claims)
    rows.extend(("maturity_rank", a, float(r)) for a, r in zip(mentions.aspect, ranks) if a not in stated)
    return pd.DataFrame(rows, columns=["family", "statistic", "value"])


def run_seeds(seeds=DEFAULT_SEEDS, *, data_dir=None, template=None, region=None, size_class=None, progress=None,
              n_resamples: int = 999, n_permutations: int = 500):
    """Reconstruct for each seed; measure every claim and the unstated patterns on each.

    Parameters
    ----------
    seeds : int or iterable of int
        A number n means seeds 1..n.
    template : Study, optional
        Supplies codebook and municipalities (default: the shipped data).
    region, size_class : str, optional
        Filters applied to each seed's dataset before the patterns are measured.

    Returns
    -------
    verdicts : DataFrame with columns `seed`, `id`, `verdict` (every claim on every seed)
    patterns : DataFrame with columns `seed`, `family`, `statistic`, `value`

    Examples
    --------
    >>> verdicts, patterns = run_seeds(2, n_resamples=99, n_permutations=100)
    >>> sorted(verdicts.verdict.unique())
    ['insufficient data', 'supported']

    Notes
    -----
    Memoised in the process (`commissioning.core.memo`): a second call with the same seeds, data and
    filters, as the Dutch pass of a report makes after the English one, returns a copy of the
    first result at once (without calling `progress`).
    """
    seeds = list(range(1, seeds + 1)) if isinstance(seeds, (int, np.integer)) else list(seeds)
    if not seeds:
        raise ParameterError("seeds", problem="no seed given", allowed="at least one seed (a whole number n means seeds 1..n)")
    template = template if template is not None else load_study(data_dir)
    inputs_dir = Path(data_dir if data_dir is not None else template.data_dir)
    return _run_seeds(seeds, inputs_dir, fingerprint(inputs_dir), template=template, region=region,
                      size_class=size_class, progress=progress, n_resamples=n_resamples,
                      n_permutations=n_permutations)


@memoize(ignore=("progress",))
def _run_seeds(seeds, inputs_dir, inputs_fingerprint, *, template, region, size_class, progress, n_resamples,
               n_permutations):
    """`run_seeds` after its arguments were checked; `inputs_fingerprint` keys the memo on the
    content of the folder the reconstruction's inputs are read from."""
    inputs = load_inputs(inputs_dir)
    claims = load_claims(suite_file(template, "claims.yaml"), codebook=template.codebook)
    verdict_rows, pattern_rows = [], []
    for i, seed in enumerate(seeds, 1):
        rec = reconstruct(seed, inputs=inputs)
        statuses = verdicts_of(rec.table, claims, inputs.quantifiers)[:, 0]
        verdict_rows.extend((seed, c["id"], STATUS_TEXT[int(s)]) for c, s in zip(claims, statuses))
        s = study_from_reconstruction(rec, template)
        if region is not None or size_class is not None:
            s = s.filter(region=region, size_class=size_class)
        p = unstated_patterns(s, n_resamples=n_resamples, n_permutations=n_permutations, claims=claims)
        pattern_rows.append(p.assign(seed=seed))
        if progress:
            progress(i, len(seeds))
    verdicts = pd.DataFrame(verdict_rows, columns=["seed", "id", "verdict"])
    patterns = pd.concat(pattern_rows, ignore_index=True)[["seed", "family", "statistic", "value"]]
    return verdicts, patterns


def spread_table(patterns: pd.DataFrame, shipped: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per pattern, its spread over the seeds, and its value on the loaded data when given.

    Parameters
    ----------
    patterns : DataFrame
        The second result of `run_seeds`.
    shipped : DataFrame, optional
        `unstated_patterns` of the loaded data.

    Returns
    -------
    DataFrame with columns `family`, `statistic`, `n_seeds`, `mean`, `sd`, `min`, `p05`, `median`,
    `p95`, `max`, `shipped` (NaN when not given), in the order of `patterns`.

    Examples
    --------
    >>> import pandas as pd
    >>> p = pd.DataFrame({"seed": [1, 2], "family": ["f", "f"], "statistic": ["s", "s"], "value": [1.0, 3.0]})
    >>> spread_table(p)[["mean", "min", "max"]].values.tolist()
    [[2.0, 1.0, 3.0]]
    """
    g = patterns.groupby(["family", "statistic"], sort=False).value
    out = pd.DataFrame({
        "n_seeds": g.size(), "mean": g.mean(), "sd": g.std(ddof=1), "min": g.min(),
        "p05": g.quantile(0.05), "median": g.median(), "p95": g.quantile(0.95), "max": g.max(),
    }).reset_index()
    out["shipped"] = np.nan
    if shipped is not None:
        key = shipped.set_index(["family", "statistic"]).value
        out["shipped"] = [key.get((f, s), np.nan) for f, s in zip(out.family, out.statistic)]
    return out[SPREAD_COLUMNS]


def held_everywhere(verdicts: pd.DataFrame) -> pd.DataFrame:
    """Per claim, on how many seeds it was supported, not supported or undecidable.

    Parameters
    ----------
    verdicts : DataFrame
        The first result of `run_seeds`: columns `seed`, `id`, `verdict`.

    Returns
    -------
    DataFrame with columns `id`, `n_seeds`, `supported`, `not_supported`, `insufficient` (counts),
    one row per claim in the order of `verdicts`.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"seed": [1, 2, 1, 2], "id": ["a", "a", "b", "b"],
    ...                   "verdict": ["supported", "supported", "supported", "insufficient data"]})
    >>> held_everywhere(v).values.tolist()
    [['a', 2, 2, 0, 0], ['b', 2, 1, 0, 1]]
    """
    counts = verdicts.groupby("id").verdict.value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=["supported", "not supported", "insufficient data"], fill_value=0)
    out = pd.DataFrame({"id": counts.index, "n_seeds": counts.sum(axis=1).to_numpy(),
                        "supported": counts["supported"].to_numpy(),
                        "not_supported": counts["not supported"].to_numpy(),
                        "insufficient": counts["insufficient data"].to_numpy()})
    order = list(dict.fromkeys(verdicts.id))
    return out.set_index("id").loc[order].reset_index()


def applies(study) -> bool:
    """Whether robustness over reconstructions applies: only when the data is itself a
    reconstruction, edited or not (`commissioning.data.origin`); a group's own codings are not drawn.

    Returns
    -------
    bool

    Examples
    --------
    >>> import commissioning as cm
    >>> applies(cm.load_study())
    True
    """
    return origin(study).kind != "coded"


def check_statements(study, *, inputs=None) -> list[tuple[str, bool, str]]:
    """Every statement, constraint and coherence rule of the reconstruction (its `Inputs`) measured
    on a loaded study:
    a list of (id, holds (not failing), verdict text).

    Returns
    -------
    list of (str, bool, str)
        Per statement (in the order of `Inputs.statements`): its id, whether it does not fail,
        and its verdict ('supported', 'not supported' or 'insufficient data').

    Examples
    --------
    >>> import commissioning as cm
    >>> results = check_statements(cm.load_study())
    >>> [r for r in results if not r[1]]
    []
    >>> results[0]
    ('c51-no-total-overview', True, 'supported')
    """
    inputs = inputs or load_inputs(study.data_dir)
    table = table_from_study(study)
    out = []
    for st in inputs.statements:
        status = int(np.asarray(measure(table, st.spec, inputs.quantifiers).status).ravel()[0])
        out.append((st.id, status != FAILS, STATUS_TEXT[status]))
    return out
