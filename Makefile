# The suite's commands. `make reports` and `make test` set everything up from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
KERNEL := commissioning
LOCK_HASH := $(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('requirements.lock','rb').read()).hexdigest()[:16])")
STAMP := $(VENV)/.installed-$(LOCK_HASH)
JOBS ?=
# pytest workers (pytest-xdist): one per core; `make test WORKERS=0` runs in one process
WORKERS ?= auto

.PHONY: all reports test lab notebooks data bench lock clean-venv

all: reports

# (Re)create the virtual environment when it is missing or the lock changed.
$(STAMP):
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --requirement requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (commissioning)"
	touch $(STAMP)

venv: $(STAMP)

# reports/en/ and reports/nl/ (every notebook in English and Dutch) and reports/index.html
reports: $(STAMP)
	$(BIN)/commissioning run --publish $(if $(JOBS),--jobs $(JOBS))

test: $(STAMP)
	$(BIN)/python -m pytest tests -n $(WORKERS) --dist loadgroup
	$(BIN)/python -m pytest --doctest-modules lib -n $(WORKERS)
	$(BIN)/python -m pytest --nbval-lax notebooks -p no:cacheprovider -n $(WORKERS) --dist loadfile

lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks

# Re-execute the committed notebooks in place with their default parameters.
notebooks: $(STAMP)
	$(BIN)/commissioning notebooks

# Rewrite data/interviews/ from the reconstruction's constraints (default seed).
data: $(STAMP)
	$(BIN)/commissioning reconstruct --out data/interviews

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Re-resolve the lock from pyproject.toml's pins (needs the package index).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet ".[dev]"
	( echo "# Exact pins of every package the suite installs (direct and transitive), for Python 3.11+."; \
	  echo "# Regenerate: make lock (installs pyproject's pins into a fresh venv and freezes it)."; \
	  .lock-venv/bin/python -m pip freeze --all --exclude-editable | grep -v -i '^commissioning' | sort -f ) > requirements.lock
	rm -rf .lock-venv

clean-venv:
	rm -rf $(VENV)
