#!/usr/bin/env bash
# The Debian package, installed for real with dpkg into a scratch root
# (dpkg --root, maintainer scripts run with DPKG_ROOT, as dpkg does for a
# chrootless install), then checked: the stripped binary, the conffile, the
# followupd system user and its data folder made by the postinst (and made
# once on reinstall), the man page, /usr/share/doc, the systemd unit
# (systemd-analyze verify), and the installed binary checking the installed
# config and starting on it. Remove keeps the config; purge removes it.
#
# What this does not prove: the service started by a real systemd (the
# machine running the tests has none as PID 1); tests/integration/signals
# plays systemd's side of sd_notify instead.
#
#   tests/package/package_test.sh [BUILD_DIR]    (after scripts/package)
set -euo pipefail
BUILD=$(cd "${1:-build}" && pwd)
debs=("$BUILD"/followupd_*.deb)
[ -f "${debs[0]}" ] || { echo "no followupd_*.deb in $BUILD: run scripts/package" >&2; exit 1; }
deb=${debs[-1]}
passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
bad() { echo "FAILED: $*" >&2; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }

root=$(mktemp -d /tmp/followupd-pkg.XXXXXX)
dpkg_log=$(mktemp /tmp/followupd-pkg-dpkg.XXXXXX)
pid=
cleanup() { [ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$root" "$dpkg_log"; }
trap cleanup EXIT
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/etc"
touch "$root/var/lib/dpkg/status" "$root/var/lib/dpkg/available"
# Only root exists before: the followupd user must come from the postinst.
echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
echo 'root:x:0:' > "$root/etc/group"
# The scratch root has none of the package's dependencies: dpkg says so at
# length; its output is shown only if it fails.
dpkg_root() {
  dpkg --root="$root" --force-script-chrootless --force-depends "$@" >"$dpkg_log" 2>&1 ||
    { cat "$dpkg_log" >&2; echo "FAILED: dpkg $*" >&2; exit 1; }
}

echo "installing $(basename "$deb") into $root"
dpkg_root -i "$deb"

# --- files --------------------------------------------------------------------
bin="$root/usr/bin/followupd"
check "binary installed in /usr/bin" test -x "$bin"
check "binary stripped (no .debug_info, no symbol table)" \
  sh -c "! readelf -S '$bin' | grep -qE '\\.debug_info|\\.symtab'"
check "systemd unit in /usr/lib/systemd/system" test -f "$root/usr/lib/systemd/system/followupd.service"
check "man page followupd(1)" test -f "$root/usr/share/man/man1/followupd.1.gz"
for f in README.md CONFIG.md copyright changelog.gz; do
  check "/usr/share/doc/followupd/$f" test -s "$root/usr/share/doc/followupd/$f"
done
check "changelog.gz is gzip" gzip -t "$root/usr/share/doc/followupd/changelog.gz"
check "changelog in Debian's format" sh -c "zcat '$root/usr/share/doc/followupd/changelog.gz' | head -1 | grep -qE '^followupd \\([0-9.]+\\) [a-z]+; urgency='"

# --- conffile and config --------------------------------------------------------
conffiles=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Conffiles}' followupd)
check "/etc/followupd/config.json is a conffile" grep -q '^ /etc/followupd/config.json [0-9a-f]\{32\}$' <<<"$conffiles"
cfg="$root/etc/followupd/config.json"
check "config is safe: loopback only" grep -q '"address": "127.0.0.1"' "$cfg"
check "config is safe: no demo data" grep -q '"seed": false' "$cfg"
check "config is safe: web chat off until given a token" grep -q '"enabled": false' "$cfg"

# --- the user and its folders (the postinst) -----------------------------------------
user=$(grep '^followupd:' "$root/etc/passwd" || true)
check "postinst made the followupd user" test -n "$user"
IFS=: read -r _ _ uid gid _ home shell <<<"$user"
check "followupd is a system user (uid $uid < 1000)" test "${uid:-1000}" -lt 1000
check "its home is /var/lib/followupd" test "$home" = /var/lib/followupd
check "it has no login shell ($shell)" sh -c "case '$shell' in */nologin|*/false) true;; *) false;; esac"
check "its group followupd exists" grep -q "^followupd:x:$gid:" "$root/etc/group"
check "/var/lib/followupd owned by followupd, mode 750" \
  test "$(stat -c '%u:%g %a' "$root/var/lib/followupd")" = "$uid:$gid 750"
check "config readable by root and the followupd group only" test "$(stat -c '%u:%g %a' "$cfg")" = "0:$gid 640"

# --- the unit ------------------------------------------------------------------
# systemd-analyze verify checks the unit's directives and that ExecStart's
# binary is executable; that binary is the one in the scratch root here.
unit_dir=$(mktemp -d "$root/unit.XXXX")
sed "s|/usr/bin/followupd|$bin|" "$root/usr/lib/systemd/system/followupd.service" >"$unit_dir/followupd.service"
check "systemd-analyze verify followupd.service" systemd-analyze verify --man=no "$unit_dir/followupd.service"
# Its exposure as systemd-analyze security rates it (0 best, 10 worst): 1.4 when written.
check "systemd-analyze security: exposure at most 2.0" \
  sh -c "systemd-analyze security --offline=true --threshold=20 '$unit_dir/followupd.service' >'$root/sec.txt' 2>&1 ||
         { cat '$root/sec.txt' >&2; false; }"
for directive in Type=notify WatchdogSec= ExecReload= ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
  ReadWritePaths=/var/lib/followupd ProtectHome=yes RestrictAddressFamilies= SystemCallFilter=@system-service User=followupd; do
  check "unit sets $directive" grep -q "^$directive" "$unit_dir/followupd.service"
done

# --- the man page ------------------------------------------------------------------
man_text=$(MANWIDTH=100 man -l "$root/usr/share/man/man1/followupd.1.gz" 2>/dev/null)
for want in 'check-config' '/etc/followupd/config.json' SIGHUP 'snooze 42 2h' 'CHAT COMMANDS'; do
  check "man page mentions $want" grep -qF -- "$want" <<<"$man_text"
done

# --- the installed binary on the installed config ------------------------------------
check "followupd check-config /etc/followupd/config.json" \
  sh -c "'$bin' check-config -c '$cfg' | grep -q ': ok'"
check "without --config (and no config/demo.json here) the default is /etc/followupd/config.json" \
  sh -c "cd '$root' && '$bin' --help | grep -q '/etc/followupd/config.json'"
# It starts on that config (the database in the scratch root, any free port) and stops on SIGTERM.
"$bin" run -c "$cfg" --db "$root/var/lib/followupd/followupd.db" --port 0 --port-file "$root/port" >"$root/run.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do [ -s "$root/port" ] && break; sleep 0.1; done
check "it starts on the installed config" test -s "$root/port"
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
pid=
check "and stops cleanly on SIGTERM" test "$rc" -eq 0
[ "$rc" -eq 0 ] || cat "$root/run.log" >&2

# --- reinstall, remove, purge ------------------------------------------------------
dpkg_root -i "$deb"
check "reinstalling makes the user once" test "$(grep -c '^followupd:' "$root/etc/passwd")" -eq 1
dpkg_root -r followupd
check "remove: the binary goes" test ! -e "$bin"
check "remove: the conffile stays" test -f "$cfg"
check "remove: the data folder stays" test -d "$root/var/lib/followupd"
dpkg_root -P followupd
check "purge: the conffile goes" test ! -e "$cfg"

echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
