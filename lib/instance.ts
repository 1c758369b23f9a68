// Which installation this process belongs to: INSTANCE_ID, else the id stored in its
// database (migrations/012_instance.sql), so every runner on one database agrees on it
// without configuration and two installations on one Docker engine never share one.
import pg from 'pg';
import type { Queryable } from './db.ts';

export async function storedInstanceId(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ id: string }>('select id from gamepocgen.instance');
  return rows[0]?.id ?? 'default';
}

/** INSTANCE_ID when set, else the database's id (a short-lived connection to `databaseUrl`). */
export async function resolveInstanceId(
  configured: string | undefined,
  databaseUrl: string | undefined,
): Promise<string> {
  if (configured) return configured;
  if (!databaseUrl) return 'default';
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'gamepocgen-instance' });
  client.on('error', () => {});
  await client.connect();
  try {
    return await storedInstanceId(client);
  } finally {
    await client.end().catch(() => {});
  }
}
