'use client';
import { useState } from 'react';
import { Button } from './button';

/** A block of text (config, a command) with a copy button. */
export function CopyBlock({ text, label, testId }: { text: string; label: string; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="relative">
      <pre data-testid={testId} className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100">{text}</pre>
      <Button
        variant="secondary"
        className="absolute right-2 top-2 px-2 py-0.5 text-xs"
        aria-label={`Copy ${label}`}
        onClick={() => navigator.clipboard?.writeText(text).then(() => setCopied(true))}
      >
        {copied ? 'Copied' : 'Copy'}
      </Button>
    </div>
  );
}
