#!/usr/bin/env bash
# Runs a command against a real, private, headless OS keychain (Linux Secret
# Service provided by gnome-keyring), so the keychain custody of the vault
# master key is tested against the same D-Bus API a desktop uses.
#
#   bash test/with-secret-service.sh CMD [ARGS...]
#
# What it does (see DESIGN.md §8):
#   1. makes a fresh temp dir (mode 700) and points every XDG directory
#      gnome-keyring and D-Bus write to at it, so nothing lands in $HOME;
#   2. starts a private session bus with dbus-run-session;
#   3. starts `gnome-keyring-daemon --foreground --unlock --components=secrets`
#      fed a random password on stdin (this creates and unlocks a throwaway
#      "login" keyring, the default collection, so no prompt ever appears);
#   4. waits (at most STRONGROOM_SECRET_SERVICE_TIMEOUT seconds, default 10)
#      until the bus name org.freedesktop.secrets has an owner;
#   5. runs CMD with STRONGROOM_TEST_SECRET_SERVICE=1 (and the daemon's pid as
#      STRONGROOM_SECRET_SERVICE_PID) exported, and exits
#      with CMD's exit code; the daemon is killed and the temp dir removed.
#
# Works as root, with no standard input (CI), and never waits unboundedly
# for the daemon.
set -euo pipefail

readonly DEBIAN_PACKAGES='gnome-keyring dbus dbus-x11 libsecret-1-0 libsecret-tools'

die() {
  printf 'with-secret-service: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------------------
# Inner half: runs inside dbus-run-session, on the private bus.
# ---------------------------------------------------------------------------
if [[ "${1:-}" == '--inside-private-bus' ]]; then
  shift
  : "${STRONGROOM_SS_TMP:?internal error: temp dir not set}"
  log="$STRONGROOM_SS_TMP/gnome-keyring-daemon.log"
  daemon_pid=''

  stop_daemon() {
    if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then
      kill -TERM "$daemon_pid" 2>/dev/null || true
      # Bounded wait: give it 2 s to exit, then SIGKILL.
      for _ in $(seq 1 20); do
        kill -0 "$daemon_pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -KILL "$daemon_pid" 2>/dev/null || true
      wait "$daemon_pid" 2>/dev/null || true
    fi
  }
  trap stop_daemon EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # The keyring password only protects the throwaway keyring file in the temp
  # dir; it is random so nothing predictable is ever written to disk.
  password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  # `--unlock` reads the password from stdin up to EOF; the here-string gives
  # the daemon its own stdin, independent of ours (CI may have none).
  gnome-keyring-daemon --foreground --unlock --components=secrets \
    <<<"$password" >"$log" 2>&1 &
  daemon_pid=$!
  unset password

  name_has_owner() {
    dbus-send --session --dest=org.freedesktop.DBus --type=method_call \
      --print-reply --reply-timeout=1000 /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
      grep -q 'boolean true'
  }

  timeout_s="${STRONGROOM_SECRET_SERVICE_TIMEOUT:-10}"
  deadline=$((SECONDS + timeout_s))
  until name_has_owner; do
    if ! kill -0 "$daemon_pid" 2>/dev/null; then
      cat "$log" >&2 || true
      die "gnome-keyring-daemon exited before owning org.freedesktop.secrets (log above)"
    fi
    if ((SECONDS >= deadline)); then
      cat "$log" >&2 || true
      die "org.freedesktop.secrets had no owner after ${timeout_s}s (gnome-keyring-daemon log above)"
    fi
    sleep 0.1
  done

  export STRONGROOM_TEST_SECRET_SERVICE=1
  export STRONGROOM_SECRET_SERVICE_PID="$daemon_pid"
  rc=0
  "$@" || rc=$?
  exit "$rc"
fi

# ---------------------------------------------------------------------------
# Outer half: checks tools, makes the temp dir, starts the private bus.
# ---------------------------------------------------------------------------
if [[ $# -eq 0 ]]; then
  die "usage: bash test/with-secret-service.sh CMD [ARGS...]"
fi

missing=()
for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
  die "missing ${missing[*]}; install the Debian packages: apt-get install -y --no-install-recommends $DEBIAN_PACKAGES"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/strongroom-secret-service.XXXXXXXX")"
chmod 700 "$tmp"
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -m 700 "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/state" "$tmp/runtime"
export STRONGROOM_SS_TMP="$tmp"
export XDG_DATA_HOME="$tmp/data"       # keyrings/login.keyring
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache"
export XDG_STATE_HOME="$tmp/state"
export XDG_RUNTIME_DIR="$tmp/runtime"  # keyring/control socket
# Never talk to the caller's own session bus or keyring by accident.
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

# STRONGROOM_SS_NO_ACTIVATION=1: a bus that starts no service on demand, so a
# test that stops the daemon sees the Secret Service gone, not started anew.
bus_config=()
if [[ "${STRONGROOM_SS_NO_ACTIVATION:-}" == 1 ]]; then
  cat >"$tmp/bus.conf" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
  bus_config=(--config-file="$tmp/bus.conf")
fi

rc=0
dbus-run-session "${bus_config[@]}" -- bash "${BASH_SOURCE[0]}" --inside-private-bus "$@" || rc=$?
exit "$rc"
