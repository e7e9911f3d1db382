// The audit trail's export to a file (ExportAuditTrail: JSONL with signed
// digests, written atomically). There is no file chooser in the bridge yet,
// so the path is typed; a relative path is resolved by the app against the
// user's home folder (the dispatcher's cwd in main/app/main.ts).
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { Button, TextField } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { problem } from '../users/check.js';

const OUT_PATH = CONTRACT.ExportAuditTrail.input.shape.OutPath;

export function AuditExport() {
  const { session } = useSession();
  const [path, setPath] = useState(() => `strongroom-audit-${session.AccountId}-${new Date().toISOString().slice(0, 10)}.jsonl`);
  const pathProblem = problem(OUT_PATH, path);
  const exported = useMutation({ mutationFn: () => run('ExportAuditTrail', { OutPath: path }) });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (path && !pathProblem) exported.mutate();
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="export-title">
      <h2 id="export-title">Export the trail</h2>
      <div className="row">
        <TextField label="Export file" description="A relative path is in your home folder." value={path} onChange={setPath} isRequired errorMessage={pathProblem} />
        <Button type="submit" disabled={exported.isPending || !path}>
          {exported.isPending ? 'Exporting…' : 'Export'}
        </Button>
      </div>
      {exported.data && (
        <p role="status">
          Exported {exported.data.Records} records and {exported.data.Digests} signed digests to <span className="mono">{exported.data.OutPath}</span>.
        </p>
      )}
      <ErrorNote error={exported.error} />
    </form>
  );
}
