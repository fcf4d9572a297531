# syntax=docker/dockerfile:1.7
# InfraShare image: the web UI built with Node, the Python app installed with uv from uv.lock.
# The app keeps the repository layout under /app (settings find alembic.ini, migrations/, seed/
# and frontend/dist relative to the package), so the project is installed editable from /app/backend.

# --- web UI -----------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS frontend
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY frontend/ ./
RUN npm run build

# --- Python dependencies and the project, into /app/.venv ----------------------------------------
FROM python:3.11-slim AS build
COPY --from=ghcr.io/astral-sh/uv:0.13.9 /uv /bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /app
# Dependencies first: this layer is reused until pyproject.toml or uv.lock change.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY backend/ backend/
RUN uv sync --frozen --no-dev

# --- runtime ------------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    INFRASHARE_HOST=0.0.0.0 \
    INFRASHARE_PORT=8000 \
    INFRASHARE_VAR_DIR=/app/var
RUN groupadd --system --gid 10001 infrashare \
    && useradd --system --uid 10001 --gid infrashare --home-dir /app --no-create-home infrashare
WORKDIR /app
COPY --from=build /app/.venv /app/.venv
COPY backend/ /app/backend/
COPY migrations/ /app/migrations/
COPY alembic.ini /app/alembic.ini
COPY seed/ /app/seed/
COPY --from=frontend /build/frontend/dist/ /app/frontend/dist/
RUN mkdir -p /app/var && chown infrashare:infrashare /app/var
USER infrashare:infrashare
EXPOSE 8000
CMD ["infrashare", "serve", "--host", "0.0.0.0"]
