import { TrayError } from '../../shared/errors';

/** One key as `Input.dispatchKeyEvent` wants it. */
export interface KeyDefinition {
  key: string;
  code: string;
  keyCode: number;
  /** What the key types, when it types anything. */
  text?: string;
}

/** CDP modifier bits. */
export const MODIFIER_BITS = { Alt: 1, Control: 2, Meta: 4, Shift: 8 } as const;
export type Modifier = keyof typeof MODIFIER_BITS;

const NAMED_KEYS: Record<string, KeyDefinition> = {
  Enter: { key: 'Enter', code: 'Enter', keyCode: 13, text: '\r' },
  Tab: { key: 'Tab', code: 'Tab', keyCode: 9 },
  Backspace: { key: 'Backspace', code: 'Backspace', keyCode: 8 },
  Delete: { key: 'Delete', code: 'Delete', keyCode: 46 },
  Escape: { key: 'Escape', code: 'Escape', keyCode: 27 },
  Space: { key: ' ', code: 'Space', keyCode: 32, text: ' ' },
  ArrowUp: { key: 'ArrowUp', code: 'ArrowUp', keyCode: 38 },
  ArrowDown: { key: 'ArrowDown', code: 'ArrowDown', keyCode: 40 },
  ArrowLeft: { key: 'ArrowLeft', code: 'ArrowLeft', keyCode: 37 },
  ArrowRight: { key: 'ArrowRight', code: 'ArrowRight', keyCode: 39 },
  Home: { key: 'Home', code: 'Home', keyCode: 36 },
  End: { key: 'End', code: 'End', keyCode: 35 },
  PageUp: { key: 'PageUp', code: 'PageUp', keyCode: 33 },
  PageDown: { key: 'PageDown', code: 'PageDown', keyCode: 34 },
  Insert: { key: 'Insert', code: 'Insert', keyCode: 45 },
  Control: { key: 'Control', code: 'ControlLeft', keyCode: 17 },
  Shift: { key: 'Shift', code: 'ShiftLeft', keyCode: 16 },
  Alt: { key: 'Alt', code: 'AltLeft', keyCode: 18 },
  Meta: { key: 'Meta', code: 'MetaLeft', keyCode: 91 },
};

for (let n = 1; n <= 12; n++)
  NAMED_KEYS[`F${n}`] = { key: `F${n}`, code: `F${n}`, keyCode: 111 + n };

const ALIASES: Record<string, string> = {
  ctrl: 'Control',
  control: 'Control',
  cmd: 'Meta',
  command: 'Meta',
  meta: 'Meta',
  super: 'Meta',
  win: 'Meta',
  option: 'Alt',
  alt: 'Alt',
  shift: 'Shift',
  esc: 'Escape',
  return: 'Enter',
  del: 'Delete',
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  pgup: 'PageUp',
  pgdn: 'PageDown',
  space: 'Space',
};

const PUNCTUATION_CODES: Record<string, [string, number]> = {
  '-': ['Minus', 189],
  '=': ['Equal', 187],
  '[': ['BracketLeft', 219],
  ']': ['BracketRight', 221],
  '\\': ['Backslash', 220],
  ';': ['Semicolon', 186],
  "'": ['Quote', 222],
  ',': ['Comma', 188],
  '.': ['Period', 190],
  '/': ['Slash', 191],
  '`': ['Backquote', 192],
};

/** The definition of one typed character, or undefined when no US key types it. */
export function characterKey(char: string): KeyDefinition | undefined {
  if (char === '\n' || char === '\r') return NAMED_KEYS.Enter;
  if (char === ' ') return NAMED_KEYS.Space;
  if (/^[a-zA-Z]$/.test(char)) {
    const upper = char.toUpperCase();
    return { key: char, code: `Key${upper}`, keyCode: upper.charCodeAt(0), text: char };
  }
  if (/^[0-9]$/.test(char))
    return { key: char, code: `Digit${char}`, keyCode: char.charCodeAt(0), text: char };

  const punctuation = PUNCTUATION_CODES[char];
  if (punctuation) return { key: char, code: punctuation[0], keyCode: punctuation[1], text: char };
  // Other printable ASCII (shifted symbols): the key event still carries the text.
  if (char.length === 1 && char >= '!' && char <= '~')
    return { key: char, code: '', keyCode: 0, text: char };
  return undefined;
}

export interface KeyCombination {
  modifiers: Modifier[];
  key: KeyDefinition;
}

/** Parses "Enter", "Control+a", "ctrl+shift+ArrowLeft". */
export function parseKeyCombination(spec: string): KeyCombination {
  const parts = spec.split('+').map((part) => part.trim());
  // "Control++" means the plus key itself.
  if (spec.endsWith('++')) parts.splice(parts.length - 2, 2, '+');
  if (parts.some((part) => part.length === 0)) {
    throw new TrayError(
      'BAD_REQUEST',
      `keys: cannot read ${JSON.stringify(spec)}; write keys like "Enter" or "Control+a"`,
    );
  }

  const names = parts.map(canonicalName);
  const last = names[names.length - 1] as string;
  const modifiers = names.slice(0, -1).map((name) => {
    if (!(name in MODIFIER_BITS)) {
      throw new TrayError(
        'BAD_REQUEST',
        `keys: ${name} is not a modifier (use Control, Shift, Alt or Meta before '+')`,
      );
    }
    return name as Modifier;
  });

  const key = NAMED_KEYS[last] ?? characterKey(last);
  if (!key) throw new TrayError('BAD_REQUEST', `keys: unknown key ${JSON.stringify(last)}`);
  return { modifiers, key };
}

function canonicalName(part: string): string {
  const alias = ALIASES[part.toLowerCase()];
  if (alias) return alias;
  const named = Object.keys(NAMED_KEYS).find((name) => name.toLowerCase() === part.toLowerCase());
  return named ?? part;
}
