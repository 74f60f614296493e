import Table from 'cli-table3';

// Every human-readable table and time the CLI prints comes from here, so client
// commands (over HTTP) and operator commands (on the database) look the same.
// --json output is each command's own and is not touched by this module.

/**
 * A time as the API sends it: ISO-8601 UTC with milliseconds (2026-01-01T00:00:00.000Z),
 * unchanged, so it sorts as text and pastes into --from-date or --expire-at as it is.
 * `absent` stands in for a time that is not set.
 */
export function formatTime(iso: string | null | undefined, absent = '-'): string {
  return iso || absent;
}

// Borderless: a header row of column names, then one line per row (more for multi-line
// cells), columns two spaces apart, left-aligned, nothing truncated (IDs stay whole).
const BORDERLESS = {
  style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
  chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '' },
};

/** Writes rows under their column names as the CLI's one table style. */
export function printTable(head: string[], rows: string[][]): void {
  const table = new Table({ head, ...BORDERLESS });
  table.push(...rows);
  // The last column's padding would leave trailing blanks on every line.
  const lines = table.toString().split('\n').map((line) => line.trimEnd());
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The client commands' output: the API's value as indented JSON with --json, else the table. */
export function print(json: boolean | undefined, value: unknown, head: string[], rows: string[][]): void {
  if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else printTable(head, rows);
}
