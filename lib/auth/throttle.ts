import { db } from '@/lib/db';

/** Failed sign-ins allowed per key inside the window before the key is locked. */
export const SIGN_IN_POLICY = {
  account: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
  address: { maxFailures: 30, windowMinutes: 15, lockMinutes: 15 },
} as const;

type KeyKind = keyof typeof SIGN_IN_POLICY;

export function throttleKey(kind: KeyKind, value: string): string {
  return `${kind}:${value.trim().toLowerCase()}`;
}

/** Minutes left on a lock for any of the keys, or 0 when none is locked. */
export async function lockedMinutes(keys: string[]): Promise<number> {
  const rows = await db.signInThrottle.findMany({
    where: { key: { in: keys }, lockedUntil: { gt: new Date() } },
    select: { lockedUntil: true },
  });
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil!.getTime()));
  return until ? Math.ceil((until - Date.now()) / 60_000) : 0;
}

/**
 * Counts one failure atomically (one statement, safe with several app instances) and locks the key
 * when the window's count reaches the limit. Returns true when this failure locked it.
 */
export async function recordFailure(kind: KeyKind, key: string): Promise<boolean> {
  const { maxFailures, windowMinutes, lockMinutes } = SIGN_IN_POLICY[kind];
  const rows = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO "SignInThrottle" ("key", "failures", "windowStartsAt", "updatedAt")
    VALUES (${key}, 1, now(), now())
    ON CONFLICT ("key") DO UPDATE SET
      "failures" = CASE WHEN "SignInThrottle"."windowStartsAt" < now() - make_interval(mins => ${windowMinutes}::int)
                        THEN 1 ELSE "SignInThrottle"."failures" + 1 END,
      "windowStartsAt" = CASE WHEN "SignInThrottle"."windowStartsAt" < now() - make_interval(mins => ${windowMinutes}::int)
                        THEN now() ELSE "SignInThrottle"."windowStartsAt" END,
      "updatedAt" = now()
    RETURNING "failures"`;
  const failures = rows[0]?.failures ?? 0;
  if (failures < maxFailures) return false;
  await db.signInThrottle.update({
    where: { key },
    data: { lockedUntil: new Date(Date.now() + lockMinutes * 60_000), failures: 0, windowStartsAt: new Date() },
  });
  return true;
}

export async function clearFailures(key: string): Promise<void> {
  await db.signInThrottle.deleteMany({ where: { key } });
}
