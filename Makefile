# Clinic Gym Kiosk — every target installs what it is missing, so a fresh Debian 12
# machine needs only `make run` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSSTAMP := .make-system-packages

# docs/architecture.md, "What it runs on": Qt offscreen, QtMultimedia, a real window under
# Xvfb, speech, xset, a throwaway PostgreSQL for the tests, and private PulseAudio and PipeWire
# servers (null sinks) where the tests and make bench hear what the kiosk played (docs/voice.md).
APT_PACKAGES := libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 \
	libpulse0 libxrandr2 \
	xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
	libxcb-randr0 libxcb-render-util0 libxcb-image0 \
	libespeak-ng1 espeak-ng \
	pulseaudio pulseaudio-utils pipewire pipewire-pulse wireplumber dbus-daemon \
	x11-xserver-utils \
	postgresql \
	systemd python3-venv cage xwayland grim xinit libwayland-cursor0 libwayland-egl1 shellcheck

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint typecheck contracts pytest bench bench-history bench-sound-long soak soak-day soak-kill screenshots system-packages venv clean

# Byte-compile our packages before the kiosk starts (pip does this for an installed package; an
# editable one would otherwise compile at every start where PYTHONDONTWRITEBYTECODE is set).
BYTECODE := $(BIN)/python -m compileall -q kiosk media voice db main.py

run: $(STAMP)
	@$(BYTECODE)
	$(BIN)/python main.py --demo $(ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@$(BYTECODE)
	$(BIN)/python -m bench

# The staff side's figures and how they grow from 6 months to 2 years to 5 years of a busy
# clinic (make bench measures SQLite and PostgreSQL at 2 years; the histories are generated
# once into bench/.cache, about a minute per 2 years, two on PostgreSQL).
bench-history: $(STAMP)
	HISTORY_FULL=1 $(BIN)/python -m bench staff_history

# The sound servers' figures over a whole 23-minute session (make bench runs an 11-minute one on
# PulseAudio and a 3-minute one on PipeWire);
# make bench prints them as last measured.
bench-sound-long: $(STAMP)
	$(BIN)/python -m bench.sound_server --long

# Both soaks, the clinic day first (neither is part of make test: they take minutes).
soak: soak-day soak-kill

# A whole clinic day on the real window at accelerated time (VISITS=, default 60), watched for
# leaks: memory, open files, threads, widgets; the figures go to make bench's report.
soak-day: $(STAMP)
	$(BIN)/python -m tests.soak.clinic_day $(if $(VISITS),--visits $(VISITS))

# Kill a real session with SIGKILL hundreds of times and check after each kill that nothing
# was lost or written twice (make test runs a couple of dozen of these).
soak-kill: $(STAMP)
	$(BIN)/python -m tests.patient.crash_soak --kills $(or $(KILLS),300)

# make screenshots LANGUAGE=es: the same walk in Spanish, into docs/screenshots/es/.
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py --language $(or $(LANGUAGE),en)

system-packages: $(SYSSTAMP)

# Install only the Debian packages that are missing; re-check when this Makefile changes.
$(SYSSTAMP): Makefile
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml $(SYSSTAMP) | $(VENV)/bin/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,natural,voice-control,bench]'
	@touch $@

venv: $(STAMP)

# docs/deployment.md: the kiosk as a clinic runs it (a service on tty1, its own user, nightly
# backups), and its undoing; tests/deploy runs both in a scratch root.
.PHONY: install-kiosk uninstall-kiosk
install-kiosk:
	$(SUDO) deploy/install.sh $(ARGS)

uninstall-kiosk:
	$(SUDO) deploy/uninstall.sh $(ARGS)

clean:
	rm -rf $(VENV) $(SYSSTAMP) build *.egg-info .pytest_cache .mypy_cache .ruff_cache bench/.cache
