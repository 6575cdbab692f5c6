import type { CdpChannel } from './cdp-connection';
import { characterKey, type KeyCombination, type KeyDefinition, MODIFIER_BITS } from './keys';

export type MouseButton = 'left' | 'right' | 'middle';

const BUTTON_BITS: Record<MouseButton, number> = { left: 1, right: 2, middle: 4 };

/** Moves the pointer to (x, y), as a person's mouse would before a click. */
export async function movePointer(page: CdpChannel, x: number, y: number): Promise<void> {
  await page.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
}

/**
 * A real click: move, press, release, with the click count the page expects (a double
 * click is a click with count 1 followed by one with count 2).
 */
export async function clickAt(
  page: CdpChannel,
  x: number,
  y: number,
  button: MouseButton = 'left',
  clicks = 1,
): Promise<void> {
  await movePointer(page, x, y);
  for (let clickCount = 1; clickCount <= clicks; clickCount++) {
    await page.send('Input.dispatchMouseEvent', {
      type: 'mousePressed',
      x,
      y,
      button,
      buttons: BUTTON_BITS[button],
      clickCount,
    });
    await page.send('Input.dispatchMouseEvent', {
      type: 'mouseReleased',
      x,
      y,
      button,
      buttons: 0,
      clickCount,
    });
  }
}

/** A wheel turn at (x, y); positive `deltaY` scrolls down. */
export async function wheel(page: CdpChannel, x: number, y: number, deltaY: number): Promise<void> {
  await page.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX: 0, deltaY });
}

/** Presses and releases a key combination, holding its modifiers around it. */
export async function pressCombination(
  page: CdpChannel,
  combination: KeyCombination,
): Promise<void> {
  let modifiers = 0;
  for (const modifier of combination.modifiers) {
    modifiers |= MODIFIER_BITS[modifier];
    await page.send('Input.dispatchKeyEvent', {
      type: 'rawKeyDown',
      modifiers,
      ...keyFields(modifierKey(modifier)),
    });
  }

  // With Control, Alt or Meta held a key is a shortcut and types nothing.
  const types = (modifiers & ~MODIFIER_BITS.Shift) === 0 && combination.key.text !== undefined;
  await page.send('Input.dispatchKeyEvent', {
    type: types ? 'keyDown' : 'rawKeyDown',
    modifiers,
    ...keyFields(combination.key),
    ...(types ? { text: combination.key.text, unmodifiedText: combination.key.text } : {}),
  });
  await page.send('Input.dispatchKeyEvent', {
    type: 'keyUp',
    modifiers,
    ...keyFields(combination.key),
  });

  for (const modifier of [...combination.modifiers].reverse()) {
    modifiers &= ~MODIFIER_BITS[modifier];
    await page.send('Input.dispatchKeyEvent', {
      type: 'keyUp',
      modifiers,
      ...keyFields(modifierKey(modifier)),
    });
  }
}

/**
 * Types text into whatever has focus, one real key event per character so page handlers
 * run as for a person. Characters no US key types (emoji, CJK) go in as text input.
 * Events are pipelined: CDP runs them in order, and we wait once at the end.
 */
export async function typeText(page: CdpChannel, text: string): Promise<void> {
  const sends: Promise<unknown>[] = [];
  for (const char of text) {
    const key = characterKey(char);
    if (!key) {
      sends.push(page.send('Input.insertText', { text: char }));
      continue;
    }
    const typed = key.text ?? char;
    sends.push(
      page.send('Input.dispatchKeyEvent', {
        type: 'keyDown',
        ...keyFields(key),
        text: typed,
        unmodifiedText: typed,
      }),
    );
    sends.push(page.send('Input.dispatchKeyEvent', { type: 'keyUp', ...keyFields(key) }));
  }
  await Promise.all(sends);
}

function keyFields(key: KeyDefinition): {
  key: string;
  code: string;
  windowsVirtualKeyCode: number;
} {
  return { key: key.key, code: key.code, windowsVirtualKeyCode: key.keyCode };
}

function modifierKey(modifier: keyof typeof MODIFIER_BITS): KeyDefinition {
  const codes = { Alt: 18, Control: 17, Meta: 91, Shift: 16 };
  return { key: modifier, code: `${modifier}Left`, keyCode: codes[modifier] };
}
