import { NextResponse, type NextRequest } from 'next/server';

/**
 * Runs before every page and API route (not static assets, not the MCP gateway's hot path): gives the
 * request an id (kept when a proxy in front already set a plausible one) and sets the content security
 * policy with a fresh script nonce. Next.js reads the nonce from the request's policy header and puts
 * it on its own scripts, so no inline script runs without it: no 'unsafe-inline' for scripts. Styles
 * keep 'unsafe-inline' (React style attributes and the charts set inline styles). HSTS is sent when
 * the request reached us over TLS (directly or through a proxy that says so).
 */
export function proxy(request: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const given = request.headers.get('x-request-id');
  const requestId = given && /^[A-Za-z0-9._:-]{8,128}$/.test(given) ? given : crypto.randomUUID();
  const tls = request.nextUrl.protocol === 'https:' || request.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === 'development', tls });

  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('x-request-id', requestId);
  headers.set('Content-Security-Policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', csp);
  response.headers.set('X-Request-Id', requestId);
  if (tls) response.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
  return response;
}

export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; tls: boolean }): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced Next.js runtime loads are trusted, nothing else is. Dev mode needs eval for fast refresh.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.tls ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export const config = {
  matcher: [
    {
      source: '/((?!_next/static|_next/image|favicon.ico|api/v1/mcp/).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
