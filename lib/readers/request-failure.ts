/**
 * Words for a request that got no answer at all: refused, unresolvable, timed out, or stopped
 * by TLS. undici's `fetch` rejects with `TypeError: fetch failed` and keeps the real error in
 * its `cause`, so the chain is followed down to the error that has a `code`.
 *
 * @packageDocumentation
 */

/** What the cause chain of a failed request says, as far as it says anything. */
interface RootCause {
  readonly code: string | undefined;
  readonly syscall: string | undefined;
  /** `127.0.0.1:6443`, `[::1]:6443` or a host name, where the error names one. */
  readonly address: string | undefined;
  /** The words of the innermost error; OpenSSL's short reason rather than its whole line. */
  readonly text: string;
  /** The names a certificate holds (`DNS:localhost, IP Address:127.0.0.1`), on a mismatch. */
  readonly altNames: string | undefined;
}

/** The fix for each common failure, by the codes Node.js and undici give it. */
const HINTS: readonly (readonly [codes: readonly string[], hint: (root: RootCause) => string])[] = [
  [
    ['ECONNREFUSED'],
    () =>
      'Nothing accepts connections there: check that the API server is up and that the ' +
      "kubeconfig's server URL (host and port) is right",
  ],
  [
    ['ENOTFOUND', 'EAI_AGAIN'],
    () =>
      "The host name does not resolve: check the kubeconfig's server URL and this machine's DNS",
  ],
  [
    ['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'],
    () =>
      'No answer to the connection: check the network path to the server (firewall, VPN, proxy)',
  ],
  [
    ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'],
    () => 'The server, or something in between, closed the connection',
  ],
  [
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST'],
    () =>
      "The server does not answer in TLS: check the scheme and port of the kubeconfig's " +
      'server URL (an https URL at a plain-HTTP port?)',
  ],
  [
    [
      'DEPTH_ZERO_SELF_SIGNED_CERT',
      'SELF_SIGNED_CERT_IN_CHAIN',
      'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      'UNABLE_TO_GET_ISSUER_CERT',
      'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
      'CERT_SIGNATURE_FAILURE',
      'CERT_UNTRUSTED',
    ],
    () =>
      "The server's certificate is not signed by a CA the kubeconfig trusts: set the " +
      "cluster's certificate-authority (a file) or certificate-authority-data to the CA that " +
      "signed the API server's certificate",
  ],
  [
    ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID'],
    () =>
      "The server's certificate is outside its validity period: renew it, or check this " +
      "machine's clock",
  ],
  [
    ['ERR_TLS_CERT_ALTNAME_INVALID'],
    (root) =>
      "The server's certificate does not name the host it was reached by" +
      `${root.altNames === undefined ? '' : ` (it names ${root.altNames})`}: use a server URL ` +
      "with a name the certificate holds, or set the cluster's tls-server-name in the kubeconfig",
  ],
];

/**
 * Describes a request that failed without an HTTP answer: where it went (the server URL,
 * without credentials or query), what the innermost error says (code, syscall, address, TLS
 * reason) and, for the common cases, what to fix.
 *
 * @param error - what `fetch` rejected with (or anything else thrown on the way).
 * @param server - the kubeconfig's server URL; credentials and query are left out.
 * @returns one or two sentences, ending with a full stop.
 * @example
 * ```text
 * the connection to https://10.0.0.1:6443 failed: connect ECONNREFUSED 10.0.0.1:6443. Nothing
 * accepts connections there: check that the API server is up and that the kubeconfig's
 * server URL (host and port) is right.
 * ```
 */
export function describeRequestFailure(error: unknown, server: string): string {
  const root = rootCause(error);
  const what = root.code === undefined ? 'the request to' : 'the connection to';
  // undici's own messages may quote the whole URL, credentials and query included.
  const text = root.text.replace(/\bhttps?:\/\/[^\s'"]+/g, (url) => redactUrl(url));
  const head = `${what} ${redactUrl(server)} failed: ${text}`;
  const hint = hintFor(root);
  return hint === undefined ? `${head}.` : `${head}. ${hint}.`;
}

/**
 * A URL without user name, password, query or fragment, to name in messages: a kubeconfig's
 * server URL may carry credentials (`https://user:secret@host`).
 *
 * @param url - the URL as configured.
 * @returns the URL to show; a string that is no URL has everything from `?` or `#` cut.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/[?#].*$/, '').replace(/\/\/[^/@]*@/, '//');
  }
}

function hintFor(root: RootCause): string | undefined {
  if (root.code === undefined && /URL that includes credentials/.test(root.text)) {
    return (
      "The kubeconfig's server URL holds a user name or password, which fetch refuses: " +
      'remove them from the URL and give the credentials in the kubeconfig user entry'
    );
  }
  const code = root.code ?? '';
  return HINTS.find(([codes]) => codes.includes(code))?.[1](root);
}

/** The innermost error of the chain that has a code, else the chain's messages. */
function rootCause(error: unknown): RootCause {
  const chain = causeChain(error);
  const coded = [...chain].reverse().find((link) => typeof link['code'] === 'string');
  if (coded === undefined) {
    const texts = chain.map(messageOf).filter((text) => text !== '');
    const text = [...new Set(texts)].join(': ') || String(error);
    return { code: undefined, syscall: undefined, address: undefined, text, altNames: undefined };
  }
  const code = String(coded['code']);
  const syscall = stringField(coded, 'syscall');
  const address = addressOf(coded);
  // OpenSSL's message is a whole log line (`40CD...:error:0A00010B:SSL routines:...`).
  const reason = stringField(coded, 'reason');
  const message = messageOf(coded).replace(/; if the root CA is installed locally.*$/, '');
  const words = code.startsWith('ERR_SSL_') && reason !== undefined ? reason : message;
  const named = [code, syscall, address].filter(
    (part): part is string => part !== undefined && !words.includes(part),
  );
  const text = named.length === 0 ? words : `${words} (${named.join(', ')})`;
  const cert = coded['cert'];
  const names = isRecord(cert) ? stringField(cert, 'subjectaltname') : undefined;
  // Node.js quotes them itself for a host name, but not for an IP address.
  const altNames = names !== undefined && !text.includes(names) ? names : undefined;
  return { code, syscall, address, text, altNames };
}

/** The error and its causes, outermost first; an AggregateError stands for its first error. */
function causeChain(error: unknown): Record<string, unknown>[] {
  const chain: Record<string, unknown>[] = [];
  let current: unknown = error;
  while (isRecord(current) && !chain.includes(current) && chain.length < 10) {
    chain.push(current);
    const errors = current['errors'];
    current = current['cause'] ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return chain;
}

function addressOf(error: Record<string, unknown>): string | undefined {
  const address = stringField(error, 'address');
  const port = error['port'];
  if (address === undefined) return stringField(error, 'hostname');
  const host = address.includes(':') ? `[${address}]` : address;
  return typeof port === 'number' ? `${host}:${port}` : host;
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function messageOf(error: Record<string, unknown>): string {
  return (stringField(error, 'message') ?? '').trim();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
