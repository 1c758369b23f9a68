-- Worker liveness without a timer: each task-runner process registers the
-- backend pid of a Postgres session it holds open for its whole life. When the
-- process dies, the session ends; the reaper sees the pid gone from
-- pg_stat_activity and returns that process's jobs to the queue.
create table gamepocgen.worker_processes (
  id text primary key,
  hostname text not null,
  pid integer not null,
  backend_pid integer not null,
  backend_start timestamptz not null,
  worker_ids text[] not null default '{}',
  started_at timestamptz not null default now()
);
