'use client';

/** The last resort when the root layout itself fails: plain markup, no app styles, no details. */
export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', maxWidth: '32rem', margin: '20vh auto', padding: '0 1.5rem', color: '#0f172a' }}>
        <h1 style={{ fontSize: '1.5rem' }}>Mandate could not show this page</h1>
        <p style={{ color: '#475569', lineHeight: 1.6 }}>
          Something went wrong on our side; nothing you entered was half-saved.{error.digest ? ` Reference: ${error.digest}.` : ''}
        </p>
        {/* A plain reload: this page is prerendered, so under the nonce policy its scripts may not run. */}
        <a href="" style={{ display: 'inline-block', marginTop: '1rem', padding: '0.5rem 1rem', border: '1px solid #cbd5e1', borderRadius: '0.375rem', color: '#0f172a', textDecoration: 'none' }}>
          Try again
        </a>
      </body>
    </html>
  );
}
