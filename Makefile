# Two commands do everything (see README): `make demo` and `make test`.
# Both create .venv on first use (or reuse it) and install requirements.txt: the project with every extra, at the exact
# versions of requirements.lock (the ones the suite passed with); re-running is a no-op.
# `make test-latest` runs the suite on the newest releases pyproject.toml admits (in .venv-latest, not in CI);
# `make lock` does the same and, if the suite passes, writes those versions to requirements.lock.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.colorize-installed

LATEST_VENV := .venv-latest
LATEST_PY := $(LATEST_VENV)/bin/python
PIP_QUIET := --quiet --disable-pip-version-check
EXTRAS := models,vipe,training,test

.PHONY: install demo test test-latest lock benchmark evaluate clean

install: $(STAMP)

$(STAMP): requirements.txt requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install $(PIP_QUIET) -r requirements.txt
	@touch $(STAMP)

demo: install
	$(PY) video_colorization_program.py --demo

test: install
	$(PY) test_colorization.py

# A fresh venv with the newest releases (no lock), then the suite: drift shows here before users meet it.
test-latest:
	rm -rf $(LATEST_VENV) && $(PYTHON) -m venv $(LATEST_VENV)
	$(LATEST_PY) -m pip install $(PIP_QUIET) --upgrade -e ".[$(EXTRAS)]"
	$(LATEST_PY) -m pip freeze --exclude-editable > $(LATEST_VENV)/versions.txt
	$(LATEST_PY) test_colorization.py

# Refresh the lock: the newest versions, written only if the suite passes with them.
lock: test-latest
	{ echo "# Exact versions the test suite passed with (written by \`make lock\` from pip freeze of $(LATEST_VENV))."; \
	  cat $(LATEST_VENV)/versions.txt; } > requirements.lock

benchmark: install
	$(PY) benchmarks/propagation.py

evaluate: install
	$(PY) -c "from colorize.data import export_samples; export_samples('outputs/sample_clips')"
	$(PY) evaluate_models.py --dataset-name videos --dataset-path outputs/sample_clips \
		--output-dir outputs/evaluation --max-frames 60 --overwrite

clean:
	rm -rf outputs .pytest_cache $(LATEST_VENV)
