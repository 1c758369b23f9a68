-- Lessons across games (issue 10, lib/lessons/): what failed in a game's play-test and
-- what fixed it, distilled when a job's repair loop settles, and given to later build and
-- repair phases of the same kit (then genre). One row per normalised text per scope,
-- counted once per job; operators list, edit and delete them through /api/lessons.
create table gamepocgen.lessons (
  id bigserial primary key,
  -- The scope: the kit the game was built from (plan.json kit, or its genre) and its genre.
  kit text check (kit is null or length(kit) between 1 and 40),
  genre text check (genre is null or length(genre) between 1 and 40),
  text text not null check (length(text) between 1 and 400),
  -- The deduplication key: the text lower-cased, digits and URLs blanked, spaces collapsed.
  key text not null check (length(key) between 1 and 400),
  count integer not null default 1 check (count >= 1),
  -- The jobs it came from, newest last (at most 50 kept).
  job_ids bigint[] not null default '{}',
  first_seen timestamptz not null default now(),
  last_seen timestamptz not null default now()
);
create unique index lessons_scope_key on gamepocgen.lessons (coalesce(kit, ''), coalesce(genre, ''), key);
create index lessons_kit_rank on gamepocgen.lessons (kit, count desc, last_seen desc);
create index lessons_genre_rank on gamepocgen.lessons (genre, count desc, last_seen desc);
