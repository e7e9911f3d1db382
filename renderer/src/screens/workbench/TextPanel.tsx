// Encrypt and decrypt text (Encrypt, Decrypt) with an encryption context.
// The ciphertext is shown as base64, as the AWS CLI prints CiphertextBlob.
// An RSA key (ENCRYPT_DECRYPT) offers its algorithms (RSAES_OAEP_SHA_1/256)
// and takes no encryption context; its ciphertext does not name its key, so
// decrypting it needs the key and the algorithm, as AWS's Decrypt does.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { EncryptionAlgorithm } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { contextOf, fromBase64, textOf, toBase64, utf8 } from './bytes.js';
import { checked, invalid } from './check.js';
import { ContextRows, type Row } from './ContextRows.js';
import { KeyField, Output } from './fields.js';
import { useKeyMetadata } from './KeyAlgorithms.js';

function context(rows: Row[]): { EncryptionContext?: Record<string, string> } {
  const c = contextOf(rows);
  if (typeof c === 'string') invalid(c);
  return Object.keys(c).length ? { EncryptionContext: c } : {};
}

/** The asymmetric algorithms a key offers (none for a symmetric key, whose one algorithm is the default), and the one in use. */
function useAlgorithm(keyId: string) {
  const key = useKeyMetadata(keyId);
  const [chosen, setChosen] = useState<EncryptionAlgorithm>();
  const offered: EncryptionAlgorithm[] = (key.data?.KeyMetadata.EncryptionAlgorithms ?? []).filter((a) => a !== 'SYMMETRIC_DEFAULT');
  const algorithm = chosen && offered.includes(chosen) ? chosen : offered[0];
  return { offered, algorithm, setChosen, input: algorithm ? { EncryptionAlgorithm: algorithm } : {} };
}

function AlgorithmField({ id, a }: { id: string; a: ReturnType<typeof useAlgorithm> }) {
  if (a.offered.length === 0) return null;
  return (
    <div className="field">
      <label htmlFor={id}>Encryption algorithm</label>
      <select id={id} value={a.algorithm} onChange={(e) => a.setChosen(e.target.value as EncryptionAlgorithm)}>
        {a.offered.map((x) => (
          <option key={x}>{x}</option>
        ))}
      </select>
    </div>
  );
}

export function TextPanel() {
  const [keyId, setKeyId] = useState('');
  const [plaintext, setPlaintext] = useState('');
  const [encryptRows, setEncryptRows] = useState<Row[]>([]);
  const [ciphertext, setCiphertext] = useState('');
  const [decryptKeyId, setDecryptKeyId] = useState('');
  const [decryptRows, setDecryptRows] = useState<Row[]>([]);
  const encryptWith = useAlgorithm(keyId);
  const decryptWith = useAlgorithm(decryptKeyId);

  const encrypt = useMutation({
    mutationFn: async () => {
      const out = await run('Encrypt', checked('Encrypt', { KeyId: keyId, Plaintext: utf8(plaintext), ...encryptWith.input, ...context(encryptRows) }));
      return { ...out, base64: toBase64(out.CiphertextBlob) };
    },
  });
  const decrypt = useMutation({
    mutationFn: async () => {
      const blob = fromBase64(ciphertext);
      if (typeof blob === 'string') invalid(`Ciphertext: ${blob}`);
      const key = decryptKeyId.trim() ? { KeyId: decryptKeyId.trim(), ...decryptWith.input } : {};
      const out = await run('Decrypt', checked('Decrypt', { CiphertextBlob: blob, ...key, ...context(decryptRows) }));
      const text = textOf(out.Plaintext);
      return { KeyId: out.KeyId, text, base64: text === undefined ? toBase64(out.Plaintext) : undefined };
    },
  });

  return (
    <div className="panel-grid">
      <form
        className="panel"
        aria-labelledby="encrypt-title"
        onSubmit={(e) => {
          e.preventDefault();
          encrypt.mutate();
        }}
      >
        <h3 id="encrypt-title">Encrypt text</h3>
        <KeyField value={keyId} onChange={setKeyId} />
        <AlgorithmField id="encrypt-algorithm" a={encryptWith} />
        <div className="field">
          <label htmlFor="plaintext">Plaintext</label>
          <textarea id="plaintext" rows={4} value={plaintext} onChange={(e) => setPlaintext(e.target.value)} />
        </div>
        <ContextRows label="Encryption context" rows={encryptRows} onChange={setEncryptRows} />
        <Button type="submit" variant="primary" disabled={encrypt.isPending}>
          {encrypt.isPending ? 'Encrypting…' : 'Encrypt'}
        </Button>
        <ErrorNote error={encrypt.error} />
        {encrypt.data && (
          <>
            <Output label="Ciphertext (base64)" value={encrypt.data.base64} copyLabel="Copy ciphertext" />
            <Button
              onClick={() => {
                setCiphertext(encrypt.data.base64);
                setDecryptRows(encryptRows);
                // an asymmetric ciphertext needs its key named to decrypt; a symmetric one names its own
                setDecryptKeyId(encryptWith.algorithm ? keyId : '');
                if (encryptWith.algorithm) decryptWith.setChosen(encryptWith.algorithm);
              }}
            >
              Use to decrypt
            </Button>
          </>
        )}
      </form>
      <form
        className="panel"
        aria-labelledby="decrypt-title"
        onSubmit={(e) => {
          e.preventDefault();
          decrypt.mutate();
        }}
      >
        <h3 id="decrypt-title">Decrypt text</h3>
        <div className="field">
          <label htmlFor="ciphertext">Ciphertext (base64)</label>
          <textarea id="ciphertext" rows={4} value={ciphertext} onChange={(e) => setCiphertext(e.target.value)} className="mono" />
          <span className="hint">A symmetric key is found from the ciphertext.</span>
        </div>
        <KeyField label="Key, for an RSA ciphertext" value={decryptKeyId} onChange={setDecryptKeyId} optional />
        <AlgorithmField id="decrypt-algorithm" a={decryptWith} />
        <ContextRows label="Encryption context to decrypt with" rows={decryptRows} onChange={setDecryptRows} />
        <Button type="submit" variant="primary" disabled={decrypt.isPending}>
          {decrypt.isPending ? 'Decrypting…' : 'Decrypt'}
        </Button>
        <ErrorNote error={decrypt.error} />
        {decrypt.data && (
          <>
            {decrypt.data.text !== undefined ? <Output label="Decrypted text" value={decrypt.data.text} /> : <Output label="Decrypted bytes (base64: not UTF-8 text)" value={decrypt.data.base64!} />}
            <p className="hint">
              Decrypted with <span className="mono">{decrypt.data.KeyId}</span>.
            </p>
          </>
        )}
      </form>
    </div>
  );
}
