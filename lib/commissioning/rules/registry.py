"""Every rule kind by name, the keys each needs, `measure` (one function per kind) and the check
of a rule as written."""

from __future__ import annotations

from ..errors import ParameterError
from .counts import (
    measure_any_of,
    measure_compare,
    measure_difference,
    measure_pooled,
    measure_ranking,
    measure_share,
    measure_varied,
)
from .mentions import measure_mentioned_by, measure_printed_shares, measure_top_mentions
from .relations import measure_implies, measure_interview_counts, measure_only_named, measure_trend
from .spread import measure_differ_vs_chance, measure_fragmentation_compare
from .table import WHERE_KEYS, Outcome, UnitTable, spec_variables

KINDS = {
    "share": measure_share, "any_of": measure_any_of, "compare": measure_compare, "pooled": measure_pooled,
    "difference": measure_difference, "ranking": measure_ranking, "trend": measure_trend,
    "only_named": measure_only_named, "varied": measure_varied, "printed_shares": measure_printed_shares,
    "top_mentions": measure_top_mentions, "mentioned_by": measure_mentioned_by,
    "differ_vs_chance": measure_differ_vs_chance, "fragmentation_compare": measure_fragmentation_compare,
    "interview_counts": measure_interview_counts, "implies": measure_implies,
}


# keys each kind needs (beyond `rule`) and may have; checked when a file is read
REQUIRED = {
    "share": {"codes", "quantifier"}, "any_of": {"variables", "quantifier"},
    "compare": {"variable", "codes", "greater", "than"}, "pooled": {"variables", "codes", "quantifier"},
    "difference": {"variables", "codes", "groups", "quantifier"}, "ranking": {"above", "below", "codes"},
    "trend": {"variable", "min_rho"}, "only_named": {"variable", "codes", "municipalities"},
    "varied": {"variable", "quantifier"}, "printed_shares": {"variable", "total", "printed"},
    "top_mentions": {"variable", "expected"}, "mentioned_by": {"variable", "code", "quantifier"},
    "differ_vs_chance": {"min_ratio"}, "fragmentation_compare": {"greater", "than"},
    "interview_counts": {"counts"}, "implies": {"if", "then"},
}


OPTIONAL = {"where", "min_units", "per_variable", "signed", "variables", "variable", "themes", "codes"}


def measure(table: UnitTable, spec: dict, quantifiers: dict) -> Outcome:
    """Measure one rule on a table; the status of every batch row and the numbers behind it.

    This is how a claim gets its verdict (`commissioning.analysis.claims.evaluate` measures each of
    its rules on the study's table) and how the reconstruction tests a draw: the function of the
    rule's kind in `KINDS`.

    Parameters
    ----------
    table : UnitTable
        The per-unit codes of every variable: `commissioning.analysis.units.table_from_study`
        for a loaded study (a batch of one), or a batch of candidate draws in the reconstruction.
    spec : dict
        One rule as written in data/claims.yaml or data/constraints.yaml, with its kind in `rule`.
    quantifiers : dict
        Quantifier id -> `Quantifier`, from data/quantifiers.csv.

    Returns
    -------
    Outcome
        `status` per batch row (HOLDS 1, FAILS 0, NO_DATA -1) and the kind's numbers in `data`.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.analysis.units import table_from_study
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> table = table_from_study(cm.load_study())
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> claim = next(c for c in cm.load_claims() if c["id"] == "c51-engineering-or-project-bureau")
    >>> out = measure(table, claim["rules"][0], quantifiers)
    >>> out.status.tolist(), out.data["k"].tolist(), out.data["n"].tolist()
    ([1], [17], [18])
    """
    kind = spec.get("rule")
    if kind not in KINDS:
        raise ParameterError("rule", kind, problem="is not a rule kind", allowed=KINDS)
    return KINDS[kind](table, spec, quantifiers)


def rule_variables(spec: dict, codebook=None) -> list[str]:
    """Every variable a rule reads (for `themes`, the codebook's per-interview variables of them).

    Parameters
    ----------
    spec : dict
        One rule.
    codebook : Codebook, optional
        Needed to expand `themes`; without it a rule by themes reads no listed variable.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import commissioning as cm
    >>> spec = {"rule": "differ_vs_chance", "themes": ["agenda"], "min_ratio": 0.5}
    >>> rule_variables(spec, cm.load_study().codebook)
    ['agenda.explicitness', 'agenda.more_attention', 'agenda.carrier', 'agenda.social_domain_link']
    >>> rule_variables({"rule": "ranking", "above": ["sourcing.design"], "below": ["sourcing.strategy"],
    ...                 "codes": ["outsourced"]})
    ['sourcing.design', 'sourcing.strategy']
    """
    kind = spec.get("rule")
    if kind == "implies":
        return [spec["if"]["variable"], spec["then"]["variable"]]
    if kind == "ranking":
        return [*spec["above"], *spec["below"]]
    if kind in ("differ_vs_chance", "fragmentation_compare") and "variables" not in spec and codebook is not None:
        themes = set(spec.get("themes") or [])
        return [v.id for v in codebook.variables.values()
                if v.theme in themes and v.per_interview and v.type != "ranked_set"]
    return spec_variables(spec)


def check_spec(spec, codebook, quantifiers) -> list[str]:
    """Problems with one rule's keys, variables, codes and quantifier (empty when it is sound).

    Parameters
    ----------
    spec : dict
        One rule as written.
    codebook : Codebook
    quantifiers : dict or None
        Quantifier id -> `Quantifier`; None skips the check of the quantifier's name.

    Returns
    -------
    list of str
        One sentence per problem, as the loaders of claims and constraints report them.

    Examples
    --------
    >>> import commissioning as cm
    >>> from commissioning.data.files import default_data_dir
    >>> from commissioning.data.quantifiers import load_quantifiers
    >>> codebook = cm.load_study().codebook
    >>> quantifiers = load_quantifiers(default_data_dir() / "quantifiers.csv")
    >>> spec = {"rule": "share", "variable": "portfolio.overview", "codes": ["full"], "quantifier": "none"}
    >>> check_spec(spec, codebook, quantifiers)
    []
    >>> check_spec({**spec, "codes": ["all"], "quantifier": "nearly"}, codebook, quantifiers)
    ['names codes unknown to portfolio.overview: all', "names an unknown quantifier 'nearly'"]
    """
    if not isinstance(spec, dict):
        return [f"a rule must be a mapping (got {spec!r})"]
    kind = spec.get("rule")
    if kind not in KINDS:
        return [f"rule {kind!r} is not a rule kind; allowed: {', '.join(KINDS)}"]
    problems = []
    need = set(REQUIRED[kind])
    if kind == "share" and not ({"variable", "variables"} & set(spec)):
        problems.append("rule share needs 'variable' or 'variables'")
    if kind in ("differ_vs_chance", "fragmentation_compare") and not ({"variables", "themes"} & set(spec)):
        problems.append(f"rule {kind} needs 'variables' or 'themes'")
    for key in sorted(need - set(spec)):
        problems.append(f"rule {kind} lacks {key!r}")
    allowed = {"rule", *need, *OPTIONAL, "above", "below", "expected", "printed", "total", "code", "min_rho",
               "min_ratio", "municipalities", "greater", "than", "groups", "counts", "if", "then", "quantifier"}
    for key in sorted(set(spec) - allowed):
        problems.append(f"rule {kind} has an unknown key {key!r}")
    if problems:
        return problems
    variables = rule_variables(spec, codebook)
    for v in variables:
        if v not in codebook.variables:
            problems.append(f"names an unknown variable {v!r}")
    if problems:
        return problems
    code_sets = []
    if "codes" in spec:
        code_sets += [(v, spec["codes"]) for v in variables if kind not in ("implies",)]
    if kind == "implies":
        code_sets += [(spec["if"]["variable"], spec["if"]["codes"]), (spec["then"]["variable"], spec["then"]["codes"])]
    if kind == "printed_shares":
        code_sets.append((spec["variable"], list(spec["printed"])))
    if kind == "top_mentions":
        code_sets.append((spec["variable"], spec["expected"]))
    if kind == "mentioned_by":
        code_sets.append((spec["variable"], [spec["code"]]))
    for v, codes in code_sets:
        codes = [codes] if isinstance(codes, str) else list(codes)
        bad = [c for c in codes if c not in codebook.variables[v].codes]
        if bad:
            problems.append(f"names codes unknown to {v}: {', '.join(map(str, bad))}")
    if "quantifier" in spec and quantifiers is not None and spec["quantifier"] not in quantifiers:
        problems.append(f"names an unknown quantifier {spec['quantifier']!r}")
    for key in ("where", "greater", "than"):
        if key in spec:
            problems += [f"selection {key!r} has an unknown key {k!r}" for k in spec[key] if k not in WHERE_KEYS]
    return problems
