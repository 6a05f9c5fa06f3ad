"""The reconstructed interview files: one YAML file per interview, each value with its basis,
section and the statements that fix or constrain it (`render_interview`, `render_all`), written
into a folder in place of an earlier reconstruction (`write_interviews`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import yaml

from .drawing import reconstruct
from .inputs import CODER, Inputs, Reconstruction

HEADER = (
    "# RECONSTRUCTED interview codings, not an observed interview. The study never published its\n"
    "# interview-level data; this file was drawn by `commissioning reconstruct --seed {seed}` from\n"
    "# data/claims.yaml, data/constraints.yaml and the codebook's coherence rules. Each value says\n"
    "# whether the study reported it, whether it is derived from a statement about a named group, or\n"
    "# whether it was imputed within what the study publishes.\n"
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
    >>> lines[0].startswith("# RECONSTRUCTED"), lines[5], lines[9]
    (True, 'interview_id: GM0014-1', 'basis: imputed')
    >>> lines[11]
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
    """Write the reconstructed interview files into `out`, replacing earlier reconstructions.

    Files in `out` that were not written by the reconstruction are left alone; nothing is
    written when the reconstruction fails.

    Returns
    -------
    list of Path
        The files written.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = write_interviews(folder, seed=3)
    ...     sorted(p.name for p in Path(folder).iterdir()) == sorted(p.name for p in written)
    True
    >>> len(written), written[0].name
    (24, 'GM0014-1.yaml')
    """
    files = render_all(seed, data_dir=data_dir)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stale = [p for p in out.glob("*.yaml") if p.name not in files
             and p.read_text(encoding="utf-8", errors="replace").startswith(HEADER[:40])]
    written = []
    for name, text in files.items():
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".tmp-", suffix=".yaml")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, out / name)
        written.append(out / name)
    for p in stale:
        p.unlink()
    return written
