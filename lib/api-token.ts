// The API token: API_TOKEN when configured; otherwise generated on first start
// and kept (mode 0600) under DATA_DIR so it survives restarts.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from './config.ts';

export async function resolveApiToken(
  config: Config,
): Promise<{ token: string; configured: boolean; file: string | null }> {
  if (config.API_TOKEN) return { token: config.API_TOKEN, configured: true, file: null };
  const file = path.join(config.DATA_DIR, 'api-token');
  try {
    try {
      const existing = (await readFile(file, 'utf8')).trim();
      if (existing.length >= 16) return { token: existing, configured: false, file };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; // else: first start
    }
    const token = randomBytes(24).toString('base64url');
    await mkdir(config.DATA_DIR, { recursive: true });
    await writeFile(file, token + '\n', { mode: 0o600 });
    return { token, configured: false, file };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    // The file system's code (EISDIR, EACCES, …) stays; the message says which file and what to do.
    throw Object.assign(
      new Error(
        `cannot read or write the API token file ${file} (${err.message}): make it a readable, writable file or remove it, or set API_TOKEN`,
        { cause: e },
      ),
      { code: err.code },
    );
  }
}
