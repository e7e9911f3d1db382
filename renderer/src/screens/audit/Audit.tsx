// The tenant's audit trail: the chain's verification at a glance
// (VerifyEvents), events newest first with filters (LookupEvents; outcome
// is filtered here, filters.ts says why) and pages, one event's CloudTrail
// JSON, and the export to a file (ExportAuditTrail).
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ScreenError } from '../users/access.js';
import { AuditExport } from './AuditExport.js';
import { EventDetail } from './EventDetail.js';
import { FilterForm } from './FilterForm.js';
import { lookupInput, matchesOutcome, NO_FILTERS, outcomeOf, type AuditEvent, type AuditFilters } from './filters.js';

const DENIED = 'Reading the audit trail needs the audit permissions (the AuditReader policy, or a tenant administrator).';

export function Audit() {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  /** the tokens of the pages before this one, and this one's (undefined = the first page) */
  const [pages, setPages] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<AuditEvent>();
  const token = pages[pages.length - 1];
  const events = useQuery({
    queryKey: ['audit', 'events', filters, token],
    queryFn: () => run('LookupEvents', lookupInput(filters, token)),
    placeholderData: keepPreviousData,
  });
  const apply = (f: AuditFilters) => {
    setFilters(f);
    setPages([undefined]);
    setSelected(undefined);
  };
  const shown = events.data?.Events.filter((e) => matchesOutcome(e, filters.outcome)) ?? [];

  return (
    <section aria-labelledby="audit-title">
      <header className="page-header">
        <h1 id="audit-title">Audit</h1>
        <Verification />
      </header>
      <FilterForm initial={filters} onApply={apply} />
      <ScreenError error={events.error} deniedHint={DENIED} />
      {events.isPending ? (
        <p role="status">Loading events…</p>
      ) : events.data ? (
        <>
          {shown.length === 0 ? (
            <p>{events.data.Events.length === 0 ? 'No events match these filters.' : 'No events on this page have that outcome.'}</p>
          ) : (
            <table aria-label="Audit events">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">User</th>
                  <th scope="col">Resources</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">
                    <span className="visually-hidden">Details</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {shown.map((e) => {
                  const outcome = outcomeOf(e);
                  return (
                    <tr key={e.EventId} className={selected?.EventId === e.EventId ? 'selected' : undefined}>
                      <td>{e.EventTime.toLocaleString()}</td>
                      <td>{e.EventName}</td>
                      <td>{e.Username ?? '—'}</td>
                      <td className="mono">{e.Resources.map((r) => r.ResourceName).join(', ') || '—'}</td>
                      <td>{outcome.kind === 'success' ? 'Success' : outcome.kind === 'failure' ? <span className="error">{outcome.errorCode}</span> : 'Unreadable record'}</td>
                      <td>
                        <Button onClick={() => setSelected(e)} aria-label={`Details of ${e.EventName} at ${e.EventTime.toLocaleString()}`}>
                          Details
                        </Button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          <nav className="row pager" aria-label="Pages of events">
            <Button disabled={pages.length === 1} onClick={() => setPages(pages.slice(0, -1))}>
              Newer
            </Button>
            <span>Page {pages.length}</span>
            <Button disabled={!events.data.NextToken} onClick={() => setPages([...pages, events.data.NextToken])}>
              Older
            </Button>
            {events.isFetching && <span role="status">Loading…</span>}
          </nav>
        </>
      ) : null}
      {selected && <EventDetail event={selected} onClose={() => setSelected(undefined)} />}
      <AuditExport />
    </section>
  );
}

/** The stored chain's verification state, at a glance. */
function Verification() {
  const verify = useQuery({ queryKey: ['audit', 'verify'], queryFn: () => run('VerifyEvents', {}) });
  if (verify.isPending) return <p role="status">Verifying the chain…</p>;
  if (verify.error) return <ErrorNote error={verify.error} />;
  const v = verify.data;
  return (
    <div className={`verification ${v.Valid ? 'valid' : 'invalid'}`} role="status" aria-label="Audit chain verification">
      <strong>{v.Valid ? 'Chain verified' : 'Chain NOT valid'}</strong>: {v.Summary} ({v.Records} records, {v.Digests} signed digests)
      {!v.Valid && (
        <ul>
          {v.Problems.map((p, i) => (
            <li key={i}>
              {p.Seq !== undefined ? `#${p.Seq} ` : ''}
              {p.Kind}: {p.Message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
