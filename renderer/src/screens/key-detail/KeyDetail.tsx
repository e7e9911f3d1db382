// The key detail screen (#/keys/:keyId): one key's summary, state actions,
// rotation, tags, policy and permissions, grants, public key and audit
// history — each section in its own file. What the signed-in user may do
// decides which actions are offered (access.ts).
import { Link } from 'wouter';
import { BridgeFailure } from '../../bridge.js';
import { useSession } from '../../session.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { accessOf } from './access.js';
import { Header, StateBadge } from './Header.js';
import { AccessMatrix } from './AccessMatrix.js';
import { AuditHistory } from './AuditHistory.js';
import { Grants } from './Grants.js';
import { ImportMaterial } from './ImportMaterial.js';
import { Lifecycle } from './Lifecycle.js';
import { Policy } from './Policy.js';
import { hasPublicKey, PublicKey } from './PublicKey.js';
import { useAccessMatrix, useDescribeKey } from './queries.js';
import { Rotation } from './Rotation.js';
import { Tags } from './Tags.js';
import { YourAccess } from './YourAccess.js';

export function KeyDetail({ params }: { params: { keyId: string } }) {
  const keyId = decodeURIComponent(params.keyId);
  const { session } = useSession();
  const key = useDescribeKey(keyId);
  const matrix = useAccessMatrix(keyId);
  // a matrix refused for want of kms:GetKeyPolicy means "unknown"; any other failure is shown
  const matrixRefused = matrix.error instanceof BridgeFailure && matrix.error.name === 'AccessDeniedException';
  const access = accessOf(matrix.data, session.Arn);

  return (
    <section aria-labelledby="key-title" className="key-detail">
      <p>
        <Link href="/keys">← All keys</Link>
      </p>
      <header className="page-header">
        <h1 id="key-title">
          Key <span className="mono">{keyId}</span>
        </h1>
        {key.data && <StateBadge state={key.data.KeyMetadata.KeyState} />}
      </header>
      {key.isPending ? (
        <p role="status">Loading the key…</p>
      ) : key.error ? (
        <ErrorNote error={key.error} />
      ) : matrix.isPending ? (
        <p role="status">Loading what you may do with this key…</p>
      ) : matrix.error && !matrixRefused ? (
        <ErrorNote error={matrix.error} />
      ) : (
        <>
          <Header meta={key.data.KeyMetadata} />
          <YourAccess access={access} userName={session.UserName} />
          <Lifecycle meta={key.data.KeyMetadata} access={access} />
          {key.data.KeyMetadata.Origin === 'EXTERNAL' && key.data.KeyMetadata.KeyState !== 'PendingDeletion' && <ImportMaterial meta={key.data.KeyMetadata} access={access} />}
          {hasPublicKey(key.data.KeyMetadata) && <PublicKey meta={key.data.KeyMetadata} access={access} />}
          <Rotation meta={key.data.KeyMetadata} access={access} />
          <Tags keyId={key.data.KeyMetadata.KeyId} access={access} />
          <Policy keyId={key.data.KeyMetadata.KeyId} access={access} matrix={matrix.data} />
          <AccessMatrix matrix={matrix.data} />
          <Grants keyId={key.data.KeyMetadata.KeyId} access={access} matrix={matrix.data} />
          <AuditHistory keyId={key.data.KeyMetadata.KeyId} />
        </>
      )}
    </section>
  );
}
