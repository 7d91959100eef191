// Argo CD's Config Management Plugin. No argocd binary here: the plugin's generate command runs the
// way the sidecar runs it (in the Application's folder, with Argo CD's environment), and the contract
// is checked on what comes out: stdout, stderr and the exit code. The command itself runs for the plain
// stream and the pipe; the other checks give its arguments to the command line in process.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ARGOCD_PARAMETERS, argocdOverrides } from '../fn/inputs/argocd-parameters';
import { DEFAULT_FN_CONFIG, parseFnConfig, withOverrides } from '../fn/inputs/fn-config';
import { formatResult } from '../fn/krm/results';
import { renderDir } from '../fn/modes/render';
import { hostPath, readDockerfile } from './support/dockerfile';
import type { InProcessResult } from './support/in-process';
import { runInProcess } from './support/in-process';
import type { Manifest } from './support/integrations';
import { copyToTemp, EXAMPLES, editFile, parseStream, ROOT, run, tempDir } from './support/integrations';
import { fullSuiteOnly } from './support/scope';

const EXAMPLE = join(EXAMPLES, 'argocd');
const plugin = parse(readFileSync(join(EXAMPLE, 'plugin.yaml'), 'utf8'));
const application = parse(readFileSync(join(EXAMPLE, 'application.yaml'), 'utf8'));

interface PluginEnv {
  name: string;
  value: string;
}

/** What Argo CD puts in the environment of `generate` for this Application. */
function argoEnvironment(app: typeof application, overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const source = app.spec.source;
  const env: NodeJS.ProcessEnv = {
    // The sidecar's own environment: only what its image has.
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: tempDir('home'),
    ARGOCD_APP_NAME: app.metadata.name,
    ARGOCD_APP_NAMESPACE: app.spec.destination.namespace,
    ARGOCD_APP_REVISION: '6f1c2a9d0e4b7c3a5f8e1d2c4b6a8f0e2d4c6b8a',
    ARGOCD_APP_SOURCE_PATH: source.path,
    ARGOCD_APP_SOURCE_REPO_URL: source.repoURL,
    ARGOCD_APP_SOURCE_TARGET_REVISION: source.targetRevision,
    KUBE_VERSION: '1.31.0',
    KUBE_API_VERSIONS: 'v1,apps/v1,batch/v1,serving.kserve.io/v1alpha1,serving.kserve.io/v1beta1',
  };
  for (const e of (source.plugin.env ?? []) as PluginEnv[]) env[`ARGOCD_ENV_${e.name}`] = e.value;
  if (source.plugin.parameters) env.ARGOCD_APP_PARAMETERS = JSON.stringify(source.plugin.parameters);
  return { ...env, ...overrides };
}

/** plugin.yaml's generate command, with the image's paths mapped to this checkout. */
function generate(appDir: string, env: NodeJS.ProcessEnv) {
  const dockerfile = readDockerfile();
  const [command, ...args] = [...plugin.spec.generate.command, ...(plugin.spec.generate.args ?? [])].map((a: string) =>
    hostPath(dockerfile, a),
  );
  return run(command, args, { cwd: appDir, env });
}

/** The same command in process: it runs the bundle of the image, so its arguments are the command line's. */
function generateInProcess(appDir: string, env: NodeJS.ProcessEnv): Promise<InProcessResult> {
  const [node, script, ...args] = [...plugin.spec.generate.command, ...(plugin.spec.generate.args ?? [])];
  assert.deepEqual([node, hostPath(readDockerfile(), script)], ['node', join(ROOT, 'dist', 'kserve-localmodel-fn.js')]);
  return runInProcess(args, { cwd: appDir, env });
}

const isLocalConfig = (o: Manifest) => o.metadata?.annotations?.['config.kubernetes.io/local-config'] === 'true';

describe('Argo CD parameters → function config (pure)', () => {
  test('plugin.env arrives as ARGOCD_ENV_<NAME>, typed like the config fields', () => {
    const { spec, results } = argocdOverrides({
      ARGOCD_ENV_JOB_TTL_SECONDS_AFTER_FINISHED: '86400',
      ARGOCD_ENV_RUN_AS_SERVICE_ACCOUNT: 'false',
      ARGOCD_ENV_TOLERATIONS: '[{key: nvidia.com/gpu, operator: Exists}]',
      ARGOCD_APP_NAME: 'not ours to read',
    });
    assert.deepEqual(results, []);
    assert.deepEqual(spec, {
      jobTTLSecondsAfterFinished: 86400,
      runAsServiceAccount: false,
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }],
    });
  });

  test('ARGOCD_APP_PARAMETERS: string values, and array values with one YAML mapping per item', () => {
    const { spec, results } = argocdOverrides({
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'jobTTLSecondsAfterFinished', string: '600' },
        {
          name: 'servingNamespaces',
          array: [
            '{namespace: team-a, cache: llama3}',
            '{"namespace": "team-b", "cache": "llama3", "nodeGroup": "gpu"}',
          ],
        },
        { name: 'nodes', string: '- {name: gpu-1, labels: {pool: gpu}}' },
      ]),
    });
    assert.deepEqual(results, []);
    assert.deepEqual(spec, {
      jobTTLSecondsAfterFinished: 600,
      servingNamespaces: [
        { namespace: 'team-a', cache: 'llama3' },
        { namespace: 'team-b', cache: 'llama3', nodeGroup: 'gpu' },
      ],
      nodes: [{ name: 'gpu-1', labels: { pool: 'gpu' } }],
    });
  });

  test('a parameter wins over the env of the same field; an empty value leaves the package setting', () => {
    const { spec } = argocdOverrides({
      ARGOCD_ENV_RUN_AS_SERVICE_ACCOUNT: 'false',
      ARGOCD_ENV_JOB_TTL_SECONDS_AFTER_FINISHED: '',
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'runAsServiceAccount', string: 'true' },
        { name: 'tolerations', string: '' },
      ]),
    });
    assert.deepEqual(spec, { runAsServiceAccount: true });
  });

  test('every function config field but outputDir is a parameter, typed as its schema types it', () => {
    const schema = JSON.parse(readFileSync(join(EXAMPLES, '..', 'schemas', 'function-config.json'), 'utf8'));
    const fields = schema.properties.spec.properties as Record<string, { type?: string; minimum?: number }>;
    const expectedType = (f: { type?: string; minimum?: number }) =>
      f.type === undefined
        ? 'count-or-text'
        : f.type === 'integer'
          ? (f.minimum ?? 0) < 0
            ? 'signed-integer'
            : 'integer'
          : ({ string: 'text', boolean: 'boolean', array: 'list', object: 'mapping' } as Record<string, string>)[
              f.type
            ];
    const expected = Object.entries(fields)
      .filter(([name]) => name !== 'outputDir')
      .map(([name, f]) => [name, expectedType(f)]);
    assert.deepEqual(
      ARGOCD_PARAMETERS.map((p) => [p.name, p.type]).sort(),
      expected.sort(),
      'a new config field needs its parameter',
    );
    const envNames = ARGOCD_PARAMETERS.map((p) => p.env);
    for (const p of ARGOCD_PARAMETERS)
      assert.equal(
        p.env,
        p.name.replace(/([a-z])(?=[A-Z])|([A-Z])(?=[A-Z][a-z])/g, '$1$2_').toUpperCase(),
        `env name of ${p.name}`,
      );
    assert.equal(new Set(envNames).size, envNames.length);
  });

  test('nodeGroupTolerations, createJobNamespace and argocdSyncWave: as a map, a string, a negative number', () => {
    const gpu = [{ key: 'nvidia.com/gpu', operator: 'Exists' }];
    const fromParameters = argocdOverrides({
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'nodeGroupTolerations', map: { gpu: '[{key: nvidia.com/gpu, operator: Exists}]' } },
        { name: 'createJobNamespace', string: 'true' },
        { name: 'argocdSyncWave', string: '-1' },
      ]),
    });
    assert.deepEqual(fromParameters.results, []);
    assert.deepEqual(fromParameters.spec, {
      nodeGroupTolerations: { gpu },
      createJobNamespace: true,
      argocdSyncWave: -1,
    });
    const fromEnv = argocdOverrides({
      ARGOCD_ENV_NODE_GROUP_TOLERATIONS: '{gpu: [{key: nvidia.com/gpu, operator: Exists}]}',
      ARGOCD_ENV_ARGOCD_SYNC_WAVE: '-2',
    });
    assert.deepEqual(fromEnv.results, []);
    assert.deepEqual(fromEnv.spec, { nodeGroupTolerations: { gpu }, argocdSyncWave: -2 });
    const wrong = argocdOverrides({
      ARGOCD_ENV_NODE_GROUP_TOLERATIONS: '[{key: a}]',
      ARGOCD_ENV_JOB_BACKOFF_LIMIT: '-1',
      ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: 'nodeGroupTolerations', map: { gpu: '{key: a}' } }]),
    });
    assert.deepEqual(
      wrong.results.map((r) => `${r.field?.path}: ${r.message}`),
      [
        'ARGOCD_ENV_JOB_BACKOFF_LIMIT: ARGOCD_ENV_JOB_BACKOFF_LIMIT must be a whole number, e.g. "86400" (seconds for a time); got "-1"',
        'ARGOCD_ENV_NODE_GROUP_TOLERATIONS: ARGOCD_ENV_NODE_GROUP_TOLERATIONS must be a YAML or JSON mapping from node group to a list of tolerations, e.g. {gpu-a100: [{key: nvidia.com/gpu, operator: Exists}]}; got "[{key: a}]"',
        'ARGOCD_APP_PARAMETERS[0]: parameter "nodeGroupTolerations" key "gpu" must be a YAML or JSON list, e.g. [{key: nvidia.com/gpu, operator: Exists}]; got "{key: a}"',
      ],
    );
  });

  test('maxUnavailable of 0 or below: the message says what is allowed', () => {
    for (const value of ['0', '-1']) {
      const { results } = argocdOverrides({ ARGOCD_ENV_MAX_UNAVAILABLE: value });
      assert.deepEqual(
        results.map((r) => r.message),
        [
          `ARGOCD_ENV_MAX_UNAVAILABLE must be a number of nodes, at least 1, or a percentage, e.g. "2" or "10%"; got "${value}"`,
        ],
      );
    }
  });

  test('a value the function config rejects is reported under its parameter or variable, not the package file', () => {
    const render = (env: Record<string, string>) =>
      renderDir({ dir: join(EXAMPLE, 'app'), argocd: true, check: false, allowEmpty: false, strict: false }, env)
        .results.filter((r) => r.severity === 'error')
        .map(formatResult);
    assert.deepEqual(render({ ARGOCD_ENV_DOWNLOAD_MODE: 'nightly' }), [
      'error: ARGOCD_ENV_DOWNLOAD_MODE: expected one of "jobs", "daemonset", got "nightly" (set by the Application\'s plugin.env DOWNLOAD_MODE)',
    ]);
    const tolerations = render({
      ARGOCD_APP_PARAMETERS: JSON.stringify([
        { name: 'strict', string: 'false' },
        { name: 'tolerations', array: ['{key: nvidia.com/gpu, operator: Equals}'] },
      ]),
    });
    assert.ok(tolerations.length > 0);
    for (const line of tolerations) {
      assert.match(line, /^error: parameter tolerations\[0\]\.operator: /);
      assert.match(line, /\(set by the Application's plugin parameter "tolerations", ARGOCD_APP_PARAMETERS\[1\]\)$/);
      assert.doesNotMatch(line, /fn-config\.yaml|LocalModelFnConfig/);
    }
    // A field the Application did not set is still the package's, with its file.
    const appDir = copyToTemp(join(EXAMPLE, 'app'), 'argocd-own');
    editFile(join(appDir, 'fn-config.yaml'), 'argocdSyncWave: -1', 'argocdSyncWave: soon');
    const own = renderDir(
      { dir: appDir, argocd: true, check: false, allowEmpty: false, strict: false },
      {
        ARGOCD_ENV_DOWNLOAD_MODE: 'daemonset',
      },
    );
    assert.deepEqual(own.results.filter((r) => r.severity === 'error').map(formatResult), [
      'error: LocalModelFnConfig kserve-localmodel-fn spec.argocdSyncWave: expected an integer, got "soon" (fn-config.yaml)',
    ]);
  });

  test('every mistake is an error naming the variable and what to write instead', () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [
        { ARGOCD_ENV_JOB_TTL: '60' },
        'ARGOCD_ENV_JOB_TTL',
        /not a setting of this plugin.*JOB_TTL_SECONDS_AFTER_FINISHED/,
      ],
      [
        { ARGOCD_ENV_JOB_TTL_SECONDS_AFTER_FINISHED: '1h' },
        'ARGOCD_ENV_JOB_TTL_SECONDS_AFTER_FINISHED',
        /whole number, e\.g\. "86400" \(seconds for a time\); got "1h"/,
      ],
      [
        { ARGOCD_ENV_JOB_TTL_SECONDS_AFTER_FINISHED: '99999999999' },
        'ARGOCD_ENV_JOB_TTL_SECONDS_AFTER_FINISHED',
        /whole number/,
      ],
      [
        { ARGOCD_ENV_RUN_AS_SERVICE_ACCOUNT: 'yes' },
        'ARGOCD_ENV_RUN_AS_SERVICE_ACCOUNT',
        /"true" or "false"; got "yes"/,
      ],
      [{ ARGOCD_ENV_NODES: 'gpu-1, gpu-2' }, 'ARGOCD_ENV_NODES', /list of mappings/],
      [{ ARGOCD_APP_PARAMETERS: '[{name: x}]' }, 'ARGOCD_APP_PARAMETERS', /not JSON/],
      [{ ARGOCD_APP_PARAMETERS: '{"name": "nodes"}' }, 'ARGOCD_APP_PARAMETERS', /must be a JSON list/],
      [
        { ARGOCD_APP_PARAMETERS: '[{"name": "outputDir", "string": "x"}]' },
        'ARGOCD_APP_PARAMETERS[0]',
        /"outputDir" is not a parameter of this plugin/,
      ],
      [
        { ARGOCD_APP_PARAMETERS: '[{"name": "tolerations", "map": {"a": "b"}}]' },
        'ARGOCD_APP_PARAMETERS[0]',
        /is a map; give an array of YAML mappings/,
      ],
      [
        { ARGOCD_APP_PARAMETERS: '[{"name": "runAsServiceAccount", "array": ["true"]}]' },
        'ARGOCD_APP_PARAMETERS[0]',
        /is an array; give one string/,
      ],
      [
        { ARGOCD_APP_PARAMETERS: '[{"name": "servingNamespaces", "array": ["team-a"]}]' },
        'ARGOCD_APP_PARAMETERS[0]',
        /item 0 must be a YAML or JSON mapping/,
      ],
    ];
    for (const [env, path, message] of cases) {
      const { spec, results } = argocdOverrides(env);
      assert.equal(results.length, 1, JSON.stringify(env));
      assert.equal(results[0].severity, 'error');
      assert.equal(results[0].field?.path, path);
      assert.match(results[0].message, message);
      assert.deepEqual(spec, {}, 'a rejected value never half-applies');
    }
  });

  test('overrides replace fields of the package config and keep its identity; without one a local-config object is made', () => {
    const base = {
      apiVersion: 'fn.kserve-localmodel.dev/v1alpha1',
      kind: 'LocalModelFnConfig',
      metadata: { name: 'mine' },
      spec: { outputDir: 'out', servingNamespaces: [{ namespace: 'a', cache: 'c' }] },
    };
    const merged = withOverrides(base, { servingNamespaces: [] });
    assert.deepEqual(merged, { ...base, spec: { outputDir: 'out', servingNamespaces: [] } });
    assert.deepEqual(base.spec.servingNamespaces, [{ namespace: 'a', cache: 'c' }], 'the input object is not changed');
    const made = withOverrides(undefined, { runAsServiceAccount: false });
    assert.equal(made.metadata?.annotations?.['config.kubernetes.io/local-config'], 'true');
    assert.equal(parseFnConfig(made).config.runAsServiceAccount, false);
  });

  test('plugin.yaml announces exactly these parameters, with the defaults the function applies', () => {
    const announced = plugin.spec.parameters.static as { name: string; string?: string; collectionType?: string }[];
    assert.deepEqual(announced.map((p) => p.name).sort(), ARGOCD_PARAMETERS.map((p) => p.name).sort());
    for (const p of announced) {
      const type = ARGOCD_PARAMETERS.find((a) => a.name === p.name)?.type;
      const collection = type === 'list' ? 'array' : type === 'mapping' ? 'map' : 'string';
      assert.equal(p.collectionType ?? 'string', collection, p.name);
      if (p.string === undefined) continue;
      const { spec } = argocdOverrides({ ARGOCD_APP_PARAMETERS: JSON.stringify([{ name: p.name, string: p.string }]) });
      assert.deepEqual(
        spec[p.name],
        DEFAULT_FN_CONFIG[p.name as keyof typeof DEFAULT_FN_CONFIG],
        `announced default of ${p.name}`,
      );
    }
  });
});

describe('the plugin, run the way the sidecar runs it', () => {
  test('generate prints a plain multi-document stream: the manifests, no ResourceList, no local-config, no function config', {
    skip: fullSuiteOnly,
  }, () => {
    const appDir = join(EXAMPLES, '..', application.spec.source.path);
    const result = generate(appDir, argoEnvironment(application));
    assert.equal(result.status, 0, result.stderr);
    const objects = parseStream(result.stdout);
    assert.equal(objects.filter((o) => o.kind === 'ResourceList').length, 0);
    assert.deepEqual(
      objects.filter(isLocalConfig).map((o) => o.kind),
      [],
    );
    assert.deepEqual(
      objects.filter((o) => o.kind === 'LocalModelFnConfig' || o.kind === 'Node'),
      [],
    );
    assert.equal(objects.filter((o) => o.kind === 'Job').length, 2);
    // The Application's servingNamespaces parameter replaced the package's list (team-b).
    const servingClaims = objects
      .filter((o) => o.kind === 'PersistentVolumeClaim')
      .map((o) => o.metadata?.namespace)
      .sort();
    assert.deepEqual(servingClaims, ['kserve-localmodel-jobs', 'team-a', 'team-c']);
    assert.match(
      result.stderr,
      /node group gpu: 1 model, 2 nodes, 2 download Jobs, storage 17Gi of 150Gi storageLimit \(11%\)/,
    );
  });

  test('an empty array parameter leaves the package list; the string "[]" clears it', async () => {
    const claimsWith = async (parameters: unknown[]) => {
      const env = argoEnvironment(application, { ARGOCD_APP_PARAMETERS: JSON.stringify(parameters) });
      const result = await generateInProcess(join(EXAMPLES, '..', application.spec.source.path), env);
      assert.equal(result.status, 0, result.stderr);
      return parseStream(result.stdout)
        .filter((o) => o.kind === 'PersistentVolumeClaim')
        .map((o) => o.metadata?.namespace)
        .sort();
    };
    assert.deepEqual(await claimsWith([{ name: 'servingNamespaces', array: [] }]), [
      'kserve-localmodel-jobs',
      'team-a',
      'team-b',
    ]);
    assert.deepEqual(await claimsWith([{ name: 'servingNamespaces', string: '[]' }]), [
      'kserve-localmodel-jobs',
      'team-a',
    ]);
  });

  test('an error in the package: exit 1, nothing on stdout, the message on stderr', async () => {
    const appDir = copyToTemp(join(EXAMPLE, 'app'), 'argocd');
    writeFileSync(join(appDir, 'nodegroup.yaml'), '');
    const result = await generateInProcess(appDir, argoEnvironment(application));
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /names node group "gpu", which is not in the input/);
  });

  test('nothing to apply is an error, never an empty success that auto-prune would act on', async () => {
    const appDir = tempDir('argocd-empty');
    mkdirSync(join(appDir, 'docs'));
    writeFileSync(join(appDir, 'docs', 'README.md'), '# not a manifest\n');
    const result = await generateInProcess(appDir, argoEnvironment(application, { ARGOCD_APP_PARAMETERS: '' }));
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /nothing to apply: .*Argo CD or Flux would prune every object/);
    const allowed = await runInProcess(['render', appDir, '--allow-empty']);
    assert.equal(allowed.status, 0, 'asked for explicitly, an empty result succeeds');
    assert.equal(allowed.stdout, '');
    assert.match(allowed.stderr, /^warning: nothing to apply \(--allow-empty\)/);
  });

  test('a bad parameter from the Application: exit 1 before anything is rendered', async () => {
    const result = await generateInProcess(
      join(EXAMPLE, 'app'),
      argoEnvironment(application, {
        ARGOCD_APP_PARAMETERS: '[{"name": "jobTTLSecondsAfterFinished", "string": "one day"}]',
      }),
    );
    assert.equal(result.status, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^error: ARGOCD_APP_PARAMETERS\[0\]: parameter "jobTTLSecondsAfterFinished" must be a whole number/m,
    );
  });

  test('output far past 64 KiB reaches the other end of the pipe whole', { skip: fullSuiteOnly }, () => {
    const appDir = copyToTemp(join(EXAMPLE, 'app'), 'argocd-large');
    const nodes = Array.from(
      { length: 400 },
      (_, i) =>
        `---\napiVersion: v1\nkind: Node\nmetadata:\n  name: gpu-${String(i).padStart(3, '0')}\n  labels: {pool: gpu}\n  annotations: {config.kubernetes.io/local-config: "true"}\n`,
    ).join('');
    writeFileSync(join(appDir, 'nodes.yaml'), nodes);
    const result = generate(appDir, argoEnvironment(application));
    assert.equal(result.status, 0, result.stderr);
    assert.ok(Buffer.byteLength(result.stdout) > 4 * 64 * 1024, `only ${Buffer.byteLength(result.stdout)} bytes`);
    const objects = parseStream(result.stdout);
    assert.equal(objects.filter((o) => o.kind === 'Job').length, 400);
    assert.ok(result.stdout.endsWith('\n'));
  });

  test('the repo-server patch runs argocd-cmp-server as user 999 with plugin.yaml where the sidecar reads it', () => {
    const patch = parse(readFileSync(join(EXAMPLE, 'repo-server-patch.yaml'), 'utf8'));
    const [sidecar] = patch.spec.template.spec.containers;
    assert.deepEqual(sidecar.command, ['/var/run/argocd/argocd-cmp-server']);
    assert.equal(sidecar.securityContext.runAsUser, 999);
    const config = sidecar.volumeMounts.find(
      (m: { mountPath: string }) => m.mountPath === '/home/argocd/cmp-server/config/plugin.yaml',
    );
    assert.equal(config?.subPath, 'plugin.yaml');
    const volume = patch.spec.template.spec.volumes.find((v: { name: string }) => v.name === config.name);
    assert.equal(volume?.configMap?.name, 'kserve-localmodel-fn-plugin');
    assert.ok(
      readDockerfile().copies.some(([, to]) => plugin.spec.generate.command.includes(to)),
      'generate runs the file the image holds',
    );
    assert.equal(application.spec.source.plugin.name, `${plugin.metadata.name}-${plugin.spec.version}`);
  });
});
