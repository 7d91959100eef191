// What KRM mode prints for items kpt sends: comments where kpt expects them, so that kpt writes each
// user file back unchanged (the kpt end-to-end tests check the files; these run without kpt).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { krm } from '../fn/modes/krm';

// A ResourceList as kpt 1.0 prints it: the file's leading comment inside the item's first line.
const FROM_KPT = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
- # The models to keep.
  # Second line.
  apiVersion: example.com/v1
  kind: Widget
  metadata:
    name: w
    annotations:
      internal.config.kubernetes.io/path: 'widget.yaml'
  spec:
    list:
    - a
    # before a key that follows a list
    after: true
    flow: [x, y]
`;

test("a file's leading comment stays inside the item's first line", () => {
  const { text, exitCode } = krm(FROM_KPT);
  assert.equal(exitCode, 0);
  assert.match(text, /\n- # The models to keep\.\n {2}# Second line\.\n {2}apiVersion: example\.com\/v1\n/);
});

test('sequences print as kpt prints them, so a comment after a list keeps its column', () => {
  const { text } = krm(FROM_KPT);
  assert.match(
    text,
    /\n {4}list:\n {4}- a\n {4}# before a key that follows a list\n {4}after: true\n {4}flow: \[x, y\]\n/,
  );
});

test('comments above the first item and after the last item stay, next to those items', () => {
  const input = `apiVersion: config.kubernetes.io/v1
kind: ResourceList
items:
# above the first item
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
# between the items
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
# after the last item
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: fn
# at the end of the list
`;
  const { text, exitCode } = krm(input);
  assert.equal(exitCode, 0);
  assert.ok(
    text.includes(`items:
- # above the first item
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: a
- # between the items
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: b
  # after the last item
functionConfig:
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: fn
  # at the end of the list
`),
    text,
  );
});

test('a comment after the last item at the end of the list stays after it', () => {
  const { text } = krm(
    'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n# commented: setting\n',
  );
  assert.match(text, /\n {4}name: a\n {2}# commented: setting\n/);
});
