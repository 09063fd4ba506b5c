import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** Command-line options checked by a zod schema; a mistake prints what is wrong and the usage, and exits 2. */
export function parseCli<S extends z.ZodType>(options: NonNullable<ParseArgsConfig['options']>, schema: S, usage: string): z.output<S> {
  try {
    const { values } = parseArgs({ options });
    const args = schema.safeParse(values);
    if (args.success) return args.data;
    console.error(`${args.error.issues.map((i) => `${i.path.join('.') ? `--${i.path.join('.')}: ` : ''}${i.message}`).join('\n')}\n${usage}`);
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
  }
  process.exit(2);
}
