// npm run bench [-- --json] [-- --quick]: every benchmark, one after another,
// each measured against a reference in the same run (see harness.ts). The
// targets are audited.encrypt_decrypt and the file.* ones (README,
// Benchmarks); sign.* and verify.* are only reported, so they get half as
// long a measurement, which keeps `--json` under 5 minutes.
import { benchAudit } from './audit.bench.js';
import { benchFile } from './file.bench.js';
import { JSON_OUTPUT } from './harness.js';
import { benchKeyList } from './key-list.bench.js';
import { benchSign } from './sign.bench.js';
import { benchSymmetric } from './symmetric.bench.js';

const ms = process.argv.includes('--quick') ? 500 : 2000;
if (!JSON_OUTPUT) process.stdout.write(`Strongroom benchmarks (${ms} ms per measurement, node ${process.version})\n`);
await benchSymmetric(ms);
await benchAudit(ms);
await benchSign(ms / 2);
await benchFile(ms);
await benchKeyList();
