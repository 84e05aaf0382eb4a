"""The API's rate limit: settings.API_RATE requests per physician in a fixed window.

Whichever of their tokens or their session a physician uses, the count is theirs. It is kept
in the database (api.models.RequestCount) and counted by a single upsert, atomic across every
web process: the cache would need five round trips for a count that two processes could both
read as under the limit. A fixed window lets a burst of up to twice the rate straddle its end;
the limit is against a runaway script, not a precise meter.
"""

import time

from django.conf import settings
from django.db import connection
from ninja.throttling import BaseThrottle

from api.models import RequestCount

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}

# Committed without waiting for the disk (synchronous_commit off, for this statement's
# transaction only): a count lost to a crash lets a few requests more through, nothing worse.
_COUNT = f"""
    INSERT INTO {RequestCount._meta.db_table} AS counted (physician_id, "window", count)
    SELECT %s, %s, 1 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
    ON CONFLICT (physician_id) DO UPDATE SET
        count = CASE WHEN counted."window" = EXCLUDED."window" THEN counted.count + 1 ELSE 1 END,
        "window" = EXCLUDED."window"
    RETURNING count
"""  # noqa: S608 (the table's name is the model's, not outside input)


def rate() -> tuple[int, int]:
    """(requests, period in seconds) of settings.API_RATE, such as "600/min"."""
    number, unit = settings.API_RATE.split("/")
    return int(number), PERIODS[unit]


class PerPhysician(BaseThrottle):
    def allow_request(self, request) -> bool:
        most, period = rate()
        with connection.cursor() as cursor:
            cursor.execute(_COUNT, [request.user.pk, int(time.time()) // period])
            (count,) = cursor.fetchone()
        return count <= most

    def wait(self) -> float:
        """Seconds until the window ends and the count starts again."""
        _, period = rate()
        return period - time.time() % period
