// storage.parameters land in the download Job in plain text (STORAGE_OVERRIDE_CONFIG), and so in Git:
// a parameter is refused when its name says it is a credential, or when its value has the shape of
// one (also base64-encoded). The refusal names the method that works for the URI's scheme and never
// shows the value.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialShapeOf, looksLikeCredential } from '../fn/credentials/credential-like-parameters';
import { cache, node, nodeGroup } from './support/fixtures';
import { errors, generated, runItems } from './support/harness';

const refusal = (uri: string, parameters: Record<string, string>) => {
  const out = runItems([
    cache('c', uri, ['workers'], { storage: { key: 'k', parameters: { type: 's3', ...parameters } } }),
    nodeGroup('workers'),
    node('n1'),
  ]);
  return { out, errors: errors(out) };
};

// Built at run time, so that no token-shaped string sits in the repository.
const repeat = (s: string, n: number) => s.repeat(n);
const SHAPED: Record<string, string> = {
  'Hugging Face token': `hf_${repeat('aB3', 12)}`,
  'AWS access key ID': `AKIA${repeat('Q7', 8)}`,
  'GitHub token': `ghp_${repeat('x9Y', 12)}`,
  'PEM block': `-----BEGIN ${'PRIVATE'} KEY-----\nMIIE${repeat('A', 40)}\n-----END PRIVATE KEY-----`,
  'JSON Web Token': `eyJ${repeat('h', 10)}.eyJ${repeat('p', 20)}.${repeat('s', 20)}`,
  'AccountKey=': `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${repeat('k', 30)}==`,
  'SharedAccessSignature=': `BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2022&sig=${repeat('z', 20)}`,
  'sig=': `sv=2022-11-02&ss=b&srt=o&sp=r&sig=${repeat('Z', 30)}`,
  'bearer credential': `Bearer ${repeat('t', 30)}`,
  private_key: `{"type": "service_account", "private_key": "${repeat('m', 30)}"}`,
};

describe('credential-like parameter names are refused (issue classes)', () => {
  for (const name of [
    'base64_service_account',
    'connection_string',
    'client_key',
    'service_account_json',
    'jwt',
    'sig',
    'cookie',
    'bearer',
    'ConnectionString',
    'clientKey',
  ]) {
    it(name, () => {
      assert.ok(looksLikeCredential(name));
      const { out, errors: found } = refusal('s3://bucket/model', { [name]: 'CANARY-plain-41' });
      const e = found.find((r) => r.field?.path === `spec.storage.parameters.${name}`);
      assert.ok(e, `${name} was not refused`);
      assert.match(e.message, /looks like a credential by its name/);
      assert.equal(out.exitCode, 1);
      assert.deepEqual(generated(out.items), []);
      assert.ok(!JSON.stringify(out.results).includes('CANARY'));
    });
  }
  for (const name of ['signature_version', 'bucket', 'region', 'endpoint_url', 'anonymous', 'addressing_style']) {
    it(`${name} is not refused by its name`, () => assert.equal(looksLikeCredential(name), false));
  }
});

describe('credential-shaped parameter values are refused, whatever the name', () => {
  for (const [what, value] of Object.entries(SHAPED)) {
    it(what, () => {
      assert.ok(credentialShapeOf(value), `${what} not recognised`);
      const { out, errors: found } = refusal('s3://bucket/model', { endpoint_note: value });
      const [e] = found;
      assert.equal(e?.field?.path, 'spec.storage.parameters.endpoint_note');
      assert.match(e.message, /the value of storage\.parameters\.endpoint_note looks like a credential: .*not shown/);
      assert.equal(out.exitCode, 1);
      assert.deepEqual(generated(out.items), []);
      // The secret filler of the value (the repeated runs) reaches no result.
      const text = JSON.stringify(out.results);
      for (const [run] of value.matchAll(/(.{1,3})\1{5,}/g)) assert.ok(!text.includes(run), run);
    });
    it(`${what}, base64-encoded`, () => {
      const encoded = Buffer.from(value.length >= 30 ? value : value.padEnd(30, ' ')).toString('base64');
      assert.match(credentialShapeOf(encoded) ?? '', /base64-encoded/);
    });
  }
  for (const value of [
    's3v4',
    'us-east-1',
    'https://minio.example.com:9000',
    'hf_transfer',
    'AKIA',
    'true',
    'my-bucket/with/a/long/prefix/that/is/not/secret/at/all',
    'ZXhhbXBsZSBidWNrZXQgbmFtZSwgbm90IGEgc2VjcmV0IGF0IGFsbCwgbG9uZyBlbm91Z2g=',
  ]) {
    it(`"${value}" is an ordinary value`, () => assert.equal(credentialShapeOf(value), undefined));
  }
});

describe('the refusal points to the method that works for the URI scheme', () => {
  const message = (uri: string) => refusal(uri, { jwt: 'CANARY-x' }).errors[0]?.message ?? '';
  it('hf://: a ServiceAccount secret with HF_TOKEN; the storage-config entry does nothing', () => {
    assert.match(
      message('hf://org/model'),
      /ServiceAccount that spec\.serviceAccountName names, under the key HF_TOKEN/,
    );
    assert.match(message('hf://org/model'), /a storage-config entry does nothing for hf:\/\//);
  });
  it('s3://: the storage-config entry or an S3 secret', () =>
    assert.match(
      message('s3://b/m'),
      /For s3:\/\/ put it in the entry k of secret kserve-localmodel-jobs\/storage-config/,
    ));
  it('gs://: the key file in a ServiceAccount secret, or workload identity', () =>
    assert.match(
      message('gs://b/m'),
      /gcloud-application-credentials\.json.*GKE Workload Identity.*does nothing for gs:\/\//,
    ));
  it('Azure Blob: the Azure keys', () =>
    assert.match(message('https://acct.blob.core.windows.net/c/m'), /AZURE_CLIENT_ID.*AZURE_STORAGE_ACCESS_KEY/));
  it('https://: https-host and headers', () =>
    assert.match(message('https://example.com/m.tar'), /https-host and headers/));
});
