import { randomInt } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';

let last = { msecs: -1, seq: 0 };

/**
 * A UUIDv7 whose timestamp is the activity's createdAt (the injected clock's
 * time, not the wall clock's), so the two always agree. Within one
 * millisecond the counter counts up, so IDs of one instance sort in the order
 * they were made, as "newest first" by (createdAt, id) needs; the frozen
 * clock of tests hits this path all the time.
 */
export function activityId(at: Date): string {
  const msecs = at.getTime();
  last = msecs === last.msecs ? { msecs, seq: (last.seq + 1) & 0x7fffffff } : { msecs, seq: randomInt(0x40000000) };
  return uuidv7({ msecs, seq: last.seq });
}
