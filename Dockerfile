# syntax=docker/dockerfile:1
# One image, three entry points: the worker (default target), the callback receiver and the CI emulator.
#   docker build -t ci-asr-worker .                     # worker
#   docker build --target receiver -t ci-asr-receiver .
#   docker build --target emulator -t ci-asr-emulator .
# @temporalio/worker loads a native glibc library: use a Debian-based Node image, not Alpine. The image runs the newest
# LTS line at the patch that .ci/run tests (.ci/node-versions; test/node-support.test.ts keeps the two equal). Another
# supported line (CONTRIBUTING.md "Supported Node.js versions"): --build-arg NODE_IMAGE=node:<version>-bookworm-slim.
ARG NODE_IMAGE=node:24.22.3-bookworm-slim

# All dependencies, for compiling and bundling. Scripts are skipped: the only install script (@swc/core's) checks a
# binary that npm already picked for this platform.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

# TypeScript -> dist/, then the workflow bundle, prebuilt so a worker starts without webpack and runs exactly the
# workflow code it was built with (the worker reads it from WORKFLOW_BUNDLE_PATH).
FROM deps AS build
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && node -e "require('./dist/worker-setup/transcription-worker').bundleTranscriptionWorkflows().then((b) => require('node:fs').writeFileSync('dist/workflow-bundle.js', b.code))"

# Production dependencies only.
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# Shared runtime: code owned by root and read-only for the unprivileged `node` user (uid 1000) that runs it.
FROM ${NODE_IMAGE} AS runtime
# The slim image has no CA bundle, and the worker's SDK core (Rust, native roots) verifies the Temporal server's TLS
# certificate against the system's: without ca-certificates, Temporal Cloud and any TLS frontend with a publicly signed
# certificate fail with "UnknownIssuer". Node's own HTTPS (COS, CI) carries its bundled CA list and is not affected.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
USER node
CMD ["node", "dist/worker.js"]

# Callback receiver: POST /ci/callback/<workflowId> on 8787 (public, behind the HTTPS ingress); GET /healthz and
# GET /metrics on the private admin port 9465.
FROM runtime AS receiver
ENV RECEIVER_HOST=0.0.0.0 \
    RECEIVER_PORT=8787 \
    RECEIVER_ADMIN_HOST=0.0.0.0 \
    RECEIVER_ADMIN_PORT=9465
EXPOSE 8787 9465
CMD ["node", "dist/receiver/main.js"]

# CI emulator (local use only); keeps its state in /var/lib/ci-emulator when EMULATOR_STATE_FILE points there.
FROM runtime AS emulator
USER root
RUN mkdir -p /var/lib/ci-emulator && chown node:node /var/lib/ci-emulator
USER node
ENV EMULATOR_HOST=0.0.0.0 \
    EMULATOR_PORT=9100
EXPOSE 9100
CMD ["node", "dist/emulator/main.js"]

# Worker, last so that a plain `docker build .` produces it. Prometheus metrics on 9464 when
# WORKER_METRICS_BIND_ADDRESS=0.0.0.0:9464. The healthcheck script (deploy/worker-healthcheck.mjs) asks Temporal
# whether this container's worker is polling its task queue.
FROM runtime AS worker
COPY deploy/worker-healthcheck.mjs ./deploy/
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
EXPOSE 9464
CMD ["node", "dist/worker.js"]
