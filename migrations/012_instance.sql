-- This installation's instance id: every container, network and label the Docker path creates
-- carries it (gamepocgen.instance), and the reaper, the reconciler and the runtime touch only
-- their own, so two installations sharing one Docker engine never touch each other's.
-- INSTANCE_ID overrides it; every runner on the same database shares it.
create table gamepocgen.instance (
  singleton boolean primary key default true check (singleton),
  id text not null default substr(md5(random()::text || clock_timestamp()::text), 1, 10)
);
insert into gamepocgen.instance default values;
