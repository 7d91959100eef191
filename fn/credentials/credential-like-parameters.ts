// storage.parameters are written into the Job in plain text (STORAGE_OVERRIDE_CONFIG), and so into
// Git. A parameter whose NAME says it holds a credential, or whose VALUE has the shape of one, is
// refused: its place is a secret. Messages name the shape, never the value.

/** Words matched at the start of a word of the name (`auth` catches `authorization`). */
const CREDENTIAL_WORDS = [
  'secret',
  'token',
  'password',
  'passwd',
  'credential',
  'auth',
  'keytab',
  'session',
  'sas',
  'apikey',
  'jwt',
  'cookie',
  'bearer',
];
/** Words that count only whole: `sig` is a SAS signature, while `signature_version` is an S3 setting. */
const WHOLE_CREDENTIAL_WORDS = ['sig'];
/** Word pairs, matched with or without a separator (`access_key`, `accessKey`, `ACCESSKEY`). */
const CREDENTIAL_PAIRS = [
  'access_key',
  'private_key',
  'api_key',
  'tls_key',
  'account_key',
  'client_key',
  'connection_string',
  'service_account',
];

/** `secret_access_key`, `hfToken`, `SAS-Token`, `Authorization`, `TLS_KEY`: any spelling of a credential word. */
export function looksLikeCredential(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('_');
  const squashed = words.join('');
  return (
    words.some((w) => CREDENTIAL_WORDS.some((c) => w.startsWith(c)) || WHOLE_CREDENTIAL_WORDS.includes(w)) ||
    CREDENTIAL_PAIRS.some((p) => joined.includes(p) || squashed.includes(p.replace('_', '')))
  );
}

/** Shapes of credential values, each named as a message can say it without showing the value. */
const CREDENTIAL_SHAPES: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a Hugging Face token (hf_…)', pattern: /(?:^|[^A-Za-z0-9_])hf_[A-Za-z0-9]{30,}/ },
  { what: 'an AWS access key ID (AKIA…)', pattern: /(?:^|[^A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/ },
  {
    what: 'a GitHub token (ghp_…)',
    pattern: /(?:^|[^A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,})/,
  },
  { what: 'a PEM block (-----BEGIN …-----)', pattern: /-----BEGIN [A-Z0-9 ]*-----/ },
  { what: 'a JSON Web Token', pattern: /eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/ },
  { what: 'an Azure connection string (AccountKey=)', pattern: /AccountKey=/i },
  { what: 'an Azure connection string (SharedAccessSignature=)', pattern: /SharedAccessSignature=/i },
  { what: 'a shared access signature (sig=)', pattern: /(?:^|[?&;])sig=/i },
  { what: 'an HTTP bearer credential', pattern: /^\s*Bearer\s+\S/i },
  { what: 'a service-account key file ("private_key")', pattern: /"private_key(?:_id)?"\s*:/ },
];

/** Long enough to hide a key; the usual base64 alphabets, padding at the end only. */
const BASE64 = /^[A-Za-z0-9+/_-]{40,}={0,2}$/;

/** What kind of credential the value looks like (also once base64-decoded), or undefined. */
export function credentialShapeOf(value: string): string | undefined {
  const direct = shapeIn(value);
  if (direct) return direct;
  const compact = value.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return undefined;
  const decoded = shapeIn(
    Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64').toString('utf8'),
  );
  return decoded ? `${decoded}, base64-encoded` : undefined;
}

const shapeIn = (text: string): string | undefined => CREDENTIAL_SHAPES.find((s) => s.pattern.test(text))?.what;
