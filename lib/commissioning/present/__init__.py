"""What a report shows: `Report` (one per notebook and language), count tables in one display
format, and sentences computed from the data in English and Dutch.

No fixed sentence of a report states a finding: each sentence function reads a table the report
shows (so a published sentence can only repeat what a published table shows) and returns a
`Sentence` in the report's language. Every function is tested on data where the finding goes the other way.

A `Sentence` shows as a paragraph in JupyterLab and in a report; its counts carry the table cell
they come from (variable, codes, unit, group, k and n) as data attributes, as the tables do.

The sentences live in modules by theme, and this door names them all (notebooks use
`cm.sentences.<name>`, which is this part):

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

from ..core import door

__all__, __getattr__, __dir__ = door(__name__, {
    "comparisons": ["below_top", "bootstrap", "extremes", "group_sizes", "highest_group", "top_mentions"],
    "notices": ["provenance"],
    "report": ["Report"],
    "sentence": ["group_noun", "Num", "Sentence"],
    "shares": ["activities", "cells", "composition", "most_common", "named"],
    "tables": ["ALL", "CountTable"],
    "verdicts": ["agreement", "fragmentation", "tests", "tests_count", "verdict_counts"],
})
