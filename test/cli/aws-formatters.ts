// The AWS CLI v2's own formatters as a test oracle: Debian's `awscli`
// package (installed by .ci/run) runs under the system Python, whose
// awscli.formatter.YAMLDumper and awscli.table.MultiTable print any JSON
// value the way `aws ... --output yaml|table` does.
import { execFileSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

const SCRIPT = String.raw`
import io, json, sys
from types import SimpleNamespace
from awscli.formatter import YAMLDumper, TableFormatter
req = json.load(sys.stdin)
out = io.StringIO()
if req['format'] == 'yaml':
    YAMLDumper().dump(req['data'], out)
else:
    f = TableFormatter(SimpleNamespace(color='off', query=None))
    f.table._terminal_width = req['width']
    f._format_response(req['title'], req['data'], out)
sys.stdout.write(out.getvalue())
`;

export function awsYaml(data: unknown): string {
  return execFileSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify({ format: 'yaml', data }), encoding: 'utf8' });
}

export function awsTable(title: string, data: unknown, width = 80): string {
  return execFileSync(PYTHON, ['-c', SCRIPT], { input: JSON.stringify({ format: 'table', title, data, width }), encoding: 'utf8' });
}
