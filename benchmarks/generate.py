"""Synthetic data directories for the benchmarks: N interviews coded with the shipped codebook.

    python benchmarks/generate.py 10000 /tmp/bench-10000

Municipalities are synthetic (GM0001, GM0002, ...; five interviews each, sizes and regions drawn),
values are drawn uniformly from each variable's codes (municipality-level variables alike within
a municipality, and redrawn where the codebook's coherence rules forbid a combination), so every
file passes validation. Nothing here is study data.

The folder stands for a survey of coded interviews (the national follow-up the benchmarks size),
not for a reconstruction of the study: its values carry the basis `observed`, as values coded
from interviews do. Marked `imputed`, every report would call the folder a reconstruction of the
study, and 06-robustness would draw reconstructions from the shipped study's constraints to
compare with it; on coded interviews that analysis does not apply, and the notebook says so.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "lib"))

from commissioning.data.codebook import load_codebook  # noqa: E402

PER_MUNICIPALITY = 5
HEADER = ("cbs_code,study_name,official_name,province,region,size_class,population,population_date,"
          "partner_cbs_code,partner_official_name,note\n")


def generate(n_interviews: int, out: Path, seed: int = 1) -> Path:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "interviews").mkdir(parents=True)
    for name in ("codebook.yaml", "constraints.yaml", "quantifiers.csv", "claims.yaml"):
        shutil.copy(REPO / "data" / name, out / name)
    codebook = load_codebook(out / "codebook.yaml")
    rng = np.random.default_rng(seed)
    n_munis = -(-n_interviews // PER_MUNICIPALITY)
    if n_munis > 9999:
        raise SystemExit("at most 49,995 interviews (CBS codes have four digits)")
    sizes = {"small": (20000, 49999), "medium": (50000, 99999), "large": (100000, 249999),
             "very_large": (250000, 900000)}
    rows = []
    for i in range(1, n_munis + 1):
        size = rng.choice(list(sizes))
        pop = int(rng.integers(*sizes[size]))
        region = rng.choice(["Noord", "West", "Zuid"])
        rows.append(f"GM{i:04d},Synthetic {i},Synthetic {i},Nowhere,{region},{size},{pop},2016-01-01,,,\n")
    (out / "municipalities.csv").write_text(HEADER + "".join(rows), encoding="utf-8")
    variables = list(codebook.variables.values())
    for m in range(1, n_munis + 1):
        fixed = {v.id: rng.choice(v.code_list) for v in variables if not v.per_interview}
        for rule in codebook.coherence:  # e.g. not active in a segment: nothing to maintain there
            a, b = rule["if"], rule["then"]
            if fixed.get(a["variable"]) in a["codes"] and fixed.get(b["variable"]) not in b["codes"]:
                fixed[b["variable"]] = rng.choice(b["codes"])
        for k in range(1, PER_MUNICIPALITY + 1):
            if (m - 1) * PER_MUNICIPALITY + k > n_interviews:
                break
            iid = f"GM{m:04d}-{k}"
            lines = [f"interview_id: {iid}", f"municipality: GM{m:04d}", "respondent_role: synthetic",
                     "coder: generator", "basis: observed", "values:"]
            for v in variables:
                if v.type == "ranked_set":
                    code = "[" + ", ".join(rng.choice(v.code_list, size=v.size, replace=False)) + "]"
                else:
                    code = fixed.get(v.id) or rng.choice(v.code_list)
                    code = f"'{code}'"
                lines.append(f"  {v.id}: {{code: {code}, section: '{v.section}'}}")
            (out / "interviews" / f"{iid}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    generate(int(sys.argv[1]), Path(sys.argv[2]))
