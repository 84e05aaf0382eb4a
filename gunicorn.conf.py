"""gunicorn settings for the container image (`gunicorn -c gunicorn.conf.py poems_site.wsgi`).

Read by gunicorn at start; every value can still be overridden on the command line.
"""

import os

# Inside the container; docker-compose.yml decides what the host publishes.
bind = "0.0.0.0:8000"

# WEB_CONCURRENCY is the usual knob (2 to 4 per core); never fewer than 2, so one slow PDF
# cannot hold up every other request.
workers = max(2, int(os.environ.get("WEB_CONCURRENCY", "2")))

# Recycle each worker after about 1000 requests (the jitter staggers the restarts), so memory
# stays bounded whatever a long run of PDF renders leaves behind.
max_requests = 1000
max_requests_jitter = 100
# The app (Django, WeasyPrint) is loaded once, in the master, and each worker forked from it:
# a recycled worker starts in milliseconds instead of importing everything again (a second and
# more of CPU every 1000 requests, a quarter of the API's evaluations a second:
# bench/api_evaluate.py), and the workers share the pages of what poems_site/wsgi.py froze.
# Nothing connects to the database while loading, so no connection is shared across the fork.
preload_app = True

# A request taking longer than this is stuck: the worker is killed and replaced.
timeout = 30
graceful_timeout = 30

# No access log by default: request lines carry query strings, and the list's search puts
# patient references there. Set GUNICORN_ACCESS_LOG=- to log requests to stdout when needed.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# When it is on, log the path without its query string (%(U)s, not the request line %(r)s).
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'

# Errors and worker restarts go to stderr, where `docker compose logs` reads them.
errorlog = "-"
loglevel = "info"

# Nothing written to the container's disk: the workers' heartbeat files go to memory (/dev/shm),
# and the control socket gunicorn >= 24 would put under $HOME (gunicornc) stays off.
worker_tmp_dir = "/dev/shm"  # noqa: S108 (shared memory, not a shared temporary directory)
control_socket_disable = True
