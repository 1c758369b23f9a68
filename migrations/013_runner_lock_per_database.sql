-- Advisory locks are per database, but pg_locks lists every database's: a runner of
-- another GamePocGen database on the same server holding the same lock key (keys come
-- from a per-database sequence, so they repeat) made a dead runner here look alive and
-- its jobs were never returned. Only this database's locks count.
create or replace function gamepocgen.runner_lock_held(key integer) returns boolean language sql stable as $$
  select exists (select 1 from pg_locks
                  where locktype = 'advisory' and classid = 1196443472 and objid = key::oid and objsubid = 2 and granted
                    and database = (select oid from pg_database where datname = current_database()))
$$;
