import { createHash } from 'node:crypto';
import type { NextAuthOptions } from 'next-auth';
import CredentialsProvider from 'next-auth/providers/credentials';
import { db } from '@/lib/db';
import { env, oidcEnabled } from '@/lib/env';
import { verifyPassword } from '@/lib/auth/password';
import { SignInInput, SIGN_IN_ERRORS } from '@/lib/auth/schema';
import { clearFailures, lockedMinutes, recordFailure, throttleKey } from '@/lib/auth/throttle';
import { errorFields, log } from '@/lib/server/log';

/** A session lasts at most this long from sign-in, however active (then sign in again). */
export const SESSION_MAX_HOURS = 8;

function clientAddress(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.['x-forwarded-for'];
  const first = typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined;
  return first || 'unknown';
}

/** The credentials check, exported for the integration tests. */
export async function authorizeWithPassword(raw: unknown, headers: Record<string, unknown> | undefined) {
  const parsed = SignInInput.safeParse(raw);
  if (!parsed.success) throw new Error(SIGN_IN_ERRORS.invalid);
  const { email, password } = parsed.data;
  const accountKey = throttleKey('account', email);
  const addressKey = throttleKey('address', clientAddress(headers));

  // Who tried is logged as a short hash of the e-mail: correlatable, but a password typed into the e-mail field stays out of the log.
  const account = createHash('sha256').update(email).digest('hex').slice(0, 16);
  const minutes = await lockedMinutes([accountKey, addressKey]);
  if (minutes > 0) {
    log.warn({ event: 'auth.sign-in-refused', account, reason: 'locked' }, 'sign-in refused: locked');
    throw new Error(`${SIGN_IN_ERRORS.lockedPrefix}${minutes}`);
  }

  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, active: true },
  });
  const ok = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !ok) {
    const lockedAccount = await recordFailure('account', accountKey);
    await recordFailure('address', addressKey);
    log.warn({ event: 'auth.sign-in-failed', account, locked: lockedAccount }, 'sign-in failed');
    if (lockedAccount) {
      await db.auditEvent.create({
        data: { action: 'auth.account-locked', targetType: 'User', targetId: user?.id ?? email, after: { email } },
      });
    }
    throw new Error(SIGN_IN_ERRORS.invalid);
  }
  if (!user.active) {
    log.warn({ event: 'auth.sign-in-refused', account, userId: user.id, reason: 'inactive' }, 'sign-in refused: deactivated');
    throw new Error(SIGN_IN_ERRORS.inactive);
  }
  log.info({ event: 'auth.signed-in', userId: user.id, method: 'password' }, 'signed in');

  await clearFailures(accountKey);
  await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() } }),
    db.auditEvent.create({
      data: { actorId: user.id, action: 'auth.signed-in', targetType: 'User', targetId: user.id, after: { method: 'password' } },
    }),
  ]);
  return { id: user.id, email: user.email, name: user.name };
}

/** Ends every session of a person signed in before now (sign-out, password change, an admin ending them). */
export async function endSessions(userId: string, action: 'auth.signed-out' | 'auth.sessions-ended', actorId: string = userId) {
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { sessionsValidFrom: new Date() } }),
    db.auditEvent.create({ data: { actorId, action, targetType: 'User', targetId: userId } }),
  ]);
}

/** next-auth options, built per call so that nothing reads the environment at import (build) time. */
export function authOptions(): NextAuthOptions {
  const e = env();
  const providers: NextAuthOptions['providers'] = [
    CredentialsProvider({
      id: 'credentials',
      name: 'E-mail and password',
      credentials: { email: { label: 'E-mail', type: 'email' }, password: { label: 'Password', type: 'password' } },
      authorize: (credentials, req) => authorizeWithPassword(credentials, req.headers),
    }),
  ];
  if (oidcEnabled(e)) {
    providers.push({
      id: 'oidc',
      name: e.OIDC_NAME,
      type: 'oauth',
      wellKnown: `${e.OIDC_ISSUER!.replace(/\/$/, '')}/.well-known/openid-configuration`,
      clientId: e.OIDC_CLIENT_ID,
      clientSecret: e.OIDC_CLIENT_SECRET,
      authorization: { params: { scope: 'openid email profile' } },
      idToken: true,
      checks: ['pkce', 'state'],
      profile(profile: { sub: string; email?: string; name?: string }) {
        return { id: profile.sub, email: profile.email?.toLowerCase() ?? '', name: profile.name ?? profile.email ?? '' };
      },
    });
  }

  return {
    secret: e.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_HOURS * 60 * 60 },
    // Cookies are httpOnly and SameSite=Lax always; behind https they are also Secure with the __Secure- prefix.
    useSecureCookies: (e.NEXTAUTH_URL ?? '').startsWith('https://'),
    pages: { signIn: '/sign-in', error: '/sign-in' },
    providers,
    events: {
      // Signing out ends the person's sessions on the server too (a JWT is self-contained: without this a
      // copied cookie would stay valid until it expires). It ends them on every device.
      async signOut({ token }) {
        if (typeof token?.uid !== 'string') return;
        try {
          await endSessions(token.uid, 'auth.signed-out');
        } catch (error) {
          // next-auth clears the cookie whatever happens here; a copy of it would stay valid, so say so loudly.
          log.error({ event: 'auth.sign-out-revocation-failed', userId: token.uid, ...errorFields(error) }, 'sign-out: sessions not ended on the server');
        }
      },
    },
    callbacks: {
      // SSO signs in people an admin has already added (roles live in Mandate, not in the IdP).
      async signIn({ user, account }) {
        if (account?.provider !== 'oidc') return true;
        const known = user.email
          ? await db.user.findUnique({ where: { email: user.email.toLowerCase() }, select: { id: true, active: true } })
          : null;
        if (!known?.active) return '/not-allowed?reason=sso-unknown';
        await db.$transaction([
          db.user.update({ where: { id: known.id }, data: { lastSignInAt: new Date() } }),
          db.auditEvent.create({
            data: { actorId: known.id, action: 'auth.signed-in', targetType: 'User', targetId: known.id, after: { method: 'oidc' } },
          }),
        ]);
        return true;
      },
      async jwt({ token, user, account }) {
        if (user) token.signedInAt = Date.now();
        if (user && account?.provider === 'oidc') {
          const known = await db.user.findUnique({ where: { email: user.email!.toLowerCase() }, select: { id: true, roles: true } });
          token.uid = known?.id;
          token.roles = known?.roles ?? [];
        } else if (user) {
          const known = await db.user.findUnique({ where: { id: user.id }, select: { roles: true } });
          token.uid = user.id;
          token.roles = known?.roles ?? [];
        }
        return token;
      },
      session({ session, token }) {
        // Roles here are for display; every server check reloads them (lib/auth/session.ts).
        if (session.user && typeof token.uid === 'string') {
          session.user.id = token.uid;
          session.user.roles = token.roles ?? [];
          session.signedInAt = token.signedInAt ?? 0;
        }
        return session;
      },
    },
  };
}
