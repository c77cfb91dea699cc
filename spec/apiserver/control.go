package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strconv"
	"time"

	"go.etcd.io/etcd/server/v3/embed"
)

// startControl serves the loopback control endpoint that tests use to act on the storage:
//
//	POST /compact   compacts etcd to its current revision now; answers {"revision": N}
//	GET  /revision  answers {"revision": N}, etcd's current revision
func startControl(port int, e *embed.Etcd) (*http.Server, string, error) {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, "", err
	}
	mux := http.NewServeMux()
	reply := func(w http.ResponseWriter, status int, body any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	}
	mux.HandleFunc("POST /compact", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		rev, err := compactNow(ctx, e)
		if err != nil {
			reply(w, http.StatusInternalServerError, map[string]any{"error": err.Error()})
			return
		}
		reply(w, http.StatusOK, map[string]any{"revision": rev})
	})
	mux.HandleFunc("GET /revision", func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]any{"revision": e.Server.KV().Rev()})
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	return srv, "http://" + l.Addr().String(), nil
}
