"""Every rule kind by name, the keys each needs, `measure` (one function per kind) and the check
of a rule as written."""

from __future__ import annotations

from ..errors import ParameterError
from .aggregate import UNITS, at_unit
from .kind import measured_variables, rule_variables
from .kinds import KINDS
from .selection import SELECTION_KEYS
from .table import MIN_EFFECT, Outcome, UnitTable

# keys every kind may have, beyond those it needs (`RuleKind.required`) and its own (`RuleKind.keys`)
OPTIONAL = {"where", "min_units", "per_variable", "of_variables", "signed", "variables", "variable", "themes", "codes",
            "unit"}
COMMON_KEYS = {"above", "below", "expected", "printed", "total", "code", "municipalities", "greater", "than", "groups",
               "counts", "if", "then", "quantifier"}


def measure(table: UnitTable, spec: dict, quantifiers: dict) -> Outcome:
    """Measure one rule on a table; the status of every batch row and the numbers behind it.

    This is how a claim gets its verdict (`commissioning.analysis.claims.evaluate` measures each of
    its rules on the study's table) and how the reconstruction tests a draw: the function of the
    rule's kind in `KINDS` (`RuleKind.measure`), on the table at the rule's `unit` (`commissioning.rules.aggregate.at_unit`:
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
    return KINDS[kind].measure(at_unit(table, spec.get("unit")), spec, quantifiers)


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
    problems, k = [], KINDS[kind]
    if k.one_of and not (set(k.one_of) & set(spec)):
        problems.append(f"rule {kind} needs " + " or ".join(repr(key) for key in k.one_of))
    for key in sorted(k.required - set(spec)):
        problems.append(f"rule {kind} lacks {key!r}")
    allowed = {"rule", *k.required, *k.keys, *OPTIONAL, *COMMON_KEYS}
    for key in sorted(set(spec) - allowed):
        problems.append(f"rule {kind} has an unknown key {key!r}")
    if "unit" in spec and spec["unit"] not in UNITS:
        problems.append(f"names an unknown unit {spec['unit']!r}; allowed: {', '.join(UNITS)}")
    return problems


def _code_problems(spec, kind, codebook) -> list[str]:
    code_sets = [(v, spec["codes"]) for v in measured_variables(spec, codebook)] if "codes" in spec else []
    code_sets += KINDS[kind].codes_named(spec)
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
        if not KINDS[kind].coded:
            problems.append(f"selection {key!r}: rule {kind} cannot select by 'coded'; allowed in: "
                            + ", ".join(name for name, k in KINDS.items() if k.coded))
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
        want = "share" if key == "of_variables" else KINDS[kind].applies_to
        if want and quantifiers[name].applies_to != want:
            problems.append(f"quantifier {name!r} applies to {quantifiers[name].applies_to}, rule {kind} needs one "
                            f"that applies to {want}")
    if KINDS[kind].min_effect and MIN_EFFECT not in quantifiers:
        problems.append(f"rule {kind} needs the quantifier {MIN_EFFECT!r} (the minimum effect) in quantifiers.csv")
    return problems
