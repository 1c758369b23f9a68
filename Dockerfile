# The app image: the Hono API (`api` service) and the graphile-worker task
# runner (`worker` service) share it; compose picks the command.
#   docker build -t gamepocgen-app:latest .
FROM node:24-slim

ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000
WORKDIR /app

# Chromium for the play-tester (lib/playtest opens /usr/bin/chromium through playwright-core);
# tini runs the worker service's graphile-worker CLI as PID 1's child, so SIGTERM reaches it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first (cached while only sources change). Dev dependencies
# (TypeScript, vitest, the Claude CLI, the `node` binary package) stay out.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

COPY bin ./bin
COPY functions ./functions
COPY tasks ./tasks
COPY lib ./lib
COPY worker ./worker
COPY migrations ./migrations
COPY prompts ./prompts
COPY framework ./framework
COPY gallery ./gallery
COPY graphile.config.ts crontab ./

# uid 1001, the same as the worker containers' user, so workspaces this process
# creates are already writable by the phases that run in them.
RUN groupadd --gid 1001 app \
 && useradd --uid 1001 --gid 1001 --home-dir /home/app --create-home --shell /usr/sbin/nologin app \
 && mkdir -p /data/workspaces /data/games \
 && chown -R app:app /data
USER app

EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/gamepocgen.ts", "start"]
