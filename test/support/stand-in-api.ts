// A stand-in Kubernetes API server on 127.0.0.1 for the labeler: HTTPS with a throw-away CA, one Node to
// GET and merge-patch, and a record of every request (method, path, headers, body, answer) for the test
// to read. Given who its token stands for and the generated RBAC and admission policy, it authorizes
// each request as the API server would: RBAC first (403), then the ValidatingAdmissionPolicy on the
// patched Node, with a real CEL evaluator (support/admission.ts). It runs in a child process, because
// the steps under test run through spawnSync and would block it.
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KObject } from '../../fn/krm/objects';
import { admit } from './admission';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType?: string;
  authorization?: string;
  accept?: string;
  body: string;
  /** The HTTP status answered, and for a refusal the reason. */
  status: number;
  refused?: string;
}

/** Who the token is: a pod-bound ServiceAccount token's user, and what it may do. */
export interface Authorizer {
  username: string;
  extra?: Record<string, string[]>;
  /** The generated ClusterRole and ClusterRoleBinding: without a binding to the user, every request is 403. */
  rbac: readonly KObject[];
  /** The generated ValidatingAdmissionPolicy, applied to every update of the Node. */
  policy: KObject;
}

export interface StandInApi {
  port: number;
  /** The folder to mount at /var/run/secrets/kubernetes.io/serviceaccount: `token` and `ca.crt`. */
  serviceAccountDir: string;
  token: string;
  requests: () => RecordedRequest[];
  /** The Node as it is now, after the patches the server accepted. */
  node: () => KObject;
  /** Sets the Node's labels as another client would (an operator, the kubelet): no authorization. */
  setLabels: (labels: Record<string, string | null>) => void;
  /** Stops the server and removes its folder. */
  stop: () => void;
}

/** Starts the server with `node` as the Node it serves; resolves once it listens. Call stop() after. */
export async function startStandInApi(node: object, authorizer?: Authorizer): Promise<StandInApi> {
  const dir = mkdtempSync(join(tmpdir(), 'klf-api-'));
  const serviceAccountDir = join(dir, 'serviceaccount');
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  mkdirSync(serviceAccountDir);
  const token = 'stand-in-token-0123456789';
  writeFileSync(join(serviceAccountDir, 'token'), token);
  writeFileSync(join(serviceAccountDir, 'ca.crt'), readFileSync(join(dir, 'cert.pem')));
  writeFileSync(join(dir, 'node.json'), JSON.stringify(node));
  if (authorizer) writeFileSync(join(dir, 'authorizer.json'), JSON.stringify(authorizer));
  const log = join(dir, 'requests.jsonl');
  writeFileSync(log, '');

  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', __filename, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
    child.once('exit', (code) => reject(new Error(`stand-in API exited with ${code}`)));
  });
  return {
    port,
    serviceAccountDir,
    token,
    requests: () =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as RecordedRequest),
    node: () => JSON.parse(readFileSync(join(dir, 'node.json'), 'utf8')) as KObject,
    setLabels: (labels) => {
      const current = JSON.parse(readFileSync(join(dir, 'node.json'), 'utf8')) as KObject;
      const patched = mergePatch(current, { metadata: { labels } }) as KObject;
      writeFileSync(join(dir, 'node.json'), JSON.stringify(patched));
    },
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RFC 7386 JSON merge patch: null removes, objects merge, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as object) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

type Answer = { status: number; refused?: string; body: unknown };

/** RBAC as the API server decides it for nodes: a binding to the user whose role allows the verb. */
function allowedByRbac(a: Authorizer, verb: string): boolean {
  const roles = new Map(a.rbac.filter((o) => o.kind === 'ClusterRole').map((o) => [o.metadata?.name, o]));
  return a.rbac
    .filter((o) => o.kind === 'ClusterRoleBinding')
    .some((binding) => {
      const subjects = (binding.subjects ?? []) as { kind: string; name: string; namespace: string }[];
      const bound = subjects.some(
        (s) => s.kind === 'ServiceAccount' && a.username === `system:serviceaccount:${s.namespace}:${s.name}`,
      );
      const role = roles.get((binding.roleRef as { name: string }).name);
      const rules = (role?.rules ?? []) as { apiGroups: string[]; resources: string[]; verbs: string[] }[];
      return (
        bound && rules.some((r) => r.apiGroups.includes('') && r.resources.includes('nodes') && r.verbs.includes(verb))
      );
    });
}

function answer(dir: string, method: string, path: string, body: string): Answer {
  const node = JSON.parse(readFileSync(join(dir, 'node.json'), 'utf8')) as KObject;
  const file = join(dir, 'authorizer.json');
  const authorizer = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Authorizer) : undefined;
  const status = (code: number, reason: string, message: string): Answer => ({
    status: code,
    refused: message,
    body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code },
  });
  if (path !== `/api/v1/nodes/${node.metadata?.name}`) return status(404, 'NotFound', `no ${path}`);
  const verb = method === 'GET' ? 'get' : method === 'PATCH' ? 'patch' : method.toLowerCase();
  if (authorizer && !allowedByRbac(authorizer, verb))
    return status(403, 'Forbidden', `${authorizer.username} cannot ${verb} nodes (RBAC)`);
  if (method === 'GET') return { status: 200, body: node };
  if (method !== 'PATCH') return status(405, 'MethodNotAllowed', method);
  const patched = mergePatch(node, JSON.parse(body)) as KObject;
  const version = Number((node.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? 0);
  patched.metadata = { ...patched.metadata, resourceVersion: String(version + 1) } as KObject['metadata'];
  if (authorizer) {
    const userInfo = { username: authorizer.username, ...(authorizer.extra ? { extra: authorizer.extra } : {}) };
    const verdict = admit(authorizer.policy, { operation: 'UPDATE', userInfo }, patched, node);
    if (typeof verdict === 'object')
      return status(422, 'Invalid', `ValidatingAdmissionPolicy denied: ${verdict.refused.join('; ')}`);
  }
  writeFileSync(join(dir, 'node.json'), JSON.stringify(patched));
  return { status: 200, body: patched };
}

function serve(dir: string): void {
  const server = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        const method = req.method ?? '';
        const path = req.url ?? '';
        const result = answer(dir, method, path, body);
        const recorded: RecordedRequest = {
          method,
          path,
          ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          ...(req.headers.accept ? { accept: req.headers.accept } : {}),
          body,
          status: result.status,
          ...(result.refused ? { refused: result.refused } : {}),
        };
        appendFileSync(join(dir, 'requests.jsonl'), `${JSON.stringify(recorded)}\n`);
        res.statusCode = result.status;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(result.body));
      });
    },
  );
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

if (require.main === module) serve(process.argv[2] as string);
