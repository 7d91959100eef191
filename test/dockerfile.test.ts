// The container image for kpt's `image:` form, the Argo CD sidecar and CI. No Docker engine here:
// the Dockerfile is read, and its ENTRYPOINT runs directly with the image's paths mapped back.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';
import { IMAGE_NODE_VERSION, installedNodes } from '../scripts/nodes';
import { execForm, hostPath, readDockerfile } from './support/dockerfile';
import { EXAMPLES, parseStream, ROOT, run, tempDir } from './support/integrations';

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

/** The image's command as it runs here: image paths mapped to their files, `node` the given Node. */
function hostCommand(words: string[], node: string): [string, string[]] {
  const [command, ...args] = words.map((w) => hostPath(dockerfile, w));
  return [command === 'node' ? node : command, args];
}

/** The build-time run that warms the compile cache: the ENTRYPOINT, printing its usage. */
const WARMING = [...(dockerfile.entrypoint ?? []), '--help'];
const IMAGE_NODE = installedNodes().find((n) => n.version === IMAGE_NODE_VERSION)?.path;
const NO_IMAGE_NODE = `Node ${IMAGE_NODE_VERSION} is not installed: \`node --import tsx scripts/nodes.ts install\` installs it (CI does)`;

describe('Dockerfile', () => {
  test('the newest LTS Node that CI tests, pinned by version, run as a non-root numeric user', () => {
    assert.equal(dockerfile.from.length, 1, 'one stage: the bundle is built before `docker build`');
    const version = /^node:(\d+\.\d+\.\d+)-slim$/.exec(dockerfile.from[0])?.[1];
    assert.equal(version, IMAGE_NODE_VERSION, `FROM ${dockerfile.from[0]}`);
    assert.equal(Number(IMAGE_NODE_VERSION.split('.')[0]) % 2, 0, 'only even Node majors become LTS');
    const user = dockerfile.user.at(-1);
    assert.match(user ?? '', /^\d+:\d+$/, 'USER is numeric, so runAsNonRoot can verify it');
    assert.ok(!/^0:/.test(user ?? ''), `USER ${user} is root`);
  });

  test("the compile cache is warmed at build time by the image's user, in a folder that user owns", () => {
    const cache = dockerfile.env.NODE_COMPILE_CACHE;
    assert.ok(cache, 'ENV NODE_COMPILE_CACHE is set');
    const user = dockerfile.user.at(-1) as string;
    const [uid, gid] = user.split(':');
    assert.ok(
      dockerfile.runs.some((r) => r.user === 'root' && r.command === `install -d -o ${uid} -g ${gid} ${cache}`),
      `a RUN creates ${cache} owned by ${user}`,
    );
    // Node keeps one cache folder per user id: warmed by another user, the cache is never read.
    const warming = dockerfile.runs.filter((r) => isDeepStrictEqual(execForm(r.command), WARMING));
    assert.equal(warming.length, 1, 'one RUN runs the ENTRYPOINT once');
    assert.equal(warming[0].user, user, 'the warming run runs as the image user');
  });

  test("on the image's Node, the ENTRYPOINT reads the compile cache that the warming run wrote", (t) => {
    if (!IMAGE_NODE) return t.skip(NO_IMAGE_NODE);
    const env = { ...process.env, NODE_COMPILE_CACHE: join(tempDir('compile-cache'), 'cache') };
    const warm = run(...hostCommand(WARMING, IMAGE_NODE), { env });
    assert.equal(warm.status, 0, warm.stderr);
    assert.ok(readdirSync(env.NODE_COMPILE_CACHE).length > 0, 'the warming run wrote a cache');
    const result = run(...hostCommand(dockerfile.entrypoint as string[], IMAGE_NODE), {
      env: { ...env, NODE_DEBUG_NATIVE: 'COMPILE_CACHE' },
      input: resourceListOfExample(),
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /V8 code cache for CommonJS \S*kserve-localmodel-fn\.js was accepted/);
    assert.equal(parse(result.stdout).items.filter((o: { kind: string }) => o.kind === 'Job').length, 4);
  });

  test('copies only the bundled file, which the build context keeps', () => {
    assert.deepEqual(dockerfile.copies, [['dist/kserve-localmodel-fn.js', '/fn/kserve-localmodel-fn.js']]);
    assert.ok(existsSync(join(ROOT, dockerfile.copies[0][0])), 'run npm run build first');
    assert.ok(includedInContext('dist/kserve-localmodel-fn.js'));
    assert.ok(!includedInContext('node_modules/yaml/package.json'));
    assert.ok(!includedInContext('fn/main.ts'));
  });

  test("the ENTRYPOINT runs the bundled file, the package's bin, with Node as a non-root user", () => {
    const [node, script, ...rest] = dockerfile.entrypoint ?? [];
    assert.equal(node, 'node');
    assert.deepEqual(rest, []);
    const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.deepEqual(
      dockerfile.copies.find(([, destination]) => destination === script),
      [bin['kserve-localmodel-fn'], script],
      `${script} is a copy of the bin the npm package runs`,
    );
    assert.notEqual(dockerfile.user.at(-1)?.split(':')[0], '0', 'the last USER is not root');
    assert.notEqual(dockerfile.user.at(-1)?.split(':')[0], 'root');
  });

  test('the ENTRYPOINT, run as the image runs it, is the KRM function on a ResourceList', () => {
    assert.deepEqual(dockerfile.entrypoint, ['node', '/fn/kserve-localmodel-fn.js']);
    const result = run(...hostCommand(dockerfile.entrypoint as string[], IMAGE_NODE ?? process.execPath), {
      input: resourceListOfExample(),
    });
    assert.equal(result.status, 0, result.stderr);
    const output = parse(result.stdout);
    assert.equal(output.kind, 'ResourceList');
    const jobs = output.items.filter((o: { kind: string }) => o.kind === 'Job');
    assert.equal(jobs.length, 4);
  });

  test('the same ENTRYPOINT with arguments is the render command (the CI and Argo CD forms)', () => {
    const [command, args] = hostCommand(dockerfile.entrypoint as string[], IMAGE_NODE ?? process.execPath);
    const result = run(command, [...args, 'render', 'examples/kustomize'], { cwd: ROOT });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(parseStream(result.stdout).filter((o) => o.kind === 'Job').length, 2);
  });
});
