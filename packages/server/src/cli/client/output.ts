import Table from 'cli-table3';

/** Human-readable UTC time for tables (JSON output keeps the ISO string). */
export function readableTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC');
}

/** Prints rows as an aligned table (IDs are never truncated), or the raw value as JSON. */
export function print(json: boolean | undefined, value: unknown, head: string[], rows: string[][]): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const table = new Table({
    head,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '' },
  });
  table.push(...rows);
  process.stdout.write(`${table.toString()}\n`);
}
