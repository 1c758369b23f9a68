// Security headers for the gallery and the API (Hono's secureHeaders): a CSP that
// allows only the app's own scripts, styles, images and connections (no inline
// script), nosniff, no framing by other sites, no referrer. Routes that set their
// own policy (artifacts, games) keep it: headers a response already has are not replaced.
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../lib/config.ts';

export function appSecurityHeaders(config: Pick<Config, 'DOMAIN'>): MiddlewareHandler {
  const domain = config.DOMAIN.toLowerCase();
  const gameOrigins = ['http://*.localhost:*', ...(domain !== 'localhost' ? [`https://*.${domain}`] : [])];
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      frameSrc: ["'self'", ...gameOrigins],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'no-referrer',
    strictTransportSecurity: false, // TLS ends at the proxy (Traefik), which owns HSTS
    crossOriginResourcePolicy: 'same-origin',
    overwrite: false,
  });
}
