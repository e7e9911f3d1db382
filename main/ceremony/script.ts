// A ceremony script (issue 13; DESIGN §10): who runs it, who witnesses it,
// and its steps in order, as JSON or YAML. Reading one checks everything
// that can be checked before anything runs: each step's type is one of
// STEP_KINDS (an unknown type is a ValidationException naming the step),
// its fields fit the type, ids are unique, a step refers only to earlier
// steps, and a step's confirmations name the script's witnesses.
import { createHash } from 'node:crypto';
import { load as loadYaml } from 'js-yaml';
import { z } from 'zod';
import { IamName } from '../api/fields.js';
import { validation } from '../core/errors.js';
import { formatIssues } from '../core/service/validation.js';
import { isStepType, STEP_KINDS, STEP_TYPES, type StepType } from './steps.js';

/** The largest script read: steps are a few lines each. */
export const MAX_SCRIPT_BYTES = 1024 * 1024;

/** A step's id: it names the step in the transcript and in later steps' references. */
const StepId = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, "use 1-64 letters, digits, '_' or '-', starting with a letter");

const Header = z
  .object({
    ceremony: z.string().min(1).max(200),
    tenant: z.string().min(1).max(64).optional(),
    region: z.string().min(1).max(32).optional(),
    operator: IamName,
    witnesses: z.array(IamName).max(16).default([]),
    steps: z.array(z.record(z.string(), z.unknown())).min(1).max(100),
  })
  .strict();

export interface ScriptStep {
  id: string;
  type: StepType;
  /** witnesses who confirm (sign in) before the step runs */
  confirm: string[];
  /** the step's own fields, checked against its kind's */
  fields: Record<string, unknown>;
}

export interface CeremonyScript {
  ceremony: string;
  tenant?: string;
  region?: string;
  operator: string;
  witnesses: string[];
  steps: ScriptStep[];
  /** SHA-256 of the script's bytes, hex: the transcript names the script it ran */
  sha256: string;
  format: 'json' | 'yaml';
}

/** Parses a script's text: JSON when it starts with '{', YAML otherwise (YAML is a superset of JSON). */
export function parseScript(text: string): CeremonyScript {
  if (Buffer.byteLength(text) > MAX_SCRIPT_BYTES) throw validation(`The ceremony script is larger than ${MAX_SCRIPT_BYTES} bytes.`);
  const format = text.trimStart().startsWith('{') ? 'json' : 'yaml';
  let doc: unknown;
  try {
    doc = format === 'json' ? JSON.parse(text) : loadYaml(text);
  } catch (e) {
    throw validation(`The ceremony script is not valid ${format.toUpperCase()}: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = Header.safeParse(doc);
  if (!parsed.success) throw validation(`The ceremony script: ${formatIssues(parsed.error.issues)}`);
  const h = parsed.data;
  const witnesses = new Set<string>();
  for (const w of h.witnesses) {
    if (w === h.operator) throw validation(`The ceremony script: the operator ${w} cannot also witness the ceremony.`);
    if (witnesses.has(w)) throw validation(`The ceremony script: witness ${w} is named twice.`);
    witnesses.add(w);
  }
  const steps: ScriptStep[] = [];
  const kinds = new Map<string, StepType>();
  h.steps.forEach((raw, i) => {
    const { id, type, confirm, ...fields } = raw;
    const where = typeof id === 'string' ? `step '${id}'` : `step ${i + 1}`;
    const idOk = StepId.safeParse(id);
    if (!idOk.success) throw validation(`The ceremony script, ${where}: id ${idOk.error.issues[0]!.message}.`);
    if (kinds.has(idOk.data)) throw validation(`The ceremony script: two steps have the id '${idOk.data}'.`);
    if (!isStepType(type)) throw validation(`The ceremony script, ${where}: unknown step type ${JSON.stringify(type)}; the types are ${STEP_TYPES.join(', ')}.`);
    const kind = STEP_KINDS[type];
    const checked = z.object(kind.fields).strict().safeParse(fields);
    if (!checked.success) throw validation(`The ceremony script, ${where} (${type}): ${formatIssues(checked.error.issues)}`);
    const names = z.array(IamName).max(16).safeParse(confirm ?? []);
    if (!names.success) throw validation(`The ceremony script, ${where}: confirm must be a list of witness names.`);
    for (const n of names.data) if (!witnesses.has(n)) throw validation(`The ceremony script, ${where}: ${n} confirms the step but is not among the witnesses.`);
    for (const ref of (kind.refs as ((s: unknown) => string[]) | undefined)?.(checked.data) ?? []) {
      if (kinds.get(ref) !== 'create-key') throw validation(`The ceremony script, ${where}: '${ref}' names no earlier create-key step (nor an alias, key id or key ARN).`);
    }
    kinds.set(idOk.data, type);
    steps.push({ id: idOk.data, type, confirm: [...new Set(names.data)], fields: checked.data as Record<string, unknown> });
  });
  return {
    ceremony: h.ceremony,
    ...(h.tenant !== undefined ? { tenant: h.tenant } : {}),
    ...(h.region !== undefined ? { region: h.region } : {}),
    operator: h.operator,
    witnesses: [...witnesses],
    steps,
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
    format,
  };
}
