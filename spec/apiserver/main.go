// Command apiserver runs a real Kubernetes API server with an embedded etcd, in one process,
// for Tattler's end-to-end tests, demo and benchmarks. See README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"
	utilerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/rest"
	"k8s.io/kubernetes/cmd/kube-apiserver/app"
	"k8s.io/kubernetes/cmd/kube-apiserver/app/options"
)

const serviceIP = "10.0.0.1"

type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, " ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

type config struct {
	dataDir           string
	port              int
	controlPort       int
	watchCache        bool
	compactionEvery   time.Duration
	verbosity         int
	stopOnStdinEOF    bool
	extraApiserverArg stringList
}

// ready is the one JSON line written on stdout once the server answers /readyz.
type ready struct {
	Server      string            `json:"server"`
	Port        int               `json:"port"`
	Kubeconfigs map[string]string `json:"kubeconfigs"`
	Tokens      map[string]string `json:"tokens"`
	CAFile      string            `json:"caFile"`
	DataDir     string            `json:"dataDir"`
	ControlURL  string            `json:"controlUrl"`
	EtcdURL     string            `json:"etcdUrl"`
	WatchCache  bool              `json:"watchCache"`
	Pid         int               `json:"pid"`
	StartupMs   int64             `json:"startupMs"`
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.dataDir, "data-dir", "", "directory for etcd data, certificates, tokens and kubeconfigs (required; reused if it exists)")
	flag.IntVar(&c.port, "port", 0, "API server port on 127.0.0.1 (0 picks a free one)")
	flag.IntVar(&c.controlPort, "control-port", 0, "control endpoint port on 127.0.0.1 (0 picks a free one)")
	flag.BoolVar(&c.watchCache, "watch-cache", true, "serve lists and watches from the API server's watch cache")
	flag.DurationVar(&c.compactionEvery, "etcd-compaction-interval", 5*time.Minute, "how often the API server compacts etcd (0 disables)")
	flag.IntVar(&c.verbosity, "v", -1, "log verbosity on stderr: -1 errors only, 0 info, 2+ debug")
	flag.BoolVar(&c.stopOnStdinEOF, "stop-on-stdin-eof", false, "shut down when standard input closes (the parent process died)")
	flag.Var(&c.extraApiserverArg, "apiserver-arg", "extra kube-apiserver flag, e.g. --apiserver-arg=--max-requests-inflight=10 (repeatable)")
	flag.Parse()
	if c.dataDir == "" {
		fmt.Fprintln(os.Stderr, "apiserver: --data-dir is required")
		os.Exit(2)
	}
	return c
}

func main() {
	c := parseFlags()
	setupLogging(c.verbosity)
	if err := run(c); err != nil {
		fmt.Fprintf(os.Stderr, "apiserver: %v\n", err)
		os.Exit(1)
	}
}

// listenWithRetry binds the API server port; a restart on the same port may race with the
// previous process releasing it, so it retries for a few seconds.
func listenWithRetry(port int) (net.Listener, error) {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	deadline := time.Now().Add(10 * time.Second)
	for {
		l, err := net.Listen("tcp", addr)
		if err == nil || port == 0 || time.Now().After(deadline) {
			return l, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func signalContext(stopOnStdinEOF bool) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		cancel()
		<-signals
		os.Exit(1)
	}()
	if stopOnStdinEOF {
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			cancel()
		}()
	}
	return ctx
}

func apiserverArgs(c config, creds *credentials, etcdURL string) []string {
	return append([]string{
		"--etcd-servers=" + etcdURL,
		"--tls-cert-file=" + creds.ServingCertFile,
		"--tls-private-key-file=" + creds.ServingKeyFile,
		"--client-ca-file=" + creds.CAFile,
		"--token-auth-file=" + creds.TokenFile,
		"--service-account-key-file=" + creds.SAPubFile,
		"--service-account-signing-key-file=" + creds.SAKeyFile,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-cluster-ip-range=10.0.0.0/24",
		"--authorization-mode=Node,RBAC",
		// Without a controller manager no "default" ServiceAccount is ever created, so the
		// ServiceAccount admission plugin would reject every Pod.
		"--disable-admission-plugins=ServiceAccount",
		"--endpoint-reconciler-type=none",
		"--watch-cache=" + strconv.FormatBool(c.watchCache),
		"--etcd-compaction-interval=" + c.compactionEvery.String(),
		"--feature-gates=WatchList=true",
		"--profiling=false",
	}, c.extraApiserverArg...)
}

func run(c config) error {
	start := time.Now()
	ctx := signalContext(c.stopOnStdinEOF)
	dataDir, err := filepath.Abs(c.dataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return err
	}
	creds, err := ensureCredentials(dataDir)
	if err != nil {
		return err
	}

	etcd, etcdURL, err := startEtcd(dataDir, c.verbosity)
	if err != nil {
		return err
	}
	defer etcd.Close()

	listener, err := listenWithRetry(c.port)
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", c.port, err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	server := "https://127.0.0.1:" + strconv.Itoa(port)

	s := options.NewServerRunOptions()
	fs := pflag.NewFlagSet("kube-apiserver", pflag.ContinueOnError)
	for _, f := range s.Flags().FlagSets {
		fs.AddFlagSet(f)
	}
	if err := fs.Parse(apiserverArgs(c, creds, etcdURL)); err != nil {
		return fmt.Errorf("kube-apiserver flags: %w", err)
	}
	s.SecureServing.Listener = listener
	s.SecureServing.BindPort = port
	s.SecureServing.ExternalAddress = net.ParseIP("127.0.0.1")
	if err := s.GenericServerRunOptions.ComponentGlobalsRegistry.Set(); err != nil {
		return err
	}
	rest.SetDefaultWarningHandler(rest.NoWarnings{})
	completed, err := s.Complete(ctx)
	if err != nil {
		return err
	}
	if errs := completed.Validate(); len(errs) != 0 {
		return utilerrors.NewAggregate(errs)
	}

	runErr := make(chan error, 1)
	go func() { runErr <- app.Run(ctx, completed) }()

	admin := adminConfig(server, creds.AdminToken, creds.CAData)
	readyErr := make(chan error, 1)
	go func() {
		if err := waitReady(ctx, admin, 3*time.Minute); err != nil {
			readyErr <- err
			return
		}
		readyErr <- ensureRestrictedUser(ctx, admin)
	}()
	select {
	case err := <-runErr:
		if err == nil {
			err = errors.New("kube-apiserver stopped before it was ready")
		}
		return err
	case err := <-readyErr:
		if err != nil {
			return err
		}
	}

	adminKC, err := writeKubeconfig(dataDir, "admin", server, creds.AdminToken, creds.CAData)
	if err != nil {
		return err
	}
	restrictedKC, err := writeKubeconfig(dataDir, "restricted", server, creds.RestrictedToken, creds.CAData)
	if err != nil {
		return err
	}
	control, controlURL, err := startControl(c.controlPort, etcd)
	if err != nil {
		return err
	}
	defer control.Close()

	line, err := json.Marshal(ready{
		Server:      server,
		Port:        port,
		Kubeconfigs: map[string]string{"admin": adminKC, "restricted": restrictedKC},
		Tokens:      map[string]string{"admin": creds.AdminToken, "restricted": creds.RestrictedToken},
		CAFile:      creds.CAFile,
		DataDir:     dataDir,
		ControlURL:  controlURL,
		EtcdURL:     etcdURL,
		WatchCache:  c.watchCache,
		Pid:         os.Getpid(),
		StartupMs:   time.Since(start).Milliseconds(),
	})
	if err != nil {
		return err
	}
	fmt.Println(string(line))

	select {
	case err := <-runErr:
		if ctx.Err() == nil {
			return fmt.Errorf("kube-apiserver stopped: %v", err)
		}
	case <-ctx.Done():
		select {
		case <-runErr:
		case <-time.After(30 * time.Second):
			fmt.Fprintln(os.Stderr, "apiserver: kube-apiserver did not stop within 30s; exiting")
		}
	}
	return nil
}
