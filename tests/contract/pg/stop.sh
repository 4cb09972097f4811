#!/usr/bin/env bash
# Stops the throwaway PostgreSQL that start.sh started for <state-dir> and removes its folder.
# Does nothing when there is none (or when start.sh only recorded WEFT_TEST_PG_URL).
#
#   stop.sh <state-dir>
set -uo pipefail

[ $# -eq 1 ] || { echo "usage: stop.sh <state-dir>" >&2; exit 1; }
state="$1"
[ -d "$state" ] || exit 0

if [ -f "$state/pg_ctl.sh" ]; then
  bash "$state/pg_ctl.sh" stop -m fast > /dev/null 2>&1 \
    || bash "$state/pg_ctl.sh" stop -m immediate > /dev/null 2>&1 || true
fi
if [ -f "$state/base" ]; then
  base=$(cat "$state/base")
  pidfile="$base/data/postmaster.pid"
  if [ -f "$pidfile" ]; then
    pid=$(head -n 1 "$pidfile")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null; fi
  fi
  case "$base" in
    "$state"/cluster|/tmp/weft-pg.*) rm -rf "$base" ;;
  esac
fi
rm -f "$state/url" "$state/pg_ctl.sh" "$state/base"
exit 0
