import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { z } from 'zod';

/**
 * The password policy (OWASP ASVS 5.0 §6.2): at least 12 characters, up to 256 (long passphrases
 * welcome, no composition rules, spaces and any Unicode allowed), and not guessable: checked against
 * common-password and keyboard-pattern dictionaries and against the person's own name and e-mail.
 */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;
const MIN_SCORE = 3;

let estimator: ZxcvbnFactory | undefined;
function strength(password: string, userInputs: string[]) {
  estimator ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs });
  return estimator.check(password, userInputs);
}

/**
 * Context words no password may be built on (ASVS 6.1.2): the product's name, the words of the
 * person's name and e-mail address, and the organisation's own list (`MANDATE_PASSWORD_CONTEXT_WORDS`,
 * comma-separated: the company name, product and project code names…).
 */
export function contextWords(person: { email?: string; name?: string }, configured = process.env.MANDATE_PASSWORD_CONTEXT_WORDS ?? ''): string[] {
  const org = configured.split(',').map((w) => w.trim().toLowerCase()).filter(Boolean);
  return [...new Set([...personalWords(person), ...org])];
}

/** True when what is left of the password without context words, digits and separators is too short to matter. */
function builtOnContext(password: string, words: string[]): boolean {
  const letters = (v: string) => v.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  let rest = letters(password);
  for (const w of [...words].map(letters).filter((w) => w.length >= 3).sort((a, b) => b.length - a.length)) rest = rest.split(w).join('');
  return rest.replace(/\p{N}/gu, '').length < 6;
}

/** The words of a person's own details a password must not lean on. */
export function personalWords(person: { email?: string; name?: string }): string[] {
  const local = person.email?.split('@')[0] ?? '';
  const domain = person.email?.split('@')[1]?.split('.')[0] ?? '';
  const name = (person.name ?? '').toLowerCase().split(/\s+/);
  const words = [local, local.replace(/[^a-z0-9]/gi, ''), ...local.split(/[^a-z0-9]+/i), domain, ...name, name.join(''), 'mandate'];
  return [...new Set(words.map((w) => w.toLowerCase()).filter((w) => w.length >= 3))];
}

/** Problems with a new password, in words a person can act on; empty when it is acceptable. */
export function passwordProblems(password: string, person: { email?: string; name?: string } = {}): string[] {
  if (password.length < PASSWORD_MIN) return [`Use at least ${PASSWORD_MIN} characters; a few unrelated words make a good one.`];
  if (password.length > PASSWORD_MAX) return [`Use at most ${PASSWORD_MAX} characters.`];
  const words = contextWords(person);
  if (builtOnContext(password, words)) return ['It is built on your own name or e-mail, or on the product or company name. Add more unrelated words, or pick a longer passphrase.'];
  const result = strength(password, words);
  if (result.score >= MIN_SCORE) return [];
  const warning = result.feedback.warning ? WARNINGS[result.feedback.warning] ?? 'It is too easy to guess.' : 'It is too easy to guess.';
  return [`${warning} Add more unrelated words, or pick a longer passphrase.`];
}

const WARNINGS: Record<string, string> = {
  common: 'This is a commonly used password.',
  similarToCommon: 'This is close to a commonly used password.',
  topTen: 'This is one of the most used passwords.',
  topHundred: 'This is a very commonly used password.',
  userInputs: 'It contains your own name or e-mail.',
  straightRow: 'Rows of keys are easy to guess.',
  keyPattern: 'Short keyboard patterns are easy to guess.',
  simpleRepeat: 'Repeated characters are easy to guess.',
  extendedRepeat: 'Repeated character patterns are easy to guess.',
  sequences: 'Sequences like abc or 1234 are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  dates: 'Dates are easy to guess.',
  namesByThemselves: 'Single names are easy to guess.',
  commonNames: 'Common names are easy to guess.',
  wordByItself: 'Single words are easy to guess.',
};

/** One schema for every place that sets a password; person details come along to check against. */
export const NewPasswordInput = z
  .object({ email: z.email().max(254), name: z.string().trim().min(1).max(120), password: z.string() })
  .superRefine((v, ctx) => {
    for (const message of passwordProblems(v.password, v)) ctx.addIssue({ code: 'custom', path: ['password'], message });
  });
