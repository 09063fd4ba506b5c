import { cache } from 'react';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { getServerSession } from 'next-auth';
import { db } from '@/lib/db';
import { authOptions, SESSION_MAX_HOURS } from '@/lib/auth/options';
import { can, type Permission } from '@/lib/auth/permissions';
import { AppError } from '@/lib/server/errors';
import type { Role } from '@/lib/generated/prisma/enums';

export type Actor = {
  id: string;
  name: string;
  email: string;
  title: string;
  roles: Role[];
  teamId: string | null;
  teamName: string | null;
};

/**
 * The signed-in person, reloaded from the database once per request: roles and the active flag
 * come from the record, not from the cookie, so a role change or a deactivation applies at once.
 */
export const currentActor = cache(async (): Promise<Actor | null> => {
  await connection(); // per request, never prerendered at build time
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findFirst({
    where: { id, active: true },
    select: { id: true, name: true, email: true, title: true, roles: true, teamId: true, team: { select: { name: true } }, sessionsValidFrom: true },
  });
  if (!user || !sessionIsCurrent(session.signedInAt, user.sessionsValidFrom)) return null;
  return { id: user.id, name: user.name, email: user.email, title: user.title, roles: user.roles, teamId: user.teamId, teamName: user.team?.name ?? null };
});

/** A session is over when the person's sessions were ended after it signed in (JWT iat is in whole seconds; ours in ms). */
export function sessionIsCurrent(signedInAt: number | undefined, validFrom: Date | null, now = Date.now()): boolean {
  // Absolute lifetime: next-auth re-issues the cookie whenever the client asks for the session, so the
  // cookie's own expiry slides; the sign-in moment does not.
  if (!signedInAt || now - signedInAt > SESSION_MAX_HOURS * 3600_000) return false;
  return !validFrom || signedInAt >= validFrom.getTime();
}

/** For pages: a signed-out visitor goes to sign-in. */
export async function requireUser(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect('/sign-in');
  return actor;
}

/** For pages: a signed-in person without the permission sees the 'not allowed' page. */
export async function requirePermission(permission: Permission): Promise<Actor> {
  const actor = await requireUser();
  if (!can(actor.roles, permission)) redirect('/not-allowed');
  return actor;
}

/** For server actions and route handlers: failures are errors, not redirects. */
export async function authenticate(): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Your session has ended. Sign in again.');
  return actor;
}

export function assertCan(actor: Actor, permission: Permission): void {
  if (!can(actor.roles, permission)) throw new AppError('FORBIDDEN', 'Your role does not allow this.');
}
