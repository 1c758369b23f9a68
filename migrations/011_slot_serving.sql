-- What the reconciler (lib/slot-reconcile.ts) last saw of each assigned slot: whether it
-- serves its job, and if not why. /health lists the slots that are not served.
-- null = not checked since it was assigned (a deploy marks it served).
alter table gamepocgen.slots
  add column served boolean,
  add column serve_problem text,
  add column checked_at timestamptz;
