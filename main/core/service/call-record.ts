// What one call's audit record is made of, gathered as the call runs
// (DESIGN §6): who called, what was asked (the validated input only: raw
// input that failed validation may hold a secret under a mistyped name
// that redaction does not recognise), which keys it touched, and whether
// it changed anything. The service turns it into the record when the call
// ends; a write transaction turns it into the call's intent (ports.ts
// AuditIntent) before it commits, so a crash between the change and the
// record cannot lose the record.
import { randomUUID } from 'node:crypto';
import { buildEvent, type AuditEvent, type EventCaller, type JsonObject, type SourceType } from '../audit/event.js';
import type { KmsError } from '../errors.js';
import type { AuditIntent } from './ports.js';

export class CallRecord {
  /** the record's requestID, and the id its intent is claimed by */
  readonly requestId = randomUUID();
  /** the input once it passed validation */
  input: unknown = undefined;
  /** ARNs of the keys the call resolved or wrote: the record's resources */
  readonly touched: string[] = [];
  /** set once a write transaction of this call has committed its intent: the append must claim it */
  wrote = false;
  /** the record's additionalEventData: the approval request the call created or ran (core/approvals/) */
  additional: JsonObject | undefined = undefined;

  constructor(
    /** the signed-in caller; undefined for a call that was not signed in */
    readonly caller: (EventCaller & { region: string; source: SourceType }) | undefined,
    readonly operation: string,
    readonly action: string,
    readonly readOnly: boolean | undefined,
    /** when the call began, epoch ms */
    readonly time: number,
  ) {}

  /** The call's record in `account`'s trail, given how it ended. */
  event(account: string, region: string, output: unknown, error: KmsError | undefined): AuditEvent {
    const caller = this.caller;
    return buildEvent({
      time: this.time,
      operation: this.operation,
      action: this.action,
      region,
      account,
      caller: caller && { account: caller.account, arn: caller.arn, userName: caller.userName, accessKeyId: caller.accessKeyId },
      source: caller?.source ?? 'sdk',
      input: this.input,
      output,
      error: error && { name: error.name, message: error.message },
      resources: this.touched.length ? [...new Set(this.touched)] : undefined,
      readOnly: this.readOnly,
      requestId: this.requestId,
      additionalEventData: this.additional,
    });
  }

  /**
   * The record that stands for this call if the process dies after its
   * change commits and before its own record is written: the request, the
   * keys written so far, no response.
   */
  intent(): AuditIntent {
    const caller = this.caller;
    if (!caller) throw new Error('only a signed-in call can change the vault');
    return { requestId: this.requestId, account: caller.account, event: this.event(caller.account, caller.region, undefined, undefined) };
  }
}
