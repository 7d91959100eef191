// storage.parameters are written into the Job in plain text (STORAGE_OVERRIDE_CONFIG), and so into
// Git. A parameter whose NAME says it holds a credential is refused: its place is the secret.

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
];
/** Word pairs, matched with or without a separator (`access_key`, `accessKey`, `ACCESSKEY`). */
const CREDENTIAL_PAIRS = ['access_key', 'private_key', 'api_key', 'tls_key', 'account_key'];

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
    words.some((w) => CREDENTIAL_WORDS.some((c) => w.startsWith(c))) ||
    CREDENTIAL_PAIRS.some((p) => joined.includes(p) || squashed.includes(p.replace('_', '')))
  );
}
