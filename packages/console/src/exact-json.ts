/**
 * JSON.parse, but every number comes back as the text the server wrote. The
 * usage cost amounts are exact decimals written as JSON numbers; a grand total
 * can have more digits than a double keeps, so reading them as numbers could
 * change what the API said. Browsers without the reviver's source text
 * (Chromium 114+, Firefox 135+, Safari 18.4+ have it) get the number's
 * shortest text, which is the same for any value of at most 15 digits.
 */
export function parseWithExactNumbers(text: string): unknown {
  return JSON.parse(text, (_key: string, value: unknown, context?: { source?: string }) => (typeof value === 'number' ? (context?.source ?? String(value)) : value));
}
