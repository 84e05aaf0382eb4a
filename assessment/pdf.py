"""The assessment as a PDF: the summary page's content, laid out for print by WeasyPrint.

The PDF is rendered from `templates/assessment/pdf.html`, which includes the same partials as
the summary page. WeasyPrint fetches nothing from the network: `StaticFilesFetcher` serves the
project's static files from disk and refuses every other URL.

Speed and memory: `static/css/print.css` is parsed once per process and handed to WeasyPrint
as a user stylesheet (the template does not link it), and each thread reuses one
`FontConfiguration` instead of WeasyPrint building a new fontconfig configuration and Pango font
map for every document. A download reuses the PDF last made of the same document (`pdf_of`).
"""

import functools
import hashlib
import mimetypes
import re
import threading
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import dateformat, timezone
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from assessment.models import Assessment
from assessment.services import findings_sha256, signed_document
from assessment.summary import summary_context
from followup.course import course_context
from review.services import threads

# The document's base URL. `.invalid` never resolves (RFC 2606), and nothing is fetched from
# it anyway: it only gives `{% static %}` URLs an absolute form that the fetcher recognises.
BASE_URL = "https://poems-assess.invalid/"
# How long a rendered PDF is kept for another download of the same document.
CACHE_SECONDS = 60 * 60


class RefusedURL(ValueError):
    """The PDF renderer asked for something other than one of our static files."""


class ContradictoryFindings(Exception):
    """The stored findings contradict each other, so there is no evaluation to print."""

    def __init__(self, problems):
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


class PdfRenderingError(Exception):
    """The PDF could not be rendered (a stylesheet or image of ours could not be served)."""


def _static_path() -> str:
    """STATIC_URL's path, e.g. "/static/"."""
    path = urlsplit(settings.STATIC_URL).path
    return "/" + path.strip("/") + "/"


def _static_file(url: str) -> Path:
    """The file on disk for a URL of one of our static files; RefusedURL for anything else."""
    parts = urlsplit(url)
    origin = urlsplit(BASE_URL)
    if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
        raise RefusedURL(f"Refused to fetch {url!r}: the PDF may only use the site's static files.")
    prefix = _static_path()
    path = unquote(parts.path)
    if not path.startswith(prefix):
        raise RefusedURL(f"Refused to fetch {url!r}: it is not under {prefix}.")
    relative = path.removeprefix(prefix)
    if "\\" in relative or any(part in ("", ".", "..") for part in relative.split("/")):
        raise RefusedURL(f"Refused to fetch {url!r}: not a plain static file path.")
    found = finders.find(relative)
    if found:
        return Path(found)
    # After collectstatic (production), hashed names exist only in STATIC_ROOT.
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT, relative)
        if candidate.is_file():
            return candidate
    raise RefusedURL(f"Refused to fetch {url!r}: no such static file.")


class StaticFilesFetcher(URLFetcher):
    """Serves the site's static files from disk; refuses every other URL (no HTTP, no file:)."""

    def __init__(self):
        # A refused URL stops the rendering rather than giving a PDF without its styles.
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        path = _static_file(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


@functools.cache
def print_stylesheet() -> CSS:
    """`css/print.css`, parsed once per process (a CSS object is only read while rendering).

    It must not use `@font-face`: the fonts come from the system, through each thread's
    `FontConfiguration`. An edit to the file needs a restart to show in the PDF.
    """
    return CSS(url=_print_css_url(), url_fetcher=StaticFilesFetcher())


def _print_css_url() -> str:
    return urljoin(BASE_URL, static("css/print.css"))


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """This thread's FontConfiguration: built once, then reused (Pango's font map isn't shared)."""
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def pdf_context(assessment: Assessment) -> dict:
    """The summary's context plus what only the PDF shows; ContradictoryFindings if it can't."""
    context = summary_context(assessment)
    if "problems" in context:
        raise ContradictoryFindings(context["problems"])
    owner = assessment.owner
    context.update(
        physician=owner.get_full_name() or owner.get_username(),
        generated_at=dateformat.format(timezone.localtime(), "Y-m-d H:i:s e"),
        findings_sha256=findings_sha256(assessment),
        # The review section: the queries and their threads, as they stand.
        queries=[] if assessment._state.adding else list(threads(assessment)),
        # The partials leave out screen-reader-only text and some purely visual spans.
        for_pdf=True,
        # Staging and the follow-up visits, as the course page shows them.
        course=None if assessment._state.adding else course_context(assessment),
    )
    return context


def render_pdf(assessment: Assessment) -> bytes:
    """The assessment's PDF. Works on an unsaved assessment too: nothing is read or written."""
    return _write_pdf(render_to_string("assessment/pdf.html", pdf_context(assessment)))


def pdf_of(assessment: Assessment) -> bytes:
    """The assessment's PDF: for a signed one, the document archived at signing; otherwise
    reused from the cache while the document would read the same.

    The key is the document's HTML without its generation time, with the stylesheet and the
    renderer: any change to what the PDF shows (a finding, the verdict, a signature, a review,
    the physician's name, a template) makes a new one. A reused PDF keeps the time it was
    generated, which stays true of it.
    """
    archived = signed_document(assessment)
    if archived is not None:
        return bytes(archived.pdf)
    context = pdf_context(assessment)
    html = render_to_string("assessment/pdf.html", context)
    document_without_time = html.replace(context["generated_at"], "")
    key = "pdf:" + hashlib.sha256((_renderer() + document_without_time).encode()).hexdigest()
    document = cache.get(key)
    if document is None:
        document = _write_pdf(html)
        cache.set(key, document, CACHE_SECONDS)
    return document


@functools.cache
def _renderer() -> str:
    """What draws the PDF besides its HTML: WeasyPrint's version and the print stylesheet."""
    stylesheet = _static_file(_print_css_url()).read_bytes()
    return f"WeasyPrint {weasyprint.__version__} {hashlib.sha256(stylesheet).hexdigest()}\n"


def _write_pdf(html: str) -> bytes:
    try:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesFetcher())
        return document.write_pdf(
            stylesheets=[print_stylesheet()], font_config=font_configuration()
        )
    except FatalURLFetchingError as error:
        # A BaseException in WeasyPrint, which Django would not turn into a 500.
        raise PdfRenderingError(f"{error}: {error.__cause__}") from error


def pdf_filename(assessment: Assessment) -> str:
    """`poems-assessment-<patient reference>-<date>.pdf`, with only filename-safe characters."""
    reference = re.sub(r"[^A-Za-z0-9_-]+", "-", assessment.patient_reference).strip("-_")
    date = assessment.assessment_date.isoformat()
    return f"poems-assessment-{reference or 'unnamed'}-{date}.pdf"
