// Security headers for the gallery and the API: a CSP that allows only the app's own scripts, styles,
// images and connections (no inline script), nosniff, no framing by other sites, no referrer, and the rest
// of hono/secure-headers' defaults except HSTS (TLS ends at the proxy, Traefik, which owns it). Routes that
// set their own policy (artifacts, games) keep it: a header the route's response has is not replaced.
// The set depends only on the configuration, so it is built once; test/security-headers.test.ts checks it
// is exactly what hono/secure-headers gave with the options this file used to pass it. It is added the
// cheap way (functions/node-response.ts); no route of ours sets X-Powered-By (which secureHeaders removed).
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../lib/config.ts';
import { addMissing, type HeaderList, setUnderRoute } from './node-response.ts';

export function appSecurityHeaderList(config: Pick<Config, 'DOMAIN'>): HeaderList {
  const domain = config.DOMAIN.toLowerCase();
  const gameOrigins = ['http://*.localhost:*', ...(domain !== 'localhost' ? [`https://*.${domain}`] : [])];
  const csp: [string, ...string[]][] = [
    ['default-src', "'self'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['connect-src', "'self'"],
    ['font-src', "'self'"],
    ['frame-src', "'self'", ...gameOrigins],
    ['object-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
  ];
  return [
    ['Cross-Origin-Resource-Policy', 'same-origin'],
    ['Cross-Origin-Opener-Policy', 'same-origin'],
    ['Origin-Agent-Cluster', '?1'],
    ['Referrer-Policy', 'no-referrer'],
    ['X-Content-Type-Options', 'nosniff'],
    ['X-DNS-Prefetch-Control', 'off'],
    ['X-Download-Options', 'noopen'],
    ['X-Frame-Options', 'DENY'],
    ['X-Permitted-Cross-Domain-Policies', 'none'],
    ['X-XSS-Protection', '0'],
    ['Content-Security-Policy', csp.map((d) => d.join(' ')).join('; ')],
  ];
}

export function appSecurityHeaders(config: Pick<Config, 'DOMAIN'>): MiddlewareHandler {
  const headers = appSecurityHeaderList(config);
  return async (c, next) => {
    if (setUnderRoute(c, headers)) return next();
    await next();
    addMissing(c, headers);
  };
}
