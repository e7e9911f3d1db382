// A caller's typed view of a service, for tests and tools that hold a
// Service and a signed-in caller rather than a TestVault: the operation's
// name picks its input and output types from the contract (issue 10), so
// nothing has to be cast. Deliberately bad input goes through dispatch.
import type { InputOf, ServiceOperationName, OutputOf } from '../../main/api/index.js';
import type { Caller } from '../../main/core/service/caller.js';
import type { Service } from '../../main/core/service/service.js';

/** An operation call as one caller, typed by the contract (as TestVault.call: no input means {}). */
export type Call = <N extends ServiceOperationName>(name: N, input?: InputOf<N>) => Promise<OutputOf<N>>;

/** `service.call` bound to `caller`. */
export function callAs(service: Pick<Service, 'call'>, caller: Caller): Call {
  return (name, input) => service.call(caller, name, input ?? ({} as InputOf<typeof name>));
}
