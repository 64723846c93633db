#!/usr/bin/env bash
# `make serve`: Fupin as a county runs it on one server (docs/deploy.md). gunicorn with several
# worker processes on FUPIN_BIND (default 127.0.0.1:8000), FUPIN_TASK_WORKERS task workers
# (default 1), static files by WhiteNoise, logs to stdout/stderr. Configuration comes from the
# environment (.env.example); FUPIN_ENV is production unless set. Ctrl-C (or SIGTERM) stops all.
set -eu
BIN=${FUPIN_BIN:-.venv/bin}
export FUPIN_ENV=${FUPIN_ENV:-production}
"$BIN/fupin" check --deploy --fail-level ERROR
"$BIN/fupin" migrate --noinput
"$BIN/fupin" collectstatic --noinput -v 0
pids=()
stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
}
trap stop EXIT INT TERM
for i in $(seq 1 "${FUPIN_TASK_WORKERS:-1}"); do
  "$BIN/fupin" worker --no-reload --worker-id "$(hostname)-$i" &
  pids+=($!)
done
"$BIN/gunicorn" -c python:fupin.gunicorn_conf &
pids+=($!)
# Whichever stops first (a crash, or a signal to it) stops the rest; its status is ours.
status=0
wait -n || status=$?
exit "$status"
