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
from .aggregate import UNITS, at_unit
from .selection import CODED_KINDS, SELECTION_KEYS, coded_variables
from .spread import measure_differ_vs_chance, measure_fragmentation_compare
from .table import MIN_EFFECT, Outcome, UnitTable, spec_variables

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
    "trend": {"variable", "quantifier"}, "only_named": {"variable", "codes", "municipalities"},
    "varied": {"variable", "quantifier"}, "printed_shares": {"variable", "total", "printed"},
    "top_mentions": {"variable", "expected"}, "mentioned_by": {"variable", "code", "quantifier"},
    "differ_vs_chance": {"quantifier"}, "fragmentation_compare": {"greater", "than"},
    "interview_counts": {"counts"}, "implies": {"if", "then"},
}


OPTIONAL = {"where", "min_units", "per_variable", "of_variables", "signed", "variables", "variable", "themes", "codes",
            "unit"}

# what the quantifier of each kind applies to (data/quantifiers.csv, column applies_to)
APPLIES = {"share": "share", "any_of": "share", "pooled": "share", "mentioned_by": "share", "difference": "difference",
           "varied": "mode", "trend": "correlation", "differ_vs_chance": "ratio"}


def measure(table: UnitTable, spec: dict, quantifiers: dict) -> Outcome:
    """Measure one rule on a table; the status of every batch row and the numbers behind it.

    This is how a claim gets its verdict (`commissioning.analysis.claims.evaluate` measures each of
    its rules on the study's table) and how the reconstruction tests a draw: the function of the
    rule's kind in `KINDS`, on the table at the rule's `unit` (`commissioning.rules.aggregate.at_unit`:
    a claim measured per municipality reads every variable coded per interview combined per
    municipality; a rule without a unit reads each variable at its natural unit).

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
    ([1], [18], [18])
    """
    kind = spec.get("rule")
    if kind not in KINDS:
        raise ParameterError("rule", kind, problem="is not a rule kind", allowed=KINDS)
    return KINDS[kind](at_unit(table, spec.get("unit")), spec, quantifiers)


def rule_variables(spec: dict, codebook=None) -> list[str]:
    """Every variable a rule reads (for `themes`, the codebook's per-interview variables of them),
    including those its selections read through `coded`.

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
    >>> spec = {"rule": "differ_vs_chance", "themes": ["agenda"], "quantifier": "enormous"}
    >>> rule_variables(spec, cm.load_study().codebook)
    ['agenda.explicitness', 'agenda.more_attention', 'agenda.carrier', 'agenda.social_domain_link']
    >>> rule_variables({"rule": "ranking", "above": ["sourcing.design"], "below": ["sourcing.strategy"],
    ...                 "codes": ["outsourced"]})
    ['sourcing.design', 'sourcing.strategy']
    """
    measured = measured_variables(spec, codebook)
    return measured + [v for v in coded_variables(spec) if v not in measured]


def measured_variables(spec: dict, codebook=None) -> list[str]:
    """The variables whose values a rule measures (`rule_variables` without those only its
    selections read).

    Returns
    -------
    list of str

    Examples
    --------
    >>> measured_variables({"rule": "share", "variable": "portfolio.overview", "codes": ["none"],
    ...                     "quantifier": "few", "where": {"coded": {"variable": "organisation.model",
    ...                                                              "codes": ["tilted"]}}})
    ['portfolio.overview']
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
    problems = _key_problems(spec, kind)
    if problems:
        return problems
    problems = [f"names an unknown variable {v!r}" for v in rule_variables(spec, codebook) if v not in codebook.variables]
    if problems:
        return problems
    return _code_problems(spec, kind, codebook) + _selection_problems(spec, kind, codebook) + \
        _quantifier_problems(spec, kind, quantifiers)


def _key_problems(spec, kind) -> list[str]:
    problems = []
    need = set(REQUIRED[kind])
    if kind == "share" and not ({"variable", "variables"} & set(spec)):
        problems.append("rule share needs 'variable' or 'variables'")
    if kind in ("differ_vs_chance", "fragmentation_compare") and not ({"variables", "themes"} & set(spec)):
        problems.append(f"rule {kind} needs 'variables' or 'themes'")
    for key in sorted(need - set(spec)):
        problems.append(f"rule {kind} lacks {key!r}")
    allowed = {"rule", *need, *OPTIONAL, "above", "below", "expected", "printed", "total", "code", "municipalities",
               "greater", "than", "groups", "counts", "if", "then", "quantifier"}
    for key in sorted(set(spec) - allowed):
        problems.append(f"rule {kind} has an unknown key {key!r}")
    if "unit" in spec and spec["unit"] not in UNITS:
        problems.append(f"names an unknown unit {spec['unit']!r}; allowed: {', '.join(UNITS)}")
    return problems


def _code_problems(spec, kind, codebook) -> list[str]:
    code_sets = []
    if "codes" in spec and kind != "implies":
        code_sets += [(v, spec["codes"]) for v in measured_variables(spec, codebook)]
    if kind == "implies":
        code_sets += [(spec["if"]["variable"], spec["if"]["codes"]), (spec["then"]["variable"], spec["then"]["codes"])]
    if kind == "printed_shares":
        code_sets.append((spec["variable"], list(spec["printed"])))
    if kind == "top_mentions":
        code_sets.append((spec["variable"], spec["expected"]))
    if kind == "mentioned_by":
        code_sets.append((spec["variable"], [spec["code"]]))
    problems = []
    for v, codes in code_sets:
        codes = [codes] if isinstance(codes, str) else list(codes)
        bad = [c for c in codes if c not in codebook.variables[v].codes]
        if bad:
            problems.append(f"names codes unknown to {v}: {', '.join(map(str, bad))}")
    return problems


def _selection_problems(spec, kind, codebook) -> list[str]:
    problems = []
    selections = [(k, spec[k]) for k in ("where", "greater", "than") if k in spec]
    selections += [(f"groups[{i}]", g) for i, g in enumerate(spec.get("groups") or [])]
    for key, where in selections:
        if not isinstance(where, dict):
            problems.append(f"selection {key!r} must be a mapping")
            continue
        problems += [f"selection {key!r} has an unknown key {k!r}" for k in where if k not in SELECTION_KEYS]
        coded = where.get("coded")
        if coded is None:
            continue
        if kind not in CODED_KINDS:
            problems.append(f"selection {key!r}: rule {kind} cannot select by 'coded'; allowed in: "
                            + ", ".join(CODED_KINDS))
        elif not isinstance(coded, dict) or set(coded) != {"variable", "codes"}:
            problems.append(f"selection {key!r}: 'coded' must be {{variable, codes}}")
        else:
            bad = [c for c in coded["codes"] if c not in codebook.variables[coded["variable"]].codes]
            if bad:
                problems.append(f"selection {key!r}: names codes unknown to {coded['variable']}: "
                                + ", ".join(map(str, bad)))
    return problems


def _quantifier_problems(spec, kind, quantifiers) -> list[str]:
    if quantifiers is None:
        return []
    problems = []
    for key in ("quantifier", "of_variables"):
        name = spec.get(key)
        if name is None:
            continue
        if name not in quantifiers:
            problems.append(f"names an unknown quantifier {name!r}")
            continue
        want = "share" if key == "of_variables" else APPLIES.get(kind)
        if want and quantifiers[name].applies_to != want:
            problems.append(f"quantifier {name!r} applies to {quantifiers[name].applies_to}, rule {kind} needs one "
                            f"that applies to {want}")
    if kind in ("compare", "fragmentation_compare") and MIN_EFFECT not in quantifiers:
        problems.append(f"rule {kind} needs the quantifier {MIN_EFFECT!r} (the minimum effect) in quantifiers.csv")
    return problems
