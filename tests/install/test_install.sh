#!/usr/bin/env bash
# Installs spotctl as a user would, twice: `cmake --install --strip` into a scratch root, and the
# .deb that CPack builds, unpacked with dpkg -x. Each installed copy must run, find its migrations
# and seeds without --dir, find its modules (a PDF report written from a scratch database of the
# test server, SPOTCTL_TEST_PG) while its binary links none of their libraries, be stripped, and
# have man pages and completions that work; lintian finds no error in the .deb.
set -euo pipefail
build=$1
: "${SPOTCTL_TEST_PG:?the test server (scripts/test or scripts/dev-env)}"
unset SPOTCTL_MODULE_DIR
scratch=$(mktemp -d)
db=spotctl_install_$$
pg_admin() { PGOPTIONS=--client-min-messages=warning psql "$SPOTCTL_TEST_PG" -qAtc "$1" >/dev/null; }
pg_admin "CREATE DATABASE $db TEMPLATE spotctl_template"
trap 'rm -rf "$scratch"; pg_admin "DROP DATABASE IF EXISTS $db"' EXIT

check_tree() {  # ROOT PREFIX
  local root=$1 prefix=$2 bin
  bin=$root$prefix/bin/spotctl
  "$bin" --version | grep -q '^spotctl [0-9]'
  if ldd "$bin" | grep -E 'pango|cairo|fontconfig|harfbuzz|curl'; then echo "$bin links the libraries above" >&2; exit 1; fi
  rm -f "$scratch/report.pdf"
  (cd "$scratch" && "$bin" --database-url "${SPOTCTL_TEST_PG/dbname=postgres/dbname=$db}" -q -o pdf report run revenue \
    --from 2026-03-01 --to 2026-03-02 --output-file "$scratch/report.pdf")
  qpdf --check "$scratch/report.pdf" >/dev/null
  # From a directory without ./migrations: the installed copy is found beside the binary.
  (cd "$scratch" && "$bin" migrate validate --offline) | grep -q 'migration(s) valid'
  ls "$root$prefix/share/spotctl/seeds/users.csv" >/dev/null
  for page in spotctl spotctl-migrate spotctl-seed spotctl-health; do
    MANWIDTH=80 man -l "$root$prefix/share/man/man1/$page.1.gz" 2>&1 >/dev/null | { ! grep -q .; }
  done
  bash -c "source '$root$prefix/share/bash-completion/completions/spotctl'; COMP_WORDS=(spotctl mig); COMP_CWORD=1; _spotctl; [ \"\${COMPREPLY[*]}\" = migrate ]"
  ls "$root$prefix/share/doc/spotctl/examples/systemd/spotctl-prune.timer" "$root$prefix/share/doc/spotctl/examples/crontab" >/dev/null
  # Stripped: no symbol table and no debug sections (the build tree's binary has both).
  if readelf -S "$bin" | grep -qE '\.symtab|\.debug_'; then echo "$bin is not stripped" >&2; exit 1; fi
  echo "installed size: $(du -sk "$root$prefix" | cut -f1) KiB (binary $(du -k "$bin" | cut -f1) KiB)"
}

DESTDIR=$scratch/root cmake --install "$build" --prefix /usr/local --strip >/dev/null
check_tree "$scratch/root" /usr/local
echo "cmake --install: ok"

(cd "$build" && cpack -G DEB -B "$scratch/deb" >/dev/null)
deb=$(ls "$scratch"/deb/*.deb)
dpkg-deb --field "$deb" Depends | grep -q 'libpq5'
dpkg -x "$deb" "$scratch/debroot"
check_tree "$scratch/debroot" /usr
# Errors only: warnings and pedantic tags are reported, not failed.
lintian --no-tag-display-limit "$deb" >"$scratch/lintian.txt" 2>&1 || true
if grep -q '^E: ' "$scratch/lintian.txt"; then cat "$scratch/lintian.txt" >&2; echo "lintian found errors in the .deb" >&2; exit 1; fi
echo "lintian: no error ($(grep -c '^W: ' "$scratch/lintian.txt" || true) warning(s))"
echo "deb $(basename "$deb"): ok"
echo "3 passed, 0 failed"
