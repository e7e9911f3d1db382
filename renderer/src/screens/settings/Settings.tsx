// The desktop app's settings on this machine (GetAppSettings,
// UpdateAppSettings) within the contract's limits, and the vault's status.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { problem } from '../users/check.js';

const { IdleLockMinutes: IDLE, ClipboardClearSeconds: CLIPBOARD } = CONTRACT.GetAppSettings.output.shape;

export function Settings() {
  return (
    <section aria-labelledby="settings-title">
      <header className="page-header">
        <h1 id="settings-title">Settings</h1>
      </header>
      <AppSettingsForm />
      <VaultStatus />
    </section>
  );
}

function AppSettingsForm() {
  const queries = useQueryClient();
  const settings = useQuery({ queryKey: ['appSettings'], queryFn: () => run('GetAppSettings', {}) });
  const [idle, setIdle] = useState('');
  const [clipboard, setClipboard] = useState('');
  useEffect(() => {
    if (!settings.data) return;
    setIdle(String(settings.data.IdleLockMinutes));
    setClipboard(String(settings.data.ClipboardClearSeconds));
  }, [settings.data]);
  const errors = { idle: problem(IDLE, toNumber(idle)), clipboard: problem(CLIPBOARD, toNumber(clipboard)) };
  const save = useMutation({
    mutationFn: () => run('UpdateAppSettings', { IdleLockMinutes: Number(idle), ClipboardClearSeconds: Number(clipboard) }),
    onSuccess: (saved) => queries.setQueryData(['appSettings'], saved),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (idle && clipboard && !errors.idle && !errors.clipboard) save.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="app-settings-title">
      <h2 id="app-settings-title">This computer</h2>
      <ErrorNote error={settings.error} />
      {settings.isPending ? (
        <p role="status">Loading settings…</p>
      ) : settings.data ? (
        <>
          <NumberField
            label="Lock after idle (minutes)"
            description={`A signed-in session locks after this long without use; ${IDLE.minValue}–${IDLE.maxValue} minutes.`}
            value={idle}
            onChange={(v) => (save.reset(), setIdle(v))}
            min={IDLE.minValue}
            max={IDLE.maxValue}
            error={errors.idle}
          />
          <NumberField
            label="Clear the clipboard after (seconds)"
            description={`What the app copies is cleared after this long, if it is still there; ${CLIPBOARD.minValue}–${CLIPBOARD.maxValue} seconds.`}
            value={clipboard}
            onChange={(v) => (save.reset(), setClipboard(v))}
            min={CLIPBOARD.minValue}
            max={CLIPBOARD.maxValue}
            error={errors.clipboard}
          />
          <div>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              Save settings
            </Button>
          </div>
          {save.isSuccess && <p role="status">Settings saved.</p>}
          <ErrorNote error={save.error} />
        </>
      ) : null}
    </form>
  );
}

/** '' stays '' (nothing typed yet); anything else is the number it reads as (NaN fails the schema). */
const toNumber = (s: string): number | string => (s.trim() === '' ? '' : Number(s));

function NumberField(props: { label: string; description: string; value: string; onChange: (v: string) => void; min: number | null; max: number | null; error: string | undefined }) {
  const id = props.label.replace(/\W+/g, '-').toLowerCase();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="number"
        inputMode="numeric"
        required
        min={props.min ?? undefined}
        max={props.max ?? undefined}
        step={1}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        aria-invalid={props.error !== undefined}
        aria-describedby={`${id}-description${props.error ? ` ${id}-error` : ''}`}
      />
      <span id={`${id}-description`} className="hint">
        {props.description}
      </span>
      {props.error && (
        <span id={`${id}-error`} className="error">
          {props.error}
        </span>
      )}
    </div>
  );
}

function VaultStatus() {
  const status = useQuery({ queryKey: ['vaultStatus'], queryFn: () => run('GetVaultStatus', {}) });
  return (
    <section className="panel" aria-labelledby="vault-status-title">
      <h2 id="vault-status-title">Vault</h2>
      <ErrorNote error={status.error} />
      {status.isPending ? (
        <p role="status">Loading the vault’s status…</p>
      ) : status.data ? (
        <dl className="facts">
          <dt>Folder</dt>
          <dd className="mono">{status.data.Directory}</dd>
          <dt>State</dt>
          <dd>{!status.data.Exists ? 'Not created' : status.data.Open ? 'Open' : 'Locked'}</dd>
          <dt>Vault id</dt>
          <dd className="mono">{status.data.VaultId ?? '—'}</dd>
          <dt>Master key kept in</dt>
          <dd>{status.data.Custody === 'keychain' ? 'the OS keychain' : status.data.Custody === 'passphrase' ? 'a vault passphrase' : '—'}</dd>
          <dt>Schema version</dt>
          <dd>{status.data.SchemaVersion}</dd>
        </dl>
      ) : null}
    </section>
  );
}
