'use client';

import { useTransition } from 'react';
import { Button } from '@/components/ui/button';
import { markAllReadAction } from './actions';

export function MarkReadButton() {
  const [pending, start] = useTransition();
  return (
    <Button variant="secondary" disabled={pending} onClick={() => start(async () => void (await markAllReadAction({})))}>
      {pending ? 'Marking…' : 'Mark all read'}
    </Button>
  );
}
