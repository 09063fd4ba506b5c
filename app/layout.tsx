import type { Metadata, Viewport } from 'next';
import { connection } from 'next/server';
import '@fontsource-variable/inter';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Mandate', template: '%s · Mandate' },
  description: 'Task contracts, risk tiers, named approvals and evidence for AI agents at work.',
};

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

// Every page renders per request: the content security policy's script nonce (proxy.ts) is new each time.
export default async function RootLayout({ children }: { children: React.ReactNode }) {
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
