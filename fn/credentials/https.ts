// HTTP(S) headers secret (data key `https-host`): the `headers` entry, a JSON object such as an
// Authorization header, for downloads from that host. The storage initializer looks it up in the
// env var `<hostname>-headers`, so the VALUE of https-host names the variable: it is the one secret
// value this module reads. KServe copies `headers` in plain text; here it stays a secretKeyRef.

import { describeSecret } from '../inputs/secret-shape';
import { envVarNameProblem } from '../k8s/apiserver-rules';
import { error, warning } from '../krm/report';
import { HTTPS_HOST_KEY } from './classify';
import type { KindBuilder } from './kind';
import { noWiring, secretEnv } from './wiring';

export const HEADERS_KEY = 'headers';
export const HEADERS_SUFFIX = '-headers';

export const httpsCredentials: KindBuilder = (secret, { sourceModelUri }) => {
  const field = secret.fieldOf(HTTPS_HOST_KEY);
  if (!secret.keys.has(HEADERS_KEY)) {
    return noWiring([
      warning(
        secret.object,
        field,
        `${describeSecret(secret)} has ${HTTPS_HOST_KEY} but no ${HEADERS_KEY}, so it gives the download nothing (KServe skips it too); add a ${HEADERS_KEY} entry holding a JSON object of HTTP headers`,
      ),
    ]);
  }
  const host = secret.plainValues.get(HTTPS_HOST_KEY);
  if (host === undefined) {
    return noWiring([
      error(
        secret.object,
        field,
        `${describeSecret(secret)} keeps ${HTTPS_HOST_KEY} encrypted, but its value names the env var <host>${HEADERS_SUFFIX} that carries the headers, so the function must read it. The host name is not secret: write it in plain text (SealedSecret spec.template.data, ExternalSecret spec.target.template.data, or a key SOPS leaves unencrypted) and keep ${HEADERS_KEY} encrypted`,
      ),
    ]);
  }
  if (!isBareHostname(host)) {
    return noWiring([
      error(
        secret.object,
        field,
        `${HTTPS_HOST_KEY} of ${describeSecret(secret)} must be the bare host name of the model URI, lower case, without scheme, port or path (e.g. example.com): the storage initializer looks up <hostname>${HEADERS_SUFFIX} with the hostname as the URI parser gives it, so any other form is never found`,
      ),
    ]);
  }
  // The strict env-name rule: a host that starts with a digit (an IP address) makes no valid name.
  const envNameProblem = envVarNameProblem(`${host}${HEADERS_SUFFIX}`);
  if (envNameProblem) {
    return noWiring([
      error(
        secret.object,
        field,
        `${HTTPS_HOST_KEY} of ${describeSecret(secret)} gives the env var name ${host}${HEADERS_SUFFIX}, which ${envNameProblem}, so the API server would refuse the download Job. Serve the model under a host name that starts with a letter`,
      ),
    ]);
  }
  const uriHost = httpHostOf(sourceModelUri);
  const results =
    uriHost !== undefined && uriHost !== host
      ? [
          warning(
            secret.object,
            field,
            `${describeSecret(secret)} holds headers for ${host}, but the model is downloaded from ${uriHost}, so the headers are not sent; set ${HTTPS_HOST_KEY} to ${uriHost} or use another secret`,
          ),
        ]
      : [];
  return {
    env: [secretEnv(`${host}${HEADERS_SUFFIX}`, secret.name, HEADERS_KEY)],
    volumes: [],
    volumeMounts: [],
    results,
  };
};

const isBareHostname = (host: string): boolean => host !== '' && httpHostOf(`https://${host}/`) === host;

function httpHostOf(uri: string): string | undefined {
  if (!/^https?:\/\//i.test(uri)) return undefined;
  try {
    return new URL(uri).hostname;
  } catch {
    return undefined;
  }
}
