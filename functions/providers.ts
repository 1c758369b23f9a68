// GET /api/providers: which agent runs the games and, for the Claude agent, the
// providers the operator configured — what the gallery's agent/provider picker
// offers (shown only when there is more than one). Names and models only:
// never a key or an endpoint.
import { Hono } from 'hono';
import { providerSettings } from '../lib/config.ts';
import { configuredProviders } from '../lib/llm/providers.ts';
import { chooseAgent } from '../lib/services.ts';
import type { AppDeps } from './deps.ts';

export function createProviderRoutes(deps: Pick<AppDeps, 'config'>) {
  const app = new Hono();
  app.get('/', (c) => {
    const agent = chooseAgent(deps.config);
    // The builtin agent calls no model: there is nothing to pick.
    const providers = agent === 'claude' ? configuredProviders(providerSettings(deps.config), deps.config.MODEL) : [];
    return c.json({
      agent,
      providers: providers.map((p) => ({ spec: p.spec, provider: p.provider, model: p.model })),
    });
  });
  return app;
}
