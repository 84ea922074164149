// Splits a snippet into plain and highlighted parts from the core's [start, end) offsets. The
// offsets count characters (Unicode code points), not UTF-16 units, so a rare name character
// outside the BMP does not shift the marks; the parts are rendered as text, never as HTML.

export interface SnippetPart {
  text: string;
  mark: boolean;
}

export function highlightParts(snippet: string, highlights: ReadonlyArray<readonly [number, number]>): SnippetPart[] {
  const chars = Array.from(snippet);
  const ranges = highlights
    .map(([start, end]) => [Math.max(0, start), Math.min(chars.length, end)] as const)
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  const parts: SnippetPart[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    const from = Math.max(start, at);
    if (from >= end) continue; // overlaps a range already marked
    if (from > at) parts.push({ text: chars.slice(at, from).join(""), mark: false });
    parts.push({ text: chars.slice(from, end).join(""), mark: true });
    at = end;
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(""), mark: false });
  return parts;
}
