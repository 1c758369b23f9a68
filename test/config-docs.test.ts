// One configuration schema (lib/config.ts) for every setting, and the docs kept true to it:
// every variable the schema reads is described in the README or docs/ and listed in .env.example.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../lib/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const read = (rel: string) => readFileSync(path.join(ROOT, rel), 'utf8');
const prose = [
  read('README.md'),
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => read(`docs/${f}`)),
].join('\n');
const envExample = new Set([...read('.env.example').matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
const described = (key: string) => new RegExp('`' + key + '`').test(prose);

describe('configuration docs', () => {
  const keys = Object.keys(ConfigSchema.shape);

  it('every setting in ConfigSchema is described in README.md or docs/ and listed in .env.example', () => {
    expect(keys.filter((k) => !described(k))).toEqual([]);
    expect(keys.filter((k) => !envExample.has(k))).toEqual([]);
  });

  it('control: a setting nobody documented is reported', () => {
    expect(described('GPG_UNDOCUMENTED_SETTING')).toBe(false);
    expect(envExample.has('GPG_UNDOCUMENTED_SETTING')).toBe(false);
  });

  it('reads the settings once read beside the schema (directories, embedded port, pass-through)', () => {
    const c = loadConfig({
      DATA_DIR: '/d',
      WORKSPACE_ROOT: '/w',
      EMBEDDED_PG_PORT: '6000',
      SMALL_MODEL: 'small',
    });
    expect([c.workspaceDir, c.deployDir, c.EMBEDDED_PG_PORT, c.SMALL_MODEL]).toEqual(['/w', '/d/games', 6000, 'small']);
    expect(() => loadConfig({ EMBEDDED_PG_PORT: 'x' })).toThrow(/EMBEDDED_PG_PORT/);
  });
});

describe('<NAME>_FILE settings (Docker secrets)', () => {
  it('reads API_TOKEN_FILE; the plain variable wins; an unreadable file is a named error', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gpg-secret-'));
    try {
      writeFileSync(path.join(dir, 'token'), 'from-a-file-123\n');
      expect(loadConfig({ API_TOKEN_FILE: path.join(dir, 'token') }).API_TOKEN).toBe('from-a-file-123');
      expect(loadConfig({ API_TOKEN_FILE: path.join(dir, 'token'), API_TOKEN: 'plain-456' }).API_TOKEN).toBe(
        'plain-456',
      );
      expect(() => loadConfig({ LLM_API_KEY_FILE: path.join(dir, 'missing') })).toThrow(
        /LLM_API_KEY_FILE: cannot read .*ENOENT/,
      );
      // Control: without _FILE nothing is read.
      expect(loadConfig({}).API_TOKEN).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
