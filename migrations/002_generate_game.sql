-- One statement from psql starts a game:
--   select gamepocgen.generate_game('a cozy fishing roguelite');
-- It inserts the job and enqueues phase 1 in the caller's transaction.
-- Inputs are validated again by the run-phase task (zod), which fails the job
-- with a readable reason; here we refuse only what could never be stored.
create function gamepocgen.generate_game(idea text default null, genre text default null, seed integer default null)
returns bigint language plpgsql as $$
declare
  new_id bigint := nextval(pg_get_serial_sequence('gamepocgen.jobs', 'id'));
begin
  if length(idea) > 10000 then
    raise exception 'idea is too long: % characters (at most 10000)', length(idea) using errcode = '22001';
  end if;
  insert into gamepocgen.jobs (id, idea, genre, seed, game_name)
  values (new_id, nullif(btrim(idea), ''), nullif(btrim(genre), ''),
          coalesce(seed, floor(random() * 2147483647)::integer), 'game-' || new_id);
  perform graphile_worker.add_job('run-phase', json_build_object('jobId', new_id, 'phase', 1),
    job_key := 'job:' || new_id || ':phase:1', max_attempts := 3);
  return new_id;
end $$;
