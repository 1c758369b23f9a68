// /openapi.json: a job's routes (functions/jobs.ts) and the studio's actions on one
// job (functions/job-actions.ts).
import { ListQuery, LogsQuery } from '../jobs.ts';
import { anyJson, errors, filePath, id, json, ok, queryParams, sse } from './parts.ts';

/** Starting games and reading jobs, their events and artifacts (functions/jobs.ts). */
export const jobPaths = {
  '/api/generate': {
    post: {
      summary: 'start games (content-type must be application/json)',
      security: [{ bearer: [] }],
      requestBody: { required: true, content: json({ $ref: '#/components/schemas/GenerateRequest' }) },
      responses: { 201: { description: 'the new jobs', content: anyJson }, ...errors },
    },
  },
  '/api/jobs': {
    get: { summary: 'jobs, newest first', parameters: queryParams(ListQuery), responses: ok('jobs', anyJson) },
  },
  '/api/jobs/{id}': { get: { summary: 'one job', parameters: [id], responses: ok('the job', anyJson) } },
  '/api/jobs/{id}/logs': {
    get: {
      summary: "a job's events; ?follow=1 streams them (SSE)",
      parameters: [id, ...queryParams(LogsQuery)],
      responses: ok('events', { ...anyJson, ...sse }),
    },
  },
  '/api/jobs/{id}/artifacts': {
    get: { summary: "a job's artifacts", parameters: [id], responses: ok('artifacts', anyJson) },
  },
  '/api/jobs/{id}/artifacts/{path}': {
    get: {
      summary: 'one artifact (served as a download under a locked-down CSP)',
      parameters: [id, filePath],
      responses: ok('the file', { 'application/octet-stream': { schema: { type: 'string' } } }),
    },
  },
};

/** A bodiless studio action: still a POST with `content-type: application/json` (functions/guard.ts). */
const action = (summary: string, status: 200 | 202, extra: object[] = []) => ({
  post: {
    summary: `${summary} (send content-type: application/json, no body needed)`,
    security: [{ bearer: [] }],
    parameters: [id, ...extra],
    responses: { [status]: { description: 'accepted', content: anyJson }, ...errors },
  },
});
const label = { name: 'label', in: 'path', required: true, schema: { type: 'string', pattern: '^[a-z0-9-]+$' } };

/** The studio's actions on one job (functions/job-actions.ts). */
export const studioPaths = {
  '/api/jobs/{id}/cancel': action('cancel a queued or running job', 200),
  '/api/jobs/{id}/retry': action('start a failed or cancelled job again', 202),
  '/api/jobs/{id}/feedback': {
    get: { summary: "a game's feedback and how each went", parameters: [id], responses: ok('feedback', anyJson) },
    post: {
      summary: 'ask for a change to a deployed game (runs as its next repair)',
      security: [{ bearer: [] }],
      parameters: [id],
      requestBody: { required: true, content: json({ $ref: '#/components/schemas/FeedbackRequest' }) },
      responses: { 202: { description: 'the queued feedback', content: anyJson }, ...errors },
    },
  },
  '/api/jobs/{id}/versions': {
    get: { summary: "a game's stored versions", parameters: [id], responses: ok('versions', anyJson) },
  },
  '/api/jobs/{id}/versions/{label}/restore': action('deploy a stored version again', 202, [label]),
  '/api/jobs/{id}/deploy': action('put an archived game on a slot again', 202),
};
