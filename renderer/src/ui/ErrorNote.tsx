import { BridgeFailure } from '../bridge.js';

/** An error as a person reads it: the AWS exception name, then the sentence that says what to do. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  const name = error instanceof BridgeFailure ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <p role="alert" className="error">
      <strong>{name}</strong>: {message}
    </p>
  );
}
