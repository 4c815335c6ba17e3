# Quick start: `make demo`, then `make test`. Both build .venv from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OPA_BINDINGS := opa-golib-python-bindings==0.4.4

.PHONY: install browser demo test test-rego bench bundle schemas clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# OPA (Go) for parity tests; its metadata says Python 3.14, it runs on 3.11.
	$(BIN)/python -m pip install --quiet --ignore-requires-python $(OPA_BINDINGS)
	touch $(STAMP)

install: $(STAMP)

# Evaluate every shipped example on the embedded regorus engine, then show one in full.
# aidf exits 1 when a request needs a licence; several examples do, on purpose.
demo: install
	@$(BIN)/aidf check --format summary examples/*.json; status=$$?; test $$status -le 1
	@echo
	@$(BIN)/aidf check examples/01-aia-us-to-germany.json

test: install browser
	AIDF_REQUIRE_CHROMIUM=1 $(BIN)/python -m pytest -q

# Headless Chromium renders the HTML report in a test (Debian's package), installed when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the HTML report test"; \
	  SUDO=$$([ "$$(id -u)" -eq 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Only the Rego unit tests, through both engines.
test-rego: install
	$(BIN)/python -m pytest -q tests/test_rego_units.py

# Ratios measured in one run; never a timed test.
bench: install
	$(BIN)/python benchmarks/bench.py

# An OPA bundle of the policies (unsigned; see README "Running aidf on an OPA fleet" to sign it).
bundle: install
	$(BIN)/aidf bundle build

schemas: install
	$(BIN)/python tools/gen_countries.py
	$(BIN)/python tools/gen_country_index.py
	$(BIN)/python tools/gen_schemas.py

clean:
	rm -rf $(VENV) build dist bundles/*.tar.gz .pytest_cache
