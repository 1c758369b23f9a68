// GET /docs: the interactive API reference (Swagger UI) for /openapi.json, served
// whole from node_modules/swagger-ui-dist so it works offline, behind no CDN.
// Swagger UI is the reference renderer for OpenAPI, shipped as static files made for
// self-hosting. The page runs under the app's own CSP unchanged (functions/security-
// headers.ts): it has no inline script (its start-up is /docs/init.js), and Swagger
// UI sets its inline styles through the CSSOM, which style-src does not govern
// (test/browser/api-docs.test.ts checks there is no violation).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Hono } from 'hono';
import { HttpError } from './errors.ts';

const DIST = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GamePocGen API reference</title>
<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api-reference"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#api-reference',
  validatorUrl: null,
  deepLinking: true,
  tryItOutEnabled: false,
});
`;

export function createDocsRoutes() {
  const app = new Hono();
  const cache = new Map<string, Buffer>();
  app.get('/', (c) => {
    c.header('cache-control', 'no-cache');
    return c.html(PAGE);
  });
  app.get('/init.js', (c) => {
    c.header('content-type', 'text/javascript; charset=utf-8');
    c.header('cache-control', 'no-cache');
    return c.body(INIT);
  });
  app.get('/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) throw new HttpError(404, 'not_found', 'no such file in the API reference');
    let body = cache.get(file);
    if (!body) {
      body = await readFile(path.join(DIST, file));
      cache.set(file, body);
    }
    return c.body(new Uint8Array(body), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return app;
}
