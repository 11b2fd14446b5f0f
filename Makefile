# journeymap: `make demo` and `make test` each set everything up on a fresh machine.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
export UV_LINK_MODE := copy
# Write the bytecode at install time, as pip does: every later command then starts about a
# second sooner (measured: importing the analytics stack 1.0 s without it, 0.33 s with it).
export UV_COMPILE_BYTECODE := 1
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
UV := $(VENV)/bin/uv
JM := $(VENV)/bin/journeymap
# Debian packages the later parts need: fonts for the poster (CJK, emoji), Chromium for
# browser tests and PNG/PDF, PostgreSQL for the team database tests; and Java 17 for Spark
# when the machine has no Java. The PostgreSQL tests need only the server binaries: they start
# a throwaway server of their own from /usr/lib/postgresql/*/bin (tests/pg_server.py) on a free
# port, so no PostgreSQL service has to be running (or be started here).
APT_PACKAGES := fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji chromium postgresql
DEMO_DIR := demo-out
PY_DIRS := src tests $(wildcard bench)
# The web app (frontend/): Node 20.19+ and npm; `npm ci` runs again only when the lock changes.
# Nothing may download a browser: the browser tests drive Debian's Chromium.
NODE_STAMP := frontend/node_modules/.installed
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

.PHONY: help setup system-packages sync bench-data demo test lint fmt unit schema pictures bench bench-web \
	clean node frontend app e2e web-pictures

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

system-packages: ## install the Debian packages (as root), or print the apt-get line to run
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed$$' || printf '%s ' $$p; done; \
	  command -v java >/dev/null || printf '%s ' openjdk-17-jre-headless); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian packages: $$missing"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "journeymap needs these Debian packages; run:"; \
	  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $$missing"; \
	fi

$(UV):
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

sync: $(UV) ## install the locked Python dependencies into .venv
	$(UV) sync --frozen --all-extras --python $(VENV)/bin/python --quiet

# Labelled review sentences for the sentiment measurement (the npm package sentiment@5.0.2
# ships UCI's Sentiment Labelled Sentences, CC BY 4.0), pinned by bench/data-npm's lock file.
NPM_DATA := bench/data-npm/node_modules/.installed
$(NPM_DATA): bench/data-npm/package-lock.json
	@if command -v npm >/dev/null; then cd bench/data-npm && npm ci --ignore-scripts --no-audit --no-fund --silent \
	  && touch node_modules/.installed; \
	  else echo "npm is not installed: the sentiment test on real reviews will be skipped (apt-get install npm)"; fi

bench-data: $(NPM_DATA) ## install the labelled review sentences (npm ci in bench/data-npm)

setup: system-packages sync bench-data ## everything `demo` and `test` need

node: $(NODE_STAMP) ## install the web app's locked Node packages (npm ci)

$(NODE_STAMP): frontend/package-lock.json frontend/package.json
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("the web app needs Node 20.19 or newer (this is "+process.version+")"); process.exit(1) }' \
	  || { echo "install Node.js 20.19+ with npm (https://nodejs.org or your distribution), then run make again"; exit 1; }
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

app: $(NODE_STAMP) ## build the web app into src/journeymap/_static (what `serve` shows at /)
	cd frontend && npx vite build --logLevel warn

frontend: $(NODE_STAMP) ## the web app's checks: tsc, eslint, Vitest; then its build
	cd frontend && npx tsc --noEmit -p tsconfig.json
	cd frontend && npx eslint --max-warnings 0 .
	cd frontend && npx vitest run
	$(MAKE) --no-print-directory app

e2e: sync frontend ## the browser tests: Playwright driving Debian's Chromium against `journeymap serve`
	$(VENV)/bin/pytest tests/e2e -q -p no:cacheprovider

demo: setup app ## the online-store journey (check, draw, measure), then serve a demo workspace in the browser
	@mkdir -p $(DEMO_DIR)
	$(JM) new --template online-store-checkout --force $(DEMO_DIR)/online-store.yaml
	$(JM) validate $(DEMO_DIR)/online-store.yaml
	$(JM) show $(DEMO_DIR)/online-store.yaml
	$(JM) demo-data $(DEMO_DIR)/events --events 20000
	$(JM) analyze $(DEMO_DIR)/online-store.yaml --save \
	  --source $(DEMO_DIR)/events/online-store.source.yaml
	$(JM) feedback $(DEMO_DIR)/online-store.yaml --save --source $(DEMO_DIR)/events/feedback.yaml
	$(JM) painpoints $(DEMO_DIR)/online-store.yaml --source $(DEMO_DIR)/events/online-store.source.yaml \
	  --feedback $(DEMO_DIR)/events/feedback.yaml
	$(JM) render $(DEMO_DIR)/online-store.yaml -o $(DEMO_DIR)/online-store.png \
	  -o $(DEMO_DIR)/online-store.pdf -o $(DEMO_DIR)/online-store.html
	$(JM) export $(DEMO_DIR)/online-store.yaml -o $(DEMO_DIR)/online-store-cards.xlsx
	@echo
	@echo "The demo journey and its poster are in $(DEMO_DIR)/:"
	@echo "  $(DEMO_DIR)/online-store.yaml   the journey file (edit it, then: $(JM) validate ...)"
	@echo "  $(DEMO_DIR)/online-store.png    .pdf  .html   the poster, with the measured figures"
	@echo "  $(DEMO_DIR)/online-store-cards.xlsx   its cards as a spreadsheet"
	@echo "  $(DEMO_DIR)/events/          seeded demo events and survey answers, measured above (late"
	@echo "                            shipping fee planted; manifest.json names the second pain)"
	@echo
	@echo "Now the workspace server: every template in a demo workspace. Open the address it"
	@echo "prints in your browser and sign in with the login below it (Ctrl-C stops it)."
	$(JM) demo --db $(DEMO_DIR)/demo.db

pictures: sync ## redraw the template posters in docs/images
	@mkdir -p docs/images $(DEMO_DIR)
	@for f in src/journeymap/templates/*.yaml; do t=$$(basename $$f .yaml); \
	  rm -f $(DEMO_DIR)/$$t.evidence.json; $(JM) new -t $$t -f $(DEMO_DIR)/$$t.yaml >/dev/null && \
	  $(JM) render $(DEMO_DIR)/$$t.yaml -o docs/images/$$t.png; done
	$(JM) demo-data $(DEMO_DIR)/events --events 20000 >/dev/null
	$(JM) analyze $(DEMO_DIR)/online-store-checkout.yaml --save \
	  --source $(DEMO_DIR)/events/online-store.source.yaml >/dev/null
	$(JM) render $(DEMO_DIR)/online-store-checkout.yaml -o docs/images/online-store-measured.png
	$(JM) feedback $(DEMO_DIR)/online-store-checkout.yaml --save \
	  --source $(DEMO_DIR)/events/feedback.yaml >/dev/null
	$(JM) painpoints $(DEMO_DIR)/online-store-checkout.yaml --heatmap-by week --save \
	  --source $(DEMO_DIR)/events/online-store.source.yaml >/dev/null
	$(JM) render $(DEMO_DIR)/online-store-checkout.yaml -o docs/images/online-store-voice.png

bench-web: sync app ## the web app's gzipped JavaScript, the time to draw a 300-card journey, the editor's drop and keystroke times, the two drag-and-drop libraries
	$(VENV)/bin/python -m bench.web
	$(VENV)/bin/python -m bench.editor
	$(VENV)/bin/python -m bench.dnd

.PHONY: bench-collab
bench-collab: sync ## live collaboration: 50 editors on one journey (1 process on SQLite, then 2 on PostgreSQL), beside a plain websockets server
	$(VENV)/bin/python -m bench.collab
	$(VENV)/bin/python -m bench.collab --processes 2 --db postgres --no-peer

web-pictures: sync app ## redraw the web app's pictures in docs/images (1440 x 900)
	$(VENV)/bin/python -m tests.e2e.pictures

bench: sync bench-data ## print the render, API, analytics and feedback figures (1M and 10M events)
	$(VENV)/bin/python -m bench.render
	$(VENV)/bin/python -m bench.api
	$(VENV)/bin/python -m bench.analytics 1000000 10000000
	$(VENV)/bin/python -m bench.sentiment_reviews
	$(VENV)/bin/python -m bench.feedback

lint: sync ## ruff (lint and format check), mypy (strict on domain/), uv.lock up to date
	$(UV) lock --check --python $(VENV)/bin/python --quiet
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)
	$(VENV)/bin/mypy

fmt: sync ## format the code with ruff
	$(VENV)/bin/ruff check --fix $(PY_DIRS)
	$(VENV)/bin/ruff format $(PY_DIRS)

unit: sync ## run the Python test suite (the browser tests are `make e2e`)
	$(VENV)/bin/pytest -n 2 --dist loadfile -q --ignore=tests/e2e

test: setup lint unit e2e ## set up, then run every check and test (Python, then the web app's)

schema: sync ## regenerate the committed JSON Schemas (journey file, analyze/feedback/painpoints --json, evidence, the live socket) and the OpenAPI description
	$(JM) schema -o schemas/journey.schema.json
	$(JM) schema --openapi -o schemas/openapi.json
	$(JM) schema --analysis -o schemas/analysis.schema.json
	$(JM) schema --evidence -o schemas/evidence.schema.json
	$(JM) schema --feedback -o schemas/feedback.schema.json
	$(JM) schema --painpoints -o schemas/painpoints.schema.json
	$(JM) schema --live -o schemas/live.schema.json

clean: ## remove the environment and build output
	rm -rf $(VENV) $(DEMO_DIR) dist .pytest_cache .mypy_cache .ruff_cache .hypothesis \
	  frontend/node_modules src/journeymap/_static
