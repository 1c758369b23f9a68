// What every database-backed bench section shares: a fresh database per
// measurement on the bench's Postgres, and graphile-worker's log lines appended
// to the run's log file (bench/results/<date>.worker.log) rather than the console.
import { createWriteStream } from 'node:fs';
import pg from 'pg';
import { Logger } from 'graphile-worker';

export interface BenchDb {
  adminUrl: string;
  database(name: string): Promise<string>;
}

/** Creates a fresh database `name` on the server behind adminUrl and returns its URL. */
export function benchDatabases(adminUrl: string): BenchDb {
  return {
    adminUrl,
    async database(name) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      await admin.end();
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      return url.toString();
    },
  };
}

let logFile: string | null = null;
let logStream: ReturnType<typeof createWriteStream> | null = null;
/** graphile-worker's log lines, appended to `file` (set once by the bench's entry point). */
export function logWorkersTo(file: string): void {
  logFile = file;
}
export function benchLogger(): Logger {
  logStream ??= logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  return new Logger((scope) => (level, message) => {
    logStream?.write(`${new Date().toISOString()} ${level} ${scope.label ?? ''} ${message}\n`);
  });
}
