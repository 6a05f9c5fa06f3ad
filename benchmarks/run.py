"""Benchmarks of the suite, recorded in benchmarks/RESULTS.md (run with `make bench`).

(a) `commissioning run --publish --force --jobs 2` for both languages and for English alone
    (`--lang en`), against the naive pipeline (papermill, then jupyter nbconvert --no-input, once
    per notebook and language, one after another) on the same notebooks;
(b) `commissioning run` again with nothing changed;
(c) `load_study` and every crosstab on synthetic data of 1,000 and 10,000 interviews, for a first
    load (a fresh process that parses every file: the disk cache switched off) and a repeated
    load of unchanged files (the same process, the least of several);
(d) scale: on the same synthetic data, each in a fresh process with its time and peak memory:
    a bare parse of the interview files (PyYAML's C loader and nothing else), a cold load (empty
    disk cache), a warm load (the next process, same files), and the analyses that resample
    (association tests at interview level with 9,999 resamples, the top-three bootstrap,
    fragmentation over every variable);
(e) units: on the same synthetic data, each in a fresh process on a study from the warm cache,
    with its time and peak memory, at interview and at municipality level: every variable's
    crosstab by size class; every variable's crosstab by size class, by region and overall; the
    association tests (9,999 resamples); and the claims (`claims_table`, as `commissioning claims`),
    which count each rule's own unit;
(f) a full `commissioning run --publish --force --jobs 2` of every notebook in both languages on
    the largest synthetic folder, with an empty cache and again, and per notebook whether it
    completed, errors in its reports and what it says does not apply to the data;
(g) QCA: the truth table and the conservative, parsimonious and intermediate solutions of 12
    conditions over 2,000 synthetic municipalities, each in a fresh process on one core
    (benchmarks/qca.py).

Targets: (a) both languages at most 1.3 times English alone and at most 0.3 times the naive
pipeline for both languages, English alone at most half the naive pipeline for English; (b) under
one second; (c) repeated load plus every crosstab under five seconds at 10,000 interviews, and
what a notebook waits for (the first load; a repeated load with every crosstab after it) growing
no faster than linearly; (d) a cold load at most 1.5 times and a warm load at most 0.2 times the
bare parse, no analysis above 1.5 GB, nothing growing faster than linearly; (e) every kind at
municipality level at most 2 times the same at interview level, nothing growing faster than
linearly; (f) every notebook completes, without an error in its reports; (g) each QCA measurement
under ten seconds on one core. These are measurements, not tests.

    python benchmarks/run.py                       # every section
    python benchmarks/run.py scale                 # only (d); the other sections of RESULTS.md stay
    python benchmarks/run.py units fullrun         # only (e) and (f)
    python benchmarks/run.py qca                   # only (g)
    python benchmarks/run.py scale --sizes 1000    # a quick look (RESULTS.md is not written)

To add a measurement to (d), append a `Measurement` to MEASUREMENTS: a script that defines
``run(data_dir, state)`` (timed) and optionally ``setup(data_dir)`` (not timed; its result is
`state`), run in its own process, returning a dict of extra figures. To add a section, write a
function that measures and returns its Markdown (starting with ``## (x) ...``) and register it in
SECTIONS; `update_results` replaces that section of RESULTS.md and keeps the others.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = REPO / "benchmarks" / "RESULTS.md"
SIZES = (1000, 10000)
LIMIT_MB = 1536  # 1.5 GB

LOAD_SCRIPT = r"""
import json, os, sys, time
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
repeats = []  # a repeated load takes milliseconds: the least of several is the figure
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); again = cm.load_study(data); repeats.append(time.perf_counter() - t)
t = time.perf_counter(); crosstabs(again); repeat_tabs = time.perf_counter() - t
# the least a repeated load must do: look at every file of the folder once (os.stat)
files = [os.path.join(d, f) for d, _, names in os.walk(data) for f in names]
stats = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter(); [os.stat(f) for f in files]; stats.append(time.perf_counter() - t)
print(json.dumps({"import": t_import, "first_load": first, "first_crosstabs": first_tabs,
                  "repeated_load": min(repeats), "repeated_load_runs": repeats, "repeated_crosstabs": repeat_tabs,
                  "stat_every_file": min(stats), "n_files": len(files),
                  "n_interviews": study.n_interviews, "n_values": len(study.codings),
                  "n_crosstabs": 3 * len(variables) + 1}))
"""
REPEATED_LOADS = 7  # repeated loads in the process of (c); the least counts


# --- measurements in a fresh process ------------------------------------------------------------

RUNNER = r"""
import json, resource, sys, time
data = sys.argv[1]
state = setup(data) if "setup" in globals() else None
t0, c0 = time.perf_counter(), time.process_time()
extra = run(data, state) or {}
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"seconds": seconds, "cpu_seconds": cpu, "peak_mb": peak, **extra}))
"""


@dataclass(frozen=True)
class Measurement:
    """One figure of (d): `script` runs in a fresh Python process on a data directory.

    `cache` says what the study cache holds before the run: "cold" (emptied), "warm" (written
    by an earlier process) or "off" (COMMISSIONING_NO_CACHE=1). The fastest of `repeat` runs
    is kept; `peak_mb` is the process's peak resident memory (ru_maxrss), setup included.
    """

    name: str
    title: str
    script: str
    cache: str = "warm"
    repeat: int = 1


LOADED = """
def setup(data):
    import commissioning as cm
    return cm.load_study(data)
"""

# A load with the library imported first (pandas and numpy: a fixed cost of every process, as
# importing PyYAML is for the bare parse); the import is reported on its own.
LOAD = """
def setup(data):
    import time
    t = time.perf_counter()
    import commissioning as cm
    import commissioning.data.study
    return cm, time.perf_counter() - t

def run(data, state):
    cm, seconds = state
    s = cm.load_study(data)
    return {"import_seconds": seconds, "n_interviews": s.n_interviews, "n_values": len(s.codings)}
"""

MEASUREMENTS = [
    Measurement("bare_parse", "bare parse of the interview files (PyYAML C loader)", """
import os, yaml

def run(data, state):
    folder = os.path.join(data, "interviews")
    names = sorted(os.listdir(folder))
    for name in names:
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            yaml.load(fh.read(), Loader=yaml.CSafeLoader)
    return {"n_files": len(names)}
""", cache="off", repeat=3),
    Measurement("cold_load", "cold load (empty cache)", LOAD, cache="cold", repeat=3),
    Measurement("warm_load", "warm load (the next process)", LOAD, cache="warm", repeat=3),
    Measurement("association_tests", "association_tests, interview level, 9,999 resamples", LOADED + """
def run(data, study):
    import commissioning as cm
    t = cm.association_tests(study, unit="interview", n_resamples=9999)
    return {"n_tests": int((t.test == "permutation chi-square").sum())}
"""),
    Measurement("bootstrap_top3", "bootstrap_top3 (2,000 resamples)", LOADED + """
def run(data, study):
    import commissioning as cm
    b = cm.bootstrap_top3(study)
    return {"n_respondents": b.n_respondents}
"""),
    Measurement("fragmentation", "fragmentation, every variable (2,000 permutations)", LOADED + """
def run(data, study):
    import commissioning as cm
    f = cm.fragmentation(study)
    return {"n_variables": len(f)}
"""),
]


def measure(m: Measurement, data: Path, cache: Path) -> dict:
    """Run `m` on `data` (`m.repeat` times, each in a fresh process); the fastest run's figures."""
    env = {**os.environ, "COMMISSIONING_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "lib"), os.environ.get("PYTHONPATH")]))}
    env.pop("COMMISSIONING_NO_CACHE", None)
    if m.cache == "off":
        env["COMMISSIONING_NO_CACHE"] = "1"
    if m.cache == "warm" and not list(cache.glob("*.npz")):
        prime = next(x for x in MEASUREMENTS if x.name == "cold_load")
        subprocess.run([sys.executable, "-c", prime.script + RUNNER, str(data)], env=env, check=True,
                       capture_output=True)
    runs = []
    for _ in range(m.repeat):
        if m.cache == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        proc = subprocess.run([sys.executable, "-c", m.script + RUNNER, str(data)], env=env, check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "runs": [round(r["seconds"], 2) for r in runs]}


def bench_scale(tmp: Path, sizes=SIZES, log=print) -> dict:
    """Every measurement of MEASUREMENTS at every size; bare parse, cold and warm loads take turns."""
    from generate import generate

    results = {}
    for n in sizes:
        data = tmp / f"data-{n}"
        if not data.is_dir():
            generate(n, data)
        cache = tmp / f"cache-{n}"
        results[n] = {}
        loads = [m for m in MEASUREMENTS if m.name in ("bare_parse", "cold_load", "warm_load")]
        runs = {m.name: [] for m in loads}
        for i in range(max(m.repeat for m in loads)):
            # in turns, so that a busy moment of the machine hits all three alike
            for m in loads:
                if i < m.repeat:
                    got = measure(Measurement(m.name, m.title, m.script, m.cache, 1), data, cache)
                    runs[m.name].append(got)
                    log(f"{n:>6} {m.name:<18} {got['seconds']:8.2f} s {got['peak_mb']:8.0f} MB")
        for name, done in runs.items():
            best = min(done, key=lambda r: r["seconds"])
            results[n][name] = {**best, "runs": [r["runs"][0] for r in done]}
        for m in MEASUREMENTS:
            if m not in loads:
                results[n][m.name] = r = measure(m, data, cache)
                log(f"{n:>6} {m.name:<18} {r['seconds']:8.2f} s {r['peak_mb']:8.0f} MB")
    return results


# --- (a) to (c) ---------------------------------------------------------------------------------

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


def bench_load(tmp: Path, sizes=SIZES) -> dict:
    from generate import generate

    env = {**os.environ, "COMMISSIONING_NO_CACHE": "1",  # a first load parses every file, as before the cache
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "lib"), os.environ.get("PYTHONPATH")]))}
    results = {}
    for n in sizes:
        data = tmp / f"data-{n}"
        if not data.is_dir():
            generate(n, data)
        proc = subprocess.run([sys.executable, "-c", LOAD_SCRIPT, str(data), str(REPEATED_LOADS)], check=True,
                              capture_output=True, text=True, env=env)
        results[n] = json.loads(proc.stdout.strip().splitlines()[-1])
    return results


def _cpu_seconds() -> tuple[float, float, float] | None:
    """(seconds since an arbitrary start, CPU seconds every core was busy, CPU seconds of this
    process and the processes it waited for), or None where /proc/stat cannot be read."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except (OSError, ValueError, IndexError):
        return None
    # user nice system idle iowait irq softirq steal: busy is all but idle and iowait (steal is
    # time the virtual machine's host gave to others, as good as busy for a measurement)
    busy = (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
    own = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for f in ("ru_utime", "ru_stime"))
    return time.perf_counter(), busy, own


_SECTION_START: list = [None]  # _cpu_seconds() when the section being measured started


def start_section():
    _SECTION_START[0] = _cpu_seconds()


def other_work() -> str:
    """How much of the machine other work used while the current section was measured."""
    start, now = _SECTION_START[0], _cpu_seconds()
    if start is None or now is None or now[0] <= start[0]:
        return ""
    others = max(0.0, (now[1] - start[1]) - (now[2] - start[2])) / (now[0] - start[0])
    return (f" Other work on the machine used {others:.2f} of its {os.cpu_count()} cores on average while this "
            "section was measured (the busier the machine, the longer the wall-clock times; CPU seconds change less).")


def measured_on() -> str:
    return f"Measured {time.strftime('%Y-%m-%d')} on {machine()}.{other_work()}"


def mark(ok: bool) -> str:
    return "met" if ok else "NOT met"


def section_suite(tmp: Path, sizes=SIZES) -> str:
    suite = bench_suite(tmp)
    both_vs_en = suite["full"] / suite["full_en"]
    both_vs_naive = suite["full"] / suite["naive"]
    en_vs_naive = suite["full_en"] / suite["naive_en"]
    b_ok = suite["rerun"] < 1.0
    return "\n".join([
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
        measured_on(),
        "",
    ])


def section_load(tmp: Path, sizes=SIZES) -> str:
    load = bench_load(tmp, sizes)
    small, big = min(sizes), max(sizes)
    lines = [
        "## (c) Loading and crosstabs on synthetic data",
        "",
        "Synthetic interviews (`benchmarks/generate.py`) with every variable of the codebook; every crosstab",
        "means each variable by size class, by region and overall at interview level, plus the top-three",
        "mentions by size class. A first load runs in a fresh process and parses every file (the disk",
        "cache of (d) switched off); a repeated load reads the same unchanged folder again in that process",
        f"({REPEATED_LOADS} times; the least counts, as it takes milliseconds).",
        "",
        "| interviews | coded values | import | first load | crosstabs | repeated load | crosstabs after it |",
        "|---|---|---|---|---|---|---|",
    ]
    for n in sizes:
        r = load[n]
        lines.append(f"| {n:,} | {r['n_values']:,} | {r['import']:.2f} | {r['first_load']:.2f} | "
                     f"{r['first_crosstabs']:.2f} | {r['repeated_load']:.3f} | {r['repeated_crosstabs']:.2f} |")
    lines.append("")
    if big != small:
        c_total = load[big]["repeated_load"] + load[big]["repeated_crosstabs"]
        ratio = big / small
        growth_first = load[big]["first_load"] / load[small]["first_load"]
        again = {n: load[n]["repeated_load"] + load[n]["repeated_crosstabs"] for n in sizes}
        growth_again = again[big] / again[small]
        growth_repeat = load[big]["repeated_load"] / load[small]["repeated_load"]
        growth_stat = load[big]["stat_every_file"] / load[small]["stat_every_file"]
        per_file = {n: 1e6 * load[n]["repeated_load"] / load[n]["n_files"] for n in sizes}
        checked_min = min(min(load[n]["first_load"], again[n]) for n in (small, big))
        lines += [
            f"Repeated load plus every crosstab at {big:,} interviews: {c_total:.2f} s; target under 5 s: "
            f"**{mark(c_total < 5)}**.",
            "",
            f"Growth from {small:,} to {big:,} interviews ({ratio:.0f} times the data), checked on what a notebook "
            f"waits for: the first load {growth_first:.1f} times, a repeated load with every crosstab after it "
            f"{growth_again:.1f} times; target no faster than linear (at most {ratio:.0f} times, 10% allowed for "
            f"timing noise): **{mark(growth_first <= ratio * 1.1 and growth_again <= ratio * 1.1)}**.",
            "",
            f"The repeated load alone is shown, not checked: {load[small]['repeated_load'] * 1e3:.1f} ms and "
            f"{load[big]['repeated_load'] * 1e3:.1f} ms, {growth_repeat:.1f} times. It parses nothing; it looks at "
            f"every file of the folder (its size, times and inode) to know that none changed: "
            f"{per_file[small]:.1f} and {per_file[big]:.1f} microseconds per file. A bare `os.stat` of every file, "
            f"timed the same way, grows {growth_stat:.1f} times ({load[small]['stat_every_file'] * 1e3:.1f} ms to "
            f"{load[big]['stat_every_file'] * 1e3:.1f} ms): at a few microseconds per file the ratio measures the "
            f"machine's caches (the file system's and the processor's hold fewer of {big:,} entries than of "
            f"{small:,}) and scheduling noise, not how the work grows, which is one look per file. The check "
            f"therefore stands on the quantities a user waits for (the least of them {checked_min:.2f} s). The "
            "threshold is the one of every growth check here (linear, 10% for noise).",
            "",
            "Repeated loads (ms): " + "; ".join(
                f"{n:,}: " + ", ".join(f"{x * 1e3:.1f}" for x in load[n]["repeated_load_runs"]) for n in sizes) + ".",
            "",
        ]
    return "\n".join(lines + [measured_on(), ""])


def section_scale(tmp: Path, sizes=SIZES, log=print) -> str:
    res = bench_scale(tmp, sizes, log=log)
    small, big = min(sizes), max(sizes)
    lines = [
        "## (d) Scale: cached loads and resampling in bounded memory",
        "",
        "The synthetic data of (c). Every figure comes from a fresh process: wall-clock seconds (CPU",
        "seconds in brackets) of the measured call only, and the process's peak resident memory",
        "(`ru_maxrss`, its own setup and the loaded study included). The bare parse, cold and warm loads",
        "take turns three times and the fastest of each is kept; the analyses run once, on a study from",
        "the warm cache. A cold load starts with an empty cache and writes it; a warm load is the next",
        "process on the same unchanged files. On a machine shared with other work wall-clock time varies",
        "from run to run; CPU seconds vary less, so the ratios are given for both.",
        "",
        "| measurement | " + " | ".join(f"{n:,} interviews" for n in sizes) + " | growth |",
        "|---|" + "---|" * len(sizes) + "---|",
    ]
    for m in MEASUREMENTS:
        cells = [f"{res[n][m.name]['seconds']:.2f} s ({res[n][m.name]['cpu_seconds']:.2f}), "
                 f"{res[n][m.name]['peak_mb']:,.0f} MB" for n in sizes]
        growth = (f"{res[big][m.name]['seconds'] / res[small][m.name]['seconds']:.1f} times"
                  if big != small else "")
        lines.append(f"| {m.title} | " + " | ".join(cells) + f" | {growth} |")
    lines.append("")
    checks = []
    for n in sizes:
        r = res[n]
        cold = r["cold_load"]["seconds"] / r["bare_parse"]["seconds"]
        warm = r["warm_load"]["seconds"] / r["bare_parse"]["seconds"]
        cold_cpu = r["cold_load"]["cpu_seconds"] / r["bare_parse"]["cpu_seconds"]
        warm_cpu = r["warm_load"]["cpu_seconds"] / r["bare_parse"]["cpu_seconds"]
        peak = max(r[m.name]["peak_mb"] for m in MEASUREMENTS)
        lines.append(f"At {n:,} interviews: cold load {cold:.2f} times the bare parse (CPU {cold_cpu:.2f}), target "
                     f"at most 1.5: **{mark(cold <= 1.5)}**; warm load {warm:.2f} times (CPU {warm_cpu:.2f}), target "
                     f"at most 0.2: **{mark(warm <= 0.2)}**; highest peak {peak:,.0f} MB, target under "
                     f"{LIMIT_MB:,} MB: **{mark(peak < LIMIT_MB)}**.")
        checks.append(cold <= 1.5 and warm <= 0.2 and peak < LIMIT_MB)
        lines.append("")
    if big != small:
        ratio = big / small
        growths = {m.title: res[big][m.name]["seconds"] / res[small][m.name]["seconds"] for m in MEASUREMENTS}
        worst = max(growths, key=growths.get)
        lines += [
            f"Growth from {small:,} to {big:,} interviews ({ratio:.0f} times the data): at most "
            f"{growths[worst]:.1f} times ({worst}); target no faster than linear (at most {ratio:.0f} times, "
            f"10% allowed for timing noise): **{mark(growths[worst] <= ratio * 1.1)}**.",
            "",
        ]
    imports = max(res[n]["warm_load"]["import_seconds"] for n in sizes)
    lines += [f"Loads are timed after importing the library (pandas and numpy: at most {imports:.2f} s per "
              "process, whatever the data), as the bare parse is after importing PyYAML.", ""]
    lines += ["Runs of the loads (seconds): " + "; ".join(
        f"{n:,}: " + ", ".join(f"{m} {res[n][m]['runs']}" for m in ("bare_parse", "cold_load", "warm_load"))
        for n in sizes) + ".", "", measured_on(), ""]
    return "\n".join(lines)


# --- (e) both units -----------------------------------------------------------------------------

UNIT_RESAMPLES = 9999  # the library's default (stats.DEFAULT_RESAMPLES), as in (d)

# Each kind is run at each unit (UNIT is set before the script); `run` returns what it computed.
UNIT_KINDS = {
    "crosstab_size": ("every variable's crosstab by size class", "crosstabs by size class", """
def run(data, study):
    import commissioning as cm
    variables = [v.id for v in study.codebook.variables.values() if v.type != "ranked_set"]
    cells = sum(len(cm.crosstab(study, var, by="size_class", unit=UNIT)) for var in variables)
    return {"n_crosstabs": len(variables), "n_cells": cells}
"""),
    "crosstabs": ("every variable's crosstab by size class, by region and overall", "all crosstabs", """
def run(data, study):
    import commissioning as cm
    variables = [v.id for v in study.codebook.variables.values() if v.type != "ranked_set"]
    cells = sum(len(cm.crosstab(study, var, by=by, unit=UNIT))
                for var in variables for by in ("size_class", "region", None))
    return {"n_crosstabs": 3 * len(variables), "n_cells": cells}
"""),
    "association_tests": (f"association_tests, the activities by size class, {UNIT_RESAMPLES:,} resamples",
                          "association tests", f"""
def run(data, study):
    import commissioning as cm
    t = cm.association_tests(study, unit=UNIT, n_resamples={UNIT_RESAMPLES})
    return {{"n_tests": len(t), "n_permutation": int((t.test == "permutation chi-square").sum())}}
"""),
}
# The claims have no unit to choose: each rule counts its variable's own unit (municipality facts
# per municipality, by the rules of cm.aggregate; what is coded per interview, per interview).
CLAIMS_KIND = ("claims", "claims_table: every claim of claims.yaml (`commissioning claims`)", """
def run(data, study):
    import commissioning as cm
    t = cm.claims_table(study)
    return {"n_claims": len(t), "verdicts": {str(k): int(v) for k, v in t.verdict.value_counts().items()}}
""")
UNIT_REPEAT = {"crosstab_size": 3, "crosstabs": 3, "association_tests": 2, "claims": 3}


def unit_measurements() -> list[Measurement]:
    """(e): every kind at each unit, then the claims; each a Measurement on a study from the warm cache."""
    out = []
    for name, (title, _, script) in UNIT_KINDS.items():
        for unit in ("interview", "municipality"):
            out.append(Measurement(f"{name}@{unit}", title, LOADED + f"\nUNIT = {unit!r}\n" + script,
                                   cache="warm", repeat=UNIT_REPEAT[name]))
    name, title, script = CLAIMS_KIND
    out.append(Measurement(name, title, LOADED + script, cache="warm", repeat=UNIT_REPEAT[name]))
    return out


def measure_in_turns(measurements: list[Measurement], data: Path, cache: Path, log=print, label="") -> dict:
    """Each measurement `m.repeat` times in fresh processes, taking turns (so that a busy moment of
    the machine hits them alike); per name, the fastest run's figures and every run's seconds."""
    runs = {m.name: [] for m in measurements}
    for i in range(max(m.repeat for m in measurements)):
        for m in measurements:
            if i < m.repeat:
                got = measure(Measurement(m.name, m.title, m.script, m.cache, 1), data, cache)
                runs[m.name].append(got)
                log(f"{label:>6} {m.name:<30} {got['seconds']:8.2f} s {got['cpu_seconds']:8.2f} cpu "
                    f"{got['peak_mb']:8.0f} MB")
    out = {}
    for name, done in runs.items():
        best = min(done, key=lambda r: r["seconds"])
        out[name] = {**best, "runs": [r["runs"][0] for r in done]}
    return out


def bench_units(tmp: Path, sizes=SIZES, log=print) -> dict:
    from generate import generate

    results = {}
    for n in sizes:
        data = tmp / f"data-{n}"
        if not data.is_dir():
            generate(n, data)
        results[n] = measure_in_turns(unit_measurements(), data, tmp / f"cache-{n}", log=log, label=str(n))
    return results


def _figure(r: dict) -> str:
    return f"{r['seconds']:.2f} s ({r['cpu_seconds']:.2f}), {r['peak_mb']:,.0f} MB"


def section_units(tmp: Path, sizes=SIZES, log=print) -> str:
    res = bench_units(tmp, sizes, log=log)
    small, big = min(sizes), max(sizes)
    ratio = big / small
    lines = [
        "## (e) Municipality against interview level: crosstabs, tests and claims",
        "",
        "The synthetic data of (c). Each kind of analysis runs at each unit in its own fresh process, on a",
        "study from the warm disk cache (the load is not timed): wall-clock seconds of the analysis (CPU",
        "seconds in brackets) and the process's peak resident memory (`ru_maxrss`, the loaded study",
        f"included). The crosstabs and the claims run {UNIT_REPEAT['crosstabs']} times, the tests "
        f"{UNIT_REPEAT['association_tests']} times",
        f"({UNIT_RESAMPLES:,} resamples, the library's default, as in (d)), the two units taking turns; the",
        "fastest run counts. At municipality level the first crosstab or test computes every variable's",
        "value per municipality (`cm.aggregate`'s rules), so that work is in the figure.",
        "",
        "| analysis | unit | " + " | ".join(f"{n:,} interviews" for n in sizes) + " | growth |",
        "|---|---|" + "---|" * len(sizes) + "---|",
    ]
    growths, growths_cpu = {}, {}
    for name, (title, _, _) in UNIT_KINDS.items():
        for unit in ("interview", "municipality"):
            key = f"{name}@{unit}"
            g = res[big][key]["seconds"] / res[small][key]["seconds"] if big != small else None
            growths[f"{title}, {unit}"] = g
            if g:
                growths_cpu[f"{title}, {unit}"] = res[big][key]["cpu_seconds"] / res[small][key]["cpu_seconds"]
            lines.append(f"| {title} | {unit} | " + " | ".join(_figure(res[n][key]) for n in sizes)
                         + f" | {f'{g:.1f} times' if g else ''} |")
    name, title, _ = CLAIMS_KIND
    g = res[big][name]["seconds"] / res[small][name]["seconds"] if big != small else None
    growths[title] = g
    if g:
        growths_cpu[title] = res[big][name]["cpu_seconds"] / res[small][name]["cpu_seconds"]
    lines.append(f"| {title} | each rule's own | " + " | ".join(_figure(res[n][name]) for n in sizes)
                 + f" | {f'{g:.1f} times' if g else ''} |")
    lines.append("")
    for n in sizes:
        parts, ok = [], True
        for name, (_, short, _) in UNIT_KINDS.items():
            m, i = res[n][f"{name}@municipality"], res[n][f"{name}@interview"]
            wall, cpu = m["seconds"] / i["seconds"], m["cpu_seconds"] / i["cpu_seconds"]
            parts.append(f"{short} {wall:.2f} times (CPU {cpu:.2f})")
            ok = ok and wall <= 2
        lines += [f"At {n:,} interviews, municipality level against interview level: " + "; ".join(parts)
                  + f"; target at most 2 times: **{mark(ok)}**.", ""]
    verdicts = {n: res[n]["claims"]["verdicts"] for n in sizes}
    lines += ["The claims have no unit to choose: each rule counts its variable's own unit (a fact about the "
              "municipality per municipality, by `cm.aggregate`'s rules; what is coded per interview, per "
              "interview), as `commissioning claims` does, so they have no ratio. On the synthetic data "
              "(values drawn at random) many claims fail, which is what is timed: " + "; ".join(
                  f"{n:,} interviews: " + ", ".join(f"{v} {k}" for k, v in verdicts[n].items()) for n in sizes)
              + ".", ""]
    if big != small:
        worst = max(growths, key=growths.get)
        lines += [f"Growth from {small:,} to {big:,} interviews ({ratio:.0f} times the data): at most "
                  f"{growths[worst]:.1f} times ({worst}; CPU {growths_cpu[worst]:.1f} times; the most in CPU "
                  f"seconds {max(growths_cpu.values()):.1f} times); target no faster than linear "
                  f"(at most {ratio:.0f} times, "
                  f"10% allowed for timing noise): **{mark(growths[worst] <= ratio * 1.1)}**.", ""]
    peak = max(r["peak_mb"] for n in sizes for r in res[n].values())
    lines += [f"Highest peak of these processes: {peak:,.0f} MB.", ""]
    lines += ["Runs (seconds): " + "; ".join(
        f"{n:,}: " + ", ".join(f"{k} {v['runs']}" for k, v in res[n].items()) for n in sizes) + ".", "",
        measured_on(), ""]
    return "\n".join(lines)


# --- (f) a full run on the largest folder ----------------------------------------------------------

# Runs a command in a fresh process; reports its wall-clock and CPU seconds and the largest peak
# resident memory of the processes it waited for (the kernels included), with its progress lines.
FULLRUN_WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": wall, "cpu_seconds": r.ru_utime + r.ru_stime, "peak_mb": r.ru_maxrss / 1024,
                  "returncode": proc.returncode, "stderr": proc.stderr, "stdout": proc.stdout}))
"""
PROGRESS = re.compile(r"^\[\d+/\d+\] (?P<name>\S+)(?: \([^)]*\))? \.\.\. "
                      r"(?P<status>done|failed) \((?P<seconds>[\d.]+) s\)$")
# What an error in a report would look like: a traceback or an exception's name in the visible text.
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|\b[A-Z]\w*(?:Error|Exception)\b")
# How a notebook says that an analysis does not apply to its data (its English report).
NOT_APPLIES = re.compile(
    r"[^.]*(?:does not apply|holds no imputed values|no passages to show|"
    r"coded by more than one coder, so there is no)[^.]*\.")


def visible_text(page: str) -> str:
    """The text a reader sees of a report page (no markup, style or image data)."""
    import html

    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page)).strip()


def run_reports(data: Path, out: Path, cache: Path, *, force: bool) -> dict:
    """`commissioning run --publish --jobs 2` of every notebook in both languages on `data`."""
    env = {**os.environ, "COMMISSIONING_CACHE_DIR": str(cache),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "lib"), os.environ.get("PYTHONPATH")]))}
    env.pop("COMMISSIONING_NO_CACHE", None)
    cmd = [str(BIN / "commissioning"), "run", "--data", str(data), "--out", str(out), "--publish", "--jobs", JOBS,
           *(["--force"] if force else [])]
    proc = subprocess.run([sys.executable, "-c", FULLRUN_WRAPPER, *cmd], env=env, check=True, capture_output=True,
                          text=True)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["notebooks"] = {}
    for line in result["stderr"].splitlines():
        found = PROGRESS.match(line.strip())
        if found:
            result["notebooks"][found["name"]] = {"status": found["status"], "seconds": float(found["seconds"])}
    return result


def check_reports(out: Path, names) -> dict:
    """Per notebook: errors seen in its reports (every language), and what its English report says
    does not apply."""
    found = {}
    for name in names:
        errors, skipped = [], []
        for page in sorted(out.glob(f"*/{name}.html")):
            text = visible_text(page.read_text(encoding="utf-8"))
            errors += [f"{page.parent.name}: {m.group(0)}" for m in ERROR_TEXT.finditer(text)]
            if page.parent.name == "en":
                skipped += [m.group(0).strip() for m in NOT_APPLIES.finditer(text)]
        found[name] = {"errors": errors, "not_applies": list(dict.fromkeys(skipped)),
                       "pages": len(list(out.glob(f"*/{name}.html")))}
    return found


def bench_fullrun(tmp: Path, n: int) -> dict:
    from generate import generate

    data = tmp / f"data-{n}"
    if not data.is_dir():
        generate(n, data)
    cache = tmp / f"cache-fullrun-{n}"
    shutil.rmtree(cache, ignore_errors=True)  # the first run on a new folder: nothing cached yet
    out = tmp / f"reports-{n}"
    first = run_reports(data, out, cache, force=True)
    second = run_reports(data, out, cache, force=True) if first["returncode"] == 0 else None
    notebooks = sorted((REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    checked = check_reports(out, [nb.stem for nb in notebooks]) if first["returncode"] == 0 else {}
    return {"n": n, "first": first, "second": second, "checked": checked, "notebooks": [nb.stem for nb in notebooks]}


def section_fullrun(tmp: Path, sizes=SIZES, log=print) -> str:
    n = max(sizes)
    r = bench_fullrun(tmp, n)
    first, second = r["first"], r["second"]
    lines = [
        f"## (f) A full run on {n:,} interviews",
        "",
        f"`commissioning run --data <folder> --out <folder> --publish --force --jobs {JOBS}`: every notebook in "
        "English and Dutch on",
        f"the synthetic folder of {n:,} interviews of (c), first with an empty disk cache (a new folder: the",
        "notebooks that start first each parse every file), then again with the cache written by the first run.",
        "Wall-clock and CPU seconds (the kernels included) and the largest peak resident memory of one",
        "process (a kernel). Each report's visible text is searched for a traceback or an exception's name.",
        "",
        "| run | seconds | CPU seconds | peak memory of one process |",
        "|---|---|---|---|",
        f"| first (empty cache) | {first['seconds']:.1f} | {first['cpu_seconds']:.1f} | {first['peak_mb']:,.0f} MB |",
    ]
    if second is not None:
        lines.append(f"| again (cache written) | {second['seconds']:.1f} | {second['cpu_seconds']:.1f} | "
                     f"{second['peak_mb']:,.0f} MB |")
    lines.append("")
    ok = first["returncode"] == 0 and second is not None and second["returncode"] == 0
    if first["returncode"] != 0:
        tail = [line for line in first["stderr"].splitlines() if not PROGRESS.match(line.strip())]
        lines += [f"The first run failed (exit code {first['returncode']}); its messages:", "", "```",
                  *tail[-40:], "```", ""]
    lines += ["| notebook | first run | again | reports | errors in the reports | what it says does not apply |",
              "|---|---|---|---|---|---|"]
    for name in r["notebooks"]:
        a = first["notebooks"].get(name, {"status": "not run", "seconds": float("nan")})
        b = (second or {}).get("notebooks", {}).get(name, {"status": "not run", "seconds": float("nan")})
        c = r["checked"].get(name, {"errors": [], "not_applies": [], "pages": 0})
        ok = ok and a["status"] == "done" and b["status"] == "done" and not c["errors"] and c["pages"] == 2
        lines.append(f"| {name} | {a['status']} ({a['seconds']:.1f} s) | {b['status']} ({b['seconds']:.1f} s) | "
                     f"{c['pages']} | {'; '.join(c['errors']) or 'none'} | "
                     f"{' '.join(c['not_applies']).replace('|', '/') or 'everything applies'} |")
    lines += ["", "A notebook's seconds run from when it left the queue to when both its reports were rendered "
              f"({JOBS} at a time).", "",
              f"Every notebook completed in both runs, with both reports and no error in them: **{mark(ok)}**.", "",
              measured_on(), ""]
    return "\n".join(lines)


def section_qca(tmp: Path, sizes=SIZES, log=print) -> str:
    """(g): exact QCA minimisation at scale (benchmarks/qca.py), whatever `sizes` says."""
    from qca import section_qca as measure_qca

    return measure_qca(tmp, sizes, log=log, measured_on=measured_on)


SECTIONS = {"suite": section_suite, "load": section_load, "scale": section_scale, "units": section_units,
            "fullrun": section_fullrun, "qca": section_qca}


# --- RESULTS.md ---------------------------------------------------------------------------------

HEADING = re.compile(r"^## \((\w+)\)")


def _blocks(text: str) -> tuple[list[str], dict[str, list[str]]]:
    """The lines before the first section, and each section's lines by its letter."""
    head, blocks, key = [], {}, None
    for line in text.splitlines():
        found = HEADING.match(line)
        if found:
            key = found.group(1)
            blocks[key] = []
        (blocks[key] if key else head).append(line)
    return head, blocks


def update_results(new_sections: list[str], path: Path = RESULTS) -> str:
    """Replace the sections of `path` that `new_sections` (Markdown) hold; keep the others."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    _, blocks = _blocks(old)
    for text in new_sections:
        blocks.update(_blocks(text)[1])
    head = [
        "# Benchmark results",
        "",
        "Measured by `make bench` (`benchmarks/run.py`); figures in seconds, wall clock. A section is",
        "rewritten when it is measured again (`python benchmarks/run.py scale` rewrites (d) only; the",
        "subcommands are suite for (a) and (b), load, scale, units, fullrun and qca for (c) to (g)) and says",
        "when, on which machine and beside how much other work it was measured.",
        "",
    ]
    body = []
    for key in sorted(blocks):
        block = blocks[key]
        while block and not block[-1].strip():
            block = block[:-1]
        body += block + [""]
    text = "\n".join(head + body)
    path.write_text(text, encoding="utf-8")
    return text


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sections", nargs="*", metavar="section",
                        help=f"sections to measure: {', '.join(SECTIONS)} (default: all)")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="numbers of synthetic interviews, comma-separated (RESULTS.md is written only "
                             "for the default sizes)")
    parser.add_argument("--keep", type=Path, help="a folder to keep the synthetic data in (reused when present)")
    args = parser.parse_args(argv)
    sections = args.sections or list(SECTIONS)
    unknown = [name for name in sections if name not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {unknown[0]!r}; allowed: {', '.join(SECTIONS)}")
    sizes = tuple(int(s) for s in args.sizes.split(","))
    sys.path.insert(0, str(REPO / "benchmarks"))
    with tempfile.TemporaryDirectory(prefix="commissioning-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        texts = []
        for name in sections:
            start_section()
            texts.append(SECTIONS[name](work, sizes))
    if sizes == SIZES:
        update_results(texts)
    print("\n".join(texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
