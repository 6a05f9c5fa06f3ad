"""The constrained reconstruction of the study's interview codings.

The study publishes aggregates, never interview-level codings. `reconstruct` draws a dataset of
24 coded interviews that satisfies every constraint of data/constraints.yaml (each citing its
section) and labels every value: `reported` (the study states it for every municipality or a
named one), `derived` (it follows from a statement about a group) or `imputed` (drawn, seeded,
within the published aggregates). `check` tests every constraint on any loaded `Study`, so the
same code verifies the shipped files, other seeds and a researcher's data.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from .codebook import Codebook, load_codebook
from .errors import CommissioningError, DataError, Problem
from .quantifiers import load_quantifiers

DEFAULT_SEED = 2018
CODER = "reconstruction"
HEADER = (
    "# RECONSTRUCTED interview codings, not an observed interview. The study never published its\n"
    "# interview-level data; this file was drawn by `commissioning reconstruct --seed {seed}` from\n"
    "# data/constraints.yaml. Each value says whether the study reported it, whether it is derived\n"
    "# from a statement about a group, or whether it was imputed within the published aggregates.\n"
)
KINDS = ("interview_counts", "fix", "exclude", "share", "any_yes", "compare", "pooled",
         "pooled_difference", "mentions", "distinct_answers")


class ReconstructionError(CommissioningError):
    """The constraints could not be satisfied (or are malformed)."""

    exit_code = 2


@dataclass
class Frame:
    """Units of the reconstruction: municipalities and interviews with their attributes."""

    codebook: Codebook
    municipalities: list  # dicts with cbs_code, region, size_class
    interviews: list = field(default_factory=list)  # (interview_id, cbs_code)

    def attrs(self, unit: str) -> dict:
        code = unit.split("-")[0]
        return self._by_code[code]

    def __post_init__(self):
        self._by_code = {m["cbs_code"]: m for m in self.municipalities}

    def units(self, var_id: str) -> list[str]:
        var = self.codebook.variables[var_id]
        if var.per_interview:
            return [i for i, _ in self.interviews]
        return [m["cbs_code"] for m in self.municipalities]

    def select(self, units: list[str], where: dict | None) -> list[str]:
        if not where:
            return list(units)
        out = []
        for u in units:
            a = self.attrs(u)
            ok = True
            for key, allowed in where.items():
                if key == "municipality":
                    ok &= a["cbs_code"] in allowed
                elif key == "municipality_not":
                    ok &= a["cbs_code"] not in allowed
                else:
                    ok &= a[key] in allowed
            if ok:
                out.append(u)
        return out


def load_constraints(path: Path | str, codebook: Codebook) -> list[dict]:
    """Read constraints.yaml and check its structure against the codebook."""
    path = Path(path)
    if not path.is_file():
        raise DataError([Problem(path.name, "", "is missing", allowed="constraints.yaml in the data directory")])
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = []
    seen = set()
    for i, c in enumerate(data or []):
        cid = c.get("id", f"#{i + 1}")
        if cid in seen:
            problems.append(Problem(path.name, f"constraint {cid!r}", "duplicates an id"))
        seen.add(cid)
        if c.get("kind") not in KINDS:
            problems.append(Problem(path.name, f"constraint {cid!r}", "has an unknown kind", value=c.get("kind"),
                                    allowed=", ".join(KINDS)))
        if not c.get("section"):
            problems.append(Problem(path.name, f"constraint {cid!r}", "cites no section of the study"))
        for v in _variables(c):
            if v not in codebook.variables:
                problems.append(Problem(path.name, f"constraint {cid!r}", "names an unknown variable", value=v))
            else:
                codes = list(c.get("codes") or []) + ([c["code"]] if "code" in c else [])
                codes += list((c.get("counts") or {}).keys()) + list(c.get("few") or [])
                bad = [x for x in codes if x not in codebook.variables[v].codes]
                if bad:
                    problems.append(Problem(path.name, f"constraint {cid!r}", f"names codes unknown to {v}", value=bad))
    if problems:
        raise DataError(problems)
    return list(data or [])


def _variables(c: dict) -> list[str]:
    if "variable" in c:
        return [c["variable"]]
    return list(c.get("variables") or [])


# ---------------------------------------------------------------------------------------------
# Checking: one implementation, used by the sampler and by tests on loaded data.

def _share_ok(q, codes, values: dict, units) -> tuple[bool, str]:
    units = [u for u in units if u in values]
    k = sum(values[u] in codes for u in units)
    n = len(units)
    return q.holds_count(k, n), f"{k}/{n} ({(k / n if n else float('nan')):.0%}) in {q.range_text}"


def check_constraint(c: dict, frame: Frame, values: dict, quantifiers: dict) -> tuple[bool, str]:
    """Whether the data in `values` ({variable: {unit: code}}) satisfies constraint `c`."""
    kind = c["kind"]
    q = quantifiers.get(c.get("quantifier", ""), None)
    if kind == "interview_counts":
        counts: dict[str, int] = {}
        for _, code in frame.interviews:
            counts[code] = counts.get(code, 0) + 1
        want = {k: int(v) for k, v in c["counts"].items()}
        have = {m["cbs_code"]: counts.get(m["cbs_code"], 0) for m in frame.municipalities}
        diff = {k: (have.get(k, 0), v) for k, v in want.items() if have.get(k, 0) != v}
        return not diff, f"{sum(have.values())} interviews; differing (have, want): {diff}" if diff else "as in Table 1"
    if kind in ("fix", "exclude", "share"):
        details = []
        ok_all = True
        for v in _variables(c):
            vals = values.get(v, {})
            units = frame.select(frame.units(v), c.get("where"))
            if kind == "fix":
                bad = [u for u in units if vals.get(u) != c["code"]]
                ok, text = not bad, f"{len(units) - len(bad)}/{len(units)} coded {c['code']!r}"
            elif kind == "exclude":
                bad = [u for u in units if vals.get(u) in c["codes"]]
                ok, text = not bad, f"{len(bad)} coded one of {c['codes']}"
            else:
                ok, text = _share_ok(q, set(c["codes"]), vals, units)
            ok_all &= ok
            details.append(f"{v}: {text}")
        return ok_all, "; ".join(details)
    if kind == "any_yes":
        vs = _variables(c)
        units = frame.select(frame.units(vs[0]), c.get("where"))
        units = [u for u in units if all(u in values.get(v, {}) for v in vs)]
        k = sum(any(values[v][u] == "yes" for v in vs) for u in units)
        return q.holds_count(k, len(units)), f"{k}/{len(units)} with yes on any of {vs}, in {q.range_text}"
    if kind == "compare":
        v = c["variable"]
        vals = values.get(v, {})
        units = frame.units(v)

        def share(where):
            sel = [u for u in frame.select(units, where) if u in vals]
            return (sum(vals[u] in c["codes"] for u in sel) / len(sel)) if sel else float("nan")

        a, b = share(c["greater"]), share(c["than"])
        return bool(a > b), f"{a:.0%} > {b:.0%}"
    if kind in ("pooled", "pooled_difference"):
        def pooled(where):
            k = n = 0
            for v in _variables(c):
                vals = values.get(v, {})
                for u in frame.select(frame.units(v), where):
                    if u in vals:
                        n += 1
                        k += vals[u] in c["codes"]
            return k, n

        if kind == "pooled":
            k, n = pooled(c.get("where"))
            return q.holds_count(k, n), f"{k}/{n} ({k / n if n else float('nan'):.0%}) in {q.range_text}"
        (k1, n1), (k2, n2) = pooled(c["groups"][0]), pooled(c["groups"][1])
        if not n1 or not n2:
            return False, "a group has no data"
        d = abs(k1 / n1 - k2 / n2)
        return d <= q.upper + 1e-12, f"|{k1 / n1:.1%} - {k2 / n2:.1%}| = {d:.1%} <= {q.upper:.0%}"
    if kind == "mentions":
        v = c["variable"]
        sets = values.get(v, {})
        counts = {code: 0 for code in frame.codebook.variables[v].codes}
        for ranked in sets.values():
            for code in ranked:
                counts[code] += 1
        total = sum(counts.values())
        problems = []
        if total != c["total"]:
            problems.append(f"total {total} != {c['total']}")
        for code, want in c["counts"].items():
            if counts[code] != want:
                problems.append(f"{code} {counts[code]} != {want}")
        for code, n in counts.items():
            if code not in c["counts"] and n >= c["others_below"]:
                problems.append(f"{code} {n} >= {c['others_below']}")
        few = quantifiers["few"]
        for code in c.get("few", []):
            if not few.holds_count(counts[code], len(sets)):
                problems.append(f"{code} named by {counts[code]}/{len(sets)}, not few")
        return not problems, "; ".join(problems) or f"{total} mentions as printed"
    if kind == "distinct_answers":
        themes = set(c["themes"])
        vs = [v.id for v in frame.codebook.variables.values() if v.theme in themes and v.per_interview]
        by_muni: dict[str, list[str]] = {}
        for iid, code in frame.interviews:
            by_muni.setdefault(code, []).append(iid)
        sel = set(frame.select([m["cbs_code"] for m in frame.municipalities], c.get("where")))
        alike = []
        for code, ids in by_muni.items():
            if code in sel and len(ids) > 1:
                if all(len({values.get(v, {}).get(i) for i in ids}) == 1 for v in vs):
                    alike.append(code)
        return not alike, f"identical answers in {alike}" if alike else "answers differ in every such municipality"
    raise ReconstructionError(f"unknown constraint kind {kind!r}")  # pragma: no cover


def values_from_study(study) -> tuple[Frame, dict]:
    """The {variable: {unit: code}} view of a loaded Study (one coder per interview)."""
    frame = Frame(study.codebook, study.municipalities[["cbs_code", "region", "size_class"]].to_dict("records"))
    itv = study.interviews.drop_duplicates("interview_id")
    frame.interviews = list(zip(itv.interview_id, itv.municipality))
    from .study import one_coder

    cod = one_coder(study.codings)
    values: dict[str, dict] = {}
    for var_id, grp in cod.groupby("variable", sort=False):
        var = study.codebook.variables[var_id]
        if var.type == "ranked_set":
            values[var_id] = {iid: tuple(g.sort_values("rank").code) for iid, g in grp.groupby("interview_id")}
        elif var.per_interview:
            values[var_id] = dict(zip(grp.interview_id, grp.code))
        else:
            values[var_id] = dict(zip(grp.municipality, grp.code))
    return frame, values


def check(study, constraints=None, quantifiers=None) -> list[tuple[str, bool, str]]:
    """Check every constraint on a loaded Study: a list of (constraint id, holds, detail)."""
    data_dir = Path(study.data_dir)
    constraints = constraints if constraints is not None else load_constraints(data_dir / "constraints.yaml", study.codebook)
    quantifiers = quantifiers if quantifiers is not None else load_quantifiers(data_dir / "quantifiers.csv")
    frame, values = values_from_study(study)
    return [(c["id"], *check_constraint(c, frame, values, quantifiers)) for c in constraints]


# ---------------------------------------------------------------------------------------------
# Sampling

@dataclass
class Draw:
    values: dict  # variable -> unit -> code (tuple for ranked sets)
    provenance: dict  # variable -> unit -> (basis, section, constraint ids)


def _var_constraints(constraints, var_id):
    return [c for c in constraints if var_id in _variables(c) and c["kind"] in ("fix", "exclude", "share")]


def _sample_variable(var_id, frame, constraints, quantifiers, rng, max_tries=20000):
    var = frame.codebook.variables[var_id]
    units = frame.units(var_id)
    own = _var_constraints(constraints, var_id)
    fixed, prov = {}, {}
    allowed = {u: list(var.codes) for u in units}
    touched = {u: [] for u in units}
    for c in own:
        sel = frame.select(units, c.get("where"))
        for u in sel:
            touched[u].append(c)
            if c["kind"] == "fix":
                fixed[u] = c["code"]
                prov[u] = (c["basis"], c["section"], c["id"])
            elif c["kind"] == "exclude":
                allowed[u] = [x for x in allowed[u] if x not in c["codes"]]
    free = [u for u in units if u not in fixed]
    for u in free:
        if not allowed[u]:
            raise ReconstructionError(f"{var_id}: every code is excluded for {u}")
        cs = touched[u]
        if len(allowed[u]) == 1:  # determined by what the study rules out
            ex = [c for c in cs if c["kind"] == "exclude"]
            basis = "reported" if ex and all(c["basis"] == "reported" for c in ex) else "derived"
            prov[u] = (basis, ex[0]["section"] if ex else var.section, "+".join(c["id"] for c in ex))
        else:
            prov[u] = ("imputed", "+".join(sorted({c["section"] for c in cs})) or var.section,
                       "+".join(c["id"] for c in cs))
    shares = [c for c in own if c["kind"] == "share"]
    codes = list(var.codes)
    pos = {u: i for i, u in enumerate(units)}
    checks = []
    for c in shares:
        mask = np.array([x in c["codes"] for x in codes])
        sel = np.array([pos[u] for u in frame.select(units, c.get("where"))], dtype=int)
        checks.append((mask, sel, quantifiers[c["quantifier"]]))
    groups: dict[tuple, list] = {}
    for u in free:
        groups.setdefault(tuple(codes.index(x) for x in allowed[u]), []).append(pos[u])
    fixed_pos = np.array([pos[u] for u in fixed], dtype=int)
    fixed_codes = np.array([codes.index(fixed[u]) for u in fixed], dtype=int)
    batch = 256
    for _ in range(max(1, max_tries // batch)):
        # a batch of candidate draws: each row has its own random code probabilities
        p = rng.dirichlet(np.ones(len(codes)), size=batch)
        draws = np.empty((batch, len(units)), dtype=int)
        draws[:, fixed_pos] = fixed_codes
        for idx, where in groups.items():
            idx = np.array(idx)
            w = p[:, idx]
            cum = np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)
            r = rng.random((batch, len(where)))
            pick = np.minimum((r[:, :, None] > cum[:, None, :]).sum(axis=2), len(idx) - 1)
            draws[:, np.array(where)] = idx[pick]
        ok = np.ones(batch, dtype=bool)
        for mask, sel, q in checks:
            ok &= q.holds_counts(mask[draws[:, sel]].sum(axis=1), len(sel))
        if ok.any():
            row = draws[int(np.argmax(ok))]
            return {u: codes[row[i]] for i, u in enumerate(units)}, prov
    raise ReconstructionError(f"{var_id}: no draw satisfied {[c['id'] for c in shares]} in {max_tries} tries")


def _sample_mentions(c, frame, rng, quantifiers, max_tries=20000):
    var = frame.codebook.variables[c["variable"]]
    respondents = [i for i, _ in frame.interviews]
    n, size = len(respondents), var.size
    fixed = {k: int(v) for k, v in c["counts"].items()}
    others = [code for code in var.codes if code not in fixed]
    rest = c["total"] - sum(fixed.values())
    few = quantifiers["few"]
    caps = {code: c["others_below"] - 1 for code in others}
    for code in c.get("few", []):
        caps[code] = min(caps[code], max(k for k in range(n + 1) if few.holds_count(k, n)))
    for _ in range(max_tries):
        # counts of the other aspects: a uniform composition of `rest` within the caps
        cuts = np.sort(rng.choice(rest + len(others) - 1, len(others) - 1, replace=False))
        parts = np.diff(np.concatenate(([-1], cuts, [rest + len(others) - 1]))) - 1
        counts = dict(fixed)
        counts.update({code: int(k) for code, k in zip(others, parts)})
        if any(counts[code] > caps[code] for code in others):
            continue
        # assign mentions to respondents, largest aspects first, favouring respondents with room
        room = {r: size for r in respondents}
        chosen = {r: [] for r in respondents}
        ok = True
        for code in sorted(counts, key=lambda k: -counts[k]):
            k = counts[code]
            if k == 0:
                continue
            cand = [r for r in respondents if room[r] > 0]
            if len(cand) < k:
                ok = False
                break
            w = np.array([room[r] for r in cand], dtype=float) ** 3
            pick = rng.choice(len(cand), k, replace=False, p=w / w.sum())
            for j in pick:
                r = cand[j]
                chosen[r].append(code)
                room[r] -= 1
        if not ok or any(room.values()):
            continue
        ranked = {}
        for r in respondents:
            order = list(chosen[r])
            rng.shuffle(order)
            ranked[r] = tuple(order)
        prov = {r: ("imputed", c["section"], c["id"]) for r in respondents}
        return ranked, prov
    raise ReconstructionError(f"{c['id']}: no assignment of mentions found in {max_tries} tries")


@dataclass(frozen=True)
class Inputs:
    """What a reconstruction is drawn from (loaded once, reused across seeds)."""

    codebook: Codebook
    municipalities: list
    constraints: list
    quantifiers: dict


def load_inputs(data_dir: Path | str | None = None) -> Inputs:
    """Read codebook, municipalities, constraints and quantifiers of a data directory."""
    from .study import _read_municipalities, default_data_dir

    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    codebook = load_codebook(data_dir / "codebook.yaml")
    munis, problems = _read_municipalities(data_dir / "municipalities.csv", codebook)
    if munis is None:
        raise DataError(problems)
    return Inputs(codebook, munis[["cbs_code", "region", "size_class"]].to_dict("records"),
                  load_constraints(data_dir / "constraints.yaml", codebook),
                  load_quantifiers(data_dir / "quantifiers.csv"))


def reconstruct(seed: int | None = None, *, data_dir: Path | str | None = None, inputs: Inputs | None = None,
                max_rounds: int = 5000) -> tuple[Frame, Draw, list]:
    """Draw one dataset satisfying every constraint; return (frame, draw, constraints)."""
    inputs = inputs or load_inputs(data_dir)
    seed = DEFAULT_SEED if seed is None else int(seed)
    codebook, constraints, quantifiers = inputs.codebook, inputs.constraints, inputs.quantifiers
    frame = Frame(codebook, inputs.municipalities)
    counts = next(c for c in constraints if c["kind"] == "interview_counts")["counts"]
    frame.interviews = [(f"{m['cbs_code']}-{i}", m["cbs_code"])
                        for m in frame.municipalities for i in range(1, int(counts.get(m["cbs_code"], 0)) + 1)]
    rng = np.random.default_rng(seed)
    values, prov = {}, {}
    for var in codebook.variables.values():
        if var.type == "ranked_set":
            mc = next(c for c in constraints if c["kind"] == "mentions" and c["variable"] == var.id)
            values[var.id], prov[var.id] = _sample_mentions(mc, frame, rng, quantifiers)
        else:
            values[var.id], prov[var.id] = _sample_variable(var.id, frame, constraints, quantifiers, rng)
    # cross-variable constraints: redraw the variables of a failing constraint until all hold
    cross = [c for c in constraints if c["kind"] in ("any_yes", "compare", "pooled", "pooled_difference", "distinct_answers")]
    for _ in range(max_rounds):
        failing = [c for c in cross if not check_constraint(c, frame, values, quantifiers)[0]]
        if not failing:
            break
        c = failing[0]
        if c["kind"] == "distinct_answers":
            themes = set(c["themes"])
            vs = [v.id for v in codebook.variables.values() if v.theme in themes and v.per_interview]
            vs = [vs[int(rng.integers(len(vs)))]]
        else:
            vs = _variables(c)
        for v in vs:
            values[v], prov[v] = _sample_variable(v, frame, constraints, quantifiers, rng)
    else:
        raise ReconstructionError(f"seed {seed}: cross-variable constraints still fail after {max_rounds} rounds")
    # record cross-variable constraints in the provenance of the values they shaped
    for c in cross:
        for v in (_variables(c) if c["kind"] != "distinct_answers" else []):
            for u, (basis, section, ids) in list(prov[v].items()):
                if basis == "imputed":
                    secs = "+".join(sorted(set(section.split("+")) | {c["section"]}))
                    prov[v][u] = (basis, secs, "+".join(x for x in (ids, c["id"]) if x))
    bad = [(c["id"], d) for c in constraints for ok, d in [check_constraint(c, frame, values, quantifiers)] if not ok]
    if bad:  # pragma: no cover - the loop above guarantees this
        raise ReconstructionError(f"seed {seed}: constraints fail: {bad}")
    return frame, Draw(values, prov), constraints


def _scalar(x: str) -> str:
    return yaml.safe_dump(x, default_flow_style=True, width=1000).strip().removesuffix("...").strip()


def render_interview(iid: str, code: str, frame: Frame, draw: Draw, seed: int) -> str:
    """The YAML text of one reconstructed interview file (deterministic)."""
    lines = [HEADER.format(seed=seed).rstrip("\n"),
             f"interview_id: {iid}", f"municipality: {code}",
             "respondent_role: not published", f"coder: {CODER}", "basis: imputed", "values:"]
    for var in frame.codebook.variables.values():
        unit = iid if var.per_interview else code
        value = draw.values[var.id][unit]
        basis, section, ids = draw.provenance[var.id][unit]
        shown = "[" + ", ".join(value) + "]" if var.type == "ranked_set" else _scalar(value)
        parts = [f"code: {shown}", f"basis: {basis}", f"section: {_scalar(section)}"]
        if ids:
            parts.append(f"constraint: {ids}")
        lines.append(f"  {var.id}: {{{', '.join(parts)}}}")
    return "\n".join(lines) + "\n"


def render_all(seed: int | None = None, *, data_dir=None, inputs: Inputs | None = None) -> dict[str, str]:
    """{file name: text} of the reconstructed interview files for `seed`."""
    seed = DEFAULT_SEED if seed is None else int(seed)
    frame, draw, _ = reconstruct(seed, data_dir=data_dir, inputs=inputs)
    return {f"{iid}.yaml": render_interview(iid, code, frame, draw, seed) for iid, code in frame.interviews}


def write_interviews(out: Path | str, *, seed: int | None = None, data_dir=None) -> list[Path]:
    """Write the reconstructed interview files into `out`, replacing earlier reconstructions.

    Files in `out` that were not written by the reconstruction are left alone; nothing is
    written when the reconstruction fails.
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
