package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// credentials are the files and tokens a server needs; they live in the data dir so that a
// restart over the same data dir keeps the same CA and tokens and old kubeconfigs stay valid.
type credentials struct {
	CAFile          string
	CAData          []byte
	ServingCertFile string
	ServingKeyFile  string
	SAKeyFile       string
	SAPubFile       string
	TokenFile       string
	AdminToken      string
	RestrictedToken string
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// ensureCredentials creates the CA, serving certificate, service-account key and token file
// under dir/pki unless they already exist.
func ensureCredentials(dir string) (*credentials, error) {
	pki := filepath.Join(dir, "pki")
	if err := os.MkdirAll(pki, 0o700); err != nil {
		return nil, err
	}
	c := &credentials{
		CAFile:          filepath.Join(pki, "ca.crt"),
		ServingCertFile: filepath.Join(pki, "apiserver.crt"),
		ServingKeyFile:  filepath.Join(pki, "apiserver.key"),
		SAKeyFile:       filepath.Join(pki, "sa.key"),
		SAPubFile:       filepath.Join(pki, "sa.pub"),
		TokenFile:       filepath.Join(pki, "tokens.csv"),
	}
	if !fileExists(c.CAFile) || !fileExists(c.ServingKeyFile) {
		if err := writeCertificates(c); err != nil {
			return nil, fmt.Errorf("write certificates: %w", err)
		}
	}
	if !fileExists(c.SAKeyFile) {
		if err := writeServiceAccountKey(c); err != nil {
			return nil, fmt.Errorf("write service-account key: %w", err)
		}
	}
	if !fileExists(c.TokenFile) {
		admin, restricted := randomToken(), randomToken()
		csv := fmt.Sprintf("%s,admin,admin-uid,system:masters\n%s,restricted,restricted-uid,\n",
			admin, restricted)
		if err := os.WriteFile(c.TokenFile, []byte(csv), 0o600); err != nil {
			return nil, err
		}
	}
	if err := readTokens(c); err != nil {
		return nil, err
	}
	caData, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, err
	}
	c.CAData = caData
	return c, nil
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func readTokens(c *credentials) error {
	data, err := os.ReadFile(c.TokenFile)
	if err != nil {
		return err
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Split(strings.TrimSpace(line), ",")
		if len(fields) < 2 {
			continue
		}
		switch fields[1] {
		case "admin":
			c.AdminToken = fields[0]
		case "restricted":
			c.RestrictedToken = fields[0]
		}
	}
	if c.AdminToken == "" || c.RestrictedToken == "" {
		return errors.New("token file lacks the admin or restricted user: " + c.TokenFile)
	}
	return nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		panic(err)
	}
	return n.Add(n, big.NewInt(1))
}

func writePEM(path, kind string, der []byte, mode os.FileMode) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), mode)
}

// writeCertificates creates a self-signed CA and a serving certificate valid for the loopback
// addresses, so kubeconfigs pointing at 127.0.0.1 or localhost (also through a local TCP proxy
// on another port) verify.
func writeCertificates(c *credentials) error {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	now := time.Now().Add(-time.Hour)
	caTmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: "tattler-test-ca"},
		NotBefore:             now,
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "kube-apiserver"},
		NotBefore:    now,
		NotAfter:     now.Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames: []string{"localhost", "kubernetes", "kubernetes.default",
			"kubernetes.default.svc", "kubernetes.default.svc.cluster.local"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("::1"),
			net.ParseIP(serviceIP)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &key.PublicKey, caKey)
	if err != nil {
		return err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := writePEM(c.ServingKeyFile, "EC PRIVATE KEY", keyDER, 0o600); err != nil {
		return err
	}
	if err := writePEM(c.ServingCertFile, "CERTIFICATE", der, 0o644); err != nil {
		return err
	}
	return writePEM(c.CAFile, "CERTIFICATE", caDER, 0o644)
}

func writeServiceAccountKey(c *credentials) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	pub, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	if err := writePEM(c.SAPubFile, "PUBLIC KEY", pub, 0o644); err != nil {
		return err
	}
	return writePEM(c.SAKeyFile, "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(key), 0o600)
}
