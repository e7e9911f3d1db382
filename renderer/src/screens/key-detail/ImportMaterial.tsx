// The import wizard for keys with Origin EXTERNAL (AWS KMS "Importing key
// material"): 1. get a wrapping public key and an import token
// (GetParametersForImport), shown to copy — as PEM and base64, with the
// openssl line that wraps 32 bytes of material; 2. choose the wrapped
// material file and whether it expires, and import it (ImportKeyMaterial).
// The token stays in this screen's memory between the steps; there is no
// app operation to save it to a file yet.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT, type OutputOf } from '../../../../main/api/index.js';
import { WRAPPING_ALGORITHMS, WRAPPING_KEY_SPECS } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import type { Access } from './access.js';
import { toBase64, toPem } from './base64.js';
import { CopyButton } from './CopyButton.js';
import { showDate } from './dates.js';
import { useKeyChanged } from './queries.js';

type KeyMetadata = OutputOf<'DescribeKey'>['KeyMetadata'];
type Algorithm = (typeof WRAPPING_ALGORITHMS)[number];
type Spec = (typeof WRAPPING_KEY_SPECS)[number];

/** How to wrap 32 bytes of material with openssl for the RSAES_OAEP algorithms (AWS's own example). */
const opensslLine = (algorithm: Algorithm) => {
  const md = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  return algorithm.startsWith('RSAES_OAEP')
    ? `openssl pkeyutl -encrypt -in material.bin -out wrapped.bin -inkey wrapping-key.pem -pubin -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:${md} -pkeyopt rsa_mgf1_md:${md}`
    : 'Wrap an AES key with RSA-OAEP, then the material with AES key wrap with padding (RFC 5649), and join the two, as AWS’s import guide shows.';
};

export function ImportMaterial({ meta, access }: { meta: KeyMetadata; access: Access }) {
  const KeyId = meta.KeyId;
  const changed = useKeyChanged(KeyId);
  const [algorithm, setAlgorithm] = useState<Algorithm>('RSAES_OAEP_SHA_256');
  const [spec, setSpec] = useState<Spec>('RSA_2048');
  const [wrapped, setWrapped] = useState<Uint8Array | undefined>();
  const [expires, setExpires] = useState(false);
  const [validTo, setValidTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const params = useMutation({ mutationFn: () => run('GetParametersForImport', { KeyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec }) });
  const importing = useMutation({
    mutationFn: (input: Parameters<typeof run<'ImportKeyMaterial'>>[1]) => run('ImportKeyMaterial', input),
    onSuccess: changed,
  });

  if (!access.may('kms:GetParametersForImport') || !access.may('kms:ImportKeyMaterial')) {
    return (
      <section aria-labelledby="key-import" className="panel">
        <h2 id="key-import">Key material</h2>
        <p className="hint">You may not import key material into this key.</p>
      </section>
    );
  }

  const submit = () => {
    setProblem(undefined);
    if (!params.data) return;
    const input = {
      KeyId,
      ImportToken: params.data.ImportToken,
      EncryptedKeyMaterial: wrapped,
      ...(expires ? { ExpirationModel: 'KEY_MATERIAL_EXPIRES' as const, ValidTo: validTo ? new Date(`${validTo}T00:00:00Z`) : undefined } : { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' as const }),
    };
    const checked = CONTRACT.ImportKeyMaterial.input.safeParse(input);
    if (!wrapped) return setProblem('Choose the file of wrapped key material.');
    if (expires && !validTo) return setProblem('Choose the day the material expires, or that it does not expire.');
    if (!checked.success) return setProblem(checked.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '));
    importing.mutate(checked.data);
  };

  return (
    <section aria-labelledby="key-import" className="panel">
      <h2 id="key-import">Import key material</h2>
      <p className="hint">
        {meta.KeyState === 'PendingImport' ? 'This key has no material yet.' : 'Re-import the same material (for example, to extend its expiry).'} Two steps: get a wrapping key,
        wrap the material with it where the material is, then import the wrapped material here.
      </p>
      <h3>1. Wrapping key and import token</h3>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="wrapping-algorithm">Wrapping algorithm</label>
          <select id="wrapping-algorithm" value={algorithm} onChange={(e) => setAlgorithm(e.target.value as Algorithm)}>
            {WRAPPING_ALGORITHMS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="wrapping-spec">Wrapping key spec</label>
          <select id="wrapping-spec" value={spec} onChange={(e) => setSpec(e.target.value as Spec)}>
            {WRAPPING_KEY_SPECS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </div>
        <Button onClick={() => params.mutate()} disabled={params.isPending}>
          Get wrapping key and import token
        </Button>
      </div>
      <ErrorNote error={params.error} />
      {params.data && (
        <>
          <p>
            Valid until <strong>{showDate(params.data.ParametersValidTo)}</strong>; keep this screen open until the import.
          </p>
          <pre className="public-key-text" tabIndex={0} aria-label="Wrapping public key (PEM)" data-testid="wrapping-key">
            {toPem('PUBLIC KEY', params.data.PublicKey)}
          </pre>
          <div className="actions">
            <CopyButton text={toPem('PUBLIC KEY', params.data.PublicKey)} label="Copy wrapping key" />
            <CopyButton text={toBase64(params.data.ImportToken)} label="Copy import token (base64)" />
          </div>
          <p className="hint">Wrap the material with: </p>
          <pre className="public-key-text">{opensslLine(algorithm)}</pre>

          <h3>2. Import the wrapped material</h3>
          <div className="field">
            <label htmlFor="wrapped-material">Wrapped key material file</label>
            <input
              id="wrapped-material"
              type="file"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                setWrapped(file ? new Uint8Array(await file.arrayBuffer()) : undefined);
              }}
            />
          </div>
          <fieldset className="choices">
            <legend>Expiry</legend>
            <label>
              <input type="radio" name="expiry" checked={!expires} onChange={() => setExpires(false)} /> The material does not expire
            </label>
            <label>
              <input type="radio" name="expiry" checked={expires} onChange={() => setExpires(true)} /> The material expires (at most 365 days ahead)
            </label>
          </fieldset>
          {expires && (
            <div className="field">
              <label htmlFor="valid-to">Expires on (UTC)</label>
              <input id="valid-to" type="date" value={validTo} onChange={(e) => setValidTo(e.target.value)} />
            </div>
          )}
          {problem && (
            <p className="error" role="alert">
              ValidationException: {problem}
            </p>
          )}
          <ErrorNote error={importing.error} />
          <div className="actions">
            <Button variant="primary" onClick={submit} disabled={importing.isPending}>
              Import key material
            </Button>
          </div>
          {importing.isSuccess && <p role="status">Key material imported.</p>}
        </>
      )}
    </section>
  );
}
