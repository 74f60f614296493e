import { performance } from 'node:perf_hooks';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { DEFAULT_JOURNAL_SIZE, type FaultKind, type JournalEntry } from '../../schemas/controls.js';
import type { App } from '../app-instance.js';
import { isControlRequest } from './control-requests.js';
import { journalBody, journalBodyFields, type JournalBody } from './journal-body.js';

type StoredEntry = Omit<JournalEntry, 'body' | 'bodyTruncated'> & { body?: JournalBody };

interface Arrival {
  time: string;
  startedAt: number;
}

/**
 * The most recent API requests of this instance, for a test to see what its
 * client sent and got: a ring of `capacity` entries in memory, never written
 * to disk or to the log. Bodies are kept without secrets (journal-body.ts);
 * headers are not kept at all. The controls' own requests are left out.
 */
export class RequestJournal {
  private readonly ring: (StoredEntry | undefined)[];
  private next = 0;
  private size = 0;
  /** Requests on their way, when they arrived; an entry is written once, when the first of answer or abort comes. */
  private readonly arrivals = new WeakMap<FastifyRequest, Arrival>();

  constructor(
    private readonly clock: Clock,
    private readonly faultOf: (request: FastifyRequest) => FaultKind | undefined,
    readonly capacity: number = DEFAULT_JOURNAL_SIZE,
  ) {
    this.ring = new Array<StoredEntry | undefined>(capacity);
  }

  /**
   * Must be installed before the fault injector: a fault answers from an
   * onRequest hook, and hooks after it do not run. A request whose connection
   * closes without an answer (a reset fault, a client giving up) is recorded
   * on the abort, with no status.
   */
  install(app: App): void {
    app.addHook('onRequest', async (request) => {
      if (!isControlRequest(request)) this.arrivals.set(request, { time: this.clock.now().toISOString(), startedAt: performance.now() });
    });
    app.addHook('onResponse', async (request, reply) => this.record(request, reply.statusCode));
    app.addHook('onRequestAbort', async (request) => this.record(request, null));
  }

  /** The most recent entries, newest first. */
  list(limit: number): JournalEntry[] {
    const entries: JournalEntry[] = [];
    for (let i = 0; i < Math.min(limit, this.size); i++) {
      const { body, ...entry } = this.ring[(this.next - 1 - i + this.capacity) % this.capacity]!;
      entries.push(body ? { ...entry, ...journalBodyFields(body) } : entry);
    }
    return entries;
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }

  private record(request: FastifyRequest, status: number | null): void {
    const arrival = this.arrivals.get(request);
    if (!arrival) return;
    this.arrivals.delete(request);
    const keySuffix = request.principal?.keySuffix;
    const fault = this.faultOf(request);
    this.ring[this.next] = {
      time: arrival.time,
      method: request.method,
      path: request.url,
      route: request.routeOptions.config.openApiUrl ?? null,
      status,
      durationMs: Math.round((performance.now() - arrival.startedAt) * 100) / 100,
      requestId: request.id,
      ...(keySuffix !== undefined ? { keySuffix } : {}),
      ...(fault !== undefined ? { fault } : {}),
      ...(request.body !== undefined ? { body: journalBody(request.body) } : {}),
    };
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }
}
