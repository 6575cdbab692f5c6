import { ZodError, type z } from 'zod';
import { TrayError } from '../../shared/errors';

/** Checks an action's params, naming the first wrong field in a `BAD_REQUEST` error. */
export function parseParams<S extends z.ZodType>(
  action: string,
  schema: S,
  params: Record<string, unknown>,
): z.infer<S> {
  try {
    return schema.parse(params);
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issue = error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : 'params';
    throw new TrayError('BAD_REQUEST', `${action}: ${field}: ${issue?.message ?? 'invalid'}`);
  }
}
