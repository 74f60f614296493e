// orgplane/testing: a real orgplane per test file, started from code.
export { startOrgplane, type Orgplane, type StartOrgplaneOptions } from './start-orgplane.js';
export type { JournalVerifier, RequestFilter } from './journal-verifier.js';
export type { JournalEntry } from '../schemas/controls.js';
