# Surveyor: `make run` serves the demo, `make test` runs the whole suite. See README.md.
VENV   ?= .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# DEMO_RESPONSES: synthetic responses per questionnaire in the demo city (default 600; the suite's
# first-hour test asks for fewer).
# The demo's links, QR codes and printed login address follow HOST and PORT unless set.
DEMO   := SURVEYOR_ENV=demo SURVEYOR_PUBLIC_URL=$${SURVEYOR_PUBLIC_URL:-http://$(HOST):$(PORT)}

.PHONY: run demo-check test test-postgres system-packages translations extract-messages clean

$(VENV)/.installed: setup.cfg pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed setup.cfg
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d surveyor/translations

run: $(VENV)/.installed translations
	$(DEMO) $(BIN)/surveyor db upgrade
	$(DEMO) $(BIN)/surveyor instruments sync
	$(DEMO) $(BIN)/surveyor demo --city $(if $(DEMO_RESPONSES),--responses $(DEMO_RESPONSES))
	$(DEMO) $(BIN)/surveyor run --host $(HOST) --port $(PORT)

# The first hour, checked: `make run` on a temporary database and a free port, then Chromium logs
# in as each demo role and answers a survey through a poster's QR code (tests/demo/first_hour.py).
# DEMO_URL=http://127.0.0.1:5000 DEMO_LOG=run.log checks a running demo instead (`make run | tee run.log`).
demo-check: $(VENV)/.installed-test translations system-packages
	$(PY) -m tests.demo.first_hour $(if $(DEMO_URL),--url $(DEMO_URL) --log $(DEMO_LOG))

# Debian's Chromium for the browser tests (Playwright never downloads a browser here), and the
# tools that render PDFs and decode QR codes.
SYSTEM_TOOLS := chromium pdftoppm pdftotext zbarimg
system-packages:
	@for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing=1; done; \
		if [ -n "$$missing" ]; then sh scripts/install-system-packages.sh; fi

test: $(VENV)/.installed-test translations system-packages
	$(PY) -m pytest
	@if $(PY) scripts/port_open.py 127.0.0.1 5432; then \
		echo "== PostgreSQL answers on 127.0.0.1:5432: running the database tests against it =="; \
		SURVEYOR_TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -m db; \
	else \
		echo "== PostgreSQL is not running on 127.0.0.1:5432: database tests ran on SQLite only =="; \
	fi

test-postgres: $(VENV)/.installed-test translations system-packages
	SURVEYOR_TEST_DATABASE_URL=$(PG_URL) $(PY) -m pytest -m db

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --no-wrap \
		--project=Surveyor -o surveyor/translations/messages.pot .
	$(BIN)/pybabel update --no-wrap --ignore-obsolete -i surveyor/translations/messages.pot -d surveyor/translations

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
