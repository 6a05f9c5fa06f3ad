"""Shared fixtures: copies of the shipped data that a test may break."""

import hashlib
import shutil
from pathlib import Path

import pytest

import commissioning as cm

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"


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
