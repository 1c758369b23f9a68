// functions/request-log.ts reads a request's path without parsing its URL: the
// same path `new URL(url).pathname` gives for the URLs the Node adapter produces.
import { describe, expect, it } from 'vitest';
import { urlPath } from '../functions/request-log.ts';

describe('urlPath', () => {
  it('is the pathname of every normalised URL', () => {
    const urls = [
      'http://127.0.0.1:3000/health',
      'http://localhost/api/jobs?limit=50&cursor=9',
      'http://localhost:3000/',
      'http://localhost',
      'http://gamedemo3.localhost:3000/play/3/index.html#top',
      'http://[::1]:3000/api/jobs/7?access_token=secret',
      'http://localhost/a%20b/%0a?x=/y',
      'https://example.com/p?q#f?g',
      'http://localhost/x#frag/with/slash',
    ];
    for (const url of urls) expect(urlPath(url), url).toBe(new URL(url).pathname);
  });

  it('drops the query, which may carry an access token', () => {
    expect(urlPath('http://localhost/api/events?access_token=abc')).toBe('/api/events');
  });
});
