import { Fragment } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ACTIVITY_FIELDS, type Activity } from './activity-data.js';

/** Every field the API gave for the activity, as text; the heading takes the focus so a keyboard user lands here. */
export function ActivityDetails({ activity, onClose }: { activity: Activity; onClose(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [activity.id]);
  const known = new Set<string>(ACTIVITY_FIELDS);
  // Fields the console does not know yet are shown too, after the known ones.
  const fields = [...ACTIVITY_FIELDS.filter((f) => activity[f] !== undefined), ...Object.keys(activity).filter((f) => !known.has(f))];
  return (
    <aside class="activity-details" aria-labelledby="activity-details-title">
      <h2 id="activity-details-title" tabIndex={-1} ref={heading}>
        Activity details
      </h2>
      <dl class="facts">
        {fields.map((field) => (
          <Fragment key={field}>
            <dt>{field}</dt>
            <dd>
              <code>{String((activity as Record<string, unknown>)[field])}</code>
            </dd>
          </Fragment>
        ))}
      </dl>
      <button type="button" onClick={onClose}>
        Close details
      </button>
    </aside>
  );
}
