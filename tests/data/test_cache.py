"""The on-disk cache of loaded studies: used by a second process, never when an input changed,
robust to corrupt files and concurrent writers, and never a pickle."""

import json
import os
import subprocess
import sys
import time
import zipfile

import numpy as np
import pandas as pd
import pytest

import commissioning as cm
from commissioning.data import cache as _cache
from commissioning.data import study as study_mod

from ..conftest import REPO, write_interview

LIB = str(REPO / "lib")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of this test, and no study remembered in this process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("COMMISSIONING_CACHE_DIR", str(folder))
    monkeypatch.delenv("COMMISSIONING_NO_CACHE", raising=False)
    forget()
    return folder


def forget():
    """Drop what this process remembers, so that the next load reads the disk cache or the files."""
    study_mod.forget_loaded()


def load_fresh(data_dir):
    """(study, parsed): a load as a new process would do it, and whether it parsed any file."""
    forget()
    s = cm.load_study(data_dir)
    return s, bool(study_mod.files_parsed())


def assert_same_study(a, b):
    for name in ("municipalities", "interviews", "codings"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
        assert getattr(a, name).dtypes.tolist() == getattr(b, name).dtypes.tolist()


SUBPROCESS = r"""
import json, sys
import commissioning as cm
from commissioning.data import study as study_mod

s = cm.load_study(sys.argv[1])
out = {"parsed": bool(study_mod.files_parsed())}
for name in ("municipalities", "interviews", "codings"):
    frame = getattr(s, name)
    out[name] = {"dtypes": [str(d) for d in frame.dtypes], "index": repr(frame.index),
                 "table": frame.to_dict(orient="split")}
print(json.dumps(out))
"""


def run_load(data_dir, cache_dir, **env):
    proc = subprocess.run([sys.executable, "-c", SUBPROCESS, str(data_dir)], capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": LIB, "COMMISSIONING_CACHE_DIR": str(cache_dir),
                                           **env})
    return json.loads(proc.stdout)


def test_a_second_process_reads_the_cache_and_gets_the_same_study(data_copy, cache):
    first = run_load(data_copy, cache)
    second = run_load(data_copy, cache)
    assert first["parsed"] and not second["parsed"]
    assert len(list(cache.glob("study-*.npz"))) == 1
    reference = run_load(data_copy, cache, COMMISSIONING_NO_CACHE="1")
    assert reference["parsed"]
    for name in ("municipalities", "interviews", "codings"):
        assert second[name] == first[name] == reference[name], name
    assert len(second["codings"]["table"]["data"]) == 1248


def test_a_cached_study_equals_a_parsed_one(data_copy, cache):
    parsed, did_parse = load_fresh(data_copy)
    cached, did_parse_again = load_fresh(data_copy)
    assert did_parse and not did_parse_again
    assert_same_study(parsed, cached)
    assert cached.codebook == parsed.codebook and cached.fingerprint == parsed.fingerprint
    assert cached.data_dir == parsed.data_dir and cached.filters == {}
    # the cached tables give the same analyses
    pd.testing.assert_frame_equal(cm.crosstab(cached, "sourcing.design"), cm.crosstab(parsed, "sourcing.design"))


def test_a_cached_study_with_several_coders_and_notes(tiny_dir, cache):
    write_interview(tiny_dir / "interviews", "GM0106-1", {"sourcing.design": "mixed"}, coder="zz", suffix=".zz")
    path = tiny_dir / "interviews" / "GM0518-1.yaml"
    path.write_text(path.read_text(encoding="utf-8") + 'notes: "café, \\"quoted\\"\\n second line"\n', encoding="utf-8")
    parsed, _ = load_fresh(tiny_dir)
    cached, did_parse = load_fresh(tiny_dir)
    assert not did_parse
    assert_same_study(parsed, cached)
    assert set(cached.interviews.notes) == {"", "café, \"quoted\"\n second line"}


def test_a_folder_without_interviews_is_cached_alike(tmp_path, cache):
    folder = tmp_path / "empty"
    (folder / "interviews").mkdir(parents=True)
    for name in ("codebook.yaml", "municipalities.csv"):
        (folder / name).write_bytes((REPO / "data" / name).read_bytes())
    parsed, _ = load_fresh(folder)
    cached, did_parse = load_fresh(folder)
    assert len(list(cache.glob("study-*.npz"))) == 1 and len(cached.codings) == 0
    assert_same_study(parsed, cached)


@pytest.mark.parametrize("change", ["edit interview", "add interview", "remove interview", "codebook",
                                    "municipalities", "other file"])
def test_any_changed_input_is_never_read_from_the_cache(data_copy, cache, change):
    before, _ = load_fresh(data_copy)
    itv = data_copy / "interviews"
    if change == "edit interview":
        path = itv / "GM0518-1.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("respondent_role: not published", "respondent_role: edited"), encoding="utf-8")
    elif change == "add interview":
        text = (itv / "GM0518-1.yaml").read_text(encoding="utf-8")
        (itv / "GM0518-4.yaml").write_text(text.replace("GM0518-1", "GM0518-4"), encoding="utf-8")
    elif change == "remove interview":
        (itv / "GM0518-3.yaml").unlink()
    elif change == "codebook":
        path = data_copy / "codebook.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("in_house: {en: In-house,", "in_house: {en: Inside,", 1),
                        encoding="utf-8")
    elif change == "municipalities":
        path = data_copy / "municipalities.csv"
        path.write_text(path.read_text(encoding="utf-8").replace(",Middelburg,", ",Middelburg (Zld),", 1),
                        encoding="utf-8")
    else:
        (data_copy / "claims.yaml").write_text((data_copy / "claims.yaml").read_text(encoding="utf-8") + "\n",
                                               encoding="utf-8")
    after, parsed = load_fresh(data_copy)
    assert parsed, "an input changed, yet the study came from the cache"
    assert after.fingerprint != before.fingerprint
    again, parsed = load_fresh(data_copy)
    assert not parsed  # the new load was cached in its turn
    assert_same_study(after, again)
    if change == "edit interview":
        assert "edited" in set(again.interviews.respondent_role)
    elif change == "add interview":
        assert again.n_interviews == before.n_interviews + 1
    elif change == "remove interview":
        assert again.n_interviews == before.n_interviews - 1
    elif change == "codebook":
        assert again.codebook.code_label("sourcing.design", "in_house") == "Inside"
    elif change == "municipalities":
        assert "Middelburg (Zld)" in set(again.municipalities.study_name)


def test_a_change_of_the_library_is_a_new_key(monkeypatch):
    digests = {"interviews/GM0518-1.yaml": "ab" * 32}
    key = _cache.study_key(digests)
    assert key == _cache.study_key(dict(digests))
    assert key != _cache.study_key({"interviews/GM0518-1.yaml": "cd" * 32})
    assert key != _cache.study_key({**digests, "interviews/GM0518-2.yaml": "ab" * 32})
    monkeypatch.setattr(_cache, "library_digest", lambda: "another version of the library")
    assert _cache.study_key(digests) != key
    names = {p.relative_to(p.parents[1]).as_posix() for p in _cache.library_sources()}
    for name in ("data/study.py", "data/interviews.py", "data/reader.py", "data/codebook.py", "data/cache.py",
                 "rules/registry.py"):
        assert name in names


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "pickle", "other format", "codes out of range"])
def test_a_corrupt_cache_file_is_ignored_and_rewritten(data_copy, cache, damage):
    parsed, _ = load_fresh(data_copy)
    (path,) = cache.glob("study-*.npz")
    good = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif damage == "garbage":
        path.write_bytes(bytes(range(256)) * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "pickle":  # an object array is a pickle: never loaded
        np.savez(path, header=np.frombuffer(b"{}", dtype=np.uint8), evil=np.array([{"a": 1}], dtype=object))
    else:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {k: archive[k] for k in archive.files}
        header = json.loads(arrays["header"].tobytes())
        if damage == "other format":
            header["format"] = -1
        else:
            arrays["codings.6"] = np.full_like(arrays["codings.6"], 120)
        arrays["header"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        with open(path, "wb") as fh:
            np.savez(fh, **arrays)
    again, parsed_again = load_fresh(data_copy)
    assert parsed_again
    assert_same_study(parsed, again)
    _, parsed_third = load_fresh(data_copy)
    assert not parsed_third  # rewritten, and read
    assert path.read_bytes() != b""


def test_nothing_in_the_cache_is_a_pickle(data_copy, cache):
    load_fresh(data_copy)
    (path,) = cache.glob("study-*.npz")
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert all(name.endswith(".npy") for name in names)
    with np.load(path, allow_pickle=False) as archive:  # raises for any object (pickled) array
        arrays = {k: archive[k] for k in archive.files}
    assert not any(a.dtype.hasobject for a in arrays.values())
    assert {a.dtype.kind for a in arrays.values()} <= {"i", "u"}
    header = json.loads(arrays["header"].tobytes())
    assert header["format"] == _cache.FORMAT and set(header["tables"]) == {"municipalities", "interviews", "codings"}


def test_no_cache_when_switched_off(data_copy, cache, monkeypatch):
    monkeypatch.setenv("COMMISSIONING_NO_CACHE", "1")
    load_fresh(data_copy)
    _, parsed = load_fresh(data_copy)
    assert parsed and not cache.exists()


def test_an_invalid_folder_is_not_cached(data_copy, cache):
    path = data_copy / "interviews" / "GM0518-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  sourcing.design:", "  sourcing.desing:"), encoding="utf-8")
    for _ in range(2):
        forget()
        with pytest.raises(cm.DataError, match="is not a variable of the codebook"):
            cm.load_study(data_copy)
    assert not list(cache.glob("*.npz"))


def test_an_unwritable_cache_folder_is_skipped(data_copy, tmp_path, monkeypatch):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("COMMISSIONING_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.delenv("COMMISSIONING_NO_CACHE", raising=False)
    s, parsed = load_fresh(data_copy)
    assert parsed and len(s.municipalities) == 18


WRITER = r"""
import os
import sys
import time
from pathlib import Path

import commissioning as cm
from commissioning.data import cache as _cache
from commissioning.data import study as study_mod

data, stop = sys.argv[1], Path(sys.argv[2])
s = cm.load_study(data)
key = _cache.study_key(study_mod.file_digests(s.data_dir))
tables = {"municipalities": s.municipalities, "interviews": s.interviews, "codings": s.codings}
deadline = time.monotonic() + 120
while not stop.exists() and time.monotonic() < deadline:  # until the reader has read enough
    assert _cache.write(s.data_dir, key, tables) is not None
    (stop.parent / f"writing-{os.getpid()}").touch()  # this writer has written once at least
"""
READS = 30  # reads of the cache made while both writers write


def test_concurrent_writers_leave_a_valid_cache(data_copy, cache, tmp_path):
    env = {**os.environ, "PYTHONPATH": LIB, "COMMISSIONING_CACHE_DIR": str(cache)}
    stop = tmp_path / "stop"
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(data_copy), str(stop)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    reference = cm.load_study(data_copy)  # parsed here meanwhile (this process's cache is empty)
    key = _cache.study_key(study_mod.file_digests(data_copy))
    reads, deadline = 0, time.monotonic() + 120
    # the writers write until told to stop, so the reads overlap their writes however loaded the machine is
    while reads < READS and all(w.poll() is None for w in writers) and time.monotonic() < deadline:
        if len(list(tmp_path.glob("writing-*"))) == len(writers):  # both are writing
            tables = _cache.read(data_copy, key)
            assert tables is not None, "a reader saw a partly written cache file"
            reads += 1
    stop.touch()
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err.decode()
    assert reads == READS, f"{reads} reads before a writer stopped or the deadline: too few to test"
    assert not [p for p in cache.iterdir() if p.suffix == ".tmp"]  # no temporary file left behind
    cached, parsed = load_fresh(data_copy)
    assert not parsed
    assert_same_study(reference, cached)


def test_temporary_files_of_killed_writers_are_swept(data_copy, cache):
    load_fresh(data_copy)
    old, young = cache / ".study-dead-1.tmp", cache / ".study-busy-2.tmp"
    for path in (old, young):
        path.write_bytes(b"half a cache file")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    (data_copy / "claims.yaml").write_text("# changed\n", encoding="utf-8")
    load_fresh(data_copy)  # a new key: written again
    assert not old.exists() and young.exists()
