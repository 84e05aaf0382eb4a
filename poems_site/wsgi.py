"""WSGI entry point for production servers."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poems_site.settings")

application = get_wsgi_application()

# Load WeasyPrint (and its parsed user-agent stylesheets) now rather than at the first PDF, then
# move everything loaded so far, which lives as long as the process, out of the garbage
# collector's sight: a PDF render allocates enough to trigger full collections, which would
# otherwise walk all of Django and WeasyPrint each time (about 25 ms a render, bench/pdf.py).
import assessment.pdf  # noqa: E402, F401

gc.freeze()
