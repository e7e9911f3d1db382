// Enable, disable, schedule deletion (7–30 days, showing the day it would
// happen), cancel deletion, and for an EXTERNAL key the deletion of its
// imported material (it returns to PendingImport), each confirmed in a
// dialog first. Only the
// actions the key's state allows and the signed-in user may perform
// (access.ts) are offered.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { CONTRACT, type OutputOf } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import type { Access } from './access.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { deletionDateFor, showDay } from './dates.js';
import { useKeyChanged } from './queries.js';

type KeyMetadata = OutputOf<'DescribeKey'>['KeyMetadata'];
type Action = 'enable' | 'disable' | 'schedule' | 'cancel' | 'deleteMaterial';

// the contract's own rule for the waiting period (7–30 whole days)
const PendingWindow = CONTRACT.ScheduleKeyDeletion.input.shape.PendingWindowInDays.unwrap();

export function Lifecycle({ meta, access }: { meta: KeyMetadata; access: Access }) {
  const changed = useKeyChanged(meta.KeyId);
  const [open, setOpen] = useState<Action | undefined>();
  const [days, setDays] = useState('30');
  const parsedDays = PendingWindow.safeParse(Number(days));
  const act = useMutation({
    mutationFn: async (action: Action) => {
      const KeyId = meta.KeyId;
      if (action === 'enable') await run('EnableKey', { KeyId });
      if (action === 'disable') await run('DisableKey', { KeyId });
      if (action === 'schedule') await run('ScheduleKeyDeletion', { KeyId, PendingWindowInDays: PendingWindow.parse(Number(days)) });
      if (action === 'cancel') await run('CancelKeyDeletion', { KeyId });
      if (action === 'deleteMaterial') await run('DeleteImportedKeyMaterial', { KeyId });
    },
    onSuccess: async () => {
      setOpen(undefined);
      await changed();
    },
  });
  const offer = (kmsAction: string, states: readonly string[]) => states.includes(meta.KeyState) && access.may(kmsAction);
  const offered = {
    enable: offer('kms:EnableKey', ['Disabled']),
    disable: offer('kms:DisableKey', ['Enabled']),
    schedule: offer('kms:ScheduleKeyDeletion', ['Enabled', 'Disabled', 'PendingImport']),
    cancel: offer('kms:CancelKeyDeletion', ['PendingDeletion']),
    deleteMaterial: meta.Origin === 'EXTERNAL' && offer('kms:DeleteImportedKeyMaterial', ['Enabled', 'Disabled']),
  };
  const close = () => {
    setOpen(undefined);
    act.reset();
  };
  const dialog = (action: Action) => ({ open: open === action, pending: act.isPending, error: act.error, onCancel: close, onConfirm: () => act.mutate(action) });
  const any = Object.values(offered).some(Boolean);

  return (
    <section aria-labelledby="key-lifecycle" className="panel">
      <h2 id="key-lifecycle">Key state</h2>
      {any ? (
        <div className="actions">
          {offered.enable && <Button onClick={() => setOpen('enable')}>Enable key</Button>}
          {offered.disable && <Button onClick={() => setOpen('disable')}>Disable key</Button>}
          {offered.cancel && <Button onClick={() => setOpen('cancel')}>Cancel key deletion</Button>}
          {offered.deleteMaterial && (
            <Button variant="danger" onClick={() => setOpen('deleteMaterial')}>
              Delete key material
            </Button>
          )}
          {offered.schedule && (
            <Button variant="danger" onClick={() => setOpen('schedule')}>
              Schedule key deletion
            </Button>
          )}
        </div>
      ) : (
        <p className="hint">
          {access.known
            ? 'You may not change this key’s state in its current state.'
            : 'No state changes are offered: you may not read this key’s policy, so Strongroom cannot tell that you may make them.'}
        </p>
      )}

      <ConfirmDialog {...dialog('enable')} title="Enable this key?" confirmLabel="Enable key">
        <p>The key can be used for cryptographic operations again.</p>
      </ConfirmDialog>
      <ConfirmDialog {...dialog('disable')} title="Disable this key?" confirmLabel="Disable key" variant="danger">
        <p>Every cryptographic operation with this key is refused until it is enabled again. Nothing is deleted.</p>
      </ConfirmDialog>
      <ConfirmDialog {...dialog('cancel')} title="Cancel the deletion of this key?" confirmLabel="Cancel key deletion">
        <p>The key stays, disabled: enable it to use it again.</p>
      </ConfirmDialog>
      <ConfirmDialog {...dialog('deleteMaterial')} title="Delete this key's imported material?" confirmLabel="Delete key material" variant="danger">
        <p>
          The key becomes unusable at once (PendingImport) and stays so until the same material is imported again. Keep a copy of the material where it came from:
          without it, what was encrypted under this key cannot be decrypted.
        </p>
      </ConfirmDialog>
      <ConfirmDialog {...dialog('schedule')} title="Schedule the deletion of this key?" confirmLabel="Schedule deletion" variant="danger" canConfirm={parsedDays.success}>
        <p>
          After the waiting period the key and all its material are destroyed, and everything encrypted under it can never be decrypted again. Until then the key
          is unusable and the deletion can be cancelled.
        </p>
        <div className="field">
          <label htmlFor="pending-window">Waiting period in days (7–30)</label>
          <input id="pending-window" type="number" min={7} max={30} step={1} value={days} onChange={(e) => setDays(e.target.value)} aria-describedby="deletion-day" />
          <p id="deletion-day" className={parsedDays.success ? 'hint' : 'error'} aria-live="polite">
            {parsedDays.success ? `The key would be deleted on ${showDay(deletionDateFor(parsedDays.data, new Date()))}.` : 'Choose a whole number of days from 7 to 30.'}
          </p>
        </div>
      </ConfirmDialog>
    </section>
  );
}
