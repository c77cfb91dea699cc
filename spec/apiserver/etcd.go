package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/server/v3/embed"
	"go.etcd.io/etcd/server/v3/storage/mvcc"
)

// etcdPorts are kept in the data dir: a restart reuses them when they are free, so the
// member's stored peer URL stays the same.
type etcdPorts struct {
	Client int `json:"client"`
	Peer   int `json:"peer"`
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func chooseEtcdPorts(dataDir string) (etcdPorts, error) {
	path := filepath.Join(dataDir, "etcd-ports.json")
	var p etcdPorts
	if data, err := os.ReadFile(path); err == nil && json.Unmarshal(data, &p) == nil &&
		p.Client > 0 && p.Peer > 0 && portFree(p.Client) && portFree(p.Peer) {
		return p, nil
	}
	var err error
	if p.Client, err = freePort(); err != nil {
		return p, err
	}
	if p.Peer, err = freePort(); err != nil {
		return p, err
	}
	data, _ := json.Marshal(p)
	return p, os.WriteFile(path, data, 0o600)
}

func loopbackURL(port int) url.URL {
	return url.URL{Scheme: "http", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(port))}
}

// etcdLogLevel maps the server's verbosity to etcd's; etcd logs errors on every clean
// shutdown, so they are shown only from verbosity 0 on.
func etcdLogLevel(verbosity int) string {
	switch {
	case verbosity < 0:
		return "fatal"
	case verbosity < 2:
		return "error"
	default:
		return "info"
	}
}

// etcdStartAttempts bounds how often startEtcd chooses new ports after losing the ones chosen.
const etcdStartAttempts = 5

// startEtcd starts a single-member etcd on loopback with its data under dataDir/etcd.
//
// etcd binds the ports itself, so a port found free can be taken before it does: by another
// server starting, or as the ephemeral port of any loopback client, which come from the
// same range. Then it chooses new ports and starts again.
func startEtcd(dataDir string, verbosity int) (*embed.Etcd, string, error) {
	for attempt := 1; ; attempt++ {
		e, clientURL, err := startEtcdOnce(dataDir, verbosity)
		if err == nil || !errors.Is(err, syscall.EADDRINUSE) || attempt == etcdStartAttempts {
			return e, clientURL, err
		}
		if err := os.Remove(filepath.Join(dataDir, "etcd-ports.json")); err != nil {
			return nil, "", err
		}
	}
}

func startEtcdOnce(dataDir string, verbosity int) (*embed.Etcd, string, error) {
	ports, err := chooseEtcdPorts(dataDir)
	if err != nil {
		return nil, "", err
	}
	cfg := embed.NewConfig()
	cfg.Name = "tattler-test"
	cfg.Dir = filepath.Join(dataDir, "etcd")
	cfg.LogLevel = etcdLogLevel(verbosity)
	// Limitation: no fsync, for speed on test data; a server killed with SIGKILL (or a machine
	// crash) can lose its last writes.
	cfg.UnsafeNoFsync = true
	client, peer := loopbackURL(ports.Client), loopbackURL(ports.Peer)
	cfg.ListenClientUrls = []url.URL{client}
	cfg.AdvertiseClientUrls = []url.URL{client}
	cfg.ListenPeerUrls = []url.URL{peer}
	cfg.AdvertisePeerUrls = []url.URL{peer}
	cfg.InitialCluster = cfg.InitialClusterFromName(cfg.Name)
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("start etcd: %w", err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, "", fmt.Errorf("etcd failed: %w", err)
	case <-time.After(60 * time.Second):
		e.Close()
		return nil, "", errors.New("etcd did not become ready within 60s")
	}
	return e, client.String(), nil
}

// compactNow makes every resourceVersion handed out so far too old, then compacts etcd.
//
// A watch from resourceVersion RV needs the revisions after RV only, so compacting to the
// current revision alone would leave a watch from the newest RV valid. Two writes to a key
// outside the API server's prefix first move the revision past it: afterwards any watch or
// exact list at a resourceVersion seen before the call gets 410 Gone (from etcd; the watch
// cache keeps its own window).
func compactNow(ctx context.Context, e *embed.Etcd) (int64, error) {
	for i := 0; i < 2; i++ {
		put := &pb.PutRequest{Key: []byte("/tattler-test/compaction-marker"), Value: []byte(strconv.Itoa(i))}
		if _, err := e.Server.Put(ctx, put); err != nil {
			return 0, err
		}
	}
	rev := e.Server.KV().Rev()
	_, err := e.Server.Compact(ctx, &pb.CompactionRequest{Revision: rev, Physical: true})
	if err != nil && !errors.Is(err, mvcc.ErrCompacted) {
		return rev, err
	}
	return rev, nil
}
