"""The study's conclusions as executable checks (data/claims.yaml).

Each claim names a check: a plain function of this module, chosen from a fixed registry by
name (text from the data file is never evaluated). A check takes a `Study` and the claim's
parameters and returns a `Verdict`: `supported`, `not supported` or `insufficient data`, the
measured value, the threshold (a quantifier of data/quantifiers.csv, or a comparison), and the
evidence table behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats as sps

from ._memo import memoize
from .codebook import check_lang
from .errors import DataError, ParameterError, Problem
from .maturity import percent_half_up
from .quantifiers import Quantifier, load_quantifiers

SUPPORTED, NOT_SUPPORTED, INSUFFICIENT = "supported", "not supported", "insufficient data"
CLAIM_KEYS = {"id", "section", "chapter", "en", "nl", "check", "params", "fixed_by"}
OPTIONAL_KEYS = {"scope"}  # scope: sample = a statement about the whole sample only


@dataclass
class Verdict:
    verdict: str
    value: str
    threshold: str
    evidence: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- data views --------------------------------------------------------------------------------

def unit_table(study, variable: str) -> pd.DataFrame:
    """One row per unit (interview, or municipality for per-municipality variables) with its code.

    Uses one coder per interview (`study.one_coder`). Columns: `unit`, `municipality`, `region`,
    `size_class`, `code`.
    """
    from .study import one_coder, variable_rows

    var = study.codebook.variable(variable)
    cod = variable_rows(one_coder(study.codings), variable)
    cols = ["municipality", "region", "size_class", "code"]
    if var.per_interview:
        out = cod[["interview_id", *cols]].rename(columns={"interview_id": "unit"})
    else:
        out = cod.drop_duplicates("municipality")[cols].assign(unit=lambda d: d.municipality)
    return out[["unit", *cols]].reset_index(drop=True)


def select(df: pd.DataFrame, where: dict | None) -> pd.DataFrame:
    """Rows of a unit table matching a selection ({size_class: [...], region: [...],
    municipality: [...], municipality_not: [...]})."""
    keep = pd.Series(True, index=df.index)
    for key, allowed in (where or {}).items():
        if key == "municipality_not":
            keep &= ~df.municipality.isin(allowed)
        elif key in ("municipality", "region", "size_class"):
            keep &= df[key].isin(allowed)
        else:
            raise ParameterError(f"unknown selection key {key!r}; allowed: size_class, region, municipality, municipality_not")
    return df[keep]


def _variables(study, params) -> list[str]:
    if "variables" in params:
        return list(params["variables"])
    prefix = params["prefix"]
    return [v for v in study.codebook.variables if v.startswith(prefix)]


def _fraction(k: int, n: int) -> str:
    return f"{k}/{n} = {k / n:.0%}" if n else "0/0"


def _where_text(where) -> str:
    if not where:
        return "all"
    return "; ".join(f"{k.replace('_not', ' not')} in {', '.join(v)}" for k, v in where.items())


def _counts(df: pd.DataFrame) -> pd.DataFrame:
    return (df.groupby("size_class", observed=True).code.value_counts().rename("n").reset_index()
            if len(df) else pd.DataFrame(columns=["size_class", "code", "n"]))


# --- checks --------------------------------------------------------------------------------------

def check_share(study, q: Quantifier, *, variable, codes, where=None, **_):
    df = select(unit_table(study, variable), where)
    k, n = int(df.code.isin(codes).sum()), len(df)
    if n == 0:
        return Verdict(INSUFFICIENT, "no units", f"{q.id} {q.range_text}", _counts(df))
    ok = q.holds_count(k, n)
    return Verdict(SUPPORTED if ok else NOT_SUPPORTED, f"{_fraction(k, n)} coded {', '.join(codes)} ({_where_text(where)})",
                   f"{q.id} {q.range_text}", _counts(df))


def check_any_yes(study, q: Quantifier, *, variables, where=None, **_):
    tables = [select(unit_table(study, v), where).set_index("unit").code.rename(v) for v in variables]
    wide = pd.concat(tables, axis=1, join="inner")
    n = len(wide)
    if n == 0:
        return Verdict(INSUFFICIENT, "no units", f"{q.id} {q.range_text}")
    anyyes = (wide == "yes").any(axis=1)
    k = int(anyyes.sum())
    ev = pd.DataFrame({v: [int((wide[v] == "yes").sum()), int((wide[v] == "no").sum())] for v in variables},
                      index=["yes", "no"])
    ev["yes on any"] = [k, n - k]
    return Verdict(SUPPORTED if q.holds_count(k, n) else NOT_SUPPORTED,
                   f"{_fraction(k, n)} with yes on any of {', '.join(variables)} ({_where_text(where)})",
                   f"{q.id} {q.range_text}", ev.reset_index(names="code"))


def _share_in(df, codes):
    return (int(df.code.isin(codes).sum()), len(df))


def check_compare(study, q, *, variable, codes, greater, than, **_):
    df = unit_table(study, variable)
    (k1, n1), (k2, n2) = _share_in(select(df, greater), codes), _share_in(select(df, than), codes)
    ev = pd.DataFrame({"group": [_where_text(greater), _where_text(than)], "n_units": [n1, n2],
                       "n_with_code": [k1, k2]})
    ev["share"] = ev.n_with_code / ev.n_units.where(ev.n_units > 0)
    if not n1 or not n2:
        return Verdict(INSUFFICIENT, "a group has no units", "share in first group > share in second", ev)
    a, b = k1 / n1, k2 / n2
    return Verdict(SUPPORTED if a > b else NOT_SUPPORTED, f"{a:.0%} ({k1}/{n1}) vs {b:.0%} ({k2}/{n2})",
                   "share in first group > share in second", ev)


def _pooled(study, variables, codes, where):
    frames = [select(unit_table(study, v), where).assign(variable=v) for v in variables]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "variable"])
    return df


def check_pooled(study, q, *, codes, where=None, **params):
    df = _pooled(study, _variables(study, params), codes, where)
    k, n = int(df.code.isin(codes).sum()), len(df)
    ev = df.groupby("variable").code.apply(lambda c: c.isin(codes).mean()).rename("share").reset_index() if n else df
    if n == 0:
        return Verdict(INSUFFICIENT, "no coded values", f"{q.id} {q.range_text}", ev)
    return Verdict(SUPPORTED if q.holds_count(k, n) else NOT_SUPPORTED,
                   f"{_fraction(k, n)} of coded values are {', '.join(codes)}", f"{q.id} {q.range_text}", ev)


def check_pooled_difference(study, q, *, codes, groups, **params):
    variables = _variables(study, params)
    shares, rows = [], []
    for g in groups:
        df = _pooled(study, variables, codes, g)
        k, n = int(df.code.isin(codes).sum()), len(df)
        rows.append((_where_text(g), n, k, k / n if n else np.nan))
        shares.append((k, n))
    ev = pd.DataFrame(rows, columns=["group", "n_values", "n_with_code", "share"])
    if any(n == 0 for _, n in shares):
        return Verdict(INSUFFICIENT, "a group has no coded values", f"difference <= {q.upper:.0%} ({q.id})", ev)
    d = abs(shares[0][0] / shares[0][1] - shares[1][0] / shares[1][1])
    return Verdict(SUPPORTED if d <= q.upper + 1e-12 else NOT_SUPPORTED, f"difference {d:.1%}",
                   f"difference <= {q.upper:.0%} ({q.id})", ev)


def _per_interview_variables(study, themes):
    return [v.id for v in study.codebook.variables.values() if v.theme in themes and v.per_interview]


def _fragmentation(study, themes, where):
    from .aggregation import disagreement

    d = disagreement(study, _per_interview_variables(study, themes))
    d = select(d, where)
    return d.groupby(["municipality", "size_class"]).differs.mean().rename("share_differing").reset_index()


def check_different_answers(study, q, *, where=None, themes, **_):
    frag = _fragmentation(study, themes, where)
    if frag.empty:
        return Verdict(INSUFFICIENT, "no selected municipality with several interviews",
                       "every such municipality has differing answers", frag)
    k = int((frag.share_differing > 0).sum())
    return Verdict(SUPPORTED if k == len(frag) else NOT_SUPPORTED,
                   f"{k}/{len(frag)} municipalities with differing answers",
                   "every such municipality has differing answers", frag)


def check_fragmentation_by_size(study, q, *, greater, than, themes, **_):
    frag = _fragmentation(study, themes, None)
    a, b = select(frag, greater), select(frag, than)
    if a.empty or b.empty:
        return Verdict(INSUFFICIENT, "a group has no municipality with several interviews",
                       "mean share of differing variables: first group > second", frag)
    x, y = a.share_differing.mean(), b.share_differing.mean()
    return Verdict(SUPPORTED if x > y else NOT_SUPPORTED,
                   f"{x:.0%} ({len(a)} municipalities) vs {y:.0%} ({len(b)})",
                   "mean share of differing variables: first group > second", frag)


def check_rank_correlation(study, q, *, variable, **_):
    df = unit_table(study, variable)
    var = study.codebook.variable(variable)
    sizes = study.codebook.attributes["size_class"].code_list
    x = df.size_class.map(sizes.index)
    y = df.code.map(var.code_list.index)
    ev = pd.crosstab(df.size_class, df.code).reindex(index=[s for s in sizes if s in set(df.size_class)],
                                                     columns=[c for c in var.code_list if c in set(df.code)]).reset_index()
    if df.size_class.nunique() < 2 or df.code.nunique() < 2:
        return Verdict(INSUFFICIENT, "fewer than two size classes or codes", "Spearman's rho > 0", ev)
    rho = sps.spearmanr(x, y).statistic
    return Verdict(SUPPORTED if rho > 0 else NOT_SUPPORTED, f"Spearman's rho = {rho:.2f} (n = {len(df)})",
                   "Spearman's rho > 0", ev)


def _mentions(study, variable):
    df = study.codings[study.codings.variable == variable]
    var = study.codebook.variable(variable)
    counts = df.code.value_counts().reindex(var.code_list, fill_value=0)
    return counts, df.interview_id.nunique()


def check_top_mentions(study, q, *, variable, expected, **_):
    counts, n = _mentions(study, variable)
    ev = counts.rename("n_mentions").rename_axis("aspect").reset_index()
    if n == 0:
        return Verdict(INSUFFICIENT, "no respondents", f"top {len(expected)} = {', '.join(expected)}", ev)
    rest = counts.drop(expected)
    ok = counts[expected].min() > (rest.max() if len(rest) else -1)
    top = counts.sort_values(ascending=False, kind="stable").index[: len(expected)].tolist()
    return Verdict(SUPPORTED if ok else NOT_SUPPORTED, "top: " + ", ".join(top),
                   f"these {len(expected)} named more often than any other: {', '.join(expected)}", ev)


def check_printed_shares(study, q, *, variable, total, printed, **_):
    counts, n = _mentions(study, variable)
    n_total = int(counts.sum())
    ev = pd.DataFrame({"aspect": list(printed), "n_mentions": [int(counts[a]) for a in printed],
                       "printed": list(printed.values())})
    if n_total == 0:
        return Verdict(INSUFFICIENT, "no mentions", f"{total} mentions; shares as printed", ev)
    ev["share_rounded"] = [percent_half_up(k, n_total) for k in ev.n_mentions]
    ok = n_total == total and (ev.share_rounded == ev.printed).all()
    return Verdict(SUPPORTED if ok else NOT_SUPPORTED,
                   f"{n_total} mentions; " + ", ".join(f"{s}%" for s in ev.share_rounded),
                   f"{total} mentions; " + ", ".join(f"{p}%" for p in printed.values()), ev)


def check_mentioned_by(study, q, *, variable, code, **_):
    df = study.codings[study.codings.variable == variable]
    n = df.interview_id.nunique()
    k = df[df.code == code].interview_id.nunique()
    ev = pd.DataFrame({"aspect": [code], "respondents_naming": [k], "respondents": [n]})
    if n == 0:
        return Verdict(INSUFFICIENT, "no respondents", f"{q.id} {q.range_text}", ev)
    return Verdict(SUPPORTED if q.holds_count(k, n) else NOT_SUPPORTED, f"named by {_fraction(k, n)} of respondents",
                   f"{q.id} {q.range_text}", ev)


CHECKS = {
    "share": check_share, "any_yes": check_any_yes, "compare": check_compare, "pooled": check_pooled,
    "pooled_difference": check_pooled_difference, "different_answers": check_different_answers,
    "fragmentation_by_size": check_fragmentation_by_size, "rank_correlation": check_rank_correlation,
    "top_mentions": check_top_mentions, "printed_shares": check_printed_shares, "mentioned_by": check_mentioned_by,
}


# --- claims -----------------------------------------------------------------------------------

def suite_file(study, name: str) -> Path:
    """`name` from the study's data directory, or the shipped one (see `study.suite_file`)."""
    from .study import suite_file as _suite_file

    return _suite_file(study.data_dir, name)


def load_claims(path: Path | str | None = None) -> list[dict]:
    """Read and check data/claims.yaml (or `path`)."""
    from .study import default_data_dir

    from ._files import file_digest

    path = Path(path) if path is not None else default_data_dir() / "claims.yaml"
    if not path.is_file():
        raise DataError([Problem(path.name, "", "is missing", allowed="claims.yaml in the data directory")])
    return _load_claims(path, file_digest(path))


@memoize
def _load_claims(path: Path, digest: str) -> list[dict]:
    """`load_claims` of a file whose content has the SHA-256 `digest` (read once per content)."""
    claims = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    problems, seen = [], set()
    for i, c in enumerate(claims):
        cid = c.get("id", f"#{i + 1}")
        where = f"claim {cid!r}"
        for key in sorted(CLAIM_KEYS - set(c)):
            problems.append(Problem(path.name, where, f"lacks {key!r}", allowed=", ".join(sorted(CLAIM_KEYS))))
        for key in sorted(set(c) - CLAIM_KEYS - OPTIONAL_KEYS):
            problems.append(Problem(path.name, where, "has an unknown key", value=key,
                                    allowed=", ".join(sorted(CLAIM_KEYS | OPTIONAL_KEYS))))
        if c.get("scope", "any") not in ("any", "sample"):
            problems.append(Problem(path.name, where + " scope", "is not a scope", value=c.get("scope"), allowed="any, sample"))
        if c.get("check") not in CHECKS:
            problems.append(Problem(path.name, where, "names an unknown check", value=c.get("check"), allowed=", ".join(CHECKS)))
        if cid in seen:
            problems.append(Problem(path.name, where, "duplicates an id"))
        seen.add(cid)
    if problems:
        raise DataError(problems)
    return claims


def evaluate(study, claim: dict, quantifiers: dict | None = None) -> Verdict:
    """Run one claim's check on `study` (a claim about the whole sample needs unfiltered data)."""
    if claim.get("scope") == "sample" and study.filters:
        return Verdict(INSUFFICIENT, "a statement about the whole sample; the data is filtered", "unfiltered data")
    quantifiers = quantifiers or load_quantifiers(suite_file(study, "quantifiers.csv"))
    params = dict(claim.get("params") or {})
    q = quantifiers.get(params.pop("quantifier", None))
    if "variable" in params:
        study.codebook.variable(params["variable"])
    return CHECKS[claim["check"]](study, q, **params)


def claims_table(study, *, lang: str = "en", claims: list[dict] | None = None) -> pd.DataFrame:
    """Every claim with its verdict on `study`.

    Returns
    -------
    DataFrame with columns `id`, `section`, `chapter`, `claim` (paraphrase in `lang`), `verdict`,
    `value`, `threshold`, `basis`, `fixed_by`. On a reconstruction (data with imputed values),
    `basis` is 'fixed by construction' when its constraints (`fixed_by`) make every seed satisfy
    the claim, 'emerges from imputed values' when not, and, on a filtered selection, 'fixed for
    the whole sample; emerges in this selection'; on data without imputed values it is 'data as
    coded'.

    Examples
    --------
    >>> import commissioning as cm
    >>> t = cm.claims_table(cm.load_study())
    >>> t.set_index("id").loc["s42-printed-shares", "verdict"]
    'supported'
    """
    check_lang(lang)
    claims = claims if claims is not None else load_claims(suite_file(study, "claims.yaml"))
    quantifiers = load_quantifiers(suite_file(study, "quantifiers.csv"))
    reconstructed = bool((study.codings.basis == "imputed").any())
    rows = []
    for c in claims:
        v = evaluate(study, c, quantifiers)
        if not reconstructed:
            basis = "data as coded"
        elif not c["fixed_by"]:
            basis = "emerges from imputed values"
        elif study.filters:
            basis = "fixed for the whole sample; emerges in this selection"
        else:
            basis = "fixed by construction"
        rows.append((c["id"], c["section"], c["chapter"], c[lang], v.verdict, v.value, v.threshold,
                     basis, ", ".join(c["fixed_by"])))
    return pd.DataFrame(rows, columns=["id", "section", "chapter", "claim", "verdict", "value", "threshold",
                                       "basis", "fixed_by"])


def evidence(study, claim_id: str, claims: list[dict] | None = None) -> pd.DataFrame:
    """The evidence table behind one claim's verdict."""
    claims = claims if claims is not None else load_claims(suite_file(study, "claims.yaml"))
    found = [c for c in claims if c["id"] == claim_id]
    if not found:
        raise ParameterError(f"unknown claim {claim_id!r}; allowed: {', '.join(c['id'] for c in claims)}")
    return evaluate(study, found[0]).evidence
