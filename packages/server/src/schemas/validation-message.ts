import { PATTERN_MESSAGES } from '../vocabulary/text.js';

// How a schema validation failure (Ajv's first issue) is told to the user,
// naming the offending field by its path. One wording for every entry point:
// request bodies and parameters (http/errors.ts) and fixture files
// (domain/fixtures/fixture-validation.ts).

export interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** What the path names: a body field, a query or a path parameter. */
export type IssueSubject = 'field' | 'query parameter' | 'path parameter';

/** Human path for an Ajv instancePath: /privateEndpoints/add/0/id → privateEndpoints.add[0].id */
export function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

export function issueMessage(issue: SchemaIssue, where: IssueSubject): string {
  switch (issue.keyword) {
    case 'additionalProperties':
      return `Unknown ${where} '${fieldPath(issue.instancePath, String(issue.params.additionalProperty))}'`;
    case 'required':
      return `Missing required ${where} '${fieldPath(issue.instancePath, String(issue.params.missingProperty))}'`;
    case 'enum':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': must be one of ${(issue.params.allowedValues as unknown[]).join(', ')}`;
    case 'format':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': must be a valid ${String(issue.params.format)}`;
    case 'pattern':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': ${PATTERN_MESSAGES[String(issue.params.pattern)] ?? 'has the wrong format'}`;
    case 'type':
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': must be ${String(issue.params.type)}`;
    default:
      return `Invalid ${where} '${fieldPath(issue.instancePath)}': ${issue.message ?? 'invalid value'}`;
  }
}
