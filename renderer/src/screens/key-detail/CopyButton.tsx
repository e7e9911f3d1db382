// Copies text through the CopyToClipboard app operation: the main process
// puts it on the clipboard and clears it later if it is still there, so the
// page itself never touches the clipboard.
import { useMutation } from '@tanstack/react-query';
import { run } from '../../bridge.js';
import { Button } from '../../ui/controls.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

export function CopyButton({ text, label }: { text: string; label: string }) {
  const copy = useMutation({ mutationFn: () => run('CopyToClipboard', { Text: text }) });
  return (
    <span className="copy">
      <Button onClick={() => copy.mutate()} disabled={copy.isPending} aria-label={label}>
        Copy
      </Button>
      {copy.isSuccess && (
        <span role="status" className="hint">
          Copied; cleared from the clipboard after {copy.data.ClearAfterSeconds} s.
        </span>
      )}
      <ErrorNote error={copy.error} />
    </span>
  );
}
