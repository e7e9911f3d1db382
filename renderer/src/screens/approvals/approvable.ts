// The app operations approval rules may hold (the contract's `approvable`
// flag: CreateBackup, SplitRecoveryKey). They write files where they run,
// around the service call, so ExecuteApprovalRequest does not run them:
// once approved, their requester calls the same operation again, with the
// input approved and its ApprovalRequestId (main/api/operation.ts).
import { CONTRACT, isOperationName, type InputOf, type OperationName } from '../../../../main/api/index.js';

/** The operations whose input may name an approved request (an empty strict input's keys are `string`: not a member named). */
export type ApprovableName = { [N in OperationName]: string extends keyof InputOf<N> ? never : 'ApprovalRequestId' extends keyof InputOf<N> ? N : never }[OperationName];

/** Whether the contract marks `operation` approvable (its input then takes ApprovalRequestId; test/renderer/approvable.test.ts holds them together). */
export const isApprovable = (operation: string): operation is ApprovableName => isOperationName(operation) && CONTRACT[operation].approvable === true;

/** Where the requester runs an approved request again: here in the inbox, from the input it holds; or on the operation's screen, because it needs what a request never holds. */
export type RunAgain = { readonly where: 'inbox' } | { readonly where: 'screen'; readonly path: (requestId: string) => string; readonly screen: string; readonly why: string };

/** Every approvable operation has a place to run again (the compiler asks for one when the contract marks another). */
export const RUN_AGAIN: { readonly [N in ApprovableName]: RunAgain } = {
  CreateBackup: { where: 'inbox' },
  SplitRecoveryKey: {
    where: 'screen',
    path: (requestId) => `/recovery/approved/${requestId}`,
    screen: 'Recovery and backup',
    why: 'A split’s request holds its plan (custodians, threshold, deliveries, folder), never a custodian’s passphrase: the split runs again where the custodians type theirs.',
  },
};

/**
 * The input that runs an approved request again: the members of its stored
 * input that the operation takes (the stored one may hold more, such as
 * CreateBackup's RecoverySlot), and its id; checked by the contract's own
 * schema, or the sentence that says why it does not pass.
 */
export function approvedInput<N extends ApprovableName>(name: N, stored: Record<string, unknown>, requestId: string): { input: InputOf<N> } | { problem: string } {
  const schema = CONTRACT[name].input;
  const taken = Object.fromEntries(Object.keys(schema.shape).flatMap((k) => (Object.hasOwn(stored, k) ? [[k, stored[k]]] : [])));
  const checked = schema.safeParse({ ...taken, ApprovalRequestId: requestId });
  if (!checked.success) return { problem: checked.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
  return { input: checked.data as InputOf<N> };
}
