// The RestoreBackup record (docs/audit-format.md §1): appended to every
// tenant's trail of a vault restored from a backup, after the trail the
// backup carried, so each tenant's history says where the vault came from.
// Shaped as CloudTrail records what a service does on its own (core/audit
// event.ts buildServiceEvent): nobody is signed in to a vault being
// restored; what authorized the restore is the key that opened the backup,
// which the record names (OpenedWith: VaultMasterKey, or RecoveryShares: a
// quorum of the custodians' recovery shares).
import { randomUUID } from 'node:crypto';
import { EVENT_SOURCE_DOMAIN, EVENT_VERSION, type AuditEvent, type SourceType } from '../core/audit/event.js';
import type { OpenedWith } from './unseal.js';

export interface RestoreFacts {
  /** when the restore ran, epoch ms */
  time: number;
  /** the tenant whose trail receives the record */
  account: string;
  region: string;
  source: SourceType;
  backup: {
    /** the vault the backup was made of */
    vaultId: string;
    /** when it was made (its header's createdAt) */
    createdAt: string;
    /** SHA-256 of the backup file, hex */
    sha256: string;
    bytes: number;
    schemaVersion: number;
  };
  openedWith: OpenedWith;
  /** how this machine keeps the restored vault's master key */
  custody: 'keychain' | 'passphrase';
}

/** Members in canonical (RFC 8785) order, as buildEvent writes them, for canonicalJson's fast path. */
export function buildRestoreEvent(f: RestoreFacts): AuditEvent {
  const source = `backup.${EVENT_SOURCE_DOMAIN}`;
  return {
    additionalEventData: {
      Backup: { Bytes: f.backup.bytes, CreatedAt: f.backup.createdAt, SchemaVersion: f.backup.schemaVersion, Sha256: f.backup.sha256, SourceVaultId: f.backup.vaultId },
      Custody: f.custody,
      OpenedWith: f.openedWith,
    },
    awsRegion: f.region,
    eventID: randomUUID(),
    eventName: 'RestoreBackup',
    eventSource: source,
    eventTime: new Date(f.time).toISOString(),
    eventType: 'AwsServiceEvent',
    eventVersion: EVENT_VERSION,
    readOnly: false,
    recipientAccountId: f.account,
    requestID: randomUUID(),
    requestParameters: null,
    resources: [],
    responseElements: null,
    sourceType: f.source,
    userIdentity: { invokedBy: source, type: 'AWSService' },
  };
}
