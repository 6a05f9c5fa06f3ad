"""REFI-QDA exchange: the codebook out as a .qdc, coded projects (.qdpx) back in as interview files.

REFI-QDA (www.qdasoftware.org) is the exchange standard of ATLAS.ti, NVivo, MAXQDA, QualCoder and
others. The round trip:

1. `export_qdc` writes the codebook as a REFI-QDA Codebook (namespace urn:QDA-XML:codebook:1.0).
   Every variable becomes a parent code that cannot be coded itself (its name is the variable id,
   e.g. ``sourcing.design``); every value becomes a child code named ``<variable>: <label>``
   (``sourcing.design: Outsourced``). Names are unique across the codebook because some tools
   (QualCoder) merge codes of the same name. A ranked set (``maturity.top3``) gets one group per
   rank, ``maturity.top3 #1`` to ``#3``, each holding every aspect
   (``maturity.top3 #1: People and competences``): the coder codes the passage where the
   respondent names the first priority with an aspect under ``#1``, and so on. Each code's
   Description ends with a line ``commissioning: <variable> = <code>[, rank <n>]``, and its GUID
   is derived from the variable and code ids (uuid5), so the file is byte-stable and the same in
   both languages.
2. The researcher imports the .qdc into the QDA tool, codes the interviews, gives each interview
   (its document, or the case it belongs to) a variable ``municipality`` holding a CBS code or a
   municipality name, and exports the project as .qdpx.
3. `import_qdpx` reads the project and writes one interview file per interview and coder
   (``<interview_id>.<coder>.yaml``, basis ``observed``), listing what it could not map, and
   beside the interview folder a passage file of the same name in ``passages/`` with the coded
   text behind its values (see `commissioning.data.passages`).

Codes are mapped, in this order, by GUID, by the ``commissioning:`` line of their description,
and by structure: a code whose parent (or whose name before ``::`` or ``: ``) names a variable by
id or by its English or Dutch label, and whose own name is a value's id or label in either
language (a name a tool cut short, as MAXQDA does at 63 characters, still maps when the start of
the label is unique). A ranked-set aspect coded without a rank group takes its rank from the order
of its first coding in the text. Text positions order such codings, quote the passage of a coding
that could not be mapped and cut the passages that are kept; they count Unicode code points from
the start of the source's plain text (or of a text inside a source, such as a PDF's
Representation), end exclusive. ATLAS.ti counts a CRLF line ending as one character, so its text
is read with LF endings.

A project coded with a code system of its own becomes a data folder of its own with
`import_code_system` (``import-qdpx --new-codebook``): its codebook is made from the project's codes
(`codesystem` says how), and its municipalities come from the sources' variables or from a mapping
file (``--municipalities MAP.csv``, columns ``source,cbs_code``).

This module gathers the names of the parts: `qdc` (the export), `project` (reading a project),
`codemap` (mapping its codes), `sources` (which interview each source is), `interview_files`
(building the files), `importer` (`import_qdpx`), `codesystem` (a code system as a codebook) and
`newcodebook` (`import_code_system`).
"""

from __future__ import annotations

from .codemap import TRUNCATED_AT  # noqa: F401
from .codesystem import CodeSystem, slug  # noqa: F401
from .importer import NOT_KEPT_COLUMNS, PASSAGE_REPORT_COLUMNS, ImportReport, import_qdpx  # noqa: F401
from .interview_files import NOT_TEXT  # noqa: F401
from .newcodebook import import_code_system  # noqa: F401
from .project import MAX_MEMBER_BYTES, NS_PROJECT, SOURCE_TAGS, text_selections  # noqa: F401
from .qdc import MARKER, NS_CODEBOOK, code_guid, export_qdc  # noqa: F401
from .sources import INTERVIEW_VARIABLES, MUNICIPALITY_VARIABLES, ROLE_VARIABLES, read_source_map  # noqa: F401

__all__ = [
    "NS_CODEBOOK", "NS_PROJECT", "MARKER", "TRUNCATED_AT", "MAX_MEMBER_BYTES", "SOURCE_TAGS", "NOT_TEXT",
    "PASSAGE_REPORT_COLUMNS", "NOT_KEPT_COLUMNS", "MUNICIPALITY_VARIABLES", "INTERVIEW_VARIABLES",
    "ROLE_VARIABLES", "CodeSystem", "ImportReport", "code_guid", "export_qdc", "import_code_system", "import_qdpx",
    "read_source_map", "slug", "text_selections",
]
