-- The studio (issue 11): a job can be cancelled by its owner, and a deployed
-- game takes feedback — each row is one request for a change, answered by one
-- repair run whose new version is kept only if its play-test is not worse.
alter table gamepocgen.jobs drop constraint jobs_status_check;
alter table gamepocgen.jobs add constraint jobs_status_check
  check (status in ('queued', 'running', 'deploying', 'deployed', 'failed', 'recycled', 'removed', 'cancelled'));

create table gamepocgen.feedback (
  id bigserial primary key,
  job_id bigint not null references gamepocgen.jobs (id) on delete cascade,
  feedback text not null check (length(feedback) between 1 and 4000),
  created_at timestamptz not null default clock_timestamp(),
  -- queued: waiting for its repair run; running: the repair is working on it;
  -- kept / rolled_back: the new version was (not) kept; failed: the repair itself failed.
  status text not null default 'queued' check (status in ('queued', 'running', 'kept', 'rolled_back', 'failed')),
  -- The version the change started from (artifacts versions/<label>/dist/…), to roll back to.
  base_version text not null,
  score_before smallint,
  score_after smallint,
  outcome text,
  settled_at timestamptz
);
create index feedback_job on gamepocgen.feedback (job_id, id desc);
-- At most one change in flight per game: two concurrent posts cannot both start a run.
create unique index feedback_one_active on gamepocgen.feedback (job_id) where status in ('queued', 'running');

-- The genre the idea phase chose (jobs.genre is what was asked for, often nothing): the gallery filters by it.
alter table gamepocgen.jobs add column game_genre text;
create index jobs_game_genre on gamepocgen.jobs (game_genre, id desc) where game_genre is not null;
