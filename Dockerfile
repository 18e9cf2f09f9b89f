# Gatehouse: the API serving the built console under /ui, in one image.
#
#   docker build -t gatehouse .
#   docker run -p 4000:4000 -e PROXY_MASTER_KEY=sk-... -e DATABASE_URL=postgres://... gatehouse
#
# Node 20.19 is the floor: the Nest 12 packages are ESM only and the CommonJS build loads
# them through require(esm). The 20 tag follows the newest 20.x, which is past that.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# swagger-ui-dist's Scarf dependency reports installs over the network unless told not to;
# a self-hosted build should not call out.
ENV DO_NOT_TRACK=1 SCARF_ANALYTICS=false NG_CLI_ANALYTICS=false
# The manifests alone first, so that the install layer stays cached while sources change.
# argon2, esbuild, @swc/core and lmdb come with prebuilt binaries for linux, so no
# compiler is needed here.
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY apps/api/package.json apps/api/
COPY apps/admin/package.json apps/admin/
RUN npm ci --no-audit --no-fund
COPY . .
# libs/domain to libs/domain/dist, the API to dist/api, the console to dist/admin/browser.
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production DO_NOT_TRACK=1 SCARF_ANALYTICS=false
# Production dependencies of the API and the shared library only: the console is static
# files by now, so Angular and every build tool stay behind. npm ci wants every workspace's
# manifest to match the lock file, hence the console's package.json too.
COPY package.json package-lock.json ./
COPY libs/domain/package.json libs/domain/
COPY apps/api/package.json apps/api/
COPY apps/admin/package.json apps/admin/
RUN npm ci --omit=dev --workspace=apps/api --workspace=libs/domain --no-audit --no-fund \
  && npm cache clean --force
# @gatehouse/domain resolves through the workspace link to libs/domain, so its build
# goes back where package.json's "main" expects it.
COPY --from=build /app/libs/domain/dist libs/domain/dist
COPY --from=build /app/dist/api dist/api
# The app looks for the console in dist/admin/browser under its working folder
# (GATEHOUSE_CONSOLE_DIR), which WORKDIR makes /app/dist/admin/browser.
COPY --from=build /app/dist/admin/browser dist/admin/browser
# The code stays owned by root, so the process cannot change it; only ./data, where the
# embedded database lives when DATABASE_URL is unset, belongs to the unprivileged user.
RUN mkdir data && chown node:node data
USER node
EXPOSE 4000
# Slim images have no curl; Node 20 has fetch. Liveness only, on purpose: an orchestrator
# that replaces unhealthy containers must not replace them all while the database is away
# (/health/readiness is for the load balancer).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + \
    '/health/liveliness').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself as PID 1, not npm, so that SIGTERM reaches the app's graceful shutdown.
CMD ["node", "dist/api/main.js"]
