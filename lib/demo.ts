/** Password of every seeded demo account. Shown on the sign-in page only in demo mode. */
export const DEMO_PASSWORD = 'mandate-demo-2026';
