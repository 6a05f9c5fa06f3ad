"""The one rule layer: every statement of the study, and every constraint, measured one way.

A *rule* is a small mapping written as data (in data/claims.yaml, data/constraints.yaml or the
codebook's coherence rules), for example::

    {rule: share, variable: portfolio.overview, codes: [own_department], quantifier: most}

It is measured by its kind (one `RuleKind` in `KINDS`, `rules.kinds`) on a `UnitTable`: the per-unit values of
every variable (from `commissioning.analysis.units.unit_values` at each variable's natural unit, through
`commissioning.analysis.units.table_from_study`), held as
integer code arrays. A claim's rules carry its `unit`: at ``municipality`` every variable coded per
interview is combined per municipality by the one aggregation rule (`aggregate.combine_counts`, the
rule `cm.aggregate` uses too), at ``interview`` the table is read as it is. The arrays carry a leading *batch* dimension, so that the reconstruction can
hold many candidate draws of one variable against a rule at once with the very code that gives a
claim its verdict on a loaded study (a batch of one). Nothing here is implemented twice: the
checks of the claims and the acceptance of a reconstruction call the same functions.

Rule kinds and their keys (`where`, `greater`, `than` and each of `groups` are selections of units
by `size_class`, `region`, `municipality` or `municipality_not`, each a list of codes, or by
another variable's codes, ``coded: {variable, codes}``; see `selection`):

- ``share``: the share of units whose code is one of `codes` lies in the quantifier's range, for
  `variable`, or for each of `variables`.
- ``any_of``: the share of units coded one of `codes` (default yes) on at least one of `variables`.
- ``compare``: the share of `codes` is larger in group `greater` than in group `than` by at least
  the one minimum effect (the quantifier `more_often`); a group with fewer than `min_units` units
  (default 3) gives *insufficient data*.
- ``pooled``: the share of `codes` over all values of `variables` together.
- ``difference``: the difference between the shares of `codes` in `groups[0]` and `groups[1]`
  lies in the quantifier's range ('hardly': below the minimum effect), pooled over `variables` or
  (``per_variable: true``) for each of them, or for a share of them in the range of
  `of_variables`; absolute unless ``signed: true`` (first minus second).
- ``ranking``: each variable of `above` has a larger share of `codes` than each of `below`.
- ``trend``: Spearman's rank correlation between size class and the codes of an ordinal
  `variable` lies in the range of a quantifier that applies to correlations.
- ``only_named``: the named `municipalities` are coded one of `codes` and no other unit is.
- ``varied``: the most frequent code holds a share in the quantifier's range (views vary).
- ``printed_shares``, ``top_mentions``, ``mentioned_by``: mentions of the codes of a ranked set
  (a respondent's top three), as the study prints them.
- ``differ_vs_chance``: in the selected municipalities with several interviews, how often
  interviews of one municipality differ, relative to chance alone, lies in the range of a
  quantifier that applies to ratios.
- ``fragmentation_compare``: the mean share of variables on which a municipality's interviews
  differ is larger in group `greater` than in group `than` by at least the minimum effect (each
  with at least `min_units` municipalities with several interviews).
- ``interview_counts``: the number of interviews per municipality.
- ``implies``: where `if` holds (a variable coded one of its codes), `then` holds too.

The rule layer sits below the data layer (the loader checks the codebook's coherence rules with it)
and knows nothing of studies: `commissioning.analysis.units.table_from_study` makes the table of a
loaded study.
"""

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "aggregate": ["at_unit", "combine_counts", "UNITS"],
    "mentions": ["mention_counts", "printed_share_ok", "unit_mentions"],
    "quantifiers": ["APPLIES_TO", "get", "Quantifier"],
    "descriptions": ["describe_outcome"],
    "fixing": ["forces"],
    "kind": ["measured_variables", "rule_variables", "RuleKind"],
    "kinds": ["KINDS", "register", "unregister"],
    "registry": ["check_spec", "measure", "OPTIONAL"],
    "relations": ["implies_violations"],
    "selection": ["coded_variables", "selection_mask", "static_part"],
    "spread": ["differ_table"],
    "table": [
        "empty_values", "FAILS", "HOLDS", "INSUFFICIENT", "MIN_EFFECT", "MIN_UNITS", "NO_DATA", "NOT_SUPPORTED",
        "Outcome", "Space", "spaces_for", "STATUS_TEXT", "SUPPORTED", "UnitTable", "WHERE_KEYS",
    ],
})
