/**
 * Text Postgres can store. A NUL character (U+0000) is refused by text columns and, as the `\u0000`
 * escape, by jsonb; a lone UTF-16 surrogate is refused by jsonb, and in a text column it silently
 * becomes U+FFFD, so a hash computed over the string no longer matches the stored row. Input with
 * either is refused where people and agents send it, and text Mandate builds itself is made storable.
 */

export const UNSTORABLE_TEXT_MESSAGE = 'contains a character that cannot be stored: a NUL character (\\u0000) or a lone UTF-16 surrogate';

export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed();
}

/** The same text with each NUL and each lone surrogate replaced by U+FFFD (the replacement character). */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.toWellFormed().replaceAll('\u0000', '\uFFFD');
}

/**
 * Where in a value (strings, and object keys, at any depth) there is text that cannot be stored, as a
 * path; null when there is none. Iterative, so deeply nested input cannot exhaust the stack.
 */
export function unstorableTextPath(value: unknown): (string | number)[] | null {
  type Node = { value: unknown; key: string | number | null; parent: Node | null };
  const pathOf = (node: Node | null, last?: string): (string | number)[] => {
    const path: (string | number)[] = last === undefined ? [] : [last];
    for (let n = node; n && n.key !== null; n = n.parent) path.unshift(n.key);
    return path;
  };
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const node = stack.pop()!;
    const v = node.value;
    if (typeof v === 'string') {
      if (!isStorableText(v)) return pathOf(node);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: node });
    } else if (v && typeof v === 'object' && !(v instanceof Date)) {
      for (const [k, child] of Object.entries(v)) {
        if (!isStorableText(k)) return pathOf(node, k);
        stack.push({ value: child, key: k, parent: node });
      }
    }
  }
  return null;
}

/**
 * The deepest nesting accepted in JSON input that is stored or hashed (payloads, hook input, MCP call
 * arguments). JSON.parse takes any depth, but JSON.stringify, canonicalisation and redaction recurse
 * and exhaust the stack a few thousand levels down; real evidence is nowhere near this.
 */
export const MAX_JSON_DEPTH = 64;

/** How deeply arrays and objects nest in a value (a scalar is 0), counted without recursion; stops once past `limit`. */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child && typeof child === 'object') stack.push([child, here]);
  }
  return deepest;
}
