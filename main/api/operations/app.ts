// The operations of the desktop app that are not AWS operations (service
// `app`): signing in and out of a session, the session's state, file
// encryption and decryption jobs (with progress events and cancellation),
// audit export to a file and verification of one, the vault's status, moving
// the session to another region, the key list with metadata a page at a
// time (the desktop key list), and a public key saved to a file.
// They are run by the app side (main/session/), not by the vault service:
// sign-in has no caller yet, and a file job streams progress while it runs.
import { z } from 'zod';
import { CurrentPassphrase, EncryptionContext, IamName, KeyId, KeyMetadata, Limit, Marker, NewPassphrase } from '../fields.js';
import { FINGERPRINT_TYPES, PUBLIC_KEY_FORMATS } from '../enums.js';
import { operation } from '../operation.js';
import { RequestId } from './approvals.js';
import { Verification } from './audit.js';

const app = { service: 'app' as const };
const Path = z.string().min(1).max(4096);
/** A region name (the vault service checks its form: lower-case letters, digits and '-'). */
const Region = z.string().min(1).max(32);

/** Who a session is signed in as. */
const SessionShape = z.object({
  AccountId: z.string(),
  UserName: z.string(),
  Arn: z.string(),
  Region: z.string(),
  /** the user must change its passphrase (iam:ChangePassword) before anything else */
  MustChangePassphrase: z.boolean(),
});

export const SignIn = operation({
  ...app,
  name: 'SignIn',
  action: 'app:SignIn',
  summary: 'Signs a user in to a tenant; every later operation of the session runs as that user.',
  input: () => z
    .object({
      Tenant: z.string().min(1).max(64).optional().meta({ description: 'Tenant name or 12-digit account id; default: the operator tenant.' }),
      UserName: IamName,
      Passphrase: CurrentPassphrase,
      Region: Region.optional().meta({ description: 'Region the session works in; default local-1.' }),
    })
    .strict(),
  output: () => SessionShape,
});

export const SignOut = operation({
  ...app,
  name: 'SignOut',
  action: 'app:SignOut',
  summary: "Ends the session: nothing more runs as its user until someone signs in again.",
  input: () => z.object({}).strict(),
  output: () => z.object({}),
});

export const GetSession = operation({
  ...app,
  name: 'GetSession',
  readOnly: true,
  action: 'app:GetSession',
  summary: 'Says whether the session is signed in, and as whom.',
  input: () => z.object({}).strict(),
  output: () => z.object({ SignedIn: z.boolean(), Session: SessionShape.optional() }),
});

/** Where the vault is and whether it is open; what only an open vault can say is there once it is. */
const VaultStatus = z.object({
  Directory: z.string(),
  /** false on the first run: there is no vault in Directory yet */
  Exists: z.boolean(),
  /** false until a passphrase-custody vault is unlocked (UnlockVault) */
  Open: z.boolean(),
  VaultId: z.string().optional(),
  Custody: z.enum(['keychain', 'passphrase']).optional(),
  /** the schema this version of Strongroom writes */
  SchemaVersion: z.number(),
  /** why the vault did not open, while it is not open: e.g. the keychain holds no master key for it (then RecoverVaultCustody) */
  Problem: z.object({ Name: z.string(), Message: z.string() }).optional(),
});

export const GetVaultStatus = operation({
  ...app,
  name: 'GetVaultStatus',
  readOnly: true,
  action: 'app:GetVaultStatus',
  summary: 'Where the vault is, whether it exists and is unlocked, and (once it is) its id and how its master key is kept.',
  input: () => z.object({}).strict(),
  output: () => VaultStatus,
});

export const CreateVault = operation({
  ...app,
  name: 'CreateVault',
  action: 'app:CreateVault',
  summary: 'Creates the vault on the first run, and its operator tenant with an admin user; the master key goes to the OS keychain or under a vault passphrase.',
  input: () => z
    .object({
      Custody: z.enum(['keychain', 'passphrase']).meta({
        description: 'keychain: the OS keychain holds the master key, so the vault opens by itself for this OS user; passphrase: the vault opens only with its passphrase, and moves between machines as a file.',
      }),
      VaultPassphrase: NewPassphrase.optional().meta({ description: 'With passphrase custody: the vault passphrase.' }),
      TenantName: z.string().min(1).max(64).optional().meta({ description: "The operator tenant's name; default operator." }),
      AdminPassphrase: NewPassphrase.meta({ description: "The passphrase of the operator tenant's admin user." }),
    })
    .strict()
    .refine((v) => (v.Custody === 'passphrase') === (v.VaultPassphrase !== undefined), {
      message: 'VaultPassphrase goes with passphrase custody, and only with it.',
      path: ['VaultPassphrase'],
    }),
  output: () => VaultStatus,
});

export const UnlockVault = operation({
  ...app,
  name: 'UnlockVault',
  readOnly: true,
  action: 'app:UnlockVault',
  summary: "Opens the vault: a keychain vault needs nothing, a passphrase vault its vault passphrase.",
  input: () => z.object({ VaultPassphrase: CurrentPassphrase.optional() }).strict(),
  output: () => VaultStatus,
});

/** A recovery split as the custodians are asked by it: never a share or the sealed key. */
const RecoverySplit = z.object({
  VaultId: z.string(),
  SplitId: z.string(),
  Scheme: z.enum(['strongroom', 'ssss']),
  Threshold: z.number(),
  Count: z.number(),
  /** share i's custodian at [i - 1] */
  Custodians: z.array(z.string()),
});

export const DescribeRecoverySplit = operation({
  ...app,
  name: 'DescribeRecoverySplit',
  readOnly: true,
  action: 'app:DescribeRecoverySplit',
  summary:
    "The recovery split whose shares open the vault (its recovery record) or, with BackupPath, a backup (its header): M of N and the custodians' names, to ask them by name before anyone types anything. Read before it can be authenticated: for asking, not deciding.",
  input: () => z.object({ BackupPath: Path.optional().meta({ description: 'A backup file: its split, instead of the vault directory’s.' }) }).strict(),
  output: () => RecoverySplit,
});

/** One custodian's share as given: a file, or a paper share's words typed; with what opens it. */
export const GivenShare = z
  .object({
    Path: Path.optional().meta({ description: 'A share file, its form read from its content: a passphrase-sealed share, an age share, a paper sheet, an ssss line.' }),
    Words: z.string().min(1).max(16 * 1024).optional().meta({ description: "A paper share's 45 words (or an ssss line), typed." }),
    Passphrase: CurrentPassphrase.optional().meta({ description: "The custodian's passphrase, for a passphrase-sealed share." }),
    AgeIdentity: z.string().min(1).max(64 * 1024).optional().meta({ description: "The custodian's age identity (AGE-SECRET-KEY-…), for an age share." }),
  })
  .strict()
  .refine((v) => (v.Path === undefined) !== (v.Words === undefined), { message: 'Give each share as a Path or as Words, not both.', path: ['Path'] });

const Shares = z.array(GivenShare).min(1).max(16);

/** How this machine keeps the master key from now on, and the new vault passphrase that goes with passphrase custody. */
const NewCustody = {
  Custody: z.enum(['keychain', 'passphrase']).meta({ description: "keychain: this machine's OS keychain; passphrase: a new vault passphrase." }),
  VaultPassphrase: NewPassphrase.optional().meta({ description: 'With passphrase custody: the new vault passphrase.' }),
};
const custodyRefine: [(v: { Custody: string; VaultPassphrase?: string | undefined }) => boolean, { message: string; path: string[] }] = [
  (v) => (v.Custody === 'passphrase') === (v.VaultPassphrase !== undefined),
  { message: 'VaultPassphrase goes with passphrase custody, and only with it.', path: ['VaultPassphrase'] },
];

export const RecoverVaultCustody = operation({
  ...app,
  name: 'RecoverVaultCustody',
  action: 'app:RecoverVaultCustody',
  summary:
    "Re-establishes the vault's custody on this machine from M custodians' recovery shares (the keychain entry lost, the vault passphrase forgotten), then opens the vault. Only while the vault is not open; nothing changes unless the shares open it.",
  input: () => z
    .object({ Shares, ...NewCustody })
    .strict()
    .refine(...custodyRefine),
  output: () => VaultStatus,
});

export const RestoreBackup = operation({
  ...app,
  name: 'RestoreBackup',
  action: 'app:RestoreBackup',
  summary:
    "Restores a backup into the vault directory on the first run (it holds no vault), opened with M custodians' shares or with its vault's master key (the source vault's passphrase), the whole backup verified before anything is written; then opens the vault.",
  input: () => z
    .object({
      InPath: Path.meta({ description: 'The backup file.' }),
      Shares: Shares.optional(),
      SourceVaultPassphrase: CurrentPassphrase.optional().meta({ description: "The vault passphrase of the backed-up vault (a passphrase-custody vault's backup opens with its master key)." }),
      ...NewCustody,
    })
    .strict()
    .refine(...custodyRefine)
    .refine((v) => v.Shares === undefined || v.SourceVaultPassphrase === undefined, { message: 'Open the backup with Shares or with SourceVaultPassphrase, not both.', path: ['Shares'] }),
  output: () => z.object({
    Status: VaultStatus,
    OpenedWith: z.enum(['VaultMasterKey', 'RecoveryShares']),
    Accounts: z.array(z.string()),
    Backup: z.object({ CreatedAt: z.string(), Sha256: z.string(), Bytes: z.number() }),
  }),
});

/** One progress event of a file job: which file, and how far into it (never decreasing). */
export const FileJobProgress = z.object({
  FileIndex: z.number().int().min(0),
  FileCount: z.number().int().min(1),
  InPath: z.string().optional(),
  BytesDone: z.number().int().min(0),
  BytesTotal: z.number().int().min(0).optional(),
});

const FileTargets = {
  In: z.array(Path).min(1).meta({ description: 'Files to process, or directories whose files are taken (not recursive; with OutDir); - is standard input where the adapter has one (the CLI).' }),
  Out: Path.optional().meta({ description: 'The one output file, for one input; not with OutDir; - is standard output where the adapter has one.' }),
  OutDir: Path.optional().meta({ description: 'A directory for the outputs (created if missing); not with Out.' }),
};

const FileDone = { InPath: z.string().optional(), OutPath: z.string().optional(), KeyId: z.string(), SegmentSize: z.number(), Segments: z.number(), BytesRead: z.number(), BytesWritten: z.number() };

export const EncryptFile = operation({
  ...app,
  name: 'EncryptFile',
  action: 'app:EncryptFile',
  summary: 'Encrypts files of any size under a key (envelope encryption, docs/file-format.md), reporting progress; cancellable.',
  input: () => z
    .object({
      ...FileTargets,
      KeyId,
      EncryptionContext: EncryptionContext.optional(),
      // docs/file-format.md, Header: 65 536 ≤ S ≤ 1 048 576
      SegmentSize: z.number().int().min(65_536).max(1_048_576).optional().meta({ description: 'Plaintext bytes per segment; default 1048576.' }),
    })
    .strict(),
  output: () => z.object({ Files: z.array(z.object(FileDone)) }),
});

export const DecryptFile = operation({
  ...app,
  name: 'DecryptFile',
  action: 'app:DecryptFile',
  summary: 'Decrypts files made by EncryptFile (or age files sent to a vault key), reporting progress; cancellable.',
  input: () => z
    .object({
      ...FileTargets,
      KeyId: KeyId.optional().meta({ description: 'If given, every file must be under this key; an age file needs it.' }),
      EncryptionContext: EncryptionContext.optional().meta({ description: "If given, must equal every file's encryption context." }),
    })
    .strict(),
  output: () => z.object({
    Files: z.array(z.object({ ...FileDone, Format: z.enum(['strongroom', 'age']), EncryptionContext: z.record(z.string(), z.string()) })),
  }),
});

export const ExportAuditTrail = operation({
  ...app,
  name: 'ExportAuditTrail',
  readOnly: true,
  action: 'audit:ExportEvents',
  summary: "Writes the tenant's audit trail to a file (JSONL with signed digests, docs/audit-format.md), atomically.",
  input: () => z.object({ OutPath: Path }).strict(),
  output: () => z.object({ OutPath: z.string(), Records: z.number(), Digests: z.number() }),
});

export const VerifyAuditTrail = operation({
  ...app,
  name: 'VerifyAuditTrail',
  readOnly: true,
  action: 'app:VerifyAuditTrail',
  summary: 'Verifies an exported audit trail file offline, with the audit public key given (PEM) or the one in its header.',
  input: () => z.object({ InPath: Path, PublicKey: z.string().min(1).max(16_384).optional() }).strict(),
  output: () => Verification.omit({ SignedThrough: true }).extend({
    Account: z.string(),
    /** trusted: the PublicKey given; file: the key in the export's own header, which proves integrity but not origin */
    PublicKeySource: z.enum(['trusted', 'file']),
  }),
});

/** The desktop app's settings on this machine (main/session/app-settings.ts). */
export const AppSettings = z.object({
  /** a signed-in session locks after this long without a call */
  IdleLockMinutes: z.number().int().min(1).max(120),
  /** what the app copies is cleared from the clipboard after this long, if it is still there */
  ClipboardClearSeconds: z.number().int().min(5).max(600),
});

export const GetAppSettings = operation({
  ...app,
  name: 'GetAppSettings',
  readOnly: true,
  action: 'app:GetAppSettings',
  summary: "The desktop app's settings on this machine: the idle lock and the clipboard's clearing.",
  input: () => z.object({}).strict(),
  output: () => AppSettings,
});

export const UpdateAppSettings = operation({
  ...app,
  name: 'UpdateAppSettings',
  action: 'app:UpdateAppSettings',
  summary: "Changes the desktop app's settings on this machine; those not given stay as they are.",
  input: () => AppSettings.partial().strict(),
  output: () => AppSettings,
});

export const CopyToClipboard = operation({
  ...app,
  name: 'CopyToClipboard',
  action: 'app:CopyToClipboard',
  summary: 'Copies text (an ARN, a public key) to the clipboard, and clears it after ClipboardClearSeconds if it is still there.',
  input: () => z.object({ Text: z.string().min(1).max(65_536) }).strict(),
  output: () => z.object({ ClearAfterSeconds: z.number() }),
});

/** What ChooseFiles asks the desktop for (main/app/file-dialogs.ts shows it; a test transport answers it itself). */
export const ChooseFilesRequest = z
  .object({
    Purpose: z.enum(['open', 'save']).meta({ description: 'open: files (or a folder) to read; save: where to write one file.' }),
    Title: z.string().min(1).max(200).optional().meta({ description: "The dialog's title." }),
    Multiple: z.boolean().optional().meta({ description: 'open: the user may choose several files.' }),
    Directory: z.boolean().optional().meta({ description: 'open: the user chooses a folder (an OutDir) instead of files.' }),
    DefaultPath: Path.optional().meta({ description: 'save: the name (or path) proposed.' }),
  })
  .strict()
  .refine((v) => v.Purpose === 'open' || (v.Multiple === undefined && v.Directory === undefined), {
    message: 'Multiple and Directory are for Purpose open; a save dialog chooses one file.',
    path: ['Purpose'],
  });

export const ChooseFiles = operation({
  ...app,
  name: 'ChooseFiles',
  readOnly: true,
  action: 'app:ChooseFiles',
  summary: "Asks the user for paths with the desktop's own file dialog (the page cannot see paths): files or a folder to open, or where to save; none when the user cancels.",
  input: () => ChooseFilesRequest,
  output: () => z.object({ Paths: z.array(z.string()) }),
});

export const SavePublicKey = operation({
  ...app,
  name: 'SavePublicKey',
  readOnly: true,
  action: 'kms:GetPublicKey',
  summary:
    "Writes an asymmetric key's public key to a file, atomically, in one of ExportPublicKey's formats (der as binary DER, the others as text), and returns its fingerprint for reading aloud.",
  input: () => z.object({ KeyId, Format: z.enum(PUBLIC_KEY_FORMATS), OutPath: Path }).strict(),
  output: () => z.object({
    KeyId: z.string(),
    Format: z.enum(PUBLIC_KEY_FORMATS),
    OutPath: z.string(),
    Bytes: z.number().int().meta({ description: 'The size of the file written.' }),
    Fingerprint: z.string(),
    FingerprintType: z.enum(FINGERPRINT_TYPES),
  }),
});

/** A custodian's name: it names their share file, so letters, digits, '.', '_' and '-'. */
const CustodianName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (it names the share file)");

/** How a custodian receives their share (docs/recovery-shares.md). */
export const RecoveryCustodian = z.discriminatedUnion('Delivery', [
  z.object({ Name: CustodianName, Delivery: z.literal('passphrase'), Passphrase: NewPassphrase.meta({ description: "The custodian's own passphrase, which seals their share file (Argon2id)." }) }).strict(),
  z.object({ Name: CustodianName, Delivery: z.literal('age'), AgeRecipient: z.string().min(1).max(4096).meta({ description: "The custodian's age recipient (age1…)." }) }).strict(),
  z.object({ Name: CustodianName, Delivery: z.literal('paper') }).strict(),
]);

/** The approved request an approvable operation's requester runs by calling it again (api/operation.ts `approvable`). */
const ApprovalRequestId = RequestId.meta({
  description: 'Runs this approved request: when approval rules hold this action, the first call names the request (ApprovalRequiredException), and its requester calls again, as approved, naming it.',
});

export const SplitRecoveryKey = operation({
  ...app,
  name: 'SplitRecoveryKey',
  action: 'vault:SplitRecoveryKey',
  approvable: true,
  summary:
    "Makes a new vault recovery key, seals the vault master key under it, and splits it M-of-N among named custodians, one share file each (sealed to the custodian's passphrase or age recipient, or words to print); a new split revokes the shares of the one before. Operator administrators only.",
  input: () => z
    .object({
      Threshold: z.number().int().min(2).max(16).meta({ description: 'M: how many shares recover the key.' }),
      Custodians: z.array(RecoveryCustodian).min(2).max(16),
      Scheme: z.enum(['strongroom', 'ssss']).optional().meta({ description: "strongroom (default): shares with a checksum; ssss: lines Debian's ssss-combine recovers (printed: Delivery paper only)." }),
      OutDir: Path.meta({ description: 'The folder the share files are written to.' }),
      ApprovalRequestId: ApprovalRequestId.optional(),
    })
    .strict()
    .refine((v) => v.Threshold <= v.Custodians.length, { message: 'Threshold must not exceed the number of custodians.', path: ['Threshold'] })
    .refine((v) => new Set(v.Custodians.map((c) => c.Name.toLowerCase())).size === v.Custodians.length, { message: 'Each custodian needs a name of their own.', path: ['Custodians'] })
    .refine((v) => v.Scheme !== 'ssss' || v.Custodians.every((c) => c.Delivery === 'paper'), {
      message: 'An ssss share is a line ssss-combine reads: give every custodian Delivery paper.',
      path: ['Custodians'],
    }),
  output: () => z.object({
    VaultId: z.string(),
    SplitId: z.string(),
    Scheme: z.enum(['strongroom', 'ssss']),
    Threshold: z.number(),
    Count: z.number(),
    Shares: z.array(z.object({ Custodian: z.string(), Index: z.number(), Delivery: z.enum(['passphrase', 'age', 'paper']), Files: z.array(z.string()) })),
  }),
});

/**
 * What a held SplitRecoveryKey's approval request holds as its Input (the
 * split as planned: custodians, threshold, deliveries, the folder as
 * resolved), never a passphrase, a share or the key: what its approvers
 * see, and what the desktop fills a split form from so that the requester
 * runs it as approved, the custodians typing their passphrases again.
 */
export const SplitRecoveryPlan = z
  .object({
    Scheme: z.enum(['strongroom', 'ssss']),
    Threshold: z.number(),
    Custodians: z.array(z.object({ Name: z.string(), Delivery: z.enum(['passphrase', 'age', 'paper']), AgeRecipient: z.string().optional() }).strict()),
    OutDir: z.string(),
  })
  .strict();

export const GetRecoveryStatus = operation({
  ...app,
  name: 'GetRecoveryStatus',
  readOnly: true,
  action: 'vault:GetRecoveryStatus',
  summary: "Says whether the vault's master key can be recovered from shares, and from which split: M of N, the custodians, when. Operator administrators only.",
  input: () => z.object({}).strict(),
  output: () => z.object({
    Split: z
      .object({ SplitId: z.string(), Scheme: z.enum(['strongroom', 'ssss']), Threshold: z.number(), Count: z.number(), Custodians: z.array(z.string()), CreationDate: z.date() })
      .optional()
      .meta({ description: 'Absent until the first SplitRecoveryKey.' }),
  }),
});

export const CreateBackup = operation({
  ...app,
  name: 'CreateBackup',
  readOnly: true,
  action: 'backup:CreateBackup',
  approvable: true,
  summary:
    "Writes a consistent, sealed backup of the whole vault (every tenant) to a file, atomically (docs/backup-format.md): it opens with the vault's master key, or with the recovery quorum's shares where the vault has a recovery split. Operator administrators only.",
  input: () => z.object({ OutPath: Path, ApprovalRequestId: ApprovalRequestId.optional() }).strict(),
  output: () => z.object({
    OutPath: z.string(),
    VaultId: z.string(),
    CreatedAt: z.string(),
    SchemaVersion: z.number(),
    Bytes: z.number(),
    Sha256: z.string(),
    KeySlots: z.array(z.enum(['vmk', 'recovery'])).meta({ description: "vmk: opens with the vault's master key; recovery: with M of the recovery split's shares too." }),
  }),
});

export const SwitchRegion = operation({
  ...app,
  name: 'SwitchRegion',
  action: 'app:SwitchRegion',
  summary: "Moves the signed-in session to another region, as the same user: a region is the caller's choice at sign-in, not a credential, so no passphrase is asked again.",
  input: () => z.object({ Region }).strict(),
  output: () => SessionShape,
});

export const ListKeyDetails = operation({
  ...app,
  name: 'ListKeyDetails',
  readOnly: true,
  action: 'kms:ListKeys',
  summary:
    "Lists the keys of the account in the session's region with their metadata, a page at a time (Limit/Marker as ListKeys): one audited call per page instead of ListKeys and a DescribeKey per key. KeyMetadata is there for the keys the caller may DescribeKey.",
  input: () => z.object({ Limit: Limit(1000).optional(), Marker: Marker.optional() }).strict(),
  output: () => z.object({
    Keys: z.array(z.object({ KeyId: z.string(), KeyArn: z.string(), KeyMetadata: KeyMetadata.optional() })),
    NextMarker: z.string().optional(),
    Truncated: z.boolean(),
  }),
});

/** How far a ceremony has got (RunCeremony): one event as each step is confirmed, runs, and ends. */
export const CeremonyProgress = z.object({
  StepIndex: z.number().int().min(0),
  StepCount: z.number().int().min(1),
  StepId: z.string(),
  Type: z.string(),
  Phase: z.enum(['confirming', 'running', 'done', 'failed']),
});

const CeremonyStepStatus = z.object({ Id: z.string(), Type: z.string(), Status: z.enum(['done', 'failed', 'not-run']), Error: z.object({ Name: z.string(), Message: z.string() }).optional() });

export const RunCeremony = operation({
  ...app,
  name: 'RunCeremony',
  action: 'app:RunCeremony',
  summary:
    'Runs a ceremony script (JSON or YAML, docs/ceremonies.md) step by step as the signed-in operator, each witness confirming with their passphrase where the script says, and writes its signed transcript (and a printable form); a failed step stops it, and the transcript says it is incomplete.',
  input: () => z
    .object({
      ScriptPath: Path.optional().meta({ description: 'The script file; its relative paths (passphrase files) start in its folder. Not with Script.' }),
      Script: z.string().min(1).max(1024 * 1024).optional().meta({ description: 'The script itself; its relative paths start in OutDir. Not with ScriptPath.' }),
      OutDir: Path.meta({ description: 'Where the steps write their files (created if missing).' }),
      TranscriptPath: Path.meta({ description: 'Where the transcript goes (JSON); put it in OutDir, so the files verify beside it.' }),
      ReportPath: Path.optional().meta({ description: 'Where the printable form goes: .html for HTML, text otherwise.' }),
      Witnesses: z
        .array(z.object({ UserName: IamName, Passphrase: z.string().min(1).max(1024).meta({ description: "The witness's own passphrase." }) }).strict())
        .max(16)
        .default([])
        .meta({ description: 'The passphrases of the witnesses who confirm steps.' }),
    })
    .strict()
    .refine((v) => (v.ScriptPath === undefined) !== (v.Script === undefined), { message: 'Give ScriptPath or Script, one of them.', path: ['ScriptPath'] }),
  output: () => z.object({
    Ceremony: z.string(),
    Status: z.enum(['complete', 'incomplete']),
    TranscriptPath: z.string(),
    ReportPath: z.string().optional(),
    IndexSha256: z.string().meta({ description: "SHA-256 of the transcript's signed index, as its SignCeremonyTranscript audit record holds it." }),
    Steps: z.array(CeremonyStepStatus),
  }),
});

export const VerifyCeremonyTranscript = operation({
  ...app,
  name: 'VerifyCeremonyTranscript',
  readOnly: true,
  action: 'app:VerifyCeremonyTranscript',
  summary: "Verifies a ceremony transcript offline: its signature (with the audit public key given, or its own), every step against the signed index, and the output files beside it.",
  input: () => z
    .object({
      TranscriptPath: Path,
      PublicKey: z.string().min(1).max(16_384).optional().meta({ description: "The tenant's audit public key (PEM) to trust; without it the transcript's own key is used, which proves integrity but not origin." }),
      FilesDir: Path.optional().meta({ description: "Where the output files are; default: the transcript's folder." }),
    })
    .strict(),
  output: () => z.object({
    Valid: z.boolean(),
    Ceremony: z.string().optional(),
    Account: z.string().optional(),
    Status: z.enum(['complete', 'incomplete']).optional(),
    PublicKeySource: z.enum(['trusted', 'file']),
    Steps: z.number(),
    FilesChecked: z.number(),
    FilesMissing: z.array(z.string()),
    Problems: z.array(z.object({ Step: z.string().optional(), Part: z.string(), Message: z.string() })),
  }),
});
