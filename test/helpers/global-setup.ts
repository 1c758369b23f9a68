// One real PostgreSQL for the integration run: DATABASE_URL when set, else an embedded
// server in a temp dir; on it, one migrated template database that each test file clones
// into a database of its own (test/helpers/db.ts).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../lib/embedded-postgres.ts';
import { createTemplateDatabase } from './db.ts';
import { freePort } from '../../support/free-port.ts';

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    const template = await createTemplateDatabase(process.env.DATABASE_URL);
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    project.provide('templateDatabase', template.name);
    return () => template.drop();
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gamepocgen-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), fsync: false });
  const template = await createTemplateDatabase(pg.url);
  project.provide('adminDatabaseUrl', pg.url);
  project.provide('templateDatabase', template.name);
  return async () => {
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
