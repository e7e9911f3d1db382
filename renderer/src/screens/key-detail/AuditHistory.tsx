// This key's audit history: the tenant's audit records naming the key
// (LookupEvents with KeyId), newest first. Every read of this screen is
// recorded too, so by default only changes are listed; a box adds the reads.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { run } from '../../bridge.js';
import { showDate } from './dates.js';
import { keyQueryKey } from './queries.js';
import { ReadError } from './ReadError.js';

/** How many of the key's newest records are searched (LookupEvents' MaxResults at most). */
const SEARCHED = 1000;
const SHOWN = 50;

/** The outcome a CloudTrail-shaped record carries: its errorCode, or success. */
function outcome(cloudTrailEvent: string): string {
  try {
    const e = JSON.parse(cloudTrailEvent) as { errorCode?: string };
    return e.errorCode ?? 'Succeeded';
  } catch {
    return 'Unreadable record';
  }
}

export function AuditHistory({ keyId }: { keyId: string }) {
  const [withReads, setWithReads] = useState(false);
  const events = useQuery({ queryKey: keyQueryKey(keyId, 'audit'), queryFn: () => run('LookupEvents', { KeyId: keyId, MaxResults: SEARCHED }) });
  const shown = (events.data?.Events ?? []).filter((e) => withReads || e.ReadOnly !== 'true').slice(0, SHOWN);
  return (
    <section aria-labelledby="key-audit" className="panel">
      <h2 id="key-audit">Audit history</h2>
      <label className="checkbox">
        <input type="checkbox" checked={withReads} onChange={(e) => setWithReads(e.target.checked)} /> Include reads (DescribeKey, List…, Get…)
      </label>
      {events.isPending ? (
        <p role="status">Loading the audit history…</p>
      ) : events.error ? (
        <ReadError error={events.error} />
      ) : shown.length === 0 ? (
        <p>No {withReads ? '' : 'changes or uses '}recorded for this key.</p>
      ) : (
        <table aria-label="Audit events for this key">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Event</th>
              <th scope="col">User</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.EventId}>
                <td>{showDate(e.EventTime)}</td>
                <td>{e.EventName}</td>
                <td>{e.Username ?? '—'}</td>
                <td>{outcome(e.CloudTrailEvent)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="hint">
        The newest {SHOWN} of the key’s last {SEARCHED} records; the Audit screen searches them all.
      </p>
    </section>
  );
}
