import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Server-only packages with native or WASM parts stay out of the bundle.
  serverExternalPackages: ['@node-rs/argon2', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
