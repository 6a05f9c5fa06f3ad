"""The passages behind the codes: the coded text of a QDA project, kept beside the interview files.

`import_qdpx` (``commissioning import-qdpx``) writes, beside the interview folder, one passage
file per interview and coder, ``passages/<interview_id>.<coder>.yaml``::

    interview_id: GM0518-1
    coder: ab
    passages:
    - variable: sourcing.design
      code: outsourced
      source: Interview Den Haag.txt
      start: 412
      end: 449
      text: Het ontwerp laten we altijd uitvoeren.
    - variable: maturity.top3
      code: people_competences
      rank: 1
      source: Interview Den Haag.txt
      start: 610
      end: 642
      text: |-
        Eerst de mensen.
        Dan de cultuur.

`start` and `end` are the positions the project states: Unicode characters (code points) from the
start of the source's plain text, `end` exclusive; `text` is what they cut from that text, so it
has ``end - start`` characters. `rank` is given for a ranked set (``maturity.top3``) only. A file
with ``passages: []`` says that the interview has no coded text (its values were coded on
pictures, say). A hand-written coding of an interview (``interviews/GM0518-4.yaml``) may have
its passages in ``passages/GM0518-4.yaml``.

Passages are for exploring only: no result reads them. `load_study` never opens the folder, so the
interview files, the codings and every figure are the same with or without it, and a data folder
without passages is complete.
"""

from __future__ import annotations

import yaml

PASSAGES_DIR = "passages"
TOP_KEYS = ("interview_id", "coder", "passages")
PASSAGE_KEYS = ("variable", "code", "rank", "source", "start", "end", "text")

HEADER = """\
# The passages behind the codes of interview {interview_id} (coder {coder}), kept by
# `commissioning import-qdpx` from {project}{origin}.
# start and end are the positions the project states: Unicode characters from the start of the
# source's plain text, end exclusive. text is cut from the source's plain text at those positions
# (for ATLAS.ti, which counts a CRLF line end as one character, from the text with LF line ends),
# so it has end - start characters. Results never depend on this file; edit the project and
# re-import rather than this file.
"""


# --------------------------------------------------------------------------------------- writing

class _Dumper(yaml.SafeDumper):
    """Multi-line text as a literal block where YAML can hold it exactly, else double-quoted."""


_ESCAPE = frozenset("\r\x85\u2028\u2029")  # line ends other than LF: YAML would read them as LF, or fold them


def _represent_str(dumper, value):
    if any(c in _ESCAPE for c in value):
        style = '"'  # escaped (\r, \N, \L, \P), so that they read back as they are
    else:
        style = "|" if "\n" in value else None  # the emitter falls back to double quotes where a block cannot hold it
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def passage_file_text(interview_id: str, coder: str, passages: list[dict], *, project: str = "",
                      origin: str = "") -> str:
    """The text of a passage file: the header comment, then `interview_id`, `coder` and the
    passages (each a mapping with the keys of `PASSAGE_KEYS`, in the order given). The same
    arguments give the same text, byte for byte; every text reads back exactly."""
    header = HEADER.format(interview_id=interview_id, coder=" ".join(str(coder).split()),
                           project=" ".join(str(project).split()) or "a REFI-QDA project",
                           origin=f" ({' '.join(str(origin).split())})" if origin else "")
    data = {"interview_id": str(interview_id), "coder": str(coder),
            "passages": [{k: p[k] for k in PASSAGE_KEYS if k in p} for p in passages]}
    return header + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                              width=100)
