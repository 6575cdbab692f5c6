/** Session names become file names, so only a safe alphabet is accepted. */
export const SESSION_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const DEFAULT_SESSION = 'default';

/** Returns an error message for a bad name, or undefined when the name is usable. */
export function sessionNameProblem(name: string): string | undefined {
  if (SESSION_NAME_PATTERN.test(name)) return undefined;
  if (name.length === 0) return 'session name is empty';
  if (name.length > 64) return `session name is longer than 64 characters: ${name.slice(0, 20)}…`;
  return `session name ${JSON.stringify(name)} may only contain letters, digits, '-' and '_'`;
}
