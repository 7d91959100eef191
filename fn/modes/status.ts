// `status [DIR] [--cluster FILE] [-o json]`: the package read and compiled as `render` reads it, the
// cluster's state (FILE, or stdin) read beside it, and where each download stands printed on stdout.
// The exit code says whether every model is complete everywhere (fn/status/report.ts, STATUS_EXIT).
import type { StatusOptions } from '../cli/args';
import type { Result } from '../krm/results';
import { formatResult, hasErrors } from '../krm/results';
import { DUMP_COMMAND, readClusterState } from '../status/cluster-state';
import { downloadStatus } from '../status/node-states';
import { statusExitCode, statusJson, statusText } from '../status/report';
import { readInputText } from './read-input';
import { renderDir } from './render';

export function runStatus(
  options: StatusOptions,
  env: Readonly<Record<string, string | undefined>>,
  readStdin: (limit: number) => Buffer | undefined,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): number {
  const fail = (results: readonly Result[]) => {
    for (const r of results) stderr.write(`${formatResult(r)}\n`);
    return 1;
  };
  const rendered = renderDir({ dir: options.dir, check: false, argocd: false, allowEmpty: true, strict: false }, env);
  if (hasErrors(rendered.results) || !rendered.compiled) {
    const errors = rendered.results.filter((r) => r.severity === 'error');
    return fail([
      ...errors,
      { severity: 'error', message: `status needs a package that renders: ${options.dir} does not` },
    ]);
  }
  const input = readInputText(options.cluster, readStdin);
  if ('problem' in input) return fail([{ severity: 'error', message: `${input.problem}; give ${DUMP_COMMAND}` }]);
  const cluster = readClusterState(input.text);
  if ('problem' in cluster)
    return fail([{ severity: 'error', message: `${options.cluster ?? 'stdin'}: ${cluster.problem}` }]);
  const report = downloadStatus(rendered.compiled, cluster);
  stdout.write(options.output === 'json' ? statusJson(report) : statusText(report));
  return statusExitCode(report);
}
