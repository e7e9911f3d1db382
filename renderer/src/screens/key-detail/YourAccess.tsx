// What the signed-in user may do with this key, at a glance: the
// management and cryptographic actions the key's policies allow them, from
// GetKeyAccessMatrix (access.ts).
import type { Access } from './access.js';
import { CRYPTOGRAPHIC_ACTIONS } from './access.js';

const isCryptographic = (action: string) => (CRYPTOGRAPHIC_ACTIONS as readonly string[]).includes(action);
const short = (action: string) => action.replace(/^kms:/, '');

export function YourAccess({ access, userName }: { access: Access; userName: string }) {
  const crypto = access.allowed.filter(isCryptographic);
  const manage = access.allowed.filter((a) => !isCryptographic(a));
  return (
    <section aria-labelledby="key-your-access" className="panel">
      <h2 id="key-your-access">What you may do ({userName})</h2>
      {!access.known ? (
        <p className="hint">Unknown: you may not read this key’s policy (kms:GetKeyPolicy). Only reads are tried here; the service decides each one.</p>
      ) : (
        <dl className="facts">
          <dt>Manage the key</dt>
          <dd data-testid="allowed-management">{manage.length ? manage.map(short).join(', ') : 'Nothing'}</dd>
          <dt>Use the key</dt>
          <dd data-testid="allowed-cryptographic">{crypto.length ? crypto.map(short).join(', ') : 'Nothing'}</dd>
        </dl>
      )}
    </section>
  );
}
