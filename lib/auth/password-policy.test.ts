import { describe, expect, it } from 'vitest';
import { contextWords, NewPasswordInput, passwordProblems, PASSWORD_MAX } from './password-policy';

describe('password policy', () => {
  it('refuses short passwords with the minimum in the message', () => {
    expect(passwordProblems('Tr0ub4dor&3')).toEqual(['Use at least 12 characters; a few unrelated words make a good one.']);
  });

  it('refuses common passwords and keyboard patterns however long', () => {
    expect(passwordProblems('password1234')[0]).toMatch(/commonly used|easy to guess/);
    expect(passwordProblems('qwertyuiop123')[0]).toMatch(/easy to guess|commonly used/);
    expect(passwordProblems('aaaaaaaaaaaaaaaa')[0]).toMatch(/Repeated/);
  });

  it("refuses a password built on the person's own name or e-mail", () => {
    const person = { email: 'priya.raman@northwind.example', name: 'Priya Raman' };
    expect(passwordProblems('priyaraman2026', person)).not.toEqual([]);
    expect(passwordProblems('priyaraman2026', {})).toEqual([]);
    expect(passwordProblems('casey brandt 2026', { email: 'casey.brandt.17@northwind.example', name: 'Casey Brandt' })[0]).toMatch(/own name or e-mail/);
    expect(passwordProblems('Mandate-Northwind-2026!', { email: 'x@northwind.example' })[0]).toMatch(/own name or e-mail/);
  });

  it('refuses passwords built on the configured organisation words', () => {
    expect(contextWords({}, 'Acme Ledger, ledgerline')).toEqual(['mandate', 'acme ledger', 'ledgerline']);
    process.env.MANDATE_PASSWORD_CONTEXT_WORDS = 'acme,ledgerline';
    try {
      expect(passwordProblems('acme ledgerline 2027!')[0]).toMatch(/product or company name/);
    } finally {
      delete process.env.MANDATE_PASSWORD_CONTEXT_WORDS;
    }
  });

  it('takes long passphrases with spaces and any characters, without composition rules', () => {
    expect(passwordProblems('correct horse battery staple')).toEqual([]);
    expect(passwordProblems('überlange Passphrase für den Zugang')).toEqual([]);
    expect(passwordProblems('x'.repeat(PASSWORD_MAX + 1))).toEqual(['Use at most 256 characters.']);
  });

  it('reports the problems on the password field', () => {
    const parsed = NewPasswordInput.safeParse({ email: 'a.b@example.com', name: 'A B', password: 'short' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual(['password']);
  });
});
