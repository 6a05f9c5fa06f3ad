"""The rule kinds, each one `RuleKind` (`commissioning.rules.kind`): the suite's own, and any a
study adds with `register`. `KINDS` is the registry that the checks of a rule as written, its
measurement, its description, the reconstruction and publishing all read."""

from __future__ import annotations

from . import descriptions as text
from .counts import (
    measure_any_of, measure_compare, measure_difference, measure_pooled, measure_ranking, measure_share, measure_varied,
)
from .fixing import (determine_only_named, determine_share, interview_counts, mentioned_by_mentions, narrow_implied,
                     printed_mentions)
from .kind import RuleKind
from .mentions import measure_mentioned_by, measure_printed_shares, measure_top_mentions
from .relations import measure_implies, measure_interview_counts, measure_only_named, measure_trend
from .spread import measure_differ_vs_chance, measure_fragmentation_compare
from .table import spec_variables, themed_variables


def _themed(spec: dict, codebook) -> list[str]:
    """The variables of a rule within municipalities (none by `themes` without a codebook)."""
    return spec_variables(spec) if codebook is None else themed_variables(codebook, spec)


_SUITE = [
    RuleKind("share", measure_share, text.describe_share, required=frozenset({"codes", "quantifier"}),
             one_of=("variable", "variables"), applies_to="share", coded=True, determine=determine_share,
             selection_bounds=True, evidence_by_size=True),
    RuleKind("any_of", measure_any_of, text.describe_any_of, required=frozenset({"variables", "quantifier"}),
             applies_to="share", coded=True, evidence="joint"),
    RuleKind("compare", measure_compare, text.describe_compare,
             required=frozenset({"variable", "codes", "greater", "than"}), coded=True, min_effect=True),
    RuleKind("pooled", measure_pooled, text.describe_pooled, required=frozenset({"variables", "codes", "quantifier"}),
             applies_to="share", coded=True),
    RuleKind("difference", measure_difference, text.describe_difference,
             required=frozenset({"variables", "codes", "groups", "quantifier"}), applies_to="difference", coded=True),
    RuleKind("ranking", measure_ranking, text.describe_ranking, required=frozenset({"above", "below", "codes"}),
             variables=lambda spec, codebook: [*spec["above"], *spec["below"]]),
    RuleKind("trend", measure_trend, text.describe_trend, required=frozenset({"variable", "quantifier"}),
             applies_to="correlation", by_size_class=True),
    RuleKind("only_named", measure_only_named, text.describe_only_named,
             required=frozenset({"variable", "codes", "municipalities"}), names_units=True,
             determine=determine_only_named),
    RuleKind("varied", measure_varied, text.describe_varied, required=frozenset({"variable", "quantifier"}),
             applies_to="mode", coded=True),
    RuleKind("printed_shares", measure_printed_shares, text.describe_printed_shares,
             required=frozenset({"variable", "total", "printed"}), per_interview=True, evidence="ranked",
             codes_named=lambda spec: [(spec["variable"], list(spec["printed"]))], mentions=printed_mentions,
             stated=lambda spec: set(spec["printed"])),
    RuleKind("top_mentions", measure_top_mentions, text.describe_top_mentions,
             required=frozenset({"variable", "expected"}), per_interview=True, evidence="ranked",
             codes_named=lambda spec: [(spec["variable"], spec["expected"])], stated=lambda spec: set(spec["expected"])),
    RuleKind("mentioned_by", measure_mentioned_by, text.describe_mentioned_by,
             required=frozenset({"variable", "code", "quantifier"}), applies_to="share", per_interview=True,
             evidence="ranked", codes_named=lambda spec: [(spec["variable"], [spec["code"]])],
             mentions=mentioned_by_mentions,
             stated=lambda spec: {spec["code"]} if spec.get("quantifier") == "none" else set()),
    RuleKind("differ_vs_chance", measure_differ_vs_chance, text.describe_differ_vs_chance,
             required=frozenset({"quantifier"}), one_of=("variables", "themes"), applies_to="ratio",
             per_interview=True, variables=_themed, evidence="within"),
    RuleKind("fragmentation_compare", measure_fragmentation_compare, text.describe_fragmentation_compare,
             required=frozenset({"greater", "than"}), one_of=("variables", "themes"), per_interview=True,
             variables=_themed, evidence="within", min_effect=True),
    RuleKind("interview_counts", measure_interview_counts, text.describe_interview_counts,
             required=frozenset({"counts"}), public=True, interviews=interview_counts),
    RuleKind("implies", measure_implies, text.describe_implies, required=frozenset({"if", "then"}),
             variables=lambda spec, codebook: [spec["if"]["variable"], spec["then"]["variable"]], evidence="joint",
             codes_named=lambda spec: [(spec["if"]["variable"], spec["if"]["codes"]),
                                       (spec["then"]["variable"], spec["then"]["codes"])],
             narrow=narrow_implied),
]

#: every rule kind by name: the suite's, then those registered
KINDS: dict[str, RuleKind] = {kind.name: kind for kind in _SUITE}


def register(kind: RuleKind) -> RuleKind:
    """Add a rule kind of a study's own, so that its claims and constraints may use it.

    Returns
    -------
    RuleKind
        `kind`, now in `KINDS`.

    Raises
    ------
    ParameterError
        When a kind of that name is already there.

    Examples
    --------
    >>> from commissioning.rules.kinds import KINDS, register
    >>> register(KINDS["share"])
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: rule kind: 'share' is already a rule kind; allowed: a new name
    """
    from ..errors import ParameterError

    if not isinstance(kind, RuleKind):
        raise ParameterError("rule kind", str(kind)[:60], problem="is not a RuleKind",
                             allowed="commissioning.rules.RuleKind(name, measure, describe, ...)")
    if kind.name in KINDS:
        raise ParameterError("rule kind", kind.name, problem="is already a rule kind", allowed="a new name")
    KINDS[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    """Remove a kind that `register` added (the suite's own kinds stay).

    Returns
    -------
    None

    Examples
    --------
    >>> from commissioning.rules.kinds import unregister
    >>> unregister("share")
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: rule kind: 'share' is one of the suite's kinds; allowed: a registered kind
    """
    from ..errors import ParameterError

    if name in {kind.name for kind in _SUITE}:
        raise ParameterError("rule kind", name, problem="is one of the suite's kinds", allowed="a registered kind")
    KINDS.pop(name, None)
