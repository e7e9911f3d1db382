// The AWS API models botocore ships (service-2.json, the source every AWS
// SDK and the AWS CLI are generated from): the reference for member names,
// which output members are required, and member order (botocore's parser
// builds a response's members in the model's order, so the AWS CLI prints
// them so).
//
// Where the models are: a machine may have pip's botocore (DESIGN §8: the
// Python 3.11 site-packages, gzipped models) and Debian's `awscli` package
// (installed by .ci/run), which carries its own copy as awscli.botocore
// (plain JSON, older: awscli 2.9.19's KMS model predates DryRun and
// DeriveSharedSecret). Each Python on the machine is asked where its copy
// is, and the newest model (the one with the most operations: a service
// only ever adds operations) is used. No model at all is an error, never
// a reason to skip.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface ModelShape {
  type: string;
  members?: Record<string, { shape: string }>;
  required?: string[];
  member?: { shape: string };
  enum?: string[];
}

export interface ServiceModel {
  /** the file it was read from */
  file: string;
  operations: Record<string, { input?: { shape: string }; output?: { shape: string } }>;
  shapes: Record<string, ModelShape>;
}

const PYTHONS = ['python3', '/usr/bin/python3'];
const MODULES = ['botocore', 'awscli.botocore'];

/** The botocore data directories the machine's Pythons know of. */
export function botocoreDataDirs(): string[] {
  const dirs = new Set<string>();
  for (const python of PYTHONS) {
    for (const module of MODULES) {
      try {
        const out = execFileSync(python, ['-c', `import os, ${module} as b; print(os.path.join(os.path.dirname(b.__file__), 'data'))`], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        dirs.add(out.trim());
      } catch {
        // this Python has no such module: another may
      }
    }
  }
  return [...dirs];
}

/** The newest model of `service` (kms/2014-11-01, iam/2010-05-08, …) on this machine; throws when there is none. */
export function loadModel(service: string): ServiceModel {
  const dirs = botocoreDataDirs();
  const models: ServiceModel[] = [];
  for (const dir of dirs) {
    for (const name of ['service-2.json.gz', 'service-2.json']) {
      const file = join(dir, service, name);
      if (!existsSync(file)) continue;
      const raw = readFileSync(file);
      const model = JSON.parse((name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Omit<ServiceModel, 'file'>;
      models.push({ ...model, file });
    }
  }
  if (models.length === 0) {
    throw new Error(
      `No botocore model of ${service}: looked in ${dirs.length ? dirs.join(', ') : 'no botocore data directory (neither python3 -c "import botocore" nor /usr/bin/python3 -c "import awscli.botocore" worked)'}. Install botocore (pip) or Debian's awscli.`,
    );
  }
  return models.reduce((a, b) => (Object.keys(b.operations).length > Object.keys(a.operations).length ? b : a));
}
