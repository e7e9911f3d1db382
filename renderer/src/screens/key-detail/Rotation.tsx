// Rotation: whether automatic rotation is on, its period and next date;
// turning it on (with a period of 90–2560 days) or off; rotating now (on
// demand, confirmed); and the rotations so far.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT, type OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { ReadError } from './ReadError.js';
import type { Access } from './access.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { showDate } from './dates.js';
import { keyQueryKey, useKeyChanged } from './queries.js';

type KeyMetadata = OutputOf<'DescribeKey'>['KeyMetadata'];

// the contract's own rule for the period
const Period = CONTRACT.EnableKeyRotation.input.shape.RotationPeriodInDays.unwrap();

/** Only symmetric keys with vault-generated material rotate (the service's rule, core/kms/key-specs.ts requireRotatable; it refuses the rest). */
const rotates = (meta: KeyMetadata) => meta.KeySpec === 'SYMMETRIC_DEFAULT' && meta.Origin === 'AWS_KMS';

export function Rotation({ meta, access }: { meta: KeyMetadata; access: Access }) {
  const KeyId = meta.KeyId;
  const changed = useKeyChanged(KeyId);
  const status = useQuery({ queryKey: keyQueryKey(KeyId, 'rotation'), queryFn: () => run('GetKeyRotationStatus', { KeyId }), enabled: rotates(meta) });
  const history = useQuery({ queryKey: keyQueryKey(KeyId, 'rotations'), queryFn: () => run('ListKeyRotations', { KeyId }), enabled: rotates(meta) });
  const [period, setPeriod] = useState('365');
  const [confirming, setConfirming] = useState(false);
  const parsed = Period.safeParse(Number(period));
  const turnOn = useMutation({ mutationFn: () => run('EnableKeyRotation', { KeyId, RotationPeriodInDays: Period.parse(Number(period)) }), onSuccess: changed });
  const turnOff = useMutation({ mutationFn: () => run('DisableKeyRotation', { KeyId }), onSuccess: changed });
  const rotateNow = useMutation({
    mutationFn: () => run('RotateKeyOnDemand', { KeyId }),
    onSuccess: async () => {
      setConfirming(false);
      await changed();
    },
  });

  if (!rotates(meta)) {
    return (
      <section aria-labelledby="key-rotation" className="panel">
        <h2 id="key-rotation">Rotation</h2>
        <p className="hint">Only symmetric encryption keys with material generated in the vault rotate; this is {meta.Origin === 'EXTERNAL' ? 'a key with imported material' : `a ${meta.KeySpec} key`}.</p>
      </section>
    );
  }
  const on = status.data?.KeyRotationEnabled ?? false;
  return (
    <section aria-labelledby="key-rotation" className="panel">
      <h2 id="key-rotation">Rotation</h2>
      {status.isPending ? (
        <p role="status">Loading the rotation status…</p>
      ) : status.error ? (
        <ReadError error={status.error} />
      ) : (
        <dl className="facts">
          <dt>Automatic rotation</dt>
          <dd data-testid="rotation-status">{on ? `On, every ${status.data.RotationPeriodInDays} days` : 'Off'}</dd>
          {on && (
            <>
              <dt>Next rotation</dt>
              <dd>{showDate(status.data.NextRotationDate)}</dd>
            </>
          )}
        </dl>
      )}
      {access.may('kms:EnableKeyRotation') && status.data && (
        <div className="inline-form">
          <div className="field">
            <label htmlFor="rotation-period">Rotation period in days (90–2560)</label>
            <input id="rotation-period" type="number" min={90} max={2560} value={period} onChange={(e) => setPeriod(e.target.value)} aria-describedby="rotation-period-hint" />
          </div>
          <Button onClick={() => turnOn.mutate()} disabled={!parsed.success || turnOn.isPending}>
            {on ? 'Change rotation period' : 'Turn on automatic rotation'}
          </Button>
          {on && access.may('kms:DisableKeyRotation') && (
            <Button onClick={() => turnOff.mutate()} disabled={turnOff.isPending}>
              Turn off automatic rotation
            </Button>
          )}
          <p id="rotation-period-hint" className={parsed.success ? 'hint' : 'error'}>
            {parsed.success ? 'New material every period; older versions stay to decrypt what they encrypted.' : 'Choose a whole number of days from 90 to 2560.'}
          </p>
        </div>
      )}
      <ErrorNote error={turnOn.error ?? turnOff.error} />
      {access.may('kms:RotateKeyOnDemand') && (
        <div className="actions">
          <Button onClick={() => setConfirming(true)}>Rotate now</Button>
        </div>
      )}
      <ConfirmDialog
        open={confirming}
        title="Rotate this key now?"
        confirmLabel="Rotate now"
        pending={rotateNow.isPending}
        error={rotateNow.error}
        onCancel={() => {
          setConfirming(false);
          rotateNow.reset();
        }}
        onConfirm={() => rotateNow.mutate()}
      >
        <p>New encryptions use new key material from now on; what was encrypted before still decrypts. A key may be rotated on demand at most 10 times.</p>
      </ConfirmDialog>

      <h3>Past rotations</h3>
      {history.isPending ? (
        <p role="status">Loading rotations…</p>
      ) : history.error ? (
        <ReadError error={history.error} />
      ) : history.data.Rotations.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <table aria-label="Past rotations">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Type</th>
              <th scope="col">Key material ID</th>
            </tr>
          </thead>
          <tbody>
            {/* rotations only (ListKeyRotations' default), so each has a date and a type */}
            {history.data.Rotations.map((r) => (
              <tr key={r.KeyMaterialId}>
                <td>{r.RotationDate ? showDate(r.RotationDate) : ''}</td>
                <td>{r.RotationType === 'ON_DEMAND' ? 'On demand' : 'Automatic'}</td>
                <td>
                  <code>{r.KeyMaterialId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
