package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"
	"k8s.io/klog/v2"
)

// stderrSink writes klog output to stderr: errors always, info messages only up to the
// chosen verbosity (-1 drops all info, which is the default: the API server is chatty).
type stderrSink struct {
	mu        *sync.Mutex
	out       io.Writer
	verbosity int
	name      string
	values    []any
}

func (s *stderrSink) Init(logr.RuntimeInfo) {}

func (s *stderrSink) Enabled(level int) bool { return level <= s.verbosity }

func (s *stderrSink) write(severity, msg string, err error, kv []any) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", severity, time.Now().UTC().Format("15:04:05.000"))
	if s.name != "" {
		fmt.Fprintf(&b, " %s", s.name)
	}
	fmt.Fprintf(&b, " %q", msg)
	if err != nil {
		fmt.Fprintf(&b, " err=%q", err.Error())
	}
	all := append(append([]any{}, s.values...), kv...)
	for i := 0; i+1 < len(all); i += 2 {
		fmt.Fprintf(&b, " %v=%v", all[i], all[i+1])
	}
	b.WriteByte('\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	_, _ = io.WriteString(s.out, b.String())
}

func (s *stderrSink) Info(level int, msg string, kv ...any) {
	if level <= s.verbosity {
		s.write("I", msg, nil, kv)
	}
}

func (s *stderrSink) Error(err error, msg string, kv ...any) { s.write("E", msg, err, kv) }

func (s *stderrSink) WithValues(kv ...any) logr.LogSink {
	c := *s
	c.values = append(append([]any{}, s.values...), kv...)
	return &c
}

func (s *stderrSink) WithName(name string) logr.LogSink {
	c := *s
	if c.name != "" {
		name = c.name + "/" + name
	}
	c.name = name
	return &c
}

func setupLogging(verbosity int) {
	if verbosity > 0 {
		fs := flag.NewFlagSet("klog", flag.ContinueOnError)
		klog.InitFlags(fs)
		_ = fs.Set("v", strconv.Itoa(verbosity))
	}
	klog.SetLogger(logr.New(&stderrSink{mu: &sync.Mutex{}, out: os.Stderr, verbosity: verbosity}))
}
