import type { operations } from '@orgplane/client';

/** The `result` of a control's 200 answer, as the typed client gives it. */
type ResultOf<Op extends keyof operations> = operations[Op]['responses'] extends { 200: { content: { 'application/json': { result: infer R } } } } ? R : never;

export type ClockState = ResultOf<'controlsClockGet'>;
export type FaultRules = ResultOf<'controlsFaultsGet'>;
export type FaultRuleInput = operations['controlsFaultsSet']['requestBody']['content']['application/json']['rules'][number];
export type JournalEntry = ResultOf<'controlsRequestsGetList'>[number];
export type Fixture = operations['controlsSeed']['requestBody']['content']['application/json'];
export type SeedSummary = ResultOf<'controlsSeed'>;
