/** When a race against the clock ends early, and what to answer then. */
export interface DeadlineOptions {
  timeoutMs: number;
  /** The error for the time being up. */
  timedOut: () => Error;
  /** Ends the race early too: the client that asked went away. */
  cancelled?: AbortSignal;
  /** The error for a cancel. */
  cancelledError?: () => Error;
}

/**
 * Settles with `work`, or rejects when the time is up or the signal aborts, whichever
 * comes first. The work itself cannot be taken back (a CDP call stays sent): it runs on,
 * and its late outcome is dropped.
 */
export async function withDeadline<T>(work: Promise<T>, options: DeadlineOptions): Promise<T> {
  const { timeoutMs, timedOut, cancelled, cancelledError } = options;
  let timer: NodeJS.Timeout | undefined;
  let stopListening = (): void => undefined;

  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut()), timeoutMs);
    if (!cancelled || !cancelledError) return;
    const onCancel = (): void => reject(cancelledError());
    if (cancelled.aborted) onCancel();
    cancelled.addEventListener('abort', onCancel, { once: true });
    stopListening = () => cancelled.removeEventListener('abort', onCancel);
  });

  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
    stopListening();
    work.catch(() => undefined);
  }
}
