"""Whether the data is the reconstruction, an edited reconstruction or coded data, decided from
the data itself.

`commissioning reconstruct` writes, next to the interview files, a record of what it wrote
(`interviews/reconstruction.csv`): the seed, a digest of the inputs it was drawn from (codebook,
municipalities, claims, constraints, quantifiers) and a digest of every value (interview, variable,
code or codes in rank order, basis). `origin` compares a loaded study's values with that record:

- ``reconstruction``: every value is the one the reconstruction wrote, and no interview was added
  or removed;
- ``edited``: some values are the reconstruction's and others are not (changed, added or removed
  by hand): the values that differ are `changed`;
- ``coded``: there is no record, or no value matches it (a research group's own codings).

A value labelled `imputed` or `derived` in an edited file keeps its label, so only this comparison,
not the labels, says which values the reconstruction drew. Every sentence the suite prints about
construction (the notice on top of a report, a claim's basis, the command line) follows from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import DataError
from .files import RECORD_NAME, file_digest, suite_file
from .reader import read_file
from .study import memo, one_coder
INPUT_FILES = ("codebook.yaml", "municipalities.csv", "claims.yaml", "constraints.yaml", "quantifiers.csv")
RECORD_HEADER = (
    "# The reconstruction `commissioning reconstruct --seed {seed}` wrote into this folder: a digest of\n"
    "# every value it wrote (interview, variable, code or codes, basis) and of the inputs it was drawn\n"
    "# from. The suite compares the interview files with it to tell the reconstruction from an edited\n"
    "# one (commissioning.data.origin); `commissioning reconstruct` rewrites it with the files.\n"
    "# seed: {seed}\n"
    "# inputs: {inputs}\n"
)
KINDS = ("reconstruction", "edited", "coded")


def value_digest(interview_id: str, variable: str, codes, basis: str) -> str:
    """The digest of one value as the record holds it (16 hexadecimal digits).

    Parameters
    ----------
    interview_id, variable : str
    codes : str or list of str
        The code, or a ranked set's codes in rank order.
    basis : str
        The value's provenance.

    Returns
    -------
    str

    Examples
    --------
    >>> value_digest("GM0518-1", "sourcing.design", "mixed", "imputed") == value_digest(
    ...     "GM0518-1", "sourcing.design", ["mixed"], "imputed")
    True
    >>> len(value_digest("GM0518-1", "maturity.top3", ["stakeholders", "public_rules", "societal_role"], "imputed"))
    16
    """
    codes = [codes] if isinstance(codes, str) else list(codes)
    text = "\x1f".join([interview_id, variable, ",".join(map(str, codes)), basis])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def inputs_digest(data_dir) -> str:
    """The digest of the inputs a reconstruction of `data_dir` is drawn from: its codebook and
    municipalities, and its claims, constraints and quantifiers (the shipped ones where it has none).

    Returns
    -------
    str
        64 hexadecimal digits.

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> len(inputs_digest(default_data_dir()))
    64
    """
    data_dir = Path(data_dir)
    h = hashlib.sha256()
    for name in INPUT_FILES:
        path = data_dir / name if name in ("codebook.yaml", "municipalities.csv") else suite_file(data_dir, name)
        h.update(f"{name}\0{file_digest(path) if path.is_file() else 'missing'}\n".encode())
    return h.hexdigest()


def record_text(seed: int, inputs: str, values) -> str:
    """The text of a record: its header, then one line per value.

    Parameters
    ----------
    seed : int
    inputs : str
        `inputs_digest` of the folder the reconstruction was drawn from.
    values : iterable of (interview_id, variable, codes, basis)

    Returns
    -------
    str

    Examples
    --------
    >>> print(record_text(7, "abc", [("GM0518-1", "sourcing.design", "mixed", "imputed")]).splitlines()[-1])
    GM0518-1,sourcing.design,f2021c9b9cda7f08
    """
    lines = [RECORD_HEADER.format(seed=seed, inputs=inputs).rstrip("\n"), "interview_id,variable,digest"]
    lines += [f"{iid},{var},{value_digest(iid, var, codes, basis)}" for iid, var, codes, basis in values]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Record:
    """A record as read: the seed, the inputs' digest and {(interview_id, variable): digest}."""

    seed: int | None
    inputs: str
    values: dict = field(default_factory=dict)

    @property
    def interviews(self) -> set:
        """The interviews the reconstruction wrote."""
        return {iid for iid, _ in self.values}


def read_record(folder) -> Record | None:
    """The record in an interview folder, or None when it has none (or it cannot be read).

    Returns
    -------
    Record or None

    Examples
    --------
    >>> from commissioning.data.files import default_data_dir
    >>> rec = read_record(default_data_dir() / "interviews")
    >>> rec.seed, len(rec.interviews)
    (2018, 24)
    """
    path = Path(folder) / RECORD_NAME
    if not path.is_file():
        return None
    try:
        text = read_file(path, RECORD_NAME, missing="a record of the reconstruction")
    except DataError:  # an unreadable record is no record: nothing is then said of construction
        return None
    seed, inputs, values = None, "", {}
    for line in text.splitlines():
        if line.startswith("# seed:"):
            seed = int(line.split(":", 1)[1]) if line.split(":", 1)[1].strip().isdigit() else None
        elif line.startswith("# inputs:"):
            inputs = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#") and line != "interview_id,variable,digest":
            parts = line.split(",")
            if len(parts) == 3:
                values[(parts[0], parts[1])] = parts[2]
    return Record(seed, inputs, values)


@dataclass(frozen=True)
class Origin:
    """What a loaded study is (see the module): `kind`, the `seed` of the reconstruction it is (or
    was), whether the inputs are those it was drawn from, whether its interviews are those the
    reconstruction wrote, and the values that differ from it.

    Examples
    --------
    >>> import commissioning as cm
    >>> o = origin(cm.load_study())
    >>> o.kind, o.seed, o.inputs_match, o.complete, len(o.changed)
    ('reconstruction', 2018, True, True, 0)
    """

    kind: str
    seed: int | None = None
    inputs_match: bool = False
    complete: bool = False
    changed: frozenset = frozenset()  # (interview_id, variable) whose value is not the reconstruction's

    @property
    def changed_variables(self) -> set:
        """The variables with a value that differs from the reconstruction."""
        return {v for _, v in self.changed}

    def by_construction(self, variables) -> bool:
        """Whether values of `variables` are the reconstruction's, drawn from the present inputs,
        so that a statement over them holds by construction.

        Returns
        -------
        bool

        Examples
        --------
        >>> import commissioning as cm
        >>> origin(cm.load_study()).by_construction(["sourcing.design"])
        True
        """
        if self.kind == "coded" or not self.inputs_match or not self.complete:
            return False
        return not (set(variables) & self.changed_variables)


def _study_values(study) -> dict:
    """{(interview_id, variable): (codes in rank order, basis)} of one coder per interview."""
    cod = one_coder(study.codings)
    out: dict = {}
    ordered = cod.sort_values(["interview_id", "variable", "rank"], kind="stable")
    for iid, var, code, basis in zip(ordered["interview_id"], ordered["variable"], ordered["code"], ordered["basis"]):
        codes, _ = out.setdefault((iid, var), ([], basis))
        codes.append(code)
    return out


def origin(study) -> Origin:
    """Whether `study` is the reconstruction, an edited reconstruction or coded data (see the module).

    A filtered study is compared on its municipalities: their interviews must be those the
    reconstruction wrote for them.

    Returns
    -------
    Origin

    Examples
    --------
    >>> import commissioning as cm
    >>> origin(cm.load_study()).kind, origin(cm.load_study().filter(region="Zuid")).kind
    ('reconstruction', 'reconstruction')
    """
    def compute():
        folder = Path(study.data_dir) / "interviews"
        record = read_record(folder)
        if record is None:
            return Origin("coded")
        values = _study_values(study)
        munis = set(study.municipalities["cbs_code"])
        expected = {key for key in record.values if key[0].split("-")[0] in munis}
        changed = {key for key, (codes, basis) in values.items()
                   if record.values.get(key) != value_digest(key[0], key[1], codes, basis)}
        changed |= expected - set(values)
        if len(changed) == len(values.keys() | expected):
            return Origin("coded")
        interviews = set(study.interviews["interview_id"])
        complete = interviews == {iid for iid, _ in expected}
        kind = "reconstruction" if not changed and complete else "edited"
        return Origin(kind, record.seed, record.inputs == inputs_digest(study.data_dir), complete, frozenset(changed))

    return memo(study.codings, "origin", compute)
