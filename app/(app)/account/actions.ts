'use server';

import { defineAction } from '@/lib/server/action';
import { changePassword, ChangePasswordInput } from '@/lib/people/password';

export const changePasswordAction = defineAction(ChangePasswordInput, (input, actor) => changePassword(actor, input));
