// Inputs checked against the contract's own schema before they cross the
// bridge (the main side checks them again): a mistake is named at once,
// as the ValidationException the operation would answer.
import { CONTRACT, type InputOf, type OperationName } from '../../../../main/api/index.js';
import { BridgeFailure } from '../../bridge.js';

export function checked<N extends OperationName>(name: N, input: InputOf<N>): InputOf<N> {
  const parsed = CONTRACT[name].input.safeParse(input);
  if (parsed.success) return input;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
  throw new BridgeFailure({ name: 'ValidationException', message: `${where}${issue.message}` });
}

/** A sentence from a helper (bytes.ts) as the ValidationException it stands for. */
export function invalid(message: string): never {
  throw new BridgeFailure({ name: 'ValidationException', message });
}
