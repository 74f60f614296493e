import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WriteBatcher } from '../../src/db/write-batcher.js';

/** A batcher whose batches stay open until released, recording what each batch held. */
function gatedBatcher(maxBatch: number) {
  const batches: string[][] = [];
  const gates: (() => void)[] = [];
  const batcher = new WriteBatcher<string, string, string>(async (key, items) => {
    batches.push([key, ...items]);
    await new Promise<void>((release) => gates.push(release));
    if (items.includes('poison')) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((item) => `${item} done`);
  }, maxBatch);
  const releaseNext = async () => {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()!();
  };
  return { batcher, batches, releaseNext };
}

describe('WriteBatcher', () => {
  it('starts a lone write at once and batches those that arrive while it runs, in order', async () => {
    const { batcher, batches, releaseNext } = gatedBatcher(10);
    const results = ['a', 'b', 'c', 'd'].map((item) => batcher.submit('org', item));
    await releaseNext();
    await releaseNext();
    assert.deepEqual(await Promise.all(results), ['a done', 'b done', 'c done', 'd done']);
    assert.deepEqual(batches, [['org', 'a'], ['org', 'b', 'c', 'd']]);
  });

  it('runs different keys independently', async () => {
    const { batcher, batches, releaseNext } = gatedBatcher(10);
    const results = [batcher.submit('one', 'a'), batcher.submit('two', 'b')];
    assert.deepEqual(batches, [['one', 'a'], ['two', 'b']]);
    await releaseNext();
    await releaseNext();
    assert.deepEqual(await Promise.all(results), ['a done', 'b done']);
  });

  it('caps a batch at maxBatch and runs the rest next', async () => {
    const { batcher, batches, releaseNext } = gatedBatcher(2);
    const results = ['a', 'b', 'c', 'd', 'e'].map((item) => batcher.submit('org', item));
    for (let i = 0; i < 3; i++) await releaseNext();
    assert.equal((await Promise.all(results)).length, 5);
    assert.deepEqual(batches, [['org', 'a'], ['org', 'b', 'c'], ['org', 'd', 'e']]);
  });

  it('rejects every write of a failed batch with its error and goes on with the next', async () => {
    const { batcher, batches, releaseNext } = gatedBatcher(10);
    const first = batcher.submit('org', 'a');
    const failing = ['b', 'poison'].map((item) => batcher.submit('org', item).then(() => 'resolved', (error: Error) => error.message));
    await releaseNext();
    await releaseNext();
    assert.equal(await first, 'a done');
    assert.deepEqual(await Promise.all(failing), ['batch b,poison failed', 'batch b,poison failed']);
    const later = batcher.submit('org', 'c');
    await releaseNext();
    assert.equal(await later, 'c done');
    assert.deepEqual(batches.at(-1), ['org', 'c']);
  });
});
