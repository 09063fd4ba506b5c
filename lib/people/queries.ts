import { db } from '@/lib/db';

/** Seeded people who can sign in with a password, for the demo-mode list on the sign-in page. */
export function listDemoAccounts() {
  return db.user.findMany({
    where: { active: true, passwordHash: { not: null } },
    select: { email: true, name: true, title: true, roles: true, team: { select: { name: true } } },
    orderBy: [{ name: 'asc' }],
    take: 20,
  });
}

export type DemoAccount = Awaited<ReturnType<typeof listDemoAccounts>>[number];

/** The people directory for admins: everyone, with team and roles. */
export function listPeople() {
  return db.user.findMany({
    select: {
      id: true,
      name: true,
      email: true,
      title: true,
      roles: true,
      active: true,
      lastSignInAt: true,
      team: { select: { name: true } },
    },
    orderBy: [{ active: 'desc' }, { name: 'asc' }],
  });
}
