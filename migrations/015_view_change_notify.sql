-- The API's view cache (lib/jobs/view-cache.ts) keeps GET /api/jobs/:id and GET /api/jobs answers in
-- memory and drops them when Postgres says a row they show changed: every write to the rows the views
-- read (lib/jobs/views.ts) announces the job it touches on gamepocgen_views, in the writing
-- transaction, so listeners hear of it on commit, whoever wrote it (a task, the API, psql).
-- Payloads: 'j:<id>' a jobs row (its view and every list page), 'g:<id>' a job whose comparison group
-- had a member change (its `comparison` array), 'r:<id>' / 'a:<id>' its phase runs / artifacts, and '*'
-- after a TRUNCATE (everything). Postgres sends one of equal notifications per transaction, so a step
-- writing many rows of one job costs one notification.
create function gamepocgen.notify_job_view() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform pg_notify('gamepocgen_views', 'j:' || old.id);
    if old.compare_group is not null then
      perform pg_notify('gamepocgen_views', 'g:' || s.id)
      from gamepocgen.jobs s where s.compare_group = old.compare_group and s.id <> old.id;
    end if;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform pg_notify('gamepocgen_views', 'j:' || new.id);
    if new.compare_group is not null and (tg_op = 'INSERT' or new.compare_group is distinct from old.compare_group) then
      perform pg_notify('gamepocgen_views', 'g:' || s.id)
      from gamepocgen.jobs s where s.compare_group = new.compare_group and s.id <> new.id;
    end if;
  end if;
  return null;
end $$;
create trigger jobs_view_notify after insert or update or delete on gamepocgen.jobs
  for each row execute function gamepocgen.notify_job_view();

-- Phase runs and artifacts: tg_argv[0] is the payload's prefix ('r' or 'a').
create function gamepocgen.notify_job_part_view() returns trigger language plpgsql as $$
begin
  if tg_op in ('UPDATE', 'DELETE') then
    perform pg_notify('gamepocgen_views', tg_argv[0] || ':' || old.job_id);
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform pg_notify('gamepocgen_views', tg_argv[0] || ':' || new.job_id);
  end if;
  return null;
end $$;
create trigger phase_runs_view_notify after insert or update or delete on gamepocgen.phase_runs
  for each row execute function gamepocgen.notify_job_part_view('r');
create trigger artifacts_view_notify after insert or update or delete on gamepocgen.artifacts
  for each row execute function gamepocgen.notify_job_part_view('a');

create function gamepocgen.notify_views_truncated() returns trigger language plpgsql as $$
begin
  perform pg_notify('gamepocgen_views', '*');
  return null;
end $$;
create trigger jobs_view_truncate after truncate on gamepocgen.jobs
  for each statement execute function gamepocgen.notify_views_truncated();
create trigger phase_runs_view_truncate after truncate on gamepocgen.phase_runs
  for each statement execute function gamepocgen.notify_views_truncated();
create trigger artifacts_view_truncate after truncate on gamepocgen.artifacts
  for each statement execute function gamepocgen.notify_views_truncated();
