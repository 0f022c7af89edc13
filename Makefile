# Two commands do everything (see README): `make demo` and `make test`.
# Both create .venv on first use (or reuse it) and install what requirements.txt lists; re-running is a no-op.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.colorize-installed

.PHONY: install demo test benchmark evaluate clean

install: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

demo: install
	$(PY) video_colorization_program.py --demo

test: install
	$(PY) test_colorization.py

benchmark: install
	$(PY) benchmarks/propagation.py

evaluate: install
	$(PY) -c "from colorize.data import export_samples; export_samples('outputs/sample_clips')"
	$(PY) evaluate_models.py --dataset-name videos --dataset-path outputs/sample_clips \
		--output-dir outputs/evaluation --max-frames 60 --overwrite

clean:
	rm -rf outputs .pytest_cache
