-- Provider comparison: one idea, phase 1 shared, later phases once per provider.
-- The job whose id equals compare_group runs phase 1; its siblings wait for it.
alter table gamepocgen.jobs
  add column provider text,
  add column compare_group bigint references gamepocgen.jobs (id) on delete set null;
create index jobs_compare_group on gamepocgen.jobs (compare_group) where compare_group is not null;
