"""`commissioning init`: a minimal data folder of your own that `commissioning validate` accepts.

It holds a codebook with the study's attributes (region and size class, copied from the shipped
codebook) and one example variable, the shipped municipalities.csv (the study's 18 municipalities:
keep the rows of those you interviewed, add rows for others), one example interview and a
claims.yaml with no claims and a commented example claim. Every file says in comments what to
change. Nothing is written into a folder that holds anything, and nothing at all on an error.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from pathlib import Path

from .files import default_data_dir
from .reader import read_file
from ..errors import DataError, ParameterError, Problem

_CODEBOOK_HEAD = """\
# The codebook of your study: the municipality attributes (region and size class, as the study
# has them; municipalities.csv gives each municipality's) and every variable your interviews are
# coded on. A variable has a theme, a type, the section (of your report or interview guide) it
# comes from, a label and a question in English and Dutch, and its codes, each with an English and
# a Dutch label. Types: nominal, ordinal (codes from low to high), boolean (codes 'yes' and 'no',
# quoted), ranked_set (an ordered list of `size` codes, e.g. a top three).
# per_interview: false marks a fact about the municipality, which every interview of it must code
# the same way. Check the folder with: commissioning validate --data <this folder>
schema_version: 1
languages: [en, nl]

"""

_EXAMPLE_VARIABLE = """
variables:
  # An example; replace it with your own variables.
  staffing.shortage:
    theme: staffing
    type: ordinal
    section: 'Q1'
    label: {en: Shortage of commissioning staff, nl: Tekort aan personeel voor opdrachtgeverschap}
    question: {en: Does the respondent report a shortage of staff for the commissioning role?, nl: Meldt de respondent een tekort aan personeel voor de opdrachtgevende rol?}
    per_interview: true
    codes:
      none: {en: No shortage, nl: Geen tekort}
      some: {en: Some shortage, nl: Enig tekort}
      severe: {en: Severe shortage, nl: Ernstig tekort}
"""

_INTERVIEW = """\
# An example interview; replace it with your own. One file per coded interview, named after its
# interview id (a second coder's coding of the same interview goes in <interview_id>.<coder>.yaml).
# Every value is a code of codebook.yaml.
interview_id: {iid}        # <CBS code>-<number>, equal to the file name
municipality: {cbs}          # a cbs_code of municipalities.csv ({name})
respondent_role: example respondent   # pseudonymous: a role, never a name
coder: ab                     # who coded the interview
basis: observed               # observed: coded from the interview
values:
  staffing.shortage: some
"""

_CLAIMS = """\
# The claims of your study: what you expect the codings to show, each checked by
# `commissioning claims --data <this folder>` with a verdict (supported, not supported,
# insufficient data). A claim has an id, the section it comes from, a chapter, the unit it is
# measured at (interview or municipality), a paraphrase in
# English (en) and Dutch (nl) and one or more rules; the rule kinds are listed in the README
# ("The study's claims") and the quantifiers (most, some, almost_all, ...) in the shipped
# data/quantifiers.csv. State a claim before you look at the data.
#
# An example; remove the '# ' in front of its lines (and the [] below) to check it:
#
# - id: most-report-a-shortage
#   section: 'Q1'
#   chapter: staffing
#   unit: interview
#   en: Most respondents report a shortage of staff for the commissioning role.
#   nl: De meeste respondenten melden een tekort aan personeel voor de opdrachtgevende rol.
#   rules:
#     - {rule: share, variable: staffing.shortage, codes: [some, severe], quantifier: most}
[]
"""


def attributes_block(codebook_text: str) -> str:
    """The ``attributes:`` section of a codebook's text, as written (comments included).

    Returns
    -------
    str
        From the line ``attributes:`` up to the next top-level key, ending in one newline;
        DataError when the text has no such section.

    Examples
    --------
    >>> print(attributes_block("schema_version: 1\\nattributes:\\n  region: {}\\n  # note\\nvariables: {}\\n"), end="")
    attributes:
      region: {}
      # note
    """
    lines = codebook_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("attributes:")), None)
    if start is None:
        raise DataError([Problem("codebook.yaml", "", "has no 'attributes:' section to copy",
                                 allowed="the shipped codebook.yaml")])
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in (" ", "\n", "#")), len(lines))
    return "".join(lines[start:end]).rstrip("\n") + "\n"


def skeleton_files(source=None) -> dict[str, str]:
    """The files `init_data_dir` writes, as {relative path: text}.

    Parameters
    ----------
    source : path, optional
        The data folder whose attributes and municipalities are copied (default: the shipped data).

    Returns
    -------
    dict of str to str
        ``codebook.yaml``, ``municipalities.csv``, ``interviews/<id>.yaml`` and ``claims.yaml``.

    Examples
    --------
    >>> files = skeleton_files()
    >>> sorted(files)
    ['claims.yaml', 'codebook.yaml', 'interviews/GM0014-1.yaml', 'municipalities.csv']
    >>> "size_class:" in files["codebook.yaml"], files["municipalities.csv"].count("\\n")
    (True, 19)
    """
    source = Path(source) if source is not None else default_data_dir()
    codebook = read_file(source / "codebook.yaml", missing="the shipped codebook.yaml")
    municipalities = read_file(source / "municipalities.csv", missing="the shipped municipalities.csv")
    rows = list(csv.DictReader(io.StringIO(municipalities)))
    if not rows:
        raise DataError([Problem("municipalities.csv", "", "has no municipality rows to copy")])
    first = rows[0]
    iid = f"{first['cbs_code']}-1"
    return {
        "codebook.yaml": _CODEBOOK_HEAD + attributes_block(codebook) + _EXAMPLE_VARIABLE,
        "municipalities.csv": municipalities,
        f"interviews/{iid}.yaml": _INTERVIEW.format(iid=iid, cbs=first["cbs_code"], name=first["study_name"]),
        "claims.yaml": _CLAIMS,
    }


def init_data_dir(folder, *, source=None) -> list[Path]:
    """Write a minimal data folder of your own: a codebook with the study's attributes and one
    example variable, the study's municipalities, one example interview and an empty claims.yaml
    with a commented example claim (see `skeleton_files`).

    Parameters
    ----------
    folder : path
        A folder that does not exist yet, or an empty one; its parents are made as needed.
    source : path, optional
        The data folder whose attributes and municipalities are copied (default: the shipped data).

    Returns
    -------
    list of Path
        The files written, in the order of `skeleton_files`.

    Raises
    ------
    ParameterError
        When `folder` is a file or a folder that holds anything; nothing is written.
    DataError
        When the folder cannot be written; nothing is left behind.

    Examples
    --------
    >>> import tempfile, pathlib, commissioning as cm
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "own"
    >>> [p.relative_to(folder).as_posix() for p in init_data_dir(folder)]
    ['codebook.yaml', 'municipalities.csv', 'interviews/GM0014-1.yaml', 'claims.yaml']
    >>> study = cm.load_study(folder)
    >>> list(study.codebook.variables), study.n_interviews
    (['staffing.shortage'], 1)
    >>> init_data_dir(folder)
    Traceback (most recent call last):
    ...
    commissioning.errors.ParameterError: DIR: '...own' is not empty (it holds claims.yaml, codebook.yaml,
    interviews, ...); nothing was written; allowed: a new or empty folder
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ParameterError("DIR", str(folder), problem="is a file; nothing was written", allowed="a new or empty folder")
    if folder.is_dir():
        held = sorted(p.name for p in folder.iterdir())
        if held:
            shown = ", ".join(held[:3]) + (", ..." if len(held) > 3 else "")
            raise ParameterError("DIR", str(folder), problem=f"is not empty (it holds {shown}); nothing was written",
                                 allowed="a new or empty folder")
    files = skeleton_files(source)
    made = [p for p in (folder.parent, *folder.parent.parents) if not p.exists()]
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        for rel, text in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(text, encoding="utf-8", newline="\n")
        staging.chmod(0o777 & ~_umask())  # mkdtemp makes 0700; this is an ordinary folder
        if folder.is_dir():
            folder.rmdir()  # empty, checked above
        os.replace(staging, folder)
    except OSError as exc:
        if "staging" in locals():
            shutil.rmtree(staging, ignore_errors=True)
        for p in sorted(made, key=lambda p: len(p.parts), reverse=True):
            try:
                p.rmdir()
            except OSError:
                pass
        raise DataError([Problem(str(folder), "", f"cannot be written ({exc.strerror or exc}); nothing was written",
                                 allowed="a folder you may write to")]) from None
    return [folder / rel for rel in files]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
