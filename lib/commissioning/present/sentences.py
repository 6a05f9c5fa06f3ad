"""Sentences that say what the data shows, computed from the data, in English and Dutch.

No fixed sentence of a report states a finding: each function here reads a table the report shows
(so a published sentence can only repeat what a published table shows) and returns a `Sentence`
in the report's language. Every function is tested on data where the finding goes the other way.

A `Sentence` shows as a paragraph in JupyterLab and in a report; its counts carry the table cell
they come from (variable, codes, unit, group, k and n) as data attributes, as the tables do.

The sentences live in modules by theme, and every name stays reachable from here (notebooks use
`cm.sentences.<name>`):

- `present.sentence`: `Num`, `Sentence` and `group_noun`;
- `present.shares`: shares and majorities (`composition`, `most_common`, `activities`, `cells`,
  `named`);
- `present.comparisons`: comparisons and rankings (`extremes`, `group_sizes`, `highest_group`,
  `top_mentions`, `below_top`, `bootstrap`);
- `present.verdicts`: tests and verdicts (`agreement`, `tests`, `tests_count`, `fragmentation`,
  `verdict_counts`).

Examples
--------
>>> import commissioning as cm
>>> from commissioning.present.tables import count_table
>>> s = cm.load_study()
>>> print(cm.sentences.group_sizes(count_table(s, "organisation.model", by="size_class", lang="nl"), lang="nl"))
De groepen tellen tussen 2 en 8 gemeenten: één gemeente meer of minder verschuift een aandeel met
tussen 13 en 50 procentpunt.
"""

from __future__ import annotations

from .comparisons import below_top, bootstrap, extremes, group_sizes, highest_group, top_mentions
from .sentence import Num, Sentence, group_noun
from .shares import activities, cells, composition, most_common, named
from .tables import ALL, CountTable
from .verdicts import agreement, fragmentation, tests, tests_count, verdict_counts

__all__ = ["ALL", "CountTable", "Num", "Sentence", "activities", "agreement", "below_top", "bootstrap", "cells",
           "composition", "extremes", "fragmentation", "group_noun", "group_sizes", "highest_group", "most_common",
           "named", "tests", "tests_count", "top_mentions", "verdict_counts"]
