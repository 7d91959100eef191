// Storage URIs the download Job can fetch (fn/validate/uris.ts), one case per rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { uriProblem } from '../fn/validate/uris';
import { cache, enabledKServeConfig, node, nodeGroup } from './support/fixtures';
import { runItems } from './support/harness';
import { expectClean, expectResult } from './support/results';

const withUri = (uri: string, extra: unknown[] = []) =>
  runItems([nodeGroup('workers'), cache('llama', uri), node('gpu-1'), enabledKServeConfig(), ...extra]);

describe('storage URIs', () => {
  const good = [
    's3://bucket/model',
    's3://bucket',
    'gs://bucket/path/to/model/',
    'hf://meta-llama/Meta-Llama-3-8B',
    'hf://org/model:abc123',
    'https://example.com/models/model.tar.gz',
    'https://account.blob.core.windows.net/container/model',
    'hdfs://namenode/models/x',
    'webhdfs://namenode/models/x',
    'oci://registry.example.com/models/llama:1',
    'modelscope://qwen/Qwen2',
  ];
  for (const uri of good) it(`${uri} is downloadable`, () => assert.equal(uriProblem(uri), undefined));

  const bad: [string, string][] = [
    ['s3://', 'expected s3://<bucket>/<path>'],
    ['s3:///model', 'expected s3://<bucket>/<path>'],
    ['hf://meta-llama', 'expected hf://<owner>/<model>'],
    ['hf://meta-llama/llama-3/', 'no trailing slash'],
    ['https://example.com', 'expected https://<host>/<path>'],
    ['S3://bucket/model', 'must be lowercase: s3://'],
    ['pvc://models/llama', 'already on a volume'],
    ['file:///models/llama', 'already on a volume'],
    ['/mnt/models/llama', 'has no scheme'],
    ['ftp://host/model', 'not one the storage initializer downloads'],
    ['s3://bucket/my model', 'white space'],
    ['s3://bucket/model\n', 'white space'],
  ];
  for (const [uri, text] of bad) {
    it(`${JSON.stringify(uri)} is an error: ${text}`, () => {
      expectResult(withUri(uri), 'error', 'spec.sourceModelUri', text);
    });
  }

  it("a URI claimed by a download-job ClusterStorageContainer is that container's business", () => {
    const csc = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterStorageContainer',
      metadata: { name: 'ftp' },
      spec: {
        container: { name: 'ftp-downloader', image: 'example/ftp:1', command: ['/ftp-download'] },
        supportedUriFormats: [{ prefix: 'ftp://' }],
        workloadType: 'localModelDownloadJob',
      },
    };
    expectClean(withUri('ftp://host/model', [csc]));
  });

  it('a ClusterStorageContainer regex this function cannot read is an error', () => {
    const csc = {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterStorageContainer',
      metadata: { name: 'broken' },
      spec: {
        container: { name: 'c', image: 'example/c:1' },
        supportedUriFormats: [{ regex: 'hf://(' }],
        workloadType: 'localModelDownloadJob',
      },
    };
    expectResult(
      withUri('s3://bucket/model', [csc]),
      'error',
      'spec.supportedUriFormats[0].regex',
      'not a regular expression',
    );
  });

  it('a model page on the Hugging Face website: a warning that says hf:// is what uses HF_TOKEN', () => {
    const pages: [string, string][] = [
      ['https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct', 'hf://meta-llama/Llama-3.1-8B-Instruct'],
      ['https://huggingface.co/Qwen/Qwen2.5-7B-Instruct/', 'hf://Qwen/Qwen2.5-7B-Instruct'],
      ['https://hf.co/org/model/tree/v1.0', 'hf://org/model:v1.0'],
    ];
    for (const [uri, fix] of pages) {
      const out = withUri(uri);
      assert.equal(out.exitCode, 0, uri);
      assert.deepEqual(
        out.results.map((r) => `${r.severity}: ${r.field?.path}: ${r.message}`),
        [
          `warning: spec.sourceModelUri: "${uri}" is the model's page on the Hugging Face website: KServe's storage initializer downloads an https:// URI as one plain file, so it would fetch that web page, not the model, and never use HF_TOKEN. Write ${fix} (hf://<owner>/<model>[:<revision>]), which KServe downloads with the Hugging Face client and the cache's HF_TOKEN`,
        ],
      );
    }
    // A file on the site is what plain https serves: nothing to say.
    expectClean(withUri('https://huggingface.co/org/model/resolve/main/model.safetensors'));
  });
});
