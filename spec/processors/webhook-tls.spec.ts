import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { webhookProcessor, type WebhookTls } from '../../lib/index.js';
import { batchOf, podEntry } from './fixtures.js';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(
  dir: string,
): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', Buffer> {
  const openssl = (...args: string[]): void =>
    void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=test-ca',
  );
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  for (const [name, cn] of [
    ['server', '127.0.0.1'],
    ['client', 'tattler'],
  ] as const) {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
  const read = (file: string): Buffer => readFileSync(join(dir, file));
  return {
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
  };
}

describe('webhookProcessor over TLS', () => {
  let dir: string;
  let certificates: ReturnType<typeof makeCertificates>;
  let server: Server;
  let url: string;
  const clients: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tattler-tls-'));
    certificates = makeCertificates(dir);
    server = createServer(
      {
        key: certificates.serverKey,
        cert: certificates.serverCert,
        ca: certificates.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
      (request, response) => {
        const peer = (request.socket as TLSSocket).getPeerCertificate();
        clients.push(String(peer.subject.CN));
        request.resume().on('end', () => response.writeHead(204).end());
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (tls: WebhookTls): Promise<void> => {
    const processor = webhookProcessor({ url, tls, retries: 0 });
    try {
      await processor.process(batchOf([podEntry('a')]));
    } finally {
      await processor.close?.();
    }
  };

  it('should deliver with the CA and a client certificate, which the receiver sees', async () => {
    await send({ ca: certificates.ca, cert: certificates.clientCert, key: certificates.clientKey });
    expect(clients).toEqual(['tattler']);
  });

  it('should drop the batch when the server certificate is not trusted', async () => {
    await expect(
      send({ cert: certificates.clientCert, key: certificates.clientKey }),
    ).rejects.toThrow(/dropped a batch of 1 after 1 attempt/);
  });

  it('should drop the batch when the receiver requires a client certificate and gets none', async () => {
    await expect(send({ ca: certificates.ca })).rejects.toMatchObject({ _tag: 'ProcessorError' });
  });
});
