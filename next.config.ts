import type { NextConfig } from 'next';

/**
 * Response headers on every page and API route. The content security policy here restricts what
 * does not need a per-request nonce (framing, plugins, base and form targets); scripts are left to
 * Next.js. HSTS belongs to the TLS terminator in front of the app.
 */
const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  // Server-only packages with native or WASM parts stay out of the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  typedRoutes: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
