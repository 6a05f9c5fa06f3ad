"""Benchmarks of the suite, recorded in benchmarks/RESULTS.md (run with `make bench`).

(a) `commissioning run --publish --force --jobs 2` for both languages and for English alone
    (`--lang en`), against the naive pipeline (papermill, then jupyter nbconvert --no-input, once
    per notebook and language, one after another) on the same notebooks;
(b) `commissioning run` again with nothing changed;
(c) `load_study` and every crosstab on synthetic data of 1,000 and 10,000 interviews, for a first
    load (a fresh process) and a repeated load of unchanged files (the same process).

Targets: (a) both languages at most 1.3 times English alone and at most 0.3 times the naive
pipeline for both languages, English alone at most half the naive pipeline for English; (b) under
one second; (c) repeated load plus every crosstab under five seconds at 10,000 interviews, and
first and repeated loads growing no faster than linearly. These are measurements, not tests.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = REPO / "benchmarks" / "RESULTS.md"
SIZES = (1000, 10000)

LOAD_SCRIPT = r"""
import json, sys, time
t0 = time.perf_counter()
import commissioning as cm
t_import = time.perf_counter() - t0
data = sys.argv[1]
t = time.perf_counter(); study = cm.load_study(data); first = time.perf_counter() - t
variables = [v.id for v in study.codebook.variables.values() if v.type != "ranked_set"]

def crosstabs(s):
    for var in variables:
        for by in ("size_class", "region", None):
            cm.crosstab(s, var, by=by, unit="interview")
    cm.top3_mentions(s, by="size_class")

t = time.perf_counter(); crosstabs(study); first_tabs = time.perf_counter() - t
t = time.perf_counter(); again = cm.load_study(data); repeat = time.perf_counter() - t
t = time.perf_counter(); crosstabs(again); repeat_tabs = time.perf_counter() - t
print(json.dumps({"import": t_import, "first_load": first, "first_crosstabs": first_tabs,
                  "repeated_load": repeat, "repeated_crosstabs": repeat_tabs,
                  "n_interviews": study.n_interviews, "n_values": len(study.codings),
                  "n_crosstabs": 3 * len(variables) + 1}))
"""


def sh(cmd, **kw) -> float:
    return sh_cpu(cmd, **kw)[0]


def sh_cpu(cmd, **kw) -> tuple[float, float]:
    """Wall-clock seconds of `cmd`, and the CPU seconds (user + system) of it and every process it
    waited for (the kernels included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 ** 2:.0f} GiB memory"
    except (OSError, StopIteration):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


REPEATS = 3  # full runs of each kind, alternating; the fastest counts (the others are listed)
JOBS = "2"


def bench_suite(tmp: Path) -> dict:
    notebooks = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    naive = {}
    for lang in ("en", "nl"):
        naive[lang] = 0.0
        for nb in notebooks:
            executed = tmp / "naive" / lang / nb.name
            executed.parent.mkdir(parents=True, exist_ok=True)
            naive[lang] += sh([str(BIN / "papermill"), str(nb), str(executed), "-k", "commissioning", "--cwd",
                               str(REPO / "notebooks"), "-p", "lang", lang, "-p", "publish", "True"])
            naive[lang] += sh([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    run = [str(BIN / "commissioning"), "run", "--publish", "--jobs", JOBS]
    both, english = [], []
    for i in range(REPEATS):
        both.append(sh_cpu([*run, "--force", "--out", str(tmp / f"both-{i}")]))
        english.append(sh_cpu([*run, "--force", "--lang", "en", "--out", str(tmp / f"en-{i}")]))
    rerun = sh([*run, "--out", str(tmp / "both-0")])
    return {"notebooks": len(notebooks), "naive_en": naive["en"], "naive_nl": naive["nl"],
            "naive": naive["en"] + naive["nl"], "full": min(w for w, _ in both), "full_runs": [w for w, _ in both],
            "full_cpu": min(c for _, c in both), "full_en": min(w for w, _ in english),
            "full_en_runs": [w for w, _ in english], "full_en_cpu": min(c for _, c in english), "rerun": rerun}


def bench_load(tmp: Path) -> dict:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from generate import generate

    results = {}
    for n in SIZES:
        data = generate(n, tmp / f"data-{n}")
        proc = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, str(data)], check=True, capture_output=True, text=True)
        results[n] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def write(suite: dict, load: dict) -> str:
    both_vs_en = suite["full"] / suite["full_en"]
    both_vs_naive = suite["full"] / suite["naive"]
    en_vs_naive = suite["full_en"] / suite["naive_en"]
    b_ok = suite["rerun"] < 1.0
    big, small = load[SIZES[1]], load[SIZES[0]]
    c_total = big["repeated_load"] + big["repeated_crosstabs"]
    growth_first = big["first_load"] / small["first_load"]
    growth_repeat = big["repeated_load"] / small["repeated_load"]
    ratio = SIZES[1] / SIZES[0]

    def mark(ok):
        return "met" if ok else "NOT met"

    lines = [
        "# Benchmark results",
        "",
        "Measured by `make bench` (`benchmarks/run.py`); figures in seconds, wall clock, one run each.",
        f"Machine: {machine()}.",
        "",
        "## (a) Full run against the naive pipeline",
        "",
        f"The {suite['notebooks']} notebooks, rendered to HTML without code, in English and Dutch (English alone",
        "where marked), with `--publish` and 2 jobs. The suite executes each notebook once, in one kernel, for",
        "both languages; the naive pipeline runs papermill and nbconvert once per notebook and language.",
        f"The suite's full runs were made {REPEATS} times each, alternating; the fastest counts.",
        "",
        "| pipeline | seconds |",
        "|---|---|",
        f"| naive, English: `papermill -p lang en -p publish True` then `jupyter nbconvert --to html --no-input`, "
        f"per notebook, in sequence | {suite['naive_en']:.1f} |",
        f"| naive, Dutch: the same with `-p lang nl` | {suite['naive_nl']:.1f} |",
        f"| naive, both languages | {suite['naive']:.1f} |",
        f"| `commissioning run --publish --force --jobs 2 --lang en` | {suite['full_en']:.1f} "
        f"({', '.join(f'{t:.1f}' for t in suite['full_en_runs'])}) |",
        f"| `commissioning run --publish --force --jobs 2` (both languages) | {suite['full']:.1f} "
        f"({', '.join(f'{t:.1f}' for t in suite['full_runs'])}) |",
        "",
        f"Both languages take {both_vs_en:.2f} times English alone; target at most 1.30: **{mark(both_vs_en <= 1.3)}**.",
        f"Both languages take {both_vs_naive:.2f} of the naive pipeline for both; target at most 0.30: "
        f"**{mark(both_vs_naive <= 0.3)}**.",
        f"English alone takes {en_vs_naive:.2f} of the naive pipeline for English; target at most 0.50: "
        f"**{mark(en_vs_naive <= 0.5)}**.",
        "",
        f"CPU time (user and system, the kernels included; the least of the runs): both languages "
        f"{suite['full_cpu']:.1f} s, English alone {suite['full_en_cpu']:.1f} s, a ratio of "
        f"{suite['full_cpu'] / suite['full_en_cpu']:.2f}. Wall-clock times vary "
        "when other work shares the machine; the CPU time shows the work done.",
        "",
        "## (b) Rerun with nothing changed",
        "",
        f"`commissioning run --publish --jobs 2` after (a), both languages: {suite['rerun']:.2f} s; target under 1 s: "
        f"**{mark(b_ok)}**.",
        "",
        "## (c) Loading and crosstabs on synthetic data",
        "",
        "Synthetic interviews (`benchmarks/generate.py`) with every variable of the codebook; every crosstab",
        "means each variable by size class, by region and overall at interview level, plus the top-three",
        "mentions by size class. A first load runs in a fresh process; a repeated load reads the same",
        "unchanged files again in that process.",
        "",
        "| interviews | coded values | import | first load | crosstabs | repeated load | crosstabs after it |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in SIZES:
        r = load[n]
        lines.append(f"| {n:,} | {r['n_values']:,} | {r['import']:.2f} | {r['first_load']:.2f} | "
                     f"{r['first_crosstabs']:.2f} | {r['repeated_load']:.2f} | {r['repeated_crosstabs']:.2f} |")
    lines += [
        "",
        f"Repeated load plus every crosstab at {SIZES[1]:,} interviews: {c_total:.2f} s; target under 5 s: "
        f"**{mark(c_total < 5)}**.",
        f"Growth from {SIZES[0]:,} to {SIZES[1]:,} interviews ({ratio:.0f} times the data): first load "
        f"{growth_first:.1f} times, repeated load {growth_repeat:.1f} times; target no faster than linear "
        f"(at most {ratio:.0f} times): **{mark(growth_first <= ratio * 1.1 and growth_repeat <= ratio * 1.1)}** "
        "(10% allowed for timing noise).",
        "",
    ]
    text = "\n".join(lines)
    RESULTS.write_text(text, encoding="utf-8")
    return text


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="commissioning-bench-") as tmp:
        tmp = Path(tmp)
        suite = bench_suite(tmp)
        load = bench_load(tmp)
    print(write(suite, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
