# The production image: gunicorn serving POEMS Assess, static files collected at build time and
# served by WhiteNoise. Configuration comes from the environment at run time (README, "Deploy").
# The shared clinical vignettes are not in the image: seed_demo is for development only.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_DEBUG=false

# WeasyPrint renders the PDFs with Pango and takes its fonts from the system.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The dependencies exactly as locked (requirements.txt, hashes checked: README, "Dependencies"),
# gunicorn among them and the embedded PostgreSQL not; then the project on top, as a package.
COPY requirements.txt ./
RUN pip install --require-hashes --requirement requirements.txt
COPY pyproject.toml README.md ./
# Every package of pyproject.toml's `packages.find` (tests/test_deployment.py checks the list).
COPY poems_site poems_site
COPY assessment assessment
COPY dbroles dbroles
COPY review review
COPY jobs jobs
COPY api api
COPY followup followup
RUN pip install --no-deps . && rm -rf build *.egg-info

COPY manage.py gunicorn.conf.py ./
COPY templates templates
COPY static static

# Settings refuse to load with DEBUG off unless given a secret key, hosts and a database URL.
# collectstatic touches none of them, so throwaway values on this line only do; nothing is
# connected to and none of them stays in the image.
RUN DJANGO_SECRET_KEY=collectstatic-at-build-time-only-not-a-real-secret \
    DJANGO_ALLOWED_HOSTS=build.invalid \
    DATABASE_URL=postgres://build@build.invalid:5432/build \
    python manage.py collectstatic --noinput

# The app runs unprivileged and writes nothing to disk: sessions, cache and data are in
# PostgreSQL, PDFs are rendered in memory, and the code above stays owned by root.
RUN useradd --system --uid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin poems
USER poems

EXPOSE 8000

# gunicorn, as the app's own database role (compose's `worker` runs the jobs' worker from this
# image with another command). The schema, the roles, the cache table and the
# re-evaluation of cases are compose's `migrate` service's (as the owner), run before it.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "poems_site.wsgi"]
