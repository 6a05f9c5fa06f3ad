"""The reconstructed interview files: one YAML file per interview, each value with its basis,
section and the statements that fix or constrain it (`render_interview`, `render_all`), written
into a folder in place of an earlier reconstruction (`write_interviews`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from ..data import default_data_dir, inputs_digest, RECORD_NAME, record_text
from .drawing import reconstruct
from .inputs import CODER, Inputs, Reconstruction

HEADER = (
    "# RECONSTRUCTED interview codings, not an observed interview. The study never published its\n"
    "# interview-level data; this file was drawn by `commissioning reconstruct --seed {seed}` from\n"
    "# data/claims.yaml, data/constraints.yaml and the codebook's coherence rules. Each value says\n"
    "# whether the study reported it, whether it is derived from a statement about a named group,\n"
    "# whether it is a fact from outside the study, or whether it was imputed within what the study\n"
    "# publishes. reconstruction.csv beside it records what was written, to tell an edit.\n"
)


def _scalar(x: str) -> str:
    """`x` as a YAML scalar on one line (quoted where YAML needs it)."""
    return yaml.safe_dump(x, default_flow_style=True, width=1000).strip().removesuffix("...").strip()


def render_interview(rec: Reconstruction, position: int) -> str:
    """The YAML text of one reconstructed interview file (deterministic).

    Parameters
    ----------
    rec : Reconstruction
        A draw of `commissioning.reconstruct.drawing.reconstruct`.
    position : int
        The interview's position in `rec.interviews`.

    Returns
    -------
    str
        The file's text: the header that marks it as reconstructed, the interview's fields, and
        per variable its code, basis, section and the statements that fix or constrain it.

    Examples
    --------
    >>> rec = reconstruct(1)
    >>> lines = render_interview(rec, 0).splitlines()
    >>> lines[0].startswith("# RECONSTRUCTED"), lines[6], lines[10]
    (True, 'interview_id: GM0014-1', 'basis: imputed')
    >>> lines[12]
    "  segment.own_accommodation.investment: {code: commissioner, basis: imputed, section: '2.1', constraint: ...}"
    """
    table = rec.table
    itv = table.spaces["interview"]
    iid, code = itv.ids[position], itv.municipality[position]
    munis = list(table.spaces["municipality"].ids)
    lines = [HEADER.format(seed=rec.seed).rstrip("\n"),
             f"interview_id: {iid}", f"municipality: {code}",
             "respondent_role: not published", f"coder: {CODER}", "basis: imputed", "values:"]
    for var in table.codebook.variables.values():
        u = position if table.space_of[var.id] == "interview" else munis.index(code)
        value = table.values[var.id][0, u]
        basis, section, ids = rec.provenance[var.id][u]
        if var.type == "ranked_set":
            shown = "[" + ", ".join(var.code_list[i] for i in value) + "]"
        else:
            shown = _scalar(var.code_list[int(value)])
        parts = [f"code: {shown}", f"basis: {basis}", f"section: {_scalar(section)}"]
        if ids:
            parts.append(f"constraint: {ids}")
        lines.append(f"  {var.id}: {{{', '.join(parts)}}}")
    return "\n".join(lines) + "\n"


def _values(rec: Reconstruction):
    """(interview id, variable, codes, basis) of every value written, file by file."""
    table = rec.table
    munis = list(table.spaces["municipality"].ids)
    for position, (iid, code) in enumerate(rec.interviews):
        for var in table.codebook.variables.values():
            u = position if table.space_of[var.id] == "interview" else munis.index(code)
            value = table.values[var.id][0, u]
            codes = [var.code_list[i] for i in value] if var.type == "ranked_set" else var.code_list[int(value)]
            yield iid, var.id, codes, rec.provenance[var.id][u][0]


def render_record(rec: Reconstruction, data_dir=None) -> str:
    """The text of the record of a reconstruction (`interviews/reconstruction.csv`): its seed, the
    digest of the inputs it was drawn from, and a digest of every value (see
    `commissioning.data.origin`).

    Parameters
    ----------
    rec : Reconstruction
    data_dir : path, optional
        The folder the inputs were read from (default: the shipped data).

    Returns
    -------
    str

    Examples
    --------
    >>> lines = render_record(reconstruct(1)).splitlines()
    >>> lines[4], lines[6], len(lines)
    ('# seed: 1', 'interview_id,variable,digest', 1207)
    """
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    return record_text(rec.seed, inputs_digest(data_dir), _values(rec))


def render_all(seed: int | None = None, *, data_dir=None, inputs: Inputs | None = None) -> dict[str, str]:
    """{file name: text} of the reconstructed interview files for `seed`.

    Parameters
    ----------
    seed : int, optional
        Seed of the draw (default: the shipped dataset's seed, 2018).
    data_dir : path, optional
        Where the inputs come from (default: the shipped data).
    inputs : Inputs, optional
        Already loaded inputs.

    Returns
    -------
    dict of str -> str
        Per interview, its file name (``<interview id>.yaml``) and the text of `render_interview`.

    Examples
    --------
    >>> files = render_all(3)
    >>> len(files), sorted(files)[0]
    (24, 'GM0014-1.yaml')
    """
    rec = reconstruct(seed, data_dir=data_dir, inputs=inputs)
    return {f"{iid}.yaml": render_interview(rec, i) for i, (iid, _) in enumerate(rec.interviews)}


def write_interviews(out: Path | str, *, seed: int | None = None, data_dir=None) -> list[Path]:
    """Write the reconstructed interview files into `out`, with the record of what was written
    (`reconstruction.csv`, see `commissioning.data.origin`), replacing earlier reconstructions.

    Files in `out` that were not written by the reconstruction are left alone; nothing is
    written when the reconstruction fails.

    Returns
    -------
    list of Path
        The interview files written (the record beside them is not listed).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_interviews(folder, seed=3)
    ...     sorted(p.name for p in Path(folder).iterdir()) == sorted([p.name for p in written] + ["reconstruction.csv"])
    True
    >>> len(written), written[0].name
    (24, 'GM0014-1.yaml')
    """
    rec = reconstruct(seed, data_dir=data_dir)
    files = {f"{iid}.yaml": render_interview(rec, i) for i, (iid, _) in enumerate(rec.interviews)}
    record = render_record(rec, data_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stale = [p for p in out.glob("*.yaml") if p.name not in files
             and p.read_text(encoding="utf-8", errors="replace").startswith(HEADER[:40])]
    written = []
    for name, text in [*files.items(), (RECORD_NAME, record)]:
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".tmp-", suffix=".yaml")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, out / name)
        if name != RECORD_NAME:
            written.append(out / name)
    for p in stale:
        p.unlink()
    return written
