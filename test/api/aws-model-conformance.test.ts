// The contract against AWS's own API models (botocore's service-2.json for
// KMS, IAM and STS; botocore-models.ts finds them): for every operation
// Strongroom shares with AWS, its input members are AWS's (or named below
// as Strongroom's own), its output has every member AWS marks required, its
// members come in AWS's order (the order the AWS CLI prints them in), and
// every member AWS returns that Strongroom does not is named below with
// the reason. A new gap, or a gap closed without its line deleted, fails.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { CONTRACT, OPERATION_NAMES, type OperationName } from '../../main/api/index.js';
import { unwrap } from '../../main/cli/schema-shapes.js';
import { loadModel, type ServiceModel } from './botocore-models.js';
import { ABSENT_OUTPUT_MEMBERS, OWN_INPUT_MEMBERS, OWN_OPERATIONS, OWN_OUTPUT_MEMBERS } from './aws-model-gaps.js';

type AnySchema = z.core.$ZodType;

const MODELS: Record<string, string> = { kms: 'kms/2014-11-01', iam: 'iam/2010-05-08', sts: 'sts/2011-06-15' };

/** The members of an object schema in declaration order (after optional/nullable wrappers); undefined for a non-object. */
function objectMembers(schema: AnySchema): [string, AnySchema][] | undefined {
  const { inner } = unwrap(schema);
  const def = inner._zod.def;
  if (def.type !== 'object') return undefined;
  return Object.entries((def as z.core.$ZodObjectDef).shape);
}

/** The element of an array schema, undefined for a non-array. */
function arrayElement(schema: AnySchema): AnySchema | undefined {
  const { inner } = unwrap(schema);
  const def = inner._zod.def;
  return def.type === 'array' ? (def as z.core.$ZodArrayDef).element : undefined;
}

interface Findings {
  /** `Shape.Member` the model requires and the contract lacks */
  missingRequired: string[];
  /** `Shape.Member` the model has, the contract lacks */
  absent: Set<string>;
  /** `Shape.Member` the contract has, the model lacks */
  own: Set<string>;
  /** `Op: path` whose order differs */
  order: string[];
}

/** Compares an output schema with a model structure, recursively through structures and lists of them. */
function compareOutput(model: ServiceModel, schema: AnySchema, shapeName: string, path: string, f: Findings): void {
  const shape = model.shapes[shapeName]!;
  const ours = objectMembers(schema) ?? [];
  const theirs = Object.keys(shape.members ?? {});
  const ourNames = ours.map(([n]) => n);
  for (const r of shape.required ?? []) if (!ourNames.includes(r)) f.missingRequired.push(`${shapeName}.${r} (${path})`);
  for (const n of theirs) if (!ourNames.includes(n)) f.absent.add(`${shapeName}.${n}`);
  for (const n of ourNames) if (!theirs.includes(n)) f.own.add(`${shapeName}.${n}`);
  // AWS's members in AWS's order, then Strongroom's own
  const expected = [...theirs.filter((n) => ourNames.includes(n)), ...ourNames.filter((n) => !theirs.includes(n))];
  if (JSON.stringify(expected) !== JSON.stringify(ourNames)) f.order.push(`${path}: ${ourNames.join(', ')} — expected ${expected.join(', ')}`);
  for (const [name, member] of ours) {
    const ref = shape.members?.[name];
    if (!ref) continue;
    const target = model.shapes[ref.shape]!;
    if (target.type === 'structure') compareOutput(model, member, ref.shape, `${path}.${name}`, f);
    else if (target.type === 'list' && model.shapes[target.member!.shape]!.type === 'structure') {
      const element = arrayElement(member);
      if (element) compareOutput(model, element, target.member!.shape, `${path}.${name}[]`, f);
    }
  }
}

const shared = (service: string, model: ServiceModel): OperationName[] =>
  OPERATION_NAMES.filter((n) => (CONTRACT[n].service ?? 'kms') === service && Object.hasOwn(model.operations, n));

describe.each(Object.keys(MODELS))('the %s operations against botocore\'s model', (service) => {
  const model = loadModel(MODELS[service]!);

  it('has every operation of the service, but those named as Strongroom\'s own', () => {
    const ours = OPERATION_NAMES.filter((n) => (CONTRACT[n].service ?? 'kms') === service);
    const notInModel = ours.filter((n) => !Object.hasOwn(model.operations, n));
    expect(notInModel.sort(), `operations ${model.file} does not have (aws-model-gaps.ts names Strongroom's own; a model older than the contract, as Debian's awscli 2.9 carries, lacks AWS's newer ones: pip's botocore has them)`).toEqual(Object.keys(OWN_OPERATIONS[service] ?? {}).sort());
    expect(shared(service, model).length).toBeGreaterThan(0);
  });

  it('takes only input members the model has, but those named as Strongroom\'s own', () => {
    const extra: string[] = [];
    for (const name of shared(service, model)) {
      const inputShape = model.operations[name]!.input?.shape;
      const theirs = Object.keys((inputShape && model.shapes[inputShape]?.members) ?? {});
      for (const [member] of objectMembers(CONTRACT[name].input) ?? []) if (!theirs.includes(member)) extra.push(`${name}.${member}`);
    }
    expect(extra.sort(), `input members ${model.file} does not have (aws-model-gaps.ts)`).toEqual(Object.keys(OWN_INPUT_MEMBERS[service] ?? {}).sort());
  });

  it('returns every member the model requires, in the model\'s order; what it lacks or adds is named with its reason', () => {
    const f: Findings = { missingRequired: [], absent: new Set(), own: new Set(), order: [] };
    for (const name of shared(service, model)) {
      const outputShape = model.operations[name]!.output?.shape;
      if (outputShape) compareOutput(model, CONTRACT[name].output, outputShape, name, f);
      else for (const [member] of objectMembers(CONTRACT[name].output) ?? []) f.own.add(`${name}.${member}`);
    }
    expect.soft(f.missingRequired, 'required members missing').toEqual([]);
    expect.soft(f.order, 'members out of the model\'s order').toEqual([]);
    expect.soft([...f.absent].sort(), 'members the model returns that the contract does not (aws-model-gaps.ts)').toEqual(Object.keys(ABSENT_OUTPUT_MEMBERS[service] ?? {}).sort());
    expect.soft([...f.own].sort(), 'members of Strongroom\'s own (aws-model-gaps.ts)').toEqual(Object.keys(OWN_OUTPUT_MEMBERS[service] ?? {}).sort());
  });
});
