import { elementScroll, observeElementOffset, observeElementRect, Virtualizer, type VirtualizerOptions } from '@tanstack/virtual-core';
import { useLayoutEffect, useState } from 'preact/hooks';

type Options<S extends Element, I extends Element> = Omit<VirtualizerOptions<S, I>, 'observeElementRect' | 'observeElementOffset' | 'scrollToFn'>;

/**
 * @tanstack/virtual-core wired to a Preact component, as its React adapter
 * does: one Virtualizer per component, given the current options on every
 * render, mounted once, told of each update; its changes re-render.
 */
export function useVirtualizer<S extends Element, I extends Element>(options: Options<S, I>): Virtualizer<S, I> {
  const [, setTick] = useState(0);
  const resolved: VirtualizerOptions<S, I> = {
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    ...options,
    onChange: (instance, sync) => {
      setTick((n) => n + 1);
      options.onChange?.(instance, sync);
    },
  };
  const [virtualizer] = useState(() => new Virtualizer<S, I>(resolved));
  virtualizer.setOptions(resolved);
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => virtualizer._willUpdate());
  return virtualizer;
}
