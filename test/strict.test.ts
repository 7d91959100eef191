// Strict mode: `--strict` on every render form, `strict: true` in the function config (either form, in
// KRM mode too), and the Argo CD parameter and env make every warning an error: exit 1 and nothing
// printed or written. Infos never fail.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { fnConfigMap } from './support/fixtures';
import { runInProcess } from './support/in-process';
import { copyToTemp, EXAMPLES, editFile, parseStream, tempDir } from './support/integrations';

const QUICKSTART = join(EXAMPLES, 'quickstart');
const STRICT = /strict mode makes this warning an error/;

/** The quickstart with a typo in the node group's label key: the group matches no node (a warning). */
function withLabelTypo(): string {
  const dir = copyToTemp(QUICKSTART, 'strict');
  editFile(join(dir, 'nodegroup.yaml'), 'key: node-type', 'key: node-typ');
  return dir;
}

const setFnConfig = (dir: string, line: string) => {
  const path = join(dir, 'fn-config.yaml');
  writeFileSync(path, `${readFileSync(path, 'utf8').trimEnd()}\n  ${line}\n`);
};

describe('without strict mode a warning passes; with it, it fails', () => {
  test('render: exit 0 with the warning, exit 1 and nothing printed under --strict', async () => {
    const dir = withLabelTypo();
    const lenient = await runInProcess(['render', dir]);
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.match(lenient.stderr, /^warning: LocalModelNodeGroup workers .*matches none of the 3 nodes/m);
    assert.equal(parseStream(lenient.stdout).filter((o) => o.kind === 'Job').length, 0);

    const strict = await runInProcess(['render', dir, '--strict']);
    assert.equal(strict.status, 1);
    assert.equal(strict.stdout, '');
    assert.match(strict.stderr, /^error: LocalModelNodeGroup workers .*matches none of the 3 nodes/m);
    assert.match(strict.stderr, STRICT);
    assert.doesNotMatch(strict.stderr, /^summary:/m, 'no summary of manifests that are not printed');
  });

  test('render --out --strict writes nothing; --check --strict fails even when OUT is up to date', async () => {
    const dir = withLabelTypo();
    const out = join(tempDir('strict-out'), 'rendered');
    const refused = await runInProcess(['render', dir, '--out', out, '--strict']);
    assert.equal(refused.status, 1);
    assert.equal(existsSync(out), false);

    assert.equal((await runInProcess(['render', dir, '--out', out])).status, 0);
    assert.equal((await runInProcess(['render', dir, '--out', out, '--check'])).status, 0);
    const gate = await runInProcess(['render', dir, '--out', out, '--check', '--strict']);
    assert.equal(gate.status, 1);
    assert.match(gate.stderr, STRICT);
  });

  test('strict: true in the package function config is the same as --strict', async () => {
    const dir = withLabelTypo();
    setFnConfig(dir, 'strict: true');
    const result = await runInProcess(['render', dir]);
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, STRICT);
  });

  test('KRM mode: strict in the function config (typed kind, or kpt ConfigMap "true") gives exit 1 and no generated item', async () => {
    const dir = withLabelTypo();
    // A second group that does match: without strict mode it gets Jobs; under strict mode nothing is generated.
    const items = ['nodes.yaml', 'nodegroup.yaml', 'localmodelcache.yaml', 'credentials.yaml'].flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split(/^---$/m)
        .map((d) => parse(d)),
    );
    const group = items.find((o) => o.kind === 'LocalModelNodeGroup');
    items.push({
      ...structuredClone(group),
      metadata: { name: 'gpus' },
      spec: {
        ...structuredClone(group.spec),
        persistentVolumeSpec: {
          ...structuredClone(group.spec.persistentVolumeSpec),
          nodeAffinity: {
            required: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: 'node-type', operator: 'In', values: ['gpu'] }] }],
            },
          },
        },
      },
    });
    items.find((o) => o.kind === 'LocalModelCache').spec.nodeGroups = ['workers', 'gpus'];
    const run = (functionConfig: object) =>
      runInProcess([], {
        input: JSON.stringify({ apiVersion: 'config.kubernetes.io/v1', kind: 'ResourceList', items, functionConfig }),
      });
    const typed = (strict: boolean) => ({
      apiVersion: 'fn.kserve-localmodel.dev/v1alpha1',
      kind: 'LocalModelFnConfig',
      metadata: { name: 'fn' },
      spec: { strict },
    });
    const kinds = (stdout: string) => parse(stdout).items.map((o: { kind: string }) => o.kind);

    const lenient = await run(typed(false));
    assert.equal(lenient.status, 0, lenient.stderr);
    assert.ok(kinds(lenient.stdout).includes('Job'));
    for (const config of [typed(true), fnConfigMap({ strict: 'true' })]) {
      const strict = await run(config);
      assert.equal(strict.status, 1, config.kind);
      assert.equal(kinds(strict.stdout).includes('Job'), false, 'never partial manifests');
      const results = parse(strict.stdout).results as { severity: string; message: string }[];
      assert.ok(results.some((r) => r.severity === 'error' && STRICT.test(r.message)));
      assert.ok(!results.some((r) => r.severity === 'warning'));
    }
  });

  test('Argo CD: the strict parameter and STRICT env turn the sync into a failure', async () => {
    const dir = withLabelTypo();
    const byParameter = await runInProcess(['render', '--argocd', dir], {
      env: { ARGOCD_APP_PARAMETERS: '[{"name": "strict", "string": "true"}]' },
    });
    assert.equal(byParameter.status, 1);
    assert.equal(byParameter.stdout, '');
    const byEnv = await runInProcess(['render', '--argocd', dir], { env: { ARGOCD_ENV_STRICT: 'true' } });
    assert.equal(byEnv.status, 1);
    assert.match(byEnv.stderr, STRICT);
    const off = await runInProcess(['render', '--argocd', dir], { env: { ARGOCD_ENV_STRICT: 'false' } });
    assert.equal(off.status, 0);
  });
});

test('infos never fail, even under --strict', async () => {
  const dir = copyToTemp(QUICKSTART, 'strict-info');
  writeFileSync(
    join(dir, 'inferenceservice-config.yaml'),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: inferenceservice-config
  namespace: kserve
data:
  localModel: '{"enabled":true,"jobNamespace":"kserve-localmodel-jobs","jobTTLSecondsAfterFinished":3600}'
`,
  );
  const result = await runInProcess(['render', dir, '--strict']);
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stderr,
    /^info: ConfigMap kserve\/inferenceservice-config data\.localModel: jobTTLSecondsAfterFinished/m,
  );
  assert.equal(parseStream(result.stdout).filter((o) => o.kind === 'Job').length, 2);
});
