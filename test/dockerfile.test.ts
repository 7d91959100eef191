// The container image for kpt's `image:` form, the Argo CD sidecar and CI. No Docker engine here:
// the Dockerfile is read, and its ENTRYPOINT runs directly with the image's paths mapped back.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { hostPath, readDockerfile } from './support/dockerfile';
import { EXAMPLES, parseStream, ROOT, run } from './support/integrations';

const dockerfile = readDockerfile();

/** A ResourceList as kpt sends it, from the kpt example's files. */
function resourceListOfExample(): string {
  const dir = join(EXAMPLES, 'kpt');
  const files = [
    'fn-config.yaml',
    'models.yaml',
    'nodegroup.yaml',
    'nodes.yaml',
    'inferenceservice.yaml',
    'credentials.yaml',
  ];
  const items = files.flatMap((file) =>
    parseStream(readFileSync(join(dir, file), 'utf8')).map((o, index) => ({
      ...o,
      metadata: {
        ...o.metadata,
        annotations: {
          ...o.metadata?.annotations,
          'internal.config.kubernetes.io/path': file,
          'internal.config.kubernetes.io/index': String(index),
        },
      },
    })),
  );
  return JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items });
}

/** `.dockerignore` semantics for its two kinds of line here: `*` within one path segment, and `!`. */
function includedInContext(path: string): boolean {
  const lines = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  let included = true;
  for (const line of lines) {
    const negated = line.startsWith('!');
    const pattern = new RegExp(
      `^${(negated ? line.slice(1) : line).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}(/.*)?$`,
    );
    if (pattern.test(path)) included = negated;
  }
  return included;
}

describe('Dockerfile', () => {
  test('a small Node 20 image that runs as a non-root user', () => {
    assert.equal(dockerfile.from.length, 1, 'one stage: the bundle is built before `docker build`');
    assert.match(dockerfile.from[0], /^node:20-slim$|^gcr\.io\/distroless\/nodejs20/);
    const user = dockerfile.user.at(-1);
    assert.ok(user, 'USER is set');
    assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user} is root`);
  });

  test('copies only the bundled file, which the build context keeps', () => {
    assert.deepEqual(dockerfile.copies, [['dist/kserve-localmodel-fn.js', '/fn/kserve-localmodel-fn.js']]);
    assert.ok(existsSync(join(ROOT, dockerfile.copies[0][0])), 'run npm run build first');
    assert.ok(includedInContext('dist/kserve-localmodel-fn.js'));
    assert.ok(!includedInContext('node_modules/yaml/package.json'));
    assert.ok(!includedInContext('fn/main.ts'));
  });

  test('the ENTRYPOINT, run as the image runs it, is the KRM function on a ResourceList', () => {
    assert.deepEqual(dockerfile.entrypoint, ['node', '/fn/kserve-localmodel-fn.js']);
    const [command, ...args] = (dockerfile.entrypoint as string[]).map((a) => hostPath(dockerfile, a));
    const result = run(command === 'node' ? process.execPath : command, args, { input: resourceListOfExample() });
    assert.equal(result.status, 0, result.stderr);
    const output = parse(result.stdout);
    assert.equal(output.kind, 'ResourceList');
    const jobs = output.items.filter((o: { kind: string }) => o.kind === 'Job');
    assert.equal(jobs.length, 4);
  });

  test('the same ENTRYPOINT with arguments is the render command (the CI and Argo CD forms)', () => {
    const [command, ...args] = (dockerfile.entrypoint as string[]).map((a) => hostPath(dockerfile, a));
    const result = run(command === 'node' ? process.execPath : command, [...args, 'render', 'examples/kustomize'], {
      cwd: ROOT,
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(parseStream(result.stdout).filter((o) => o.kind === 'Job').length, 2);
  });
});
