import { z } from 'zod';

export const SignInInput = z.object({
  email: z.email('Enter the e-mail address you were invited with').max(254).transform((v) => v.trim().toLowerCase()),
  password: z.string().min(1, 'Enter your password').max(256, 'That password is too long'),
});
export type SignInInput = z.infer<typeof SignInInput>;

/** Error codes the sign-in endpoint returns; the form words them. */
export const SIGN_IN_ERRORS = {
  invalid: 'CredentialsSignin',
  lockedPrefix: 'locked:',
  inactive: 'inactive',
} as const;
