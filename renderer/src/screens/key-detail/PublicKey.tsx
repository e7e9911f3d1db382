// Public-key export for asymmetric keys (ExportPublicKey): PEM, DER (base64),
// JWK, OpenSSH or age; the text shown, copyable through the app's clipboard
// operation, its fingerprint large for reading aloud, and a QR code for an
// air gap. There is no app operation that saves to a file yet, so the key is
// copied or read from the screen.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { OutputOf } from '../../../../main/api/index.js';
import { PUBLIC_KEY_FORMATS } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { ReadError } from './ReadError.js';
import type { Access } from './access.js';
import { CopyButton } from './CopyButton.js';
import { groupsForReading } from './fingerprint.js';
import { keyQueryKey } from './queries.js';
import { QrCode } from './QrCode.js';

type KeyMetadata = OutputOf<'DescribeKey'>['KeyMetadata'];
type Format = (typeof PUBLIC_KEY_FORMATS)[number];

const FORMAT_LABELS: Record<Format, string> = {
  pem: 'PEM (SubjectPublicKeyInfo)',
  der: 'DER (base64)',
  jwk: 'JWK',
  ssh: 'OpenSSH',
  age: 'age recipient',
};

/** Symmetric and HMAC keys have no public key. */
export const hasPublicKey = (meta: KeyMetadata) => meta.KeySpec !== 'SYMMETRIC_DEFAULT' && !meta.KeySpec.startsWith('HMAC_');

export function PublicKey({ meta, access }: { meta: KeyMetadata; access: Access }) {
  const [format, setFormat] = useState<Format>('pem');
  const exported = useQuery({
    queryKey: keyQueryKey(meta.KeyId, 'public-key', format),
    queryFn: () => run('ExportPublicKey', { KeyId: meta.KeyId, Format: format }),
    enabled: access.verdict('kms:GetPublicKey') !== 'Deny',
  });
  if (access.verdict('kms:GetPublicKey') === 'Deny') {
    return (
      <section aria-labelledby="key-public" className="panel">
        <h2 id="key-public">Public key</h2>
        <p className="hint">You may not read this key’s public key (kms:GetPublicKey).</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="key-public" className="panel">
      <h2 id="key-public">Public key</h2>
      <div className="field">
        <label htmlFor="public-key-format">Format</label>
        <select id="public-key-format" value={format} onChange={(e) => setFormat(e.target.value as Format)}>
          {PUBLIC_KEY_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
      </div>
      {exported.isPending ? (
        <p role="status">Exporting the public key…</p>
      ) : exported.error ? (
        <ReadError error={exported.error} />
      ) : (
        <>
          <pre className="public-key-text" aria-label={`Public key, ${FORMAT_LABELS[format]}`} tabIndex={0} data-testid="public-key-text">
            {exported.data.PublicKey}
          </pre>
          <div className="actions">
            <CopyButton text={exported.data.PublicKey} label="Copy public key" />
            <span className="hint">Saving to a file is not offered yet (there is no app operation for it): copy the key instead.</span>
          </div>
          <h3 id="fingerprint-title">Fingerprint ({exported.data.FingerprintType})</h3>
          <p className="fingerprint" aria-labelledby="fingerprint-title" data-testid="fingerprint">
            {groupsForReading(exported.data.Fingerprint)}
          </p>
          <QrCode text={exported.data.PublicKey} label={`QR code of the public key, ${FORMAT_LABELS[format]}`} />
        </>
      )}
    </section>
  );
}
