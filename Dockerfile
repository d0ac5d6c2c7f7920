# The image behind docker-compose.yml's web, worker and beat services.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Every package pinned with its hashes (requirements.lock, `make lock`): the image runs the
# versions CI tested, and a file that changed on the index is refused. Then the portal itself.
COPY requirements.lock pyproject.toml README.md ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock \
    && pip install --no-cache-dir --no-deps .
COPY . .
# Production storage (hashed, compressed names); the key is a build-time throwaway.
RUN DEBUG=no SECRET_KEY=build-only-collectstatic-key-not-used-at-runtime-0123456789 \
    ALLOWED_HOSTS=build python manage.py collectstatic --noinput
RUN useradd --create-home clinic && chown -R clinic /app
USER clinic
EXPOSE 8000
