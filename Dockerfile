# The image behind docker-compose.yml's web, worker and beat services.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir .
COPY . .
# Production storage (hashed, compressed names); the key is a build-time throwaway.
RUN DEBUG=no SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home clinic && chown -R clinic /app
USER clinic
EXPOSE 8000
