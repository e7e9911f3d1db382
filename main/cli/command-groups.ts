// The hand-written command groups by name, apart from the modules that run
// them (issue 14, "Start fast"): run.ts imports a group's module only when
// one of its commands runs or its help is asked for, because those modules
// load the vault, sqlite, age, the recovery-share and ceremony code, which
// `strongroom help` and the operation commands (`encrypt`, …) never need.
// This module imports nothing.

export const FILE_COMMANDS = ['encrypt-file', 'decrypt-file'] as const;
export type FileCommand = (typeof FILE_COMMANDS)[number];
export const isFileCommand = (c: string | undefined): c is FileCommand => (FILE_COMMANDS as readonly string[]).includes(c ?? '');

export const AUDIT_COMMANDS = ['audit export', 'audit verify'] as const;
export type AuditCommand = (typeof AUDIT_COMMANDS)[number];
export const isAuditCommand = (c: string | undefined): c is AuditCommand => (AUDIT_COMMANDS as readonly string[]).includes(c ?? '');

export const BACKUP_COMMANDS = ['backup create', 'backup restore'] as const;
export type BackupCommand = (typeof BACKUP_COMMANDS)[number];
export const isBackupCommand = (c: string | undefined): c is BackupCommand => (BACKUP_COMMANDS as readonly string[]).includes(c ?? '');

/** ceremony-script-commands.ts runs these */
export const CEREMONY_SCRIPT_COMMANDS = ['ceremony run', 'ceremony verify'] as const;
export type CeremonyScriptCommand = (typeof CEREMONY_SCRIPT_COMMANDS)[number];
export const isCeremonyScriptCommand = (c: string | undefined): c is CeremonyScriptCommand => (CEREMONY_SCRIPT_COMMANDS as readonly string[]).includes(c ?? '');

/** ceremony-commands.ts routes these (ceremony-split.ts and ceremony-recover.ts run them) */
export const CEREMONY_GROUP = 'ceremony';
export const SPLIT_COMMAND = 'ceremony split';
export const RECOVER_COMMAND = 'ceremony recover';
export const CEREMONY_COMMANDS = [CEREMONY_GROUP, `${CEREMONY_GROUP} help`, SPLIT_COMMAND, RECOVER_COMMAND] as const;
export type CeremonyCommand = (typeof CEREMONY_COMMANDS)[number];
export const isCeremonyCommand = (c: string | undefined): c is CeremonyCommand => (CEREMONY_COMMANDS as readonly string[]).includes(c ?? '');

/** login-commands.ts runs these */
export const LOGIN_COMMANDS = ['login', 'logout'] as const;
export type LoginCommand = (typeof LOGIN_COMMANDS)[number];
export const isLoginCommand = (c: string | undefined): c is LoginCommand => (LOGIN_COMMANDS as readonly string[]).includes(c ?? '');
