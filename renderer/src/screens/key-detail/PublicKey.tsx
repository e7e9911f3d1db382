// Public-key export for asymmetric keys (ExportPublicKey): PEM, DER (base64),
// JWK, OpenSSH or age; the text shown, copyable through the app's clipboard
// operation, saved to a file (SavePublicKey: DER as binary, written
// atomically), its fingerprint large for reading aloud, and a QR code for an
// air gap.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT, type OutputOf } from '../../../../main/api/index.js';
import { PUBLIC_KEY_FORMATS } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { SaveFileForm } from '../../ui/SaveFileForm.js';
import { ReadError } from './ReadError.js';
import type { Access } from './access.js';
import { CopyButton } from './CopyButton.js';
import { groupsForReading } from './fingerprint.js';
import { keyQueryKey } from './queries.js';
import { QrCode } from './QrCode.js';

type KeyMetadata = OutputOf<'DescribeKey'>['KeyMetadata'];
type Format = (typeof PUBLIC_KEY_FORMATS)[number];

/** The file name proposed for each format: what partners' tools expect to be given. */
const FILE_EXTENSIONS: Record<Format, string> = { pem: 'pem', der: 'der', jwk: 'jwk.json', ssh: 'pub', age: 'age-recipient.txt' };

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
  const saved = useMutation({ mutationFn: (path: string) => run('SavePublicKey', { KeyId: meta.KeyId, Format: format, OutPath: path }) });
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
        <select id="public-key-format" value={format} onChange={(e) => (setFormat(e.target.value as Format), saved.reset())}>
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
          </div>
          <SaveFileForm
            key={format}
            label="Save to file"
            defaultPath={`${meta.KeyId}.${FILE_EXTENSIONS[format]}`}
            dialogTitle="Save the public key as"
            pathSchema={CONTRACT.SavePublicKey.input.shape.OutPath}
            submitLabel="Save"
            pending={saved.isPending}
            onSave={(path) => saved.mutate(path)}
          />
          {saved.data && (
            <p role="status">
              Saved {saved.data.Bytes} bytes to <span className="mono">{saved.data.OutPath}</span>.
            </p>
          )}
          <ErrorNote error={saved.error} />
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
