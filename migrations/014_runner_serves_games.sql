-- Whether a runner takes the steps about served games (SERVE_GAMES; docs/deploy.md, "Scaling out").
-- An extra worker host's runner does not: /health counts the live runners that do, and says
-- `degraded` when none is alive, because then built games wait in the queue and are never deployed.
alter table gamepocgen.worker_processes add column serves_games boolean not null default true;
