/** The 1-based line a server message names ("line 7: …", "line 12 (checks.x): …"), or null. */
export function lineOf(message: string | null | undefined): number | null {
  const match = message?.match(/\bline (\d+)/i);
  return match ? Number(match[1]) : null;
}
