"""Shared fixtures: copies of the shipped data that a test may break."""

import hashlib
import shutil
from pathlib import Path

import pytest

import commissioning as cm

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


@pytest.fixture(scope="session", autouse=True)
def _own_study_cache(tmp_path_factory):
    """Every load of the test session (and of the notebooks and commands it starts) caches into a
    folder of its own, never into the user's cache, and registers its published runs in a state
    folder of its own; tests of the cache set their own folder."""
    import os

    before = {k: os.environ.get(k) for k in ("COMMISSIONING_CACHE_DIR", "COMMISSIONING_NO_CACHE",
                                             "COMMISSIONING_STATE_DIR")}
    os.environ["COMMISSIONING_CACHE_DIR"] = str(tmp_path_factory.mktemp("study-cache"))
    os.environ.pop("COMMISSIONING_NO_CACHE", None)
    # the register of published releases too: a test's published run joins no release of the user's
    os.environ["COMMISSIONING_STATE_DIR"] = str(tmp_path_factory.mktemp("release-state"))
    yield
    for key, value in before.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def study():
    return cm.load_study()


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of the shipped data directory."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def tree_digest(folder: Path) -> str:
    """A hash of every file's name and bytes under `folder` (to show nothing was written)."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


TINY_MUNICIPALITIES = """cbs_code,study_name,official_name,province,region,size_class,population,population_date,partner_cbs_code,partner_official_name,note
GM0518,Den Haag,'s-Gravenhage,Zuid-Holland,West,very_large,519988,2016-01-01,,,
GM0106,Assen,Assen,Drenthe,Noord,medium,67061,2016-01-01,,,
GM0687,Middelburg,Middelburg (Z.),Zeeland,Zuid,small,47873,2016-01-01,,,
"""


def write_interview(folder: Path, iid: str, values: dict, coder: str = "ab", suffix: str = "") -> Path:
    """Write a hand-coded interview file (scalar values, default basis 'observed')."""
    lines = [f"interview_id: {iid}", f"municipality: {iid.split('-')[0]}", "respondent_role: adviser",
             f"coder: {coder}", "values:"]
    values = {"agenda.explicitness": "explicit",
              "maturity.top3": ["people_competences", "culture_leadership", "market_interaction"], **values}
    for k, v in values.items():
        shown = "[" + ", ".join(v) + "]" if isinstance(v, list) else f"'{v}'"
        lines.append(f"  {k}: {shown}")
    path = folder / f"{iid}{suffix}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tiny_dir(tmp_path):
    """3 municipalities, 5 interviews (Den Haag 3, Assen 1, Middelburg 1), two coders, checkable by
    hand: "ab" coded every interview; "cd" coded two of them again (GM0518-1, GM0106-1) and differs
    from "ab" in one variable of each. Analyses read one coder per interview (the first
    alphabetically, "ab"); agreement reads both."""
    d = tmp_path / "tiny"
    (d / "interviews").mkdir(parents=True)
    for name in ("codebook.yaml", "constraints.yaml", "quantifiers.csv"):
        shutil.copy(DATA / name, d / name)
    (d / "municipalities.csv").write_text(TINY_MUNICIPALITIES, encoding="utf-8")
    itv = d / "interviews"
    write_interview(itv, "GM0518-1", {"sourcing.design": "outsourced", "organisation.model": "sector",
                                      "agenda.more_attention": "yes", "portfolio.overview": "none"})
    write_interview(itv, "GM0518-2", {"sourcing.design": "mixed", "organisation.model": "sector",
                                      "agenda.more_attention": "no", "portfolio.overview": "own_department"})
    write_interview(itv, "GM0518-3", {"sourcing.design": "outsourced", "organisation.model": "sector",
                                      "agenda.more_attention": "no", "portfolio.overview": "full"})
    write_interview(itv, "GM0106-1", {"sourcing.design": "in_house", "organisation.model": "tilted",
                                      "agenda.more_attention": "yes", "portfolio.overview": "own_department"})
    write_interview(itv, "GM0687-1", {"sourcing.design": "in_house", "organisation.model": "tilted",
                                      "agenda.more_attention": "no", "portfolio.overview": "none"})
    write_interview(itv, "GM0518-1", {"sourcing.design": "mixed", "organisation.model": "sector",
                                      "agenda.more_attention": "yes", "portfolio.overview": "none"},
                    coder="cd", suffix=".cd")
    write_interview(itv, "GM0106-1", {"sourcing.design": "in_house", "organisation.model": "sector",
                                      "agenda.more_attention": "yes", "portfolio.overview": "own_department"},
                    coder="cd", suffix=".cd")
    return d


@pytest.fixture
def tiny(tiny_dir):
    return cm.load_study(tiny_dir)


@pytest.fixture
def tiny_one_coder_dir(tiny_dir):
    """`tiny_dir` without the second coder's files: every interview coded once, by "ab"."""
    for path in (tiny_dir / "interviews").glob("*.cd.yaml"):
        path.unlink()
    return tiny_dir


@pytest.fixture(scope="session")
def published_shipped(tmp_path_factory):
    """The shipped data published as `make reports` does on a fresh clone: every notebook in both
    languages, in a register of releases of its own (no other test's run belongs to its release).
    Returns (reports folder, state folder). Tests that read it share an xdist group, so that one
    worker runs it once."""
    import os
    from unittest import mock

    from commissioning.run.suite import run_suite

    root = tmp_path_factory.mktemp("published-shipped")
    state = root / "state"
    with mock.patch.dict(os.environ, {"COMMISSIONING_STATE_DIR": str(state)}):
        run_suite(out_dir=root / "reports", parameters={"publish": True}, force=True, progress=lambda line: None)
    return root / "reports", state
