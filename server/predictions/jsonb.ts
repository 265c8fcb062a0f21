/**
 * JSON text that Postgres's jsonb accepts for any value JSON.stringify can write. jsonb refuses the
 * escape \u0000 and lone UTF-16 surrogates (which JSON.stringify writes as \udXXX escapes, while it
 * writes valid pairs as the characters themselves), so those become U+FFFD. An escape preceded by
 * an odd number of backslashes is text the caller wrote, not an escape, and stays.
 */
const BAD_ESCAPE = /(?<=(?:^|[^\\])(?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/g;

/** `value` as jsonb-safe JSON text, or null when it cannot be serialised (a cycle, a BigInt). */
export function jsonbText(value: unknown): string | null {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return null;
  }
  if (text === undefined) return "null"; // undefined, a function: nothing to keep but the row itself
  return text.includes("\\u") ? text.replace(BAD_ESCAPE, "\\ufffd") : text;
}
