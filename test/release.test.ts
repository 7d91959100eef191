// The release: the workflow files validate against GitHub's workflow schema (@action-validator/cli,
// which carries the schema inside its WebAssembly build, so it needs no network), the release workflow
// does each step docs/install.md promises, and its shell steps, run here, do what they say.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { ROOT, run, tempDir } from './support/integrations';

const WORKFLOWS = join(ROOT, '.github', 'workflows');
const VALIDATOR = join(ROOT, 'node_modules', '@action-validator', 'cli', 'cli.mjs');
const RELEASE = join(WORKFLOWS, 'release.yml');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  permissions?: Record<string, string>;
  steps: Step[];
}
const workflow = parse(readFileSync(RELEASE, 'utf8')) as {
  on: { push: { tags: string[]; branches?: unknown } };
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
};
const { jobs } = workflow;

const validate = (path: string) => run(process.execPath, [VALIDATOR, path]);
const stepNamed = (job: Job, name: string): Step => {
  const step = job.steps.find((s) => s.name === name);
  assert.ok(step?.run, `a step "${name}" with a run script`);
  return step;
};
const needs = (job: Job): string[] => [job.needs ?? []].flat();

/** A workflow step's script as GitHub runs it (bash -e), in `cwd`, with the env a tag push gives it. */
const runStep = (step: Step, cwd: string, env: Record<string, string>) =>
  run('bash', ['-e', '-c', step.run as string], {
    cwd,
    env: {
      PATH: process.env.PATH,
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_REPOSITORY: 'owner/kserve-localmodel-fn',
      ...env,
    },
  });

describe('workflow files', () => {
  test('every workflow validates against the workflow schema', () => {
    const files = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.includes('release.yml'));
    for (const file of files) {
      const result = validate(join(WORKFLOWS, file));
      assert.equal(result.status, 0, `${file}: ${result.stdout}${result.stderr}`);
    }
  });

  test('the validator refuses a workflow with a misspelt key, naming it', () => {
    const broken = join(tempDir('workflow'), 'release.yml');
    writeFileSync(broken, readFileSync(RELEASE, 'utf8').replace('runs-on: ubuntu-24.04', 'run-on: ubuntu-24.04'));
    const result = validate(broken);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /Additional property 'run-on' is not allowed/);
  });
});

describe('release.yml', () => {
  test('runs on version tags only, with no permission but what each job asks for', () => {
    assert.deepEqual(Object.keys(workflow.on), ['push']);
    assert.equal(workflow.on.push.branches, undefined);
    assert.ok(workflow.on.push.tags.every((t) => t.startsWith('v[0-9]+.')));
    assert.deepEqual(workflow.permissions, {});
  });

  test('tests with .ci/run first; image and npm package only after it, the release after both', () => {
    assert.ok(jobs.test.steps.some((s) => s.run === 'bash .ci/run'));
    assert.deepEqual(needs(jobs.image), ['test']);
    assert.deepEqual(needs(jobs.npm), ['test']);
    assert.deepEqual(needs(jobs.release).sort(), ['image', 'npm']);
  });

  test('builds for amd64 and arm64, pushes to the owner’s GitHub registry, with SBOM, provenance and a cosign signature', () => {
    const image = jobs.image;
    assert.equal(image.permissions?.packages, 'write');
    assert.equal(image.permissions?.['id-token'], 'write', 'keyless signing needs the OIDC token');
    assert.match(stepNamed(image, 'Image name').run as string, /ghcr\.io\/\$\{GITHUB_REPOSITORY_OWNER,,\}\//);
    const push = image.steps.find((s) => s.uses?.startsWith('docker/build-push-action@'));
    assert.ok(push?.with);
    assert.deepEqual(String(push.with.platforms).split(','), ['linux/amd64', 'linux/arm64']);
    assert.equal(push.with.push, true);
    assert.equal(push.with.sbom, true);
    assert.equal(push.with.provenance, 'mode=max');
    assert.match(
      stepNamed(image, 'Sign the image keylessly').run as string,
      /^cosign sign --yes "\$\{\{ steps\.name\.outputs\.image \}\}@\$\{\{ steps\.push\.outputs\.digest \}\}"$/,
    );
  });

  test('publishes to npm with provenance, through the job’s OIDC identity', () => {
    assert.equal(jobs.npm.permissions?.['id-token'], 'write');
    const publish = stepNamed(jobs.npm, 'Publish (a pre-release under the tag next)').run as string;
    assert.match(publish, /npm publish --provenance --access public --tag next/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    assert.equal(pkg.private, undefined, 'a private package cannot be published');
    assert.deepEqual(pkg.publishConfig, { access: 'public', provenance: true });
  });

  test('the tag must be v + the version in package.json, with a released CHANGELOG section', () => {
    const step = stepNamed(jobs.test, 'The tag is the version in package.json');
    const dir = tempDir('release-tag');
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    const changelog = readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8');
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      changelog.replace(`## ${version} (unreleased)`, `## ${version} (2026-12-01)`),
    );
    assert.equal(runStep(step, dir, { GITHUB_REF_NAME: `v${version}` }).status, 0);

    const wrongTag = runStep(step, dir, { GITHUB_REF_NAME: 'v99.0.0' });
    assert.equal(wrongTag.status, 1);
    assert.match(wrongTag.stdout, new RegExp(`tag v99\\.0\\.0 is not v${version.replace(/\./g, '\\.')}`));

    writeFileSync(join(dir, 'CHANGELOG.md'), changelog);
    if (changelog.includes(`## ${version} (unreleased)`)) {
      const unreleased = runStep(step, dir, { GITHUB_REF_NAME: `v${version}` });
      assert.equal(unreleased.status, 1);
      assert.match(unreleased.stdout, /still calls .* unreleased/);
    }
  });

  test("the release notes are the CHANGELOG's section of the version and the image digest", () => {
    const step = stepNamed(jobs.release, 'Release notes, with the image digest');
    const dir = tempDir('release-notes');
    writeFileSync(
      join(dir, 'CHANGELOG.md'),
      '# Changelog\n\nintro\n\n## 1.2.0 (2026-12-01)\n\n- new\n\n## 1.1.0 (2026-11-01)\n\n- old\n',
    );
    const digest = `sha256:${'ab'.repeat(32)}`;
    const result = runStep(step, dir, {
      GITHUB_REF_NAME: 'v1.2.0',
      GITHUB_REF: 'refs/tags/v1.2.0',
      IMAGE: 'ghcr.io/owner/kserve-localmodel-fn',
      DIGEST: digest,
    });
    assert.equal(result.status, 0, result.stderr);
    const notes = readFileSync(join(dir, 'notes.md'), 'utf8');
    assert.match(notes, /^- new\n\n## Image\n/);
    assert.ok(!notes.includes('- old'), 'only the released version’s section');
    assert.ok(notes.includes(`\nghcr.io/owner/kserve-localmodel-fn@${digest}\n`));
    assert.ok(notes.includes(`cosign verify ghcr.io/owner/kserve-localmodel-fn@${digest}`));
    assert.ok(
      notes.includes(
        "'https://github.example/owner/kserve-localmodel-fn/.github/workflows/release.yml@refs/tags/v1.2.0'",
      ),
    );
  });
});

describe('versions', () => {
  test('package.json has a semantic version, and CHANGELOG.md a section for it', () => {
    assert.match(version, /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/);
    assert.match(
      readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'),
      new RegExp(`^## ${version.replace(/\./g, '\\.')} `, 'm'),
    );
  });
});
