// Encrypt and decrypt text (Encrypt, Decrypt) with an encryption context.
// The ciphertext is shown as base64, as the AWS CLI prints CiphertextBlob.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { contextOf, fromBase64, textOf, toBase64, utf8 } from './bytes.js';
import { checked, invalid } from './check.js';
import { ContextRows, type Row } from './ContextRows.js';
import { KeyField, Output } from './fields.js';

function context(rows: Row[]): { EncryptionContext?: Record<string, string> } {
  const c = contextOf(rows);
  if (typeof c === 'string') invalid(c);
  return Object.keys(c).length ? { EncryptionContext: c } : {};
}

export function TextPanel() {
  const [keyId, setKeyId] = useState('');
  const [plaintext, setPlaintext] = useState('');
  const [encryptRows, setEncryptRows] = useState<Row[]>([]);
  const [ciphertext, setCiphertext] = useState('');
  const [decryptRows, setDecryptRows] = useState<Row[]>([]);

  const encrypt = useMutation({
    mutationFn: async () => {
      const out = await run('Encrypt', checked('Encrypt', { KeyId: keyId, Plaintext: utf8(plaintext), ...context(encryptRows) }));
      return { ...out, base64: toBase64(out.CiphertextBlob) };
    },
  });
  const decrypt = useMutation({
    mutationFn: async () => {
      const blob = fromBase64(ciphertext);
      if (typeof blob === 'string') invalid(`Ciphertext: ${blob}`);
      const out = await run('Decrypt', checked('Decrypt', { CiphertextBlob: blob, ...context(decryptRows) }));
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
          <span className="hint">The key is found from the ciphertext.</span>
        </div>
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
