// Test databases on the run's real PostgreSQL server. The global set-up migrates one template
// database per run (createTemplateDatabase); each test file then clones it with
// `create database X template T` (createTestDatabase), instead of running every migration again.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPool } from '../../lib/db.ts';
import { migrate } from '../../lib/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    /** Name of the migrated template database every test database is cloned from. */
    templateDatabase: string;
  }
}

/** Where a test file's database comes from: the admin URL and the migrated template the global set-up provided. */
function provided(): { adminUrl: string; template: string } {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  if (!adminUrl || !template)
    throw new Error(
      'no test database server: this file uses Postgres, so it belongs in the `integration` project, not `unit` (vitest.config.ts)',
    );
  return { adminUrl, template };
}

function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`));
}

/** A fresh, fully migrated database for one test file: a clone of the run's template. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const { adminUrl, template } = provided();
  const name = `gpg_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name} template ${template}`));
  return { url: databaseUrl(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

/**
 * Creates and migrates (graphile-worker's schema and migrations/*.sql) the run's template database.
 * It is marked as a template that accepts no connections, so no session can hold it open and
 * block a clone.
 */
export async function createTemplateDatabase(adminUrl: string): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = `gpg_template_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`create database ${name}`));
  const pool = createPool(databaseUrl(adminUrl, name), 2);
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  await admin(adminUrl, (c) => c.query(`alter database ${name} with is_template true allow_connections false`));
  return {
    name,
    drop: async () => {
      await admin(adminUrl, (c) => c.query(`alter database ${name} with is_template false`));
      await dropDatabase(adminUrl, name);
    },
  };
}
