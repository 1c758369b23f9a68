-- Core schema: jobs, their phase runs, artifacts (stored in Postgres, not on a
-- disk), the job event stream and the game slot pool.
create schema if not exists gamepocgen;

create table gamepocgen.jobs (
  id bigserial primary key,
  idea text,
  genre text,
  seed integer not null check (seed >= 0),
  status text not null default 'queued'
    check (status in ('queued', 'running', 'deploying', 'deployed', 'failed', 'recycled', 'removed')),
  phase smallint not null default 0,
  game_name text not null,
  title text,
  error text,
  agent text,
  slot integer,
  url text,
  usage jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  started_at timestamptz,
  deployed_at timestamptz,
  finished_at timestamptz
);
create index jobs_status_id on gamepocgen.jobs (status, id desc);

create table gamepocgen.phase_runs (
  id bigserial primary key,
  job_id bigint not null references gamepocgen.jobs (id) on delete cascade,
  phase smallint not null check (phase between 1 and 5),
  status text not null check (status in ('running', 'completed', 'failed', 'timeout')),
  runtime text not null,
  agent text,
  worker_id text,
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  duration_ms integer,
  agent_ms integer,
  error text,
  usage jsonb not null default '{}'
);
create index phase_runs_job on gamepocgen.phase_runs (job_id, phase);
create index phase_runs_running on gamepocgen.phase_runs (status) where status = 'running';

create table gamepocgen.artifacts (
  job_id bigint not null references gamepocgen.jobs (id) on delete cascade,
  path text not null check (path !~ '(^/|\.\.)'),
  bytes bytea not null,
  sha256 text not null,
  phase smallint,
  updated_at timestamptz not null default now(),
  primary key (job_id, path)
);

create table gamepocgen.job_events (
  id bigserial primary key,
  job_id bigint not null references gamepocgen.jobs (id) on delete cascade,
  at timestamptz not null default clock_timestamp(),
  kind text not null,
  phase smallint,
  message text not null,
  data jsonb
);
create index job_events_job on gamepocgen.job_events (job_id, id);

create table gamepocgen.slots (
  slot integer primary key check (slot >= 0),
  job_id bigint references gamepocgen.jobs (id) on delete set null,
  deployed_at timestamptz
);

-- Every event is announced in the transaction that writes it: listeners (SSE,
-- CLI progress, log followers) wake on commit and read the rows they missed.
create function gamepocgen.notify_job_event() returns trigger language plpgsql as $$
begin
  perform pg_notify('gamepocgen_events', json_build_object('id', new.id, 'jobId', new.job_id, 'kind', new.kind)::text);
  return null;
end $$;
create trigger job_events_notify after insert on gamepocgen.job_events
  for each row execute function gamepocgen.notify_job_event();

-- Every status change is an event, whoever makes it (a task, the API, psql).
create function gamepocgen.record_job_status() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    insert into gamepocgen.job_events (job_id, kind, phase, message, data)
    values (new.id, 'status', nullif(new.phase, 0),
            case when new.status = 'failed' and new.error is not null then 'failed: ' || new.error else new.status end,
            json_build_object('status', new.status, 'previous', case when tg_op = 'UPDATE' then old.status end));
  end if;
  return null;
end $$;
create trigger jobs_status_event after insert or update of status on gamepocgen.jobs
  for each row execute function gamepocgen.record_job_status();
