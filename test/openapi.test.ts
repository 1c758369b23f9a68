// /openapi.json is a valid OpenAPI 3.1 document (checked against the 3.1 schema)
// that lists every route the app really serves, with the generate body from zod.
import { Validator } from '@seriousme/openapi-schema-validator';
import { createDbFreeApp } from './helpers/db-free-app.ts';
import { expect, it } from 'vitest';

const app = createDbFreeApp();

const fetchDoc = async () => {
  const res = await app.request('/openapi.json', { headers: { host: 'localhost' } });
  expect(res.status).toBe(200);
  return (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>>; components: any };
};

it('validates as OpenAPI 3.1', async () => {
  const doc = await fetchDoc();
  const result = await new Validator().validate(doc as never);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(doc.openapi).toBe('3.1.0');
  // The control: a broken document is refused by the same validator.
  const broken = { ...doc, paths: { '/x': { get: { responses: 'nope' } } } };
  expect((await new Validator().validate(broken as never)).valid).toBe(false);
});

it('lists every route the app serves, and the generate body comes from the zod schema', async () => {
  const doc = await fetchDoc();
  const routes = app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({
      method: r.method.toLowerCase(),
      path: r.path
        .replace(/:(\w+)\{[^}]*\}\}?/g, '{$1}')
        .replace(/:(\w+)/g, '{$1}')
        .replace(/\/\*$/, '/{path}'),
    }));
  expect(routes.length).toBeGreaterThan(10);
  const missing = routes.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method} ${r.path}`);
  expect(missing).toEqual([]);
  const generate = doc.components.schemas.GenerateRequest;
  expect(Object.keys(generate.properties)).toEqual(
    expect.arrayContaining(['idea', 'count', 'genre', 'seed', 'compare']),
  );
  expect(generate.properties.count).toMatchObject({ minimum: 1, maximum: 10 });
});
