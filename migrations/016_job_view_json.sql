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

create function gamepocgen.job_view_json() returns trigger language plpgsql as $$
begin
  select left(row_to_json(h)::text, -1), substr(left(row_to_json(t)::text, -1), 2)
    into new.view_head, new.view_tail
    from (select new.id as id, new.idea as idea, new.genre as genre,
            coalesce(new.game_genre, new.genre) as "gameGenre", new.seed as seed, new.status as status,
            new.phase as phase) h,
         (select new.title as title, new.error as error, new.agent as agent, new.slot as slot, new.url as url,
            new.provider as provider, new.compare_group as "compareGroup", new.usage as usage,
            new.playtest as playtest,
            to_char(new.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "createdAt",
            to_char(new.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "startedAt",
            to_char(new.deployed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "deployedAt",
            to_char(new.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "finishedAt") t;
  return new;
end $$;

create trigger jobs_view_json before insert or update on gamepocgen.jobs
  for each row execute function gamepocgen.job_view_json();

-- Existing rows: any update runs the trigger.
update gamepocgen.jobs set id = id;
alter table gamepocgen.jobs alter column view_head set not null, alter column view_tail set not null;
