-- Runner liveness that survives a Postgres restart. Each runner process holds a
-- session-level advisory lock (pg_advisory_lock(1196443472, lock_key)) on its
-- presence connection and takes it again after every reconnect: a runner is
-- alive while some session holds its lock, whichever backend that is
-- (backend_pid/backend_start now only describe the latest session).
-- connected_at is when it last (re)registered: after a restart, a runner that
-- has not reconnected yet gets a grace period before it counts as dead.
create sequence gamepocgen.worker_lock_keys as integer cycle;
alter table gamepocgen.worker_processes
  add column lock_key integer not null default nextval('gamepocgen.worker_lock_keys'),
  add column connected_at timestamptz not null default now();

-- 1196443472 = 0x47504750 ("GPGP"); the two-key form shows in pg_locks as classid/objid with objsubid 2.
create function gamepocgen.runner_lock_held(key integer) returns boolean language sql stable as $$
  select exists (select 1 from pg_locks
                  where locktype = 'advisory' and classid = 1196443472 and objid = key::oid and objsubid = 2 and granted)
$$;

-- Dead: nobody holds its lock, and it either registered with this server (then lost its session) or had
-- reconnect_grace since the server started to come back.
create function gamepocgen.runner_dead(wp gamepocgen.worker_processes, reconnect_grace interval default '15 seconds')
returns boolean language sql stable as $$
  select not gamepocgen.runner_lock_held(wp.lock_key)
     and (wp.connected_at >= pg_postmaster_start_time() or pg_postmaster_start_time() < now() - reconnect_grace)
$$;
