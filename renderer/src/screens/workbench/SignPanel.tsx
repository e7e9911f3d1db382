// Sign and verify a text message (Sign, Verify; MessageType RAW) with an
// asymmetric SIGN_VERIFY key; the signature is base64.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { SigningAlgorithm } from '../../../../main/api/enums.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { fromBase64, toBase64, utf8 } from './bytes.js';
import { checked, invalid } from './check.js';
import { CopyButton, KeyField } from './fields.js';
import { useKeyMetadata } from './KeyAlgorithms.js';

export function SignPanel() {
  const [keyId, setKeyId] = useState('');
  const [message, setMessage] = useState('');
  const [signature, setSignature] = useState('');
  const [chosen, setChosen] = useState<SigningAlgorithm>();
  const key = useKeyMetadata(keyId);
  const algorithms = key.data?.KeyMetadata.SigningAlgorithms ?? [];
  const algorithm = chosen && algorithms.includes(chosen) ? chosen : algorithms[0];

  const need = () => algorithm ?? invalid('Choose a key with key usage SIGN_VERIFY: it has no signing algorithms.');
  const sign = useMutation({
    mutationFn: async () => {
      const out = await run('Sign', checked('Sign', { KeyId: keyId, Message: utf8(message), MessageType: 'RAW', SigningAlgorithm: need() }));
      const base64 = toBase64(out.Signature);
      setSignature(base64);
      return base64;
    },
  });
  const verify = useMutation({
    mutationFn: async () => {
      const sig = fromBase64(signature);
      if (typeof sig === 'string') invalid(`Signature: ${sig}`);
      return run('Verify', checked('Verify', { KeyId: keyId, Message: utf8(message), MessageType: 'RAW', Signature: sig, SigningAlgorithm: need() }));
    },
  });

  return (
    <form className="panel" aria-labelledby="sign-title" onSubmit={(e) => (e.preventDefault(), sign.mutate())}>
      <h3 id="sign-title">Sign and verify</h3>
      <KeyField value={keyId} onChange={setKeyId} />
      {key.error ? <ErrorNote error={key.error} /> : null}
      <div className="field">
        <label htmlFor="signing-algorithm">Signing algorithm</label>
        <select id="signing-algorithm" value={algorithm ?? ''} onChange={(e) => setChosen(e.target.value as SigningAlgorithm)} disabled={algorithms.length === 0}>
          {algorithms.length === 0 && <option value="">Choose a signing key first</option>}
          {algorithms.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="sign-message">Message</label>
        <textarea id="sign-message" rows={3} value={message} onChange={(e) => (setMessage(e.target.value), verify.reset())} />
      </div>
      <span className="actions">
        <Button type="submit" variant="primary" disabled={sign.isPending}>
          Sign
        </Button>
        <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
          Verify
        </Button>
      </span>
      <ErrorNote error={sign.error ?? verify.error} />
      <div className="field">
        <label htmlFor="signature">Signature (base64)</label>
        <textarea id="signature" rows={3} className="mono" value={signature} onChange={(e) => (setSignature(e.target.value), verify.reset())} />
      </div>
      {verify.data && <p role="status">{verify.data.SignatureValid ? `The signature is valid (${verify.data.SigningAlgorithm}).` : 'The signature is not valid.'}</p>}
      {signature && <CopyButton text={signature} label="Copy signature" />}
    </form>
  );
}
