package main

import (
	"os"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes a kubeconfig for one token user, with the CA embedded, and returns
// its path. It is rewritten on every start because the port may change.
func writeKubeconfig(dataDir, user, server, token string, caData []byte) (string, error) {
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["tattler-test"] = &clientcmdapi.Cluster{
		Server:                   server,
		CertificateAuthorityData: caData,
	}
	cfg.AuthInfos[user] = &clientcmdapi.AuthInfo{Token: token}
	cfg.Contexts[user] = &clientcmdapi.Context{Cluster: "tattler-test", AuthInfo: user,
		Namespace: "default"}
	cfg.CurrentContext = user
	path := filepath.Join(dataDir, user+".kubeconfig")
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return "", err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return "", err
	}
	return path, os.Rename(tmp, path)
}
