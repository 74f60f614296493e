/**
 * A value, or a promise of it where it must be waited for. The hot path
 * answers from memory without a promise: each async step between the request
 * and its answer costs a promise and a turn of the microtask queue
 * (docs/PERFORMANCE.md). Everything else is async as usual.
 */
export type MaybePromise<T> = T | Promise<T>;

/** `fn` of the value: at once for a value (a throw is thrown), once settled for a promise (a throw rejects). */
export function andThen<T, U>(value: MaybePromise<T>, fn: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
