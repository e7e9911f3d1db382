// npm run bench [-- --json] [-- --quick]: every benchmark, one after another,
// each measured against a reference in the same run (see harness.ts). The
// targets are audited.encrypt_decrypt and the file.* ones (README,
// Benchmarks); sign.* and verify.* are only reported, so they get half as
// long a measurement, which keeps `--json` under 5 minutes. The cli.* ones
// (cli.bench.ts) run the built CLI against the AWS CLI. `-- --only cli`
// (or file, sign, …) runs one section.
import { benchAudit } from './audit.bench.js';
import { benchCli } from './cli.bench.js';
import { benchFile } from './file.bench.js';
import { JSON_OUTPUT } from './harness.js';
import { benchKeyList } from './key-list.bench.js';
import { benchSign } from './sign.bench.js';
import { benchSymmetric } from './symmetric.bench.js';

const quick = process.argv.includes('--quick');
const ms = quick ? 500 : 2000;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const section = (name: string) => only === undefined || only === name;
if (!JSON_OUTPUT) process.stdout.write(`Strongroom benchmarks (${ms} ms per measurement, node ${process.version})\n`);
if (section('symmetric')) await benchSymmetric(ms);
if (section('audit')) await benchAudit(ms);
if (section('sign')) await benchSign(ms / 2);
if (section('file')) await benchFile(ms);
if (section('keys')) await benchKeyList();
if (section('cli')) await benchCli(quick);
