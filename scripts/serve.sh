#!/usr/bin/env bash
# Serve Fupin on http://127.0.0.1:8000 with a background task worker beside it; Ctrl-C stops both.
set -eu
BIN=.venv/bin
"$BIN/fupin" worker --interval 0.5 --no-reload &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
cat <<TXT

  Fupin is starting on http://127.0.0.1:8000/  (task worker pid $worker)
  Demo logins, password for all: fupin-demo-2019
    clerk (village clerk) · team (resident team) · township (township reviewer)
    county (county approver) · inspector (inspector) · water (district water bureau)
    admin (administrator)
    clerk2 (village clerk of the second village, to see out-of-area access refused)

TXT
"$BIN/fupin" runserver 127.0.0.1:8000 --noreload
