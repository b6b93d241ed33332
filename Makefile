# newsgraph: two commands for a fresh machine (Python 3.11+, make, Java 17).
#   make demo   venv + install + build the graph from examples/ + every export into out/
#   make test   venv + dev extras + test-only system packages + the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
OUT    := out

.PHONY: demo test install install-dev system-deps node-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

demo: install
	@rm -rf $(OUT) && mkdir -p $(OUT)
	$(BIN)/newsgraph build examples --output $(OUT)/graph.trig
	$(BIN)/newsgraph validate $(OUT)/graph.trig
	$(BIN)/newsgraph export --graph $(OUT)/graph.trig --all --output $(OUT)
	$(BIN)/newsgraph ontology docs --output $(OUT)/ontology.html
	$(BIN)/newsgraph query summary --graph $(OUT)/graph.trig
	@echo "Open $(OUT)/viewer.html in a browser; $(OUT)/events.gexf in Gephi; $(OUT)/places.geojson in QGIS; $(OUT)/acled.csv in a spreadsheet."

system-deps:
	bash scripts/system-deps.sh

node-deps:
	cd tests/node && npm ci --no-audit --no-fund --silent

test: install-dev system-deps node-deps
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache tests/node/node_modules
