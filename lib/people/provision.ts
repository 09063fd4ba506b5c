import { z } from 'zod';
import { db } from '@/lib/db';
import { hashPassword } from '@/lib/auth/password';
import { passwordProblems } from '@/lib/auth/password-policy';
import { Role } from '@/lib/generated/prisma/enums';
import { AppError } from '@/lib/server/errors';

export const ProvisionUserInput = z
  .object({
    email: z.email('Give an e-mail address').max(254).transform((v) => v.trim().toLowerCase()),
    name: z.string().trim().min(1, 'Give the person’s name').max(120),
    roles: z.array(z.enum(Role, { message: `Roles are ${Object.keys(Role).join(', ')}` })).default([]),
    team: z.string().trim().max(64).optional(),
    password: z.string(),
    resetPassword: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (!v.resetPassword && v.roles.length === 0) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'Give at least one role' });
    for (const message of passwordProblems(v.password, v)) ctx.addIssue({ code: 'custom', path: ['password'], message });
  });
export type ProvisionUserInput = z.input<typeof ProvisionUserInput>;

/**
 * Adds a person with a password (the first admin of a real deployment, or anyone when SSO is not
 * used), or with `resetPassword` sets a new password on an existing account and clears its lock.
 * The password policy applies; the audit log records who was added and with which roles.
 */
export async function provisionUser(raw: ProvisionUserInput) {
  const parsed = ProvisionUserInput.safeParse(raw);
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? '_')] ??= []).push(issue.message);
    throw new AppError('VALIDATION', 'Some fields need attention.', fieldErrors);
  }
  const input = parsed.data;
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { email: input.email }, select: { id: true } });
    if (existing && !input.resetPassword) throw new AppError('CONFLICT', `${input.email} already has an account; pass --reset-password to set a new password.`);
    if (!existing && input.resetPassword) throw new AppError('NOT_FOUND', `There is no account ${input.email} to reset; leave out --reset-password to add one.`);
    const team = input.team ? await tx.team.findUnique({ where: { slug: input.team }, select: { id: true } }) : null;
    if (input.team && !team) throw new AppError('VALIDATION', `There is no team "${input.team}".`, { team: ['Unknown team'] });
    if (existing) {
      // A new password ends every session from before; it does not bring back a deactivated account.
      await tx.user.update({ where: { id: existing.id }, data: { passwordHash, sessionsValidFrom: new Date() } });
      await tx.signInThrottle.deleteMany({ where: { key: `account:${input.email}` } });
      await tx.auditEvent.create({ data: { action: 'user.password-reset', targetType: 'User', targetId: existing.id, after: { email: input.email, by: 'command line' } } });
      return { id: existing.id, created: false };
    }
    const user = await tx.user.create({ data: { email: input.email, name: input.name, roles: input.roles, teamId: team?.id, passwordHash } });
    await tx.auditEvent.create({ data: { action: 'user.provisioned', targetType: 'User', targetId: user.id, after: { email: input.email, roles: input.roles, by: 'command line' } } });
    return { id: user.id, created: true };
  });
}
