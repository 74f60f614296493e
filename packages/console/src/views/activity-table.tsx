import { useEffect, useRef } from 'preact/hooks';
import { useVirtualizer } from '../use-virtualizer.js';
import { actorOf, targetOf, type Activity } from './activity-data.js';

/** A row's height in pixels as styles.css draws it (one line of text); rows are measured once drawn. */
const ROW_HEIGHT = 37;

/**
 * The activities as a table that holds only the rows in view (and a few
 * either side) in the DOM, however long the list: spacer rows stand in for
 * the rest, so the scroll bar is that of the whole list.
 */
export function ActivityTable({ activities, selectedId, onSelect }: { activities: readonly Activity[]; selectedId: string | undefined; onSelect(id: string): void }) {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLTableRowElement>({
    count: activities.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => activities[index]!.id,
    overscan: 10,
  });
  // Another filter gives another list: start it from its top.
  useEffect(() => virtualizer.scrollToOffset(0), [activities]);
  const items = virtualizer.getVirtualItems();
  const before = items.length > 0 ? items[0]!.start : 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1]!.end : 0;
  return (
    <div class="activity-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Activity log">
      <table class="activity-table" aria-rowcount={activities.length + 1}>
        <caption class="visually-hidden">Activities, newest first</caption>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" class="col-when">
              When
            </th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
            <th scope="col" class="col-details">
              <span class="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {before > 0 && (
            <tr class="spacer" aria-hidden="true">
              <td colSpan={5} style={{ height: `${before}px` }} />
            </tr>
          )}
          {items.map((item) => {
            const activity = activities[item.index]!;
            return (
              <tr
                key={item.key as string}
                data-index={item.index}
                ref={virtualizer.measureElement}
                class="activity-row"
                aria-rowindex={item.index + 2}
                aria-current={activity.id === selectedId ? 'true' : undefined}
                onClick={() => onSelect(activity.id)}
              >
                <td>
                  <time dateTime={activity.createdAt}>{activity.createdAt}</time>
                </td>
                <td>{actorOf(activity).label}</td>
                <td>
                  {activity.type}
                  {activity.keyUpdateType && <span class="hint"> ({activity.keyUpdateType})</span>}
                </td>
                <td>{targetOf(activity)}</td>
                <td>
                  <button type="button" onClick={() => onSelect(activity.id)}>
                    Details
                    <span class="visually-hidden">
                      {' '}
                      of {activity.type} at {activity.createdAt}
                    </span>
                  </button>
                </td>
              </tr>
            );
          })}
          {after > 0 && (
            <tr class="spacer" aria-hidden="true">
              <td colSpan={5} style={{ height: `${after}px` }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
