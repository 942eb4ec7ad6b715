# syntax=docker/dockerfile:1
# Switchboard's image: one image, two commands.
#   web:     docker run … switchboard              (node server.js, the default)
#   workers: docker run … switchboard node worker.js   (with WORKERS=external on the web process)
# Build: docker build -t switchboard .   — docs/deploy.md has the rest.
# scripts/check-image.sh runs these stages' commands where Docker is not available; keep the
# two in step (it checks that every RUN below is one it runs).

ARG NODE_VERSION=22.23.3

# --- base: Node 22 and the npm that wrote package-lock.json ---------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
# npm 11 reads the lockfile's allowScripts policy; the image's bundled npm 10 would not.
RUN npm install -g npm@11.19.1 --no-audit --no-fund

# --- deps: every dependency, exactly as locked -----------------------------------------------
FROM base AS deps
COPY package.json package-lock.json ./
# npm workspaces: each extension's manifest must be there for `npm ci` to match the lockfile.
COPY extensions/order-automation-timeline/package.json extensions/order-automation-timeline/
COPY extensions/post-purchase-upsell/package.json extensions/post-purchase-upsell/
COPY extensions/product-upsell-settings/package.json extensions/product-upsell-settings/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

# --- build: the Remix build (needs the devDependencies) --------------------------------------
FROM deps AS build
COPY . .
RUN npm run build

# --- prod-deps: the app's dependencies without devDependencies or the extensions' packages --
FROM base AS prod-deps
COPY package.json package-lock.json ./
COPY extensions/order-automation-timeline/package.json extensions/order-automation-timeline/
COPY extensions/post-purchase-upsell/package.json extensions/post-purchase-upsell/
COPY extensions/product-upsell-settings/package.json extensions/product-upsell-settings/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspaces=false --include-workspace-root --no-audit --no-fund

# --- runtime: the build, production dependencies, no compiler, not root ----------------------
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    PORT=3000
# Owned by root and read-only to the app; only data/ (PGlite, when USE_PGLITE=1) is writable.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
COPY package.json server.js worker.js tsconfig.json ./
COPY scripts ./scripts
# db/migrations run at boot; app/ and db/schema serve `npm run db:migrate` (tsx) as a release step.
COPY db ./db
COPY app ./app
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Node runs as PID 1 and handles SIGTERM itself (server.js, worker.js drain, then exit 0).
CMD ["node", "server.js"]
