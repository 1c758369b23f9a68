// /openapi.json: the pages and files served to browsers — games in their slots
// (functions/play.ts), archived games, the gallery's per-job pages and this reference.
import { errors, filePath, html, id, ok, slot } from './parts.ts';

/** A slot's game (functions/play.ts). */
export const playPaths = {
  '/play/{slot}': {
    get: {
      summary: 'redirects to /play/{slot}/',
      parameters: [slot],
      responses: { 301: { description: 'to the slot with a trailing slash' } },
    },
  },
  '/play/{slot}/{path}': {
    get: {
      summary: "slot N's game (also at http://gamedemoN.<domain>/)",
      parameters: [slot, filePath],
      responses: html('a game file'),
    },
  },
};

/** Archived games, the gallery's per-job pages and this reference (functions/archive.ts, pages.ts, docs.ts). */
export const pagePaths = {
  '/archive/{id}': {
    get: {
      summary: 'redirects to /archive/{id}/',
      parameters: [id],
      responses: { 301: { description: 'to the archived game with a trailing slash' } },
    },
  },
  '/archive/{id}/{path}': {
    get: {
      summary: "a job's stored game, whatever its slot (also at http://game-<id>.<domain>/)",
      parameters: [id, filePath],
      responses: html('a game file'),
    },
  },
  '/docs': {
    get: { summary: 'this API reference, interactive (Swagger UI, self-hosted)', responses: html('the page') },
  },
  '/docs/init.js': {
    get: { summary: "the reference page's start-up script", responses: ok('JavaScript', { 'text/javascript': {} }) },
  },
  '/docs/assets/{file}': {
    get: {
      summary: "the reference page's files (from swagger-ui-dist)",
      parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
      responses: ok('a script, style sheet or icon'),
    },
  },
  '/jobs/{id}': { get: { summary: 'the job page (gallery)', parameters: [id], responses: html('the page') } },
  '/jobs/{id}/how-to-play': {
    get: { summary: "the game's how-to-play page (gallery)", parameters: [id], responses: html('the page') },
  },
  '/slots/{slot}/how-to-play': {
    get: {
      summary: "redirects to the how-to-play page of the game slot N holds now (linked from a game's pause screen)",
      parameters: [slot],
      responses: { 302: { description: 'to /jobs/{id}/how-to-play' }, ...errors },
    },
  },
};
