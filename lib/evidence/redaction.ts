import { redact, redactionPatterns, type RedactionPattern } from '@/lib/domain/redaction';

/** The built-in redaction patterns plus MANDATE_REDACT_PATTERNS, parsed once per value of the variable. */
let cached: { raw: string | undefined; patterns: RedactionPattern[] } | undefined;
export function configuredPatterns(): RedactionPattern[] {
  const raw = process.env.MANDATE_REDACT_PATTERNS;
  if (!cached || cached.raw !== raw) cached = { raw, patterns: redactionPatterns(raw) };
  return cached.patterns;
}

/** A value as it may go into evidence: secrets replaced by what they were. */
export function redacted<T>(value: T): T {
  return redact(value, configuredPatterns()).value as T;
}
