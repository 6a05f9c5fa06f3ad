"""The checks of one passage file (``passages/<interview_id>.<coder>.yaml``, see
`commissioning.data.passages`): it belongs to an interview file of the same id and coder, and each
passage names a variable and code of the codebook (a rank for a ranked set) and positions that
span its text. Every problem names the file, the line and key, the value and what is allowed."""

from __future__ import annotations

from ..errors import Problem
from .interviews import ID_RE, coder_slug

TOP_KEYS = ("interview_id", "coder", "passages")


PASSAGE_KEYS = ("variable", "code", "rank", "source", "start", "end", "text")


def _key(path) -> str:
    """A key path as messages write it: ``passages[0].start``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _reporter(problems: list[Problem], display: str, lines: dict):
    """`bad(path, message, value, allowed)`: append a problem placed at the line and key of `path`."""
    def at(*path):
        line = lines.get(path)
        return f"line {line}, key {_key(path)!r}" if line else f"key {_key(path)!r}"

    def bad(path, message, value=None, allowed=""):
        problems.append(Problem(display, at(*path), message, value=value, allowed=allowed))

    return bad


def _check_top_keys(data: dict, display: str, bad, problems: list[Problem]) -> None:
    """Unknown top-level keys, then the required ones that are missing or empty."""
    for key in data:
        if key not in TOP_KEYS:
            bad((key,), "is not a known key", value=key, allowed=", ".join(TOP_KEYS))
    for key in TOP_KEYS:
        if key not in data or data[key] is None or data[key] == "":
            problems.append(Problem(display, "", f"lacks the required key {key!r}", allowed=", ".join(TOP_KEYS)))


def _check_owner(data: dict, stem: str, interviews: dict, bad) -> tuple:
    """The interview and coder a passage file belongs to: (interview_id, coder, municipality),
    the municipality None unless an interview file of that id and coder exists."""
    iid, coder = data.get("interview_id"), data.get("coder")
    municipality = None
    if iid in (None, "") or coder in (None, ""):
        return iid, coder, municipality
    iid, coder = str(iid), str(coder)
    coders = sorted(c for i, c in interviews if i == iid)
    if not ID_RE.match(iid):
        bad(("interview_id",), "is not an interview id", value=iid, allowed="<CBS code>-<number>, e.g. GM0518-1")
    elif not coders:
        known = sorted({i for i, _ in interviews})
        bad(("interview_id",), "is not the id of an interview file in interviews/", value=iid,
            allowed="the interview_id of an interview file" + (f", e.g. {', '.join(known[:3])}" if known else
                                                               " (interviews/ has none)"))
    elif (iid, coder) not in interviews:
        bad(("coder",), f"has not coded interview {iid}: there is no interview file of {iid} by this coder",
            value=coder, allowed=", ".join(coders))
    else:
        municipality = interviews[(iid, coder)]
    expected = {iid, f"{iid}.{coder_slug(coder)}"}
    if stem not in expected:
        bad(("interview_id",), "does not match the file name", value=iid,
            allowed=" or ".join(sorted(f"{e}.yaml" for e in expected)))
    return iid, coder, municipality


def _passage_items(data: dict, bad) -> list:
    """The entries of `passages` ([] when there are none or they are not a list)."""
    items = data.get("passages")
    if items is not None and not isinstance(items, list):
        bad(("passages",), "must be a list of passages (or [] for none)", value=type(items).__name__)
        items = []
    return items or []


def _check_passage_keys(item: dict, here: tuple, bad) -> None:
    """Unknown keys of a passage, then the keys it lacks."""
    for key in item:
        if key not in PASSAGE_KEYS:
            bad(here + (key,), "is not a known key of a passage", value=key, allowed=", ".join(PASSAGE_KEYS))
    for key in ("variable", "code", "source", "start", "end", "text"):
        if key not in item:
            bad(here, f"lacks the key {key!r}", allowed="variable, code, source, start, end, text "
                                                        "(and rank for a ranked set)")


def _check_code(item: dict, here: tuple, var, bad):
    """The passage's code (a boolean's True or False as 'yes' or 'no'), checked against `var`."""
    code = item.get("code")
    if var is not None and "code" in item:
        if var.type == "boolean" and isinstance(code, bool):
            code = "yes" if code else "no"
        if not isinstance(code, str) or code not in var.codes:
            bad(here + ("code",), f"is not a code of {var.id}", value=code, allowed=", ".join(var.codes))
    return code


def _check_rank(item: dict, here: tuple, var, bad) -> None:
    """A rank for a passage of a ranked set (1 to its size), and none for any other variable."""
    rank = item.get("rank")
    if var is not None and var.type == "ranked_set":
        if "rank" not in item:
            bad(here, f"lacks the key 'rank', which a passage of the ranked set {var.id} needs",
                allowed=f"rank: 1 to {var.size}")
        elif isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= (var.size or 0):
            bad(here + ("rank",), f"is not a rank of {var.id}", value=rank, allowed=f"1 to {var.size}")
    elif var is not None and "rank" in item:
        bad(here + ("rank",), f"is for a ranked set only; {var.id} is {var.type}", value=rank,
            allowed="no rank")


def _check_span(item: dict, here: tuple, bad) -> None:
    """The source, the positions (whole numbers, `start` <= `end`) and a text of `end - start` characters."""
    source = item.get("source")
    if "source" in item and (not isinstance(source, str) or not source.strip()):
        bad(here + ("source",), "must name the source (document) of the passage", value=source)
    start, end, text = item.get("start"), item.get("end"), item.get("text")
    ints_ok = True
    for key, value in (("start", start), ("end", end)):
        if key in item and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            bad(here + (key,), "is not a position", value=value,
                allowed="a whole number of characters from the start of the source's text, 0 or more")
            ints_ok = False
    if "text" in item and not isinstance(text, str):
        bad(here + ("text",), "must be the passage's text", value=text)
    elif ints_ok and "start" in item and "end" in item:
        if end < start:
            bad(here + ("end",), f"is before start ({start})", value=end, allowed=f"{start} or more")
        elif "text" in item and len(text) != end - start:
            bad(here + ("end",), f"falls outside the passage's text: start {start} to end {end} span "
                f"{end - start} characters, but text has {len(text)}", value=end,
                allowed=f"start + the length of text = {start + len(text)}")


def _check_passage(item, here: tuple, codebook, bad, problems: list[Problem]) -> tuple | None:
    """Check one entry of `passages`; its row from `variable` on (the columns of `COLUMNS` after
    `coder`), or None when it has a problem."""
    if not isinstance(item, dict):
        bad(here, "must be a mapping with the keys variable, code, source, start, end, text", value=item)
        return None
    n_before = len(problems)
    _check_passage_keys(item, here, bad)
    var_id = item.get("variable")
    var = codebook.variables.get(var_id) if isinstance(var_id, str) else None
    if "variable" in item and var is None:
        bad(here + ("variable",), "is not a variable of the codebook", value=var_id,
            allowed="a variable id of codebook.yaml (see `commissioning codebook`)")
    code = _check_code(item, here, var, bad)
    _check_rank(item, here, var, bad)
    _check_span(item, here, bad)
    if len(problems) != n_before:
        return None
    rank = item.get("rank")
    return (var.id, code, int(rank) if var.type == "ranked_set" else 0,
            item.get("source"), item.get("start"), item.get("end"), item.get("text"))


def parse_passage_file(data, lines, display, stem, codebook, interviews) -> tuple[list[tuple], list[Problem]]:
    """Check one parsed passage file.

    Parameters
    ----------
    data : object
        The parsed YAML of the file (a mapping with `TOP_KEYS` when it is well formed).
    lines : dict
        Key path -> line, as `load_yaml` returns it (``{}`` names keys without lines).
    display : str
        The file as messages name it (``passages/GM0518-1.ab.yaml``).
    stem : str
        The file name without ``.yaml``: ``<interview_id>`` or ``<interview_id>.<coder>``.
    codebook : Codebook
        The variables and codes a passage may name.
    interviews : dict
        (interview_id, coder) -> the interview's municipality: a passage file belongs to an
        interview file of the same id and coder.

    Returns
    -------
    rows : list of tuple
        One row per passage, in the order of `COLUMNS`; only passages without a problem of a file
        that belongs to an interview file.
    problems : list of Problem
        Every problem, in the order of the file, each naming the line and key.

    Examples
    --------
    >>> import commissioning as cm
    >>> cb = cm.load_study().codebook
    >>> data = {"interview_id": "GM0518-1", "coder": "ab", "passages": [
    ...     {"variable": "sourcing.design", "code": "outsourced", "source": "a.txt", "start": 3,
    ...      "end": 7, "text": "wxyz"},
    ...     {"variable": "sourcing.design", "code": "maybe", "source": "a.txt", "start": 9,
    ...      "end": 8, "text": ""}]}
    >>> rows, problems = parse_passage_file(data, {}, "passages/GM0518-1.ab.yaml", "GM0518-1.ab", cb,
    ...                                     {("GM0518-1", "ab"): "GM0518"})
    >>> rows
    [('GM0518-1', 'GM0518', 'ab', 'sourcing.design', 'outsourced', 0, 'a.txt', 3, 7, 'wxyz')]
    >>> for p in problems:
    ...     print(p)
    passages/GM0518-1.ab.yaml, key 'passages[1].code': is not a code of sourcing.design (got 'maybe'); allowed: ...
    passages/GM0518-1.ab.yaml, key 'passages[1].end': is before start (9) (got 8); allowed: 9 or more
    """
    if not isinstance(data, dict):
        return [], [Problem(display, "", "must be a YAML mapping with the keys interview_id, coder, passages",
                            value=type(data).__name__, allowed=", ".join(TOP_KEYS))]
    problems: list[Problem] = []
    bad = _reporter(problems, display, lines)
    _check_top_keys(data, display, bad, problems)
    iid, coder, municipality = _check_owner(data, stem, interviews, bad)
    rows = []
    for i, item in enumerate(_passage_items(data, bad)):
        row = _check_passage(item, ("passages", i), codebook, bad, problems)
        if row is not None and municipality is not None:
            rows.append((iid, municipality, coder, *row))
    return rows, problems
