// The renderer's one way to the main process: `window.strongroom`, which
// the preload exposes (main/api/bridge.ts says what it is). `run` unwraps a
// result into its value, or throws a BridgeFailure carrying the AWS
// exception name and the sentence to show.
import type { BridgeError, StrongroomBridge } from '../../main/api/bridge.js';
import type { InputOf, OperationName, OutputOf } from '../../main/api/index.js';

declare global {
  interface Window {
    readonly strongroom: StrongroomBridge;
  }
}

export class BridgeFailure extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
    this.name = error.name;
  }
}

export const bridge = (): StrongroomBridge => window.strongroom;

export async function run<N extends OperationName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
  const result = await bridge().call(name, input);
  if (!result.ok) throw new BridgeFailure(result.error);
  return result.value;
}
