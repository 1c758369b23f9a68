-- Each job row carries its own JSON for GET /api/jobs and GET /api/jobs/:id (lib/jobs/views.ts), written
-- by a BEFORE trigger from the row being stored, so it is part of the same row version as the columns it
-- shows: no write can change one without the other. Building it on every read (row_to_json of 21 columns,
-- four to_char timestamps, per row) was most of a list read's Postgres CPU; reads now concatenate it.
-- It is jobView (lib/job-view.ts) in two pieces around `phaseName`, which the reader adds from the code's
-- phase names, as it adds `archiveUrl` from its config:
--   view_head  {"id":…,"idea":…,"genre":…,"gameGenre":…,"seed":…,"status":…,"phase":N    (object open)
--   view_tail  "title":…,"error":…, … ,"deployedAt":…,"finishedAt":…                      (no braces)
-- Values are written as row_to_json writes them (jsonb in jsonb's own spacing), timestamps as a JS Date
-- serialises (UTC, milliseconds, "Z"). Changing this function changes the JSON of rows written later only:
-- a migration that changes it must rewrite every row (as the update below does), which also gives every
-- job a new version (xmin) for the detail view's ETag.
alter table gamepocgen.jobs add column view_head text, add column view_tail text;

-- The two pieces' keys, in order, and their types: row_to_json of a row cast to one of these writes
-- `{"key":value,…}`. (A plpgsql assignment with no subquery runs as a simple expression, with no
-- executor start per row: the trigger adds ~28 µs of Postgres CPU to a job update, against ~40 µs
-- for the same JSON from a SELECT … INTO over two subqueries.)
create type gamepocgen.job_view_head as (
  id bigint, idea text, genre text, "gameGenre" text, seed integer, status text, phase smallint);
create type gamepocgen.job_view_tail as (
  title text, error text, agent text, slot integer, url text, provider text, "compareGroup" bigint,
  usage jsonb, playtest jsonb, "createdAt" text, "startedAt" text, "deployedAt" text, "finishedAt" text);

create function gamepocgen.job_view_json() returns trigger language plpgsql as $$
begin
  new.view_head := left(row_to_json(row(new.id, new.idea, new.genre, coalesce(new.game_genre, new.genre),
    new.seed, new.status, new.phase)::gamepocgen.job_view_head)::text, -1);
  new.view_tail := substr(left(row_to_json(row(new.title, new.error, new.agent, new.slot, new.url,
    new.provider, new.compare_group, new.usage, new.playtest,
    to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_char(new.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_char(new.deployed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    to_char(new.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::gamepocgen.job_view_tail)::text, -1), 2);
  return new;
end $$;

create trigger jobs_view_json before insert or update on gamepocgen.jobs
  for each row execute function gamepocgen.job_view_json();

-- Existing rows: any update runs the trigger.
update gamepocgen.jobs set id = id;
alter table gamepocgen.jobs alter column view_head set not null, alter column view_tail set not null;
