// The key at a glance: ARN (copyable), aliases, state, dates, origin, spec,
// usage, description and the current key material's id, from DescribeKey and ListAliases.
import { useQuery } from '@tanstack/react-query';
import type { OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { CopyButton } from './CopyButton.js';
import { ReadError } from './ReadError.js';
import { showDate } from './dates.js';
import { keyQueryKey } from './queries.js';

type KeyMetadata = OutputOf<'DescribeKey'>['KeyMetadata'];

export function StateBadge({ state }: { state: KeyMetadata['KeyState'] }) {
  return <span className={`state state-${state}`}>{state}</span>;
}

export function Header({ meta }: { meta: KeyMetadata }) {
  const aliases = useQuery({ queryKey: keyQueryKey(meta.KeyId, 'aliases'), queryFn: () => run('ListAliases', { KeyId: meta.KeyId }) });
  return (
    <section aria-labelledby="key-summary" className="panel">
      <h2 id="key-summary">Summary</h2>
      <dl className="facts">
        <dt>ARN</dt>
        <dd>
          <span className="mono" data-testid="key-arn">
            {meta.Arn}
          </span>{' '}
          <CopyButton text={meta.Arn} label="Copy ARN" />
        </dd>
        <dt>Aliases</dt>
        <dd>
          {aliases.isPending ? (
            <span role="status">Loading aliases…</span>
          ) : aliases.error ? (
            <ReadError error={aliases.error} />
          ) : aliases.data.Aliases.length === 0 ? (
            'None'
          ) : (
            <ul className="inline-list">
              {aliases.data.Aliases.map((a) => (
                <li key={a.AliasName} className="mono">
                  {a.AliasName}
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>State</dt>
        <dd>
          <StateBadge state={meta.KeyState} />
          {meta.DeletionDate && <> — deleted on {showDate(meta.DeletionDate)} unless the deletion is cancelled</>}
        </dd>
        <dt>Created</dt>
        <dd>{showDate(meta.CreationDate)}</dd>
        {meta.ValidTo && (
          <>
            <dt>Key material expires</dt>
            <dd>{showDate(meta.ValidTo)}</dd>
          </>
        )}
        {meta.CurrentKeyMaterialId && (
          <>
            <dt>Current key material</dt>
            <dd>
              <span className="mono" data-testid="current-key-material">
                {meta.CurrentKeyMaterialId}
              </span>
            </dd>
          </>
        )}
        <dt>Origin</dt>
        <dd>{meta.Origin}</dd>
        <dt>Key spec</dt>
        <dd>{meta.KeySpec}</dd>
        <dt>Key usage</dt>
        <dd>{meta.KeyUsage}</dd>
        <dt>Description</dt>
        <dd>{meta.Description || 'None'}</dd>
      </dl>
    </section>
  );
}
