import type { Metadata } from 'next';
import { requireUser } from '@/lib/auth/session';
import { ROLE_LABELS } from '@/lib/auth/permissions';
import { db } from '@/lib/db';
import { Card } from '@/components/ui/card';
import { ChangePasswordForm } from './change-password-form';

export const metadata: Metadata = { title: 'Your account' };

export default async function AccountPage() {
  const actor = await requireUser();
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true, lastSignInAt: true, createdAt: true } });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">Roles are given by an admin; every change to them is in the audit log.</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Who you are">
          <dl className="grid grid-cols-[8rem_1fr] gap-y-2 text-sm">
            <dt className="text-slate-500">Name</dt>
            <dd className="text-slate-900">{actor.name}</dd>
            <dt className="text-slate-500">E-mail</dt>
            <dd className="text-slate-900">{actor.email}</dd>
            <dt className="text-slate-500">Roles</dt>
            <dd className="text-slate-900">{actor.roles.map((r) => ROLE_LABELS[r]).join(', ')}</dd>
            <dt className="text-slate-500">Team</dt>
            <dd className="text-slate-900">{actor.teamName ?? 'None'}</dd>
            <dt className="text-slate-500">Last sign-in</dt>
            <dd className="text-slate-900">{user.lastSignInAt ? `${user.lastSignInAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'Never'}</dd>
          </dl>
        </Card>
        <Card title="Password">
          {user.passwordHash ? (
            <>
              <p className="mb-4 text-sm text-slate-600">Changing it signs you out everywhere, including here. Signing out also ends your sessions on every device.</p>
              <ChangePasswordForm />
            </>
          ) : (
            <p className="text-sm text-slate-600">You sign in through single sign-on; your password is managed there.</p>
          )}
        </Card>
      </div>
    </div>
  );
}
