import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z.url({ message: 'DATABASE_URL must be a postgres:// URL' }),
    NEXTAUTH_SECRET: z.string().min(32, 'NEXTAUTH_SECRET must be at least 32 characters (openssl rand -base64 32)'),
    NEXTAUTH_URL: z.url().optional(),
    /** Demo mode: the sign-in page lists the seeded demo accounts. On by default with the embedded database. */
    MANDATE_DEMO: flag,
    /** Hours an approval request may wait before it is flagged and offered to the whole role queue. */
    APPROVAL_TARGET_HOURS: z.coerce.number().positive().default(24),
    /** Days an approval stays valid without a run using it. */
    APPROVAL_EXPIRY_DAYS: z.coerce.number().positive().default(7),
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default('Company SSO'),
  })
  .refine(
    (e) => [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].every((v) => v === undefined) ||
      [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].every((v) => v !== undefined),
    { message: 'Set all of OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or none of them', path: ['OIDC_ISSUER'] },
  );

export type Env = z.infer<typeof EnvSchema>;

let parsed: Env | undefined;

/**
 * The environment, parsed once. Read lazily (not at import) because `next build` imports server
 * modules without a database; the first request on a misconfigured server fails with a clear list.
 */
export function env(): Env {
  if (parsed) return parsed;
  const raw = Object.fromEntries(Object.entries(process.env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const result = EnvSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join('.') || 'env'}: ${i.message}`);
    throw new Error(`Mandate is misconfigured:\n${lines.join('\n')}\nSee .env.example.`);
  }
  parsed = result.data;
  return parsed;
}

export function oidcEnabled(e: Env = env()): boolean {
  return Boolean(e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET);
}

/** Just the database URL: scripts (verify, seed) use the client without the web app's other settings. */
export function databaseUrl(): string {
  const result = z.url({ message: 'DATABASE_URL must be a postgres:// URL' }).safeParse(process.env.DATABASE_URL);
  if (!result.success) throw new Error('Mandate is misconfigured:\n  - DATABASE_URL: must be a postgres:// URL\nSee .env.example.');
  return result.data;
}
