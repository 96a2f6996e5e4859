#!/usr/bin/env bash
# check-flatpak-manifest.sh MANIFEST APP-ID: flatpak-builder parses the
# manifest, and it asks for no more of the sandbox than Reconnect needs.
#
# Copyright 2026 The Reconnect developers
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
manifest=$1
app_id=$2

shown=$(flatpak-builder --show-manifest "$manifest")

fail() { echo "$manifest: $*"; exit 1; }

grep -q "\"id\" : \"$app_id\"" <<<"$shown" || fail "the app id is not $app_id"
grep -q '"runtime" : "org.gnome.Platform"' <<<"$shown" || fail "the runtime is not org.gnome.Platform"
grep -q '"command" : "reconnect"' <<<"$shown" || fail "the command is not reconnect"
grep -q '"buildsystem" : "meson"' <<<"$shown" || fail "the module is not built with meson"
grep -q '"run-tests" : true' <<<"$shown" || fail "run-tests is not on"

# Exactly the minimal permissions: the keyring, notifications and the browser
# all go through portals, so no --talk-name and no file system access.
args=$(sed -n '/"finish-args"/,/]/p' <<<"$shown" | grep -o '"--[^"]*"' | tr -d '"' | sort | tr '\n' ' ')
expected="--device=dri --share=ipc --share=network --socket=fallback-x11 --socket=wayland "
[ "$args" = "$expected" ] || fail "finish-args are '$args', expected '$expected'"

echo "$manifest parses, app id $app_id, finish-args: $args"
