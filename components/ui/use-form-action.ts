'use client';

import { useState, useTransition } from 'react';
import { useRouter } from 'next/navigation';
import type { FormResult } from '@/lib/server/action';

/** Runs a server action from a client form: pending state, field errors, a message, and a refresh on success. */
export function useFormAction() {
  const router = useRouter();
  const [result, setResult] = useState<FormResult<unknown> | null>(null);
  const [pending, start] = useTransition();
  const run = <T,>(action: () => Promise<FormResult<T>>, onOk?: (data: T) => void) =>
    start(async () => {
      const res = await action();
      setResult(res);
      if (res.ok) {
        onOk?.(res.data);
        router.refresh();
      }
    });
  const fieldErrors = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const message = result && !result.ok ? result.message : undefined;
  return { run, pending, fieldErrors, message, ok: result?.ok === true };
}
