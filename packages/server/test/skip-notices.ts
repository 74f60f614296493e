// Run by the "test" scripts just before node --test: says once per run which
// services are missing and so which tests will be reported as skipped.
import { skipNotices } from './helpers/missing-services.js';

for (const line of skipNotices()) process.stdout.write(`${line}\n`);
