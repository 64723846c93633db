"""gunicorn's settings for `make serve` and the systemd unit (docs/deploy.md).

    gunicorn -c python:fupin.gunicorn_conf

Every value comes from the environment, read by fupin.config (a wrong value stops start-up
with a message naming it): FUPIN_BIND (default 127.0.0.1:8000), FUPIN_WEB_WORKERS (default
two per CPU core plus one, at most 8) and FUPIN_WEB_TIMEOUT (seconds, default 60).
"""

import os

# Not `config`: gunicorn would take a module-level name `config` for its own setting.
from fupin import config as env

wsgi_app = "fupin.wsgi:application"
bind = env.env_list("FUPIN_BIND", ["127.0.0.1:8000"])
workers = env.env_int("FUPIN_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 8))
timeout = env.env_int("FUPIN_WEB_TIMEOUT", 60)
graceful_timeout = 30
# Requests and errors to stdout/stderr: systemd's journal (or the terminal) keeps them.
accesslog = "-"
errorlog = "-"
loglevel = env.env_str("LOG_LEVEL", "INFO").lower()
# The reverse proxy on this machine tells Fupin the request came over HTTPS.
forwarded_allow_ips = env.env_str("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# A worker that has served this many requests is replaced: bounds any slow leak.
max_requests = 2000
max_requests_jitter = 200
# gunicorn's control socket (~/.gunicorn/gunicorn.ctl) is not used: systemd or the script
# sends the signals, and two servers on one machine would share its path.
control_socket_disable = True
