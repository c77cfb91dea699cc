import { KubeConfig } from '@kubernetes/client-node';
import { readFileSync } from 'node:fs';
import { sharedCluster } from '../../support/cluster.js';
import { firstRetry } from '../../support/first-retry.js';

/** The admin of the test cluster, with the cluster entry's TLS settings replaced. */
function kubeConfigWith(tls: { caData?: string; tlsServerName?: string }): KubeConfig {
  const info = sharedCluster();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'c', server: info.server, skipTLSVerify: false, ...tls }],
    users: [{ name: 'admin', token: info.tokens.admin }],
    contexts: [{ name: 'x', cluster: 'c', user: 'admin' }],
    currentContext: 'x',
  });
  return kubeConfig;
}

describe('readers meeting TLS failures', () => {
  it("should name the untrusted certificate and the kubeconfig's certificate-authority", async () => {
    // No CA in the kubeconfig: the system's trust store knows nothing of the test cluster's.
    const retry = await firstRetry(kubeConfigWith({}));

    expect(retry.error._tag).toBe('ReaderError');
    expect(retry.error.message).toMatch(
      new RegExp(
        `^cannot read v1/pods in all namespaces: the connection to ${sharedCluster().server} ` +
          'failed: [^.]*certificate[^.]* \\((SELF_SIGNED_CERT_IN_CHAIN|' +
          'UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\\)\\. ',
      ),
    );
    expect(retry.error.message).toContain(
      "not signed by a CA the kubeconfig trusts: set the cluster's certificate-authority",
    );
    expect(retry.error.message).not.toContain('fetch failed');
  });

  it('should say which names the certificate holds when the host is not one of them', async () => {
    const caData = readFileSync(sharedCluster().caFile).toString('base64');
    const retry = await firstRetry(kubeConfigWith({ caData, tlsServerName: 'elsewhere.example' }));

    expect(retry.error.message).toMatch(
      /failed: Hostname\/IP does not match certificate's altnames: Host: elsewhere\.example\. is not in the cert's altnames: DNS:localhost, .* \(ERR_TLS_CERT_ALTNAME_INVALID\)\. The server's certificate does not name the host it was reached by: .* set the cluster's tls-server-name/,
    );
  });
});
