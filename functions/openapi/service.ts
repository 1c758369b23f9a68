// /openapi.json: games, stats, providers, the event stream, health, metrics and this
// document (functions/games.ts, stats.ts, providers.ts, events.ts, health.ts, metrics.ts, openapi.ts).
import { EventsQuery } from '../events.ts';
import { anyJson, id, json, ok, queryParams, sse } from './parts.ts';

/** Deployed games (functions/games.ts). */
export const gamePaths = {
  '/api/games': { get: { summary: 'deployed games', responses: ok('games', anyJson) } },
  '/api/games/{id}': {
    delete: {
      summary: 'remove a game and free its slot',
      security: [{ bearer: [] }],
      parameters: [id],
      responses: ok('removed', anyJson),
    },
  },
};

/** The service's own routes: stats, providers, every job's events, health, metrics, this document. */
export const servicePaths = {
  '/api/stats': { get: { summary: 'counts, durations, usage', responses: ok('stats', anyJson) } },
  '/api/providers': {
    get: {
      summary: 'the agent and the providers a job can run on (`provider` of POST /api/generate)',
      responses: ok(
        'agent and providers',
        json({
          type: 'object',
          required: ['agent', 'providers'],
          properties: {
            agent: { enum: ['builtin', 'claude'] },
            providers: {
              type: 'array',
              items: {
                type: 'object',
                required: ['spec', 'provider', 'model'],
                properties: { spec: { type: 'string' }, provider: { type: 'string' }, model: { type: 'string' } },
              },
            },
          },
        }),
      ),
    },
  },
  '/api/events': {
    get: {
      summary: "every job's events (SSE)",
      parameters: queryParams(EventsQuery),
      responses: ok('stream', sse),
    },
  },
  '/health': {
    get: {
      summary: 'database, runtime, runners, queue',
      responses: {
        ...ok('healthy or degraded', anyJson),
        503: { description: 'database unreachable', content: anyJson },
      },
    },
  },
  '/health/ready': {
    get: {
      summary: 'readiness: the health snapshot plus the play-test browser',
      responses: {
        ...ok('ready', anyJson),
        503: { description: 'database unreachable', content: anyJson },
      },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics',
      responses: ok('text format', { 'text/plain': { schema: { type: 'string' } } }),
    },
  },
  '/openapi.json': { get: { summary: 'this document', responses: ok('OpenAPI 3.1', anyJson) } },
};
