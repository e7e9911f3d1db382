// The audit trail's export to a file (ExportAuditTrail: JSONL with signed
// digests, written atomically), to a path typed or chosen in the desktop's
// save dialog (ui/SaveFileForm.tsx).
import { useMutation } from '@tanstack/react-query';
import { CONTRACT } from '../../../../main/api/index.js';
import { run } from '../../bridge.js';
import { useSession } from '../../session.js';
import { ErrorNote } from '../../ui/ErrorNote.js';
import { SaveFileForm } from '../../ui/SaveFileForm.js';

export function AuditExport() {
  const { session } = useSession();
  const exported = useMutation({ mutationFn: (path: string) => run('ExportAuditTrail', { OutPath: path }) });
  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">Export the trail</h2>
      <SaveFileForm
        label="Export file"
        defaultPath={`strongroom-audit-${session.AccountId}-${new Date().toISOString().slice(0, 10)}.jsonl`}
        dialogTitle="Export the audit trail as"
        pathSchema={CONTRACT.ExportAuditTrail.input.shape.OutPath}
        submitLabel="Export"
        pending={exported.isPending}
        onSave={(path) => exported.mutate(path)}
      />
      {exported.data && (
        <p role="status">
          Exported {exported.data.Records} records and {exported.data.Digests} signed digests to <span className="mono">{exported.data.OutPath}</span>.
        </p>
      )}
      <ErrorNote error={exported.error} />
    </section>
  );
}
