# The production image: gunicorn serves the portal; the same image runs the Celery worker and beat.
FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv UV_PYTHON_DOWNLOADS=never PATH=/opt/venv/bin:$PATH
# WeasyPrint needs Pango; fonts for the PDFs.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN pip install --no-cache-dir "uv>=0.13,<0.14" && uv sync --frozen --no-dev --no-install-project
COPY --from=frontend /build/node_modules ./node_modules
COPY . .
RUN DJANGO_ENV=production DJANGO_SECRET_KEY=collectstatic-only-0000000000000000000000000000000000000 \
    DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build@localhost/build EMAIL_HOST=localhost \
    python manage.py collectstatic --noinput
RUN useradd --create-home academy && mkdir -p /app/.data/media && chown -R academy /app/.data
USER academy
EXPOSE 8000
CMD ["gunicorn", "academy.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
