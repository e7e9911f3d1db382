// A section's read that failed. Refused for want of permission (a key user
// reading the key's rotation or tags, say) is a plain fact of the screen,
// not an alarm: it is shown quietly, still with its AWS name and sentence.
// Any other failure is an ErrorNote (role=alert).
import { BridgeFailure } from '../../bridge.js';
import { ErrorNote } from '../../ui/ErrorNote.js';

export function ReadError({ error }: { error: unknown }) {
  if (error instanceof BridgeFailure && error.name === 'AccessDeniedException') {
    return (
      <p className="hint">
        <strong>{error.name}</strong>: {error.message}
      </p>
    );
  }
  return <ErrorNote error={error} />;
}
