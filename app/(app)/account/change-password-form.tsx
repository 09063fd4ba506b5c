'use client';

import { useState } from 'react';
import { signOut } from 'next-auth/react';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/field';
import { useFormAction } from '@/components/ui/use-form-action';
import { changePasswordAction } from './actions';

export function ChangePasswordForm() {
  const { run, pending, fieldErrors, message } = useFormAction();
  const [values, setValues] = useState({ current: '', next: '', confirm: '' });
  const set = (k: keyof typeof values) => (e: React.ChangeEvent<HTMLInputElement>) => setValues((v) => ({ ...v, [k]: e.target.value }));
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        run(() => changePasswordAction(values), () => void signOut({ callbackUrl: '/sign-in?notice=password-changed' }));
      }}
    >
      {message && !Object.keys(fieldErrors).length && (
        <p role="alert" className="text-sm text-red-700">
          {message}
        </p>
      )}
      <TextField name="current" label="Current password" type="password" autoComplete="current-password" value={values.current} onChange={set('current')} errors={fieldErrors.current} />
      <TextField
        name="next"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. A few unrelated words work well; no rules about digits or symbols."
        value={values.next}
        onChange={set('next')}
        errors={fieldErrors.next}
      />
      <TextField name="confirm" label="New password again" type="password" autoComplete="new-password" value={values.confirm} onChange={set('confirm')} errors={fieldErrors.confirm} />
      <Button type="submit" disabled={pending}>
        {pending ? 'Changing…' : 'Change password and sign in again'}
      </Button>
    </form>
  );
}
