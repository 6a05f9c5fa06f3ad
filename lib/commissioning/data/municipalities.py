"""municipalities.csv: one row per municipality of the study, with its CBS code, names, region,
size class and population, checked against the codebook's regions and size classes."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from .codebook import Codebook
from .reader import read_text
from ..errors import Problem

MUNICIPALITY_COLUMNS = (
    "cbs_code", "study_name", "official_name", "province", "region", "size_class",
    "population", "population_date", "partner_cbs_code", "partner_official_name", "note",
)
CBS_RE = re.compile(r"^GM\d{4}$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read_municipalities(path: Path, codebook: Codebook) -> tuple[pd.DataFrame | None, list[Problem]]:
    """Read and check municipalities.csv against the codebook's regions and size classes.

    Returns
    -------
    municipalities : DataFrame or None
        One row per municipality with the columns of `MUNICIPALITY_COLUMNS` (`population` int64);
        None when the file has a problem.
    problems : list of Problem
        Every problem, each naming the line and column.

    Examples
    --------
    >>> import tempfile
    >>> import commissioning as cm
    >>> from commissioning.data.files import default_data_dir
    >>> codebook = cm.load_study().codebook
    >>> munis, problems = read_municipalities(default_data_dir() / "municipalities.csv", codebook)
    >>> len(munis), problems, str(munis["population"].dtype)
    (18, [], 'int64')
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "municipalities.csv"
    ...     _ = path.write_text(",".join(MUNICIPALITY_COLUMNS) + "\\n"
    ...                         "GM0518,Den Haag,'s-Gravenhage,Zuid-Holland,West,very_large,many,2016-01-01,,,\\n")
    ...     munis, problems = read_municipalities(path, codebook)
    >>> munis, [str(p) for p in problems]
    (None, ["municipalities.csv, line 2, column 'population': is not a positive whole number (got 'many');
    allowed: digits only, e.g. 519988"])
    """
    display = "municipalities.csv"
    if not path.is_file():
        return None, [Problem(display, "", "is missing", allowed="a municipalities.csv in the data directory")]
    text, problems = read_text(path, display)
    if problems:
        return None, problems
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not any(cell.strip() for cell in rows[0]):
        return None, [Problem(display, "line 1", "is empty", allowed="a header line: " + ",".join(MUNICIPALITY_COLUMNS))]
    header = [h.strip() for h in rows[0]]
    # further attributes the codebook declares (a province, a type of municipality...): a column each
    others = [a for a in codebook.attributes if a not in ("region", "size_class")]
    columns = list(MUNICIPALITY_COLUMNS) + [a for a in others if a not in MUNICIPALITY_COLUMNS]
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    if missing or extra:
        for c in missing:
            problems.append(Problem(display, "line 1", f"lacks the column {c!r}", allowed=",".join(columns)))
        for c in extra:
            problems.append(Problem(display, "line 1", "has an unknown column", value=c,
                                    allowed=",".join(columns) + " (or another attribute declared in codebook.yaml)"))
        return None, problems
    records = []
    seen: dict[str, int] = {}
    regions = codebook.attributes["region"].codes
    sizes = codebook.attributes["size_class"].codes
    for lineno, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(Problem(display, f"line {lineno}", f"has {len(row)} fields instead of {len(header)}",
                                    allowed="one field per column; quote a field that contains a comma"))
            continue
        rec = dict(zip(header, (cell.strip() for cell in row)))

        def bad(col, message, allowed=""):
            problems.append(Problem(display, f"line {lineno}, column {col!r}", message, value=rec[col], allowed=allowed))

        code = rec["cbs_code"]
        if not CBS_RE.match(code):
            bad("cbs_code", "is not a CBS municipality code", "GM followed by four digits, e.g. GM0518")
        elif code in seen:
            bad("cbs_code", f"duplicates the code of line {seen[code]}", "each municipality once")
        else:
            seen[code] = lineno
        if rec["partner_cbs_code"] and not CBS_RE.match(rec["partner_cbs_code"]):
            bad("partner_cbs_code", "is not a CBS municipality code", "empty, or GM followed by four digits")
        for col in ("study_name", "official_name", "province"):
            if not rec[col]:
                bad(col, "is empty", "a name")
        if rec["region"] not in regions:
            bad("region", "is not a region of the codebook", ", ".join(regions))
        for attr in others:
            if rec[attr] not in codebook.attributes[attr].codes:
                bad(attr, f"is not a code of the attribute {attr!r} of the codebook", ", ".join(codebook.attributes[attr].codes))
        if rec["size_class"] not in sizes:
            bad("size_class", "is not a size class of the codebook", ", ".join(sizes))
        pop = None
        if re.fullmatch(r"\d+", rec["population"]) and int(rec["population"]) > 0:
            pop = int(rec["population"])
        else:
            bad("population", "is not a positive whole number", "digits only, e.g. 519988")
        if not DATE_RE.match(rec["population_date"]):
            bad("population_date", "is not a date", "YYYY-MM-DD, e.g. 2016-01-01")
        if pop is not None and rec["size_class"] in sizes:
            expected = codebook.size_class_of(pop)
            if expected != rec["size_class"]:
                thr = codebook.attributes["size_class"].extra["thresholds"]
                bad("size_class", f"does not match the population {pop} (which is in class {expected!r})",
                    "; ".join(f"{k} from {v}" for k, v in thr.items()))
        rec["population"] = pop
        records.append(rec)
    if not records and not problems:
        problems.append(Problem(display, "", "has no municipality rows", allowed="one row per municipality"))
    if problems:
        return None, problems
    df = pd.DataFrame.from_records(records, columns=columns)
    df["population"] = df["population"].astype("int64")
    return df, []
