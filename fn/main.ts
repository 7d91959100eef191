#!/usr/bin/env node
// argv → mode. The only place that reads stdin, writes stdout and sets the exit code.
import { runKrm } from './modes/krm';
import { runRender } from './modes/render';

async function main(): Promise<void> {
  const [mode] = process.argv.slice(2);
  if (mode === undefined || mode === 'krm') {
    process.exitCode = await runKrm(process.stdin, process.stdout, process.stderr);
    return;
  }
  if (mode === 'render') {
    process.exitCode = runRender(process.argv.slice(3), process.stdout, process.stderr);
    return;
  }
  process.stderr.write(`kserve-localmodel-fn: unknown command "${mode}"\n\nusage:\n  kserve-localmodel-fn < resource-list.yaml   KRM function: ResourceList on stdin, ResourceList on stdout\n  kserve-localmodel-fn render [DIR]            the manifests to apply, from the YAML files under DIR\n`);
  process.exitCode = 2;
}

main().catch((e: unknown) => {
  // A bug of ours, not the user's input: say so in one line, never a stack trace.
  process.stderr.write(`kserve-localmodel-fn: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
