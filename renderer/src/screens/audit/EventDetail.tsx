// One audit event: its summary and its CloudTrail record as JSON.
import { useEffect, useRef } from 'react';
import { Button } from '../../ui/controls.js';
import { cloudTrail, type AuditEvent } from './filters.js';

export function EventDetail({ event, onClose }: { event: AuditEvent; onClose: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [event.EventId]);
  const record = cloudTrail(event);
  return (
    <section className="panel" aria-labelledby="event-title">
      <div className="row">
        <h2 id="event-title" ref={heading} tabIndex={-1}>
          {event.EventName} at {event.EventTime.toLocaleString()}
        </h2>
        <Button onClick={onClose}>Close details</Button>
      </div>
      <p className="mono">Event id {event.EventId}</p>
      <pre className="json" aria-label="CloudTrail record (JSON)" tabIndex={0}>
        {record ? JSON.stringify(record, null, 2) : event.CloudTrailEvent}
      </pre>
    </section>
  );
}
