/**
 * Scripts that run inside the page. Each function is serialised with `String(fn)` and
 * evaluated there, so it must not reference anything outside its own body.
 *
 * The index of interactive elements lives in the page (`window.__btrayIndex`): an index
 * means the same element until the next `state`, and a navigation forgets it.
 */

export interface IndexedPageState {
  url: string;
  title: string;
  viewport: { width: number; height: number };
  page: { width: number; height: number };
  scroll: { x: number; y: number };
  lines: string[];
  count: number;
}

export type LocateResult =
  | { ok: true; x: number; y: number; width: number; height: number; tag: string }
  | { ok: false; reason: 'no-index' | 'unknown' | 'stale' | 'hidden'; count: number };

/** Walks the document (open shadow roots and same-origin iframes included) and indexes
 * every visible element a person could interact with. */
export function collectInteractiveElements(maxText: number): IndexedPageState {
  const ROLES = new Set([
    'button',
    'link',
    'checkbox',
    'radio',
    'switch',
    'tab',
    'menuitem',
    'menuitemcheckbox',
    'menuitemradio',
    'option',
    'textbox',
    'searchbox',
    'combobox',
    'slider',
    'spinbutton',
    'treeitem',
    'listbox',
  ]);
  const ATTRIBUTES = ['type', 'name', 'role', 'aria-label', 'placeholder', 'title', 'alt', 'href'];
  const elements: Element[] = [];
  const lines: string[] = [];

  const clip = (text: string, max: number): string =>
    text.length > max ? `${text.slice(0, max - 1)}…` : text;
  const quote = (value: string): string =>
    /^[\w./:#?=&%-]+$/.test(value) ? value : JSON.stringify(value);

  const isInteractive = (el: Element): boolean => {
    const tag = el.localName;
    if (tag === 'a') return el.hasAttribute('href');
    if (tag === 'input') return (el as HTMLInputElement).type !== 'hidden';
    if (tag === 'button' || tag === 'select' || tag === 'textarea' || tag === 'summary')
      return true;
    const role = el.getAttribute('role');
    if (role && ROLES.has(role)) return true;
    if ((el as HTMLElement).isContentEditable && !el.parentElement?.isContentEditable) return true;
    if (el.hasAttribute('onclick')) return true;
    const tabindex = el.getAttribute('tabindex');
    return tabindex !== null && Number(tabindex) >= 0;
  };

  const isVisible = (el: Element): boolean => {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0) return false;
    return el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
  };

  const describe = (el: Element): string => {
    const tag = el.localName;
    const parts = [tag];
    for (const name of ATTRIBUTES) {
      const value = el.getAttribute(name);
      if (value) parts.push(`${name}=${quote(clip(value, 80))}`);
    }
    if (tag === 'input' || tag === 'textarea') {
      const input = el as HTMLInputElement;
      if (input.type === 'checkbox' || input.type === 'radio') {
        if (input.checked) parts.push('checked');
      } else if (input.value) {
        parts.push(`value=${quote(input.type === 'password' ? '••••' : clip(input.value, 80))}`);
      }
    }
    if (tag === 'select') {
      const selected = (el as HTMLSelectElement).selectedOptions[0];
      if (selected) parts.push(`selected=${quote(clip(selected.text, 60))}`);
    }
    if ((el as HTMLButtonElement).disabled) parts.push('disabled');
    const expanded = el.getAttribute('aria-expanded');
    if (expanded) parts.push(`expanded=${expanded}`);

    const text =
      tag === 'select' ? '' : clip((el.textContent ?? '').replace(/\s+/g, ' ').trim(), maxText);
    return text ? `<${parts.join(' ')}>${text}</${tag}>` : `<${parts.join(' ')} />`;
  };

  const walk = (root: Document | ShadowRoot, indent: string): void => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node as Element;
      if (isInteractive(el) && isVisible(el)) {
        elements.push(el);
        lines.push(`${indent}[${elements.length}]${describe(el)}`);
      }
      if (el.shadowRoot) walk(el.shadowRoot, `${indent}  `);
      if (el.localName === 'iframe' || el.localName === 'frame') {
        let inner: Document | null = null;
        try {
          inner = (el as HTMLIFrameElement).contentDocument;
        } catch {
          inner = null;
        }
        if (inner) {
          lines.push(
            `${indent}  |iframe ${quote(clip((el as HTMLIFrameElement).src || 'about:blank', 80))}|`,
          );
          walk(inner, `${indent}    `);
        } else if (isVisible(el)) {
          lines.push(
            `${indent}  |cross-origin iframe ${quote(clip((el as HTMLIFrameElement).src, 80))}: not indexed|`,
          );
        }
      }
    }
  };

  walk(document, '');
  Object.defineProperty(window, '__btrayIndex', {
    value: elements,
    configurable: true,
    enumerable: false,
  });

  const scroller = document.scrollingElement ?? document.documentElement;
  return {
    url: location.href,
    title: document.title,
    viewport: { width: window.innerWidth, height: window.innerHeight },
    page: { width: scroller.scrollWidth, height: scroller.scrollHeight },
    scroll: { x: Math.round(window.scrollX), y: Math.round(window.scrollY) },
    lines,
    count: elements.length,
  };
}

/** Scrolls an indexed element into view and returns its centre in top-level viewport pixels. */
export function locateIndexedElement(index: number, scroll: boolean): LocateResult {
  const elements = (window as unknown as { __btrayIndex?: Element[] }).__btrayIndex;
  if (!elements) return { ok: false, reason: 'no-index', count: 0 };
  const el = elements[index - 1];
  if (!el) return { ok: false, reason: 'unknown', count: elements.length };
  if (!el.isConnected) return { ok: false, reason: 'stale', count: elements.length };

  if (scroll) el.scrollIntoView({ block: 'center', inline: 'center', behavior: 'instant' });
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0)
    return { ok: false, reason: 'hidden', count: elements.length };

  // Same-origin iframes: add each frame's content-box offset up to the top window.
  let x = rect.left + rect.width / 2;
  let y = rect.top + rect.height / 2;
  let view: Window | null = el.ownerDocument.defaultView;
  while (view && view !== window && view.frameElement) {
    const frame = view.frameElement as HTMLElement;
    const frameRect = frame.getBoundingClientRect();
    const style = getComputedStyle(frame);
    x += frameRect.left + frame.clientLeft + Number.parseFloat(style.paddingLeft);
    y += frameRect.top + frame.clientTop + Number.parseFloat(style.paddingTop);
    view = view.parent;
  }
  return { ok: true, x, y, width: rect.width, height: rect.height, tag: el.localName };
}

/** The expression that calls `fn` with `args` inside the page. */
export function pageCall(fn: (...args: never[]) => unknown, ...args: unknown[]): string {
  return `(${String(fn)})(${args.map((arg) => JSON.stringify(arg)).join(',')})`;
}

/** Renders what `state` prints, as a client shows it. */
export function formatPageState(state: IndexedPageState, notes: string[]): string {
  const percent =
    state.page.height > state.viewport.height
      ? Math.round((state.scroll.y / (state.page.height - state.viewport.height)) * 100)
      : 0;
  const header = [
    `url: ${state.url}`,
    `title: ${state.title}`,
    `viewport: ${state.viewport.width}x${state.viewport.height}, page: ${state.page.width}x${state.page.height}, ` +
      `scroll: ${state.scroll.x},${state.scroll.y} (${percent}% down)`,
    ...notes.map((note) => `note: ${note}`),
    `interactive elements: ${state.count}`,
  ];
  return [...header, ...state.lines].join('\n');
}
