"""requirements.lock, pyproject.toml and environment.yml must pin the same versions."""

import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def norm(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def lock_pins():
    pins = {}
    for line in (REPO / "requirements.lock").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[norm(name)] = version
    return pins


def pyproject_pins():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    reqs = meta["dependencies"] + [r for group in meta["optional-dependencies"].values() for r in group]
    return dict(tuple(norm(x) if i == 0 else x for i, x in enumerate(r.split("=="))) for r in reqs)


def env_pins():
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        # a package conda-forge lacks is installed by pip, in the list under `pip:`
        for item in dep.get("pip", []) if isinstance(dep, dict) else [dep]:
            if isinstance(item, str) and "==" in item:
                name, version = item.split("==")
                pins[norm(name)] = version
    return pins


def test_every_pyproject_requirement_is_pinned_exactly():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for req in meta["dependencies"] + meta["optional-dependencies"]["dev"]:
        assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.]*", req), req


def test_pyproject_agrees_with_lock():
    lock = lock_pins()
    for name, version in pyproject_pins().items():
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)}"


def test_environment_agrees_with_lock_and_pyproject():
    lock, env, pyproject = lock_pins(), env_pins(), pyproject_pins()
    assert set(env) == set(pyproject), "environment.yml and pyproject.toml list different packages"
    for name, version in env.items():
        assert lock.get(name) == version, f"{name}: environment.yml {version}, lock {lock.get(name)}"


def test_lock_pins_everything_exactly():
    for line in (REPO / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.-]+==[0-9][0-9A-Za-z.+]*", line.strip()), line
