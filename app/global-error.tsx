'use client';

/** The last resort when the root layout itself fails: plain markup, no app styles, no details. */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '32rem', margin: '20vh auto', padding: '0 1.5rem', color: '#0f172a' }}>
        <h1 style={{ fontSize: '1.5rem' }}>Mandate could not show this page</h1>
        <p style={{ color: '#475569', lineHeight: 1.6 }}>
          Something went wrong on our side; nothing you entered was half-saved.{error.digest ? ` Reference: ${error.digest}.` : ''}
        </p>
        <button type="button" onClick={reset} style={{ marginTop: '1rem', padding: '0.5rem 1rem' }}>
          Try again
        </button>
      </body>
    </html>
  );
}
