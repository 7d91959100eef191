// A stand-in Kubernetes API server on 127.0.0.1 for the node-readiness step: HTTPS with a throw-away
// CA, one Node to GET, and a record of every request (method, path, headers, body) for the test to read.
// It runs in a child process, because the steps under test run through spawnSync and would block it.
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  contentType?: string;
  authorization?: string;
  body: string;
}

export interface StandInApi {
  port: number;
  /** The folder to mount at /var/run/secrets/kubernetes.io/serviceaccount: `token` and `ca.crt`. */
  serviceAccountDir: string;
  token: string;
  requests: () => RecordedRequest[];
  /** Stops the server and removes its folder. */
  stop: () => void;
}

/** Starts the server with `node` as the Node it serves; resolves once it listens. Call stop() after. */
export async function startStandInApi(node: object): Promise<StandInApi> {
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
    stop: () => {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
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
        const recorded: RecordedRequest = {
          method: req.method ?? '',
          path: req.url ?? '',
          ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
          ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
          body,
        };
        appendFileSync(join(dir, 'requests.jsonl'), `${JSON.stringify(recorded)}\n`);
        res.setHeader('Content-Type', 'application/json');
        res.end(readFileSync(join(dir, 'node.json')));
      });
    },
  );
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
  });
}

if (require.main === module) serve(process.argv[2] as string);
