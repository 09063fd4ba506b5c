import { z } from 'zod';
import { db } from '@/lib/db';
import type { Actor } from '@/lib/auth/session';
import { hashPassword, verifyPassword } from '@/lib/auth/password';
import { passwordProblems, PASSWORD_MAX } from '@/lib/auth/password-policy';
import { lockedMinutes, recordFailure, throttleKey } from '@/lib/auth/throttle';
import { AppError } from '@/lib/server/errors';

export const ChangePasswordInput = z
  .object({
    current: z.string().min(1, 'Enter your current password').max(PASSWORD_MAX, 'That password is too long'),
    next: z.string().min(1, 'Choose a new password').max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters`),
    confirm: z.string().max(PASSWORD_MAX),
  })
  .superRefine((v, ctx) => {
    if (v.confirm !== v.next) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'The two new passwords differ' });
  });
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

/**
 * A person changes their own password: the current one is required (and a wrong one counts towards
 * the sign-in lock), the new one must pass the password policy, and every session of theirs ends,
 * this one included: they sign in again with the new password.
 */
export async function changePassword(actor: Actor, input: ChangePasswordInput) {
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true, email: true, name: true } });
  if (!user.passwordHash) throw new AppError('CONFLICT', 'Your account signs in through single sign-on; change your password there.');
  const key = throttleKey('account', user.email);
  const minutes = await lockedMinutes([key]);
  if (minutes > 0) throw new AppError('RATE_LIMITED', `Too many wrong passwords. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);
  if (!(await verifyPassword(user.passwordHash, input.current))) {
    await recordFailure('account', key);
    throw new AppError('VALIDATION', 'Some fields need your attention.', { current: ['That is not your current password'] });
  }
  const problems = passwordProblems(input.next, user);
  if (input.next === input.current) problems.unshift('Choose a password different from the current one.');
  if (problems.length) throw new AppError('VALIDATION', 'Some fields need your attention.', { next: problems });
  const passwordHash = await hashPassword(input.next);
  await db.$transaction([
    db.user.update({ where: { id: actor.id }, data: { passwordHash, sessionsValidFrom: new Date() } }),
    db.auditEvent.create({ data: { actorId: actor.id, action: 'user.password-changed', targetType: 'User', targetId: actor.id } }),
  ]);
  return { changed: true };
}
