#!/usr/bin/env bash
# Runs the Dockerfile's stages without Docker (no daemon on these machines): the same commands,
# each stage in its own directory holding only what that stage COPYs, then starts the runtime
# stage's command against a throwaway PostgreSQL database, waits for /readyz, sends SIGTERM and
# expects a clean exit. Usage: bash scripts/check-image.sh   (from the repo root; ~3–4 min)
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

log() { printf '[check-image] %s\n' "$*"; }
fail() { printf '[check-image] FAILED: %s\n' "$*" >&2; exit 1; }

# The script mirrors these RUN lines; a Dockerfile edit that adds or changes one must change
# this script too, so they are compared first.
expected_runs=$(cat <<'EOF'
RUN npm install -g npm@11.19.1 --no-audit --no-fund
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
RUN npm run build
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspaces=false --include-workspace-root --no-audit --no-fund
RUN mkdir -p /app/data && chown node:node /app/data
EOF
)
actual_runs=$(grep -E '^RUN ' Dockerfile)
[ "$actual_runs" = "$expected_runs" ] ||
  fail "the Dockerfile's RUN lines differ from the ones this script mirrors:
$(diff <(echo "$expected_runs") <(echo "$actual_runs") || true)"

work=$(mktemp -d)
db="check_image_$$"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -9 "$server_pid" 2>/dev/null || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $db" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The build context: tracked and new files, minus .dockerignore's patterns that matter here.
context="$work/context"
mkdir -p "$context"
git ls-files -z --cached --others --exclude-standard |
  grep -zvE '^(reference/|bench/results/|\.env($|\.)|tests/\.artifacts/)' |
  xargs -0 cp --parents -t "$context" 2>/dev/null || true
cp .env.example "$context/" 2>/dev/null || true

manifests() { # the COPY lines of the deps and prod-deps stages
  local into="$1"
  mkdir -p "$into"
  cp "$context/package.json" "$context/package-lock.json" "$into/"
  for manifest in "$context"/extensions/*/package.json; do
    local ext
    ext=$(basename "$(dirname "$manifest")")
    mkdir -p "$into/extensions/$ext"
    cp "$manifest" "$into/extensions/$ext/"
  done
}

start=$(date +%s)
log "deps: npm ci"
manifests "$work/deps"
(cd "$work/deps" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)

log "build: npm run build"
cp -a "$work/deps/node_modules" "$context/node_modules"
(cd "$context" && npm run build --silent >/dev/null)
[ -f "$context/build/server/index.js" ] || fail "the build stage made no build/server/index.js"

log "prod-deps: npm ci --omit=dev"
manifests "$work/prod"
(cd "$work/prod" && npm ci --omit=dev --workspaces=false --include-workspace-root --no-audit --no-fund --loglevel=error >/dev/null)
# (typescript may remain: Remix's runtime packages name it as an optional peer.)
for dev in @remix-run/dev vite vitest @shopify/cli eslint playwright-core; do
  [ ! -e "$work/prod/node_modules/$dev" ] || fail "devDependency $dev is in the runtime stage"
done

log "runtime: the image's files only"
runtime="$work/runtime"
mkdir -p "$runtime/data"
cp -a "$work/prod/node_modules" "$runtime/"
cp -a "$context/build" "$runtime/"
cp "$context/package.json" "$context/server.js" "$context/worker.js" "$context/tsconfig.json" "$runtime/"
cp -a "$context/scripts" "$context/db" "$context/app" "$runtime/"

# Node 22, as the image's base provides (these machines ship Node 20; the devDependency has 22).
node22="$work/deps/node_modules/node/bin/node"
"$node22" --version | grep -q '^v22\.' || fail "no Node 22 to stand in for the base image"

psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" >/dev/null
encryption_keys="$("$node22" -e 'console.log("1:" + require("crypto").randomBytes(32).toString("base64"))')"

# One runtime process as the image runs it: start, /readyz and /healthz answer 200, SIGTERM → 0.
# $1: name, $2: script, $3: the variable that names its HTTP port (web PORT, worker HEALTH_PORT).
check_process() {
  local name="$1" script="$2" port_var="$3"
  local port=$((20000 + RANDOM % 20000))
  log "runtime: node $script ($name, $port_var=$port)"
  (
    cd "$runtime"
    exec env -i PATH="$PATH" HOME="$work" NODE_ENV=production "$port_var=$port" \
      DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" WORKERS=external \
      SHOPIFY_API_KEY=check-image-key SHOPIFY_API_SECRET=check-image-secret \
      SHOPIFY_APP_URL="https://check-image.example.com" ENCRYPTION_KEYS="$encryption_keys" \
      "$node22" "$script"
  ) >"$work/$name.log" 2>&1 &
  server_pid=$!

  local ready=""
  for _ in $(seq 1 120); do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$work/$name.log" >&2
      fail "the runtime stage's $name exited before it was ready"
    fi
    if curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.5
  done
  [ -n "$ready" ] || { cat "$work/$name.log" >&2; fail "$name: /readyz never answered 200"; }
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null || fail "$name: /healthz did not answer 200"
  log "runtime: $name answers /healthz and /readyz"

  kill -TERM "$server_pid"
  local status=0
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" -eq 0 ] || { cat "$work/$name.log" >&2; fail "$name: SIGTERM exit status $status"; }
  log "runtime: $name SIGTERM → exit 0"
}

check_process web server.js PORT
check_process worker worker.js HEALTH_PORT
log "passed in $(($(date +%s) - start)) s"
