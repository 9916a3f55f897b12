#!/usr/bin/env bash
# Undo deploy/install.sh: stop and remove the kiosk's services and its program.
#
#   sudo deploy/uninstall.sh            # or: sudo make uninstall-kiosk
#
# The clinic's data stays: the database (/var/lib/clinic-kiosk), the backups
# (/var/backups/clinic-kiosk), the settings (/etc/clinic-kiosk) and the user clinic-kiosk that
# owns them, so that installing again carries on where the kiosk was. --purge removes them
# too, for good. The Debian packages install.sh added stay (other programs may use them).
set -euo pipefail

usage() {
	cat <<'EOF'
Usage: deploy/uninstall.sh [--purge] [--root DIR]

  --purge     also delete the database, the backups, the settings and the user clinic-kiosk
  --root DIR  undo an install.sh --root DIR
  -h, --help  this text
EOF
}

KIOSK_USER=clinic-kiosk
APP_DIR=/opt/clinic-kiosk
DATA_DIR=/var/lib/clinic-kiosk
BACKUP_DIR=/var/backups/clinic-kiosk
CONF_DIR=/etc/clinic-kiosk
UNIT_DIR=/etc/systemd/system
ADMIN=/usr/local/sbin/clinic-kiosk-admin

ROOT=""
PURGE=no
while [ $# -gt 0 ]; do
	case "$1" in
	--purge) PURGE=yes ;;
	--root) ROOT=$(realpath -m "${2:?--root needs a folder}") && shift ;;
	-h | --help) usage && exit 0 ;;
	*) echo "uninstall.sh: unknown option $1" >&2 && usage >&2 && exit 2 ;;
	esac
	shift
done
R=$ROOT

say() { printf '  %s\n' "$*"; }
if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
	echo "uninstall.sh: run it as root: sudo $0" >&2
	exit 1
fi

echo "Removing Clinic Gym Kiosk${ROOT:+ from $ROOT}"
# Every unit install.sh puts there is named clinic-kiosk*, this version's and any older one's.
installed=()
for path in "$R$UNIT_DIR"/clinic-kiosk*.service "$R$UNIT_DIR"/clinic-kiosk*.timer; do
	[ -f "$path" ] && installed+=("$(basename "$path")")
done
if [ ${#installed[@]} -gt 0 ]; then
	if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
		systemctl --quiet disable --now "${installed[@]}"
		say "stopped and disabled: ${installed[*]}"
	else
		systemctl --root="${ROOT:-/}" --quiet disable "${installed[@]}"
		say "disabled: ${installed[*]}"
	fi
	for unit in "${installed[@]}"; do
		rm -f "$R$UNIT_DIR/$unit"
	done
	if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
		systemctl daemon-reload
		systemctl reset-failed "${installed[@]}" 2>/dev/null || true
		# tty1 gets its login prompt back now rather than at the next boot.
		systemctl start getty@tty1.service || true
	fi
	say "removed the units from $UNIT_DIR"
fi
rm -rf "$R$APP_DIR"
rm -f "$R$ADMIN"
say "removed $APP_DIR (the program) and $ADMIN"

if [ "$PURGE" = yes ]; then
	rm -rf "$R$DATA_DIR" "$R$BACKUP_DIR" "$R$CONF_DIR"
	say "deleted $DATA_DIR, $BACKUP_DIR and $CONF_DIR"
	if [ -z "$ROOT" ] && getent passwd "$KIOSK_USER" >/dev/null; then
		userdel "$KIOSK_USER"
		say "deleted the user $KIOSK_USER"
	fi
else
	say "kept: $DATA_DIR (the database), $BACKUP_DIR, $CONF_DIR and the user $KIOSK_USER"
	say "to delete them too, for good: $0 --purge"
fi
