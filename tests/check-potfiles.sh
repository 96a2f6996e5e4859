#!/usr/bin/env bash
# check-potfiles.sh SRCDIR: every file with translatable strings is listed in
# po/POTFILES.in, and every listed file exists.
#
# Copyright 2026 The Reconnect developers
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cd "$1"

listed=$(grep -v '^#' po/POTFILES.in | sed '/^[[:space:]]*$/d' | sort)

# C sources that mark strings (_(), N_(), C_(), NC_(), ngettext), templates
# with translatable="yes", and the data files that are always translated.
wanted=$( {
  grep -rlE '(^|[^A-Za-z0-9_])(N?C?_|g_dngettext|ngettext)[[:space:]]*\(' --include='*.c' src || true
  grep -rl 'translatable="yes"' --include='*.ui' ui src || true
  ls data/*.desktop.in.in data/*.metainfo.xml.in.in data/*.gschema.xml
} | sort -u)

status=0
missing=$(comm -13 <(printf '%s\n' "$listed") <(printf '%s\n' "$wanted"))
if [ -n "$missing" ]; then
  echo "These files have translatable strings but are missing from po/POTFILES.in:"
  printf '  %s\n' $missing
  status=1
fi

for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done

[ $status = 0 ] && echo "po/POTFILES.in lists all $(printf '%s\n' "$listed" | wc -l) files with translatable strings"
exit $status
