import { errorMessage, isTrayError, TrayError } from '../../shared/errors';
import { pageCall } from './dom-index';
import type { PageSession } from './page-session';

export type ElementState = 'attached' | 'detached' | 'visible' | 'hidden';

/** What to wait for: an element in a state, or text shown on the page. */
export type WaitCondition =
  | { kind: 'selector'; selector: string; state: ElementState }
  | { kind: 'text'; text: string };

type SliceOutcome = 'met' | 'not-yet' | 'bad-selector';

/**
 * Longest single in-page wait. The page promise is cut into slices so a navigation
 * (which destroys the promise's context) costs at most a retry, and a session that
 * shuts down is never held by a promise the browser no longer answers.
 */
const SLICE_MS = 1000;

/**
 * Runs in the page: resolves 'met' as soon as the condition holds (checked on every DOM
 * mutation and every animation frame, for changes that only CSS makes), or 'not-yet'
 * after `sliceMs`.
 */
function waitSlice(condition: WaitCondition, sliceMs: number): Promise<SliceOutcome> {
  const visible = (el: Element | null): boolean => {
    if (!el) return false;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return false;
    return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  };
  const check = (): boolean => {
    if (condition.kind === 'text') {
      // biome-ignore lint/performance/useDomNodeTextContent: only rendered text counts as shown
      return (document.body?.innerText ?? '').includes(condition.text);
    }
    const el = document.querySelector(condition.selector);
    switch (condition.state) {
      case 'attached':
        return el !== null;
      case 'detached':
        return el === null;
      case 'visible':
        return visible(el);
      case 'hidden':
        return !visible(el);
    }
  };

  try {
    if (check()) return Promise.resolve('met');
  } catch {
    // Only querySelector throws here, for a selector that is not valid CSS.
    return Promise.resolve('bad-selector');
  }
  return new Promise((resolve) => {
    let frame = 0;
    const finish = (outcome: SliceOutcome): void => {
      observer.disconnect();
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      resolve(outcome);
    };
    const recheck = (): void => {
      if (check()) finish('met');
    };
    const observer = new MutationObserver(recheck);
    observer.observe(document, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    const onFrame = (): void => {
      recheck();
      frame = requestAnimationFrame(onFrame);
    };
    frame = requestAnimationFrame(onFrame);
    // Background tabs get no animation frames: a timer keeps the check going there.
    const timer = setTimeout(() => finish(check() ? 'met' : 'not-yet'), sliceMs);
  });
}

/** Errors that mean "the page navigated under the wait": try again in the new document. */
function isNavigationRace(error: unknown): boolean {
  if (!isTrayError(error, 'CDP_ERROR') && !isTrayError(error, 'JS_ERROR')) return false;
  return /context was destroyed|Cannot find context|navigated or closed/i.test(errorMessage(error));
}

/**
 * Waits until the condition holds in `page`; resolves with the milliseconds it took, or
 * throws `TIMEOUT` when `timeoutMs` passes first. `stop` ends the wait between two
 * slices (within a second), rejecting with `CANCELLED`.
 */
export async function waitForCondition(
  page: PageSession,
  condition: WaitCondition,
  timeoutMs: number,
  stop?: AbortSignal,
): Promise<number> {
  const started = Date.now();
  const deadline = started + timeoutMs;

  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    if (stop?.aborted)
      throw new TrayError('CANCELLED', `wait for ${describe(condition)} cancelled`);

    let outcome: SliceOutcome;
    try {
      outcome = await page.evaluate<SliceOutcome>(
        pageCall(waitSlice, condition, Math.min(left, SLICE_MS)),
      );
    } catch (error) {
      if (!isNavigationRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    if (outcome === 'met') return Date.now() - started;
    if (outcome === 'bad-selector') {
      const selector = condition.kind === 'selector' ? condition.selector : '';
      throw new TrayError(
        'BAD_REQUEST',
        `wait: ${JSON.stringify(selector)} is not a valid CSS selector`,
      );
    }
  }
  throw new TrayError('TIMEOUT', `wait: ${describe(condition)} not found within ${timeoutMs} ms`);
}

export function describe(condition: WaitCondition): string {
  return condition.kind === 'text'
    ? `text ${JSON.stringify(condition.text)}`
    : `${JSON.stringify(condition.selector)} ${condition.state}`;
}
