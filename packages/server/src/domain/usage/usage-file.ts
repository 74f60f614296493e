import { parse as parseCsv } from 'csv-parse/sync';
import { badRequest } from '../errors.js';
import type { GivenUsageRecord } from './usage.service.js';
import { tagKeyProblem } from '../../vocabulary/tags.js';
import { USAGE_METRICS } from '../../vocabulary/usage.js';
import { parseUsageRecord, type Refuse } from './usage-record.js';

// The files `orgplane usage import` reads: JSON lines (one record object per
// line, the vendor's field names) or CSV with a header (the same fields, one
// column per metric, a `tag:KEY` column per tag). The first wrong line refuses
// the file, named by its line number and field.

const refuseAt =
  (line: number): Refuse =>
  (field, reason) =>
    badRequest(field ? `line ${line}, field '${field}': ${reason}` : `line ${line}: ${reason}`);

/** Records of a JSON lines file; blank lines are skipped. */
export function parseJsonLines(text: string, organizationId: string): GivenUsageRecord[] {
  const records: GivenUsageRecord[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw badRequest(`line ${i + 1}: not a JSON object (each line of a JSON lines file is one record)`);
    }
    records.push({ where: `line ${i + 1}`, row: parseUsageRecord(value, organizationId, refuseAt(i + 1)) });
  }
  return records;
}

const PLAIN_COLUMNS = new Set(['date', 'entityType', 'entityId', 'entityName', 'dataWarehouseId', 'serviceId']);
const METRIC_COLUMNS = new Set<string>(USAGE_METRICS);

/**
 * Records of a CSV file with a header line. An empty cell is no value: no
 * metric, no tag, a null serviceId (so a tag with an empty value needs JSON
 * lines). Metric cells are decimal text.
 */
export function parseCsvFile(text: string, organizationId: string): GivenUsageRecord[] {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { bom: true, info: true, skip_empty_lines: true }) as unknown as typeof rows;
  } catch (err) {
    throw badRequest(`not valid CSV: ${(err as Error).message}`);
  }
  if (rows.length === 0) return [];
  const header = rows[0]!.record.map((name) => name.trim());
  const headerLine = refuseAt(rows[0]!.info.lines);
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw headerLine(name, 'is a column twice');
    seen.add(name);
    if (name === 'totalCHC' || name === 'locked') throw headerLine(name, 'is derived (from the metrics and the date) and cannot be given');
    if (name.startsWith('tag:')) {
      const problem = tagKeyProblem(name.slice(4));
      if (problem) throw headerLine(name, problem);
    } else if (!PLAIN_COLUMNS.has(name) && !METRIC_COLUMNS.has(name)) {
      throw headerLine(name, `is not a column of a usage record (${[...PLAIN_COLUMNS].join(', ')}, a metric: ${USAGE_METRICS.join(', ')}, or tag:KEY)`);
    }
  }
  return rows.slice(1).map(({ record: cells, info }) => {
    const record: Record<string, unknown> = {};
    const metrics: Record<string, string> = {};
    const tags: Record<string, string> = {};
    header.forEach((name, i) => {
      const cell = cells[i] ?? '';
      if (cell === '') return;
      if (name.startsWith('tag:')) tags[name.slice(4)] = cell;
      else if (METRIC_COLUMNS.has(name)) metrics[name] = cell.trim();
      else record[name] = cell;
    });
    record.metrics = metrics;
    if (Object.keys(tags).length > 0) record.tags = tags;
    return { where: `line ${info.lines}`, row: parseUsageRecord(record, organizationId, refuseAt(info.lines)) };
  });
}

/** A `.csv` file is CSV, anything else JSON lines. */
export function parseUsageFile(path: string, text: string, organizationId: string): GivenUsageRecord[] {
  return path.toLowerCase().endsWith('.csv') ? parseCsvFile(text, organizationId) : parseJsonLines(text, organizationId);
}
