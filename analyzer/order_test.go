package analyzer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// TestFileOrder checks that the diagnostics do not depend on the order in
// which the driver lists a package's files. The analyzer walks one
// declaration at a time and reads ahead by position when a task calls a
// helper declared later; when the files are not listed in position order
// it walks them all first. Here a task's helper is in another file.
//
// (A package variable's declaration and its uses in different files are
// compared by position, as the analyzer compares all defs: with files
// listed out of position order, that comparison, not the walk, decides.)
func TestFileOrder(t *testing.T) {
	srcs := map[string][]byte{
		"a.go": []byte(`package order

import (
	"context"
	"errors"

	"gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

var pkgGroup errgroup.Group

func startRecv(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	pkgGroup.Go(func() error { _, err := stream.Recv(); return err })
	return nil
}

func startFail() {
	pkgGroup.Go(func() error { return errors.New("fail") })
}

func usesHelper(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return recvCopy(stream) })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
`),
		"b.go": []byte(`package order

import "gen/chatgrpc"

func recvCopy(in chatgrpc.Chat_LegacyClient) error {
	s := in
	_, err := s.Recv()
	return err
}
`),
		"c.go": []byte(`package order

func other() {}
`),
	}
	c := check(getEnv(), "example.com/order", srcs)
	if c.parseErrs > 0 || len(c.typeErrs) > 0 {
		t.Fatalf("%d parse errors, type errors %v", c.parseErrs, c.typeErrs)
	}
	inOrder := diagnostics(t, c)
	want := []string{"a.go:19:39: stream.Recv can block forever", "a.go:33:29: stream.Recv can block forever in an errgroup task (in recvCopy): the stream's context ctx is not"}
	if len(inOrder) != len(want) {
		t.Fatalf("files in order: %d diagnostics, want %d:\n%s", len(inOrder), len(want), strings.Join(inOrder, "\n"))
	}
	for i, w := range want {
		if !strings.Contains(inOrder[i], w) {
			t.Errorf("files in order: diagnostic %q does not contain %q", inOrder[i], w)
		}
	}

	// Every other listing of the three files: in [a.go c.go b.go] the
	// helper (b.go) comes after c.go in the walk but before it by
	// position.
	perms := [][]int{{0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}}
	for _, perm := range perms {
		listed := *c
		listed.files = nil
		var names []string
		for _, i := range perm {
			listed.files = append(listed.files, c.files[i])
			names = append(names, c.fset.File(c.files[i].FileStart).Name())
		}
		listed.inspect = inspector.New(listed.files)
		if got := diagnostics(t, &listed); !slices.Equal(got, inOrder) {
			t.Errorf("files listed as %v: diagnostics\n%s\nwant, as in order,\n%s", names, strings.Join(got, "\n"), strings.Join(inOrder, "\n"))
		}
	}
}

// TestParseOrder checks that the diagnostics do not depend on the order
// in which the driver parsed the files, which numbers their positions:
// go/packages parses a package's files in parallel. The group is a
// package variable declared in a.go; its tasks are started in b.go and
// c.go, so every verdict compares positions in different files.
func TestParseOrder(t *testing.T) {
	srcs := map[string][]byte{
		"a.go": []byte(`package order

import "golang.org/x/sync/errgroup"

var pkgGroup errgroup.Group
`),
		"b.go": []byte(`package order

import (
	"context"

	"gen/chatgrpc"
)

func startRecv(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	pkgGroup.Go(func() error { _, err := stream.Recv(); return err })
	return nil
}
`),
		"c.go": []byte(`package order

import "errors"

func startFail() {
	pkgGroup.Go(func() error { return errors.New("fail") })
}
`),
	}
	for _, order := range [][]string{
		{"a.go", "b.go", "c.go"}, {"a.go", "c.go", "b.go"}, {"b.go", "a.go", "c.go"},
		{"b.go", "c.go", "a.go"}, {"c.go", "a.go", "b.go"}, {"c.go", "b.go", "a.go"},
	} {
		c := checkParsedIn(getEnv(), "example.com/parseorder", srcs, order)
		if c.parseErrs > 0 || len(c.typeErrs) > 0 {
			t.Fatalf("parsed as %v: %d parse errors, type errors %v", order, c.parseErrs, c.typeErrs)
		}
		got := diagnostics(t, c)
		const want = "b.go:14:39: stream.Recv can block forever in an errgroup task: group pkgGroup has no context"
		if len(got) != 1 || !strings.Contains(got[0], want) {
			t.Errorf("parsed as %v: diagnostics\n%s\nwant one containing %q", order, strings.Join(got, "\n"), want)
		}
	}
}

// diagnostics runs the analyzer on c and returns its diagnostics as
// "file:line:col: message", sorted.
func diagnostics(t *testing.T, c *checked) []string {
	t.Helper()
	a := analyzer.Analyzer
	var out []string
	report := func(d analysis.Diagnostic) {
		out = append(out, fmt.Sprintf("%v: %s", c.fset.Position(d.Pos), d.Message))
	}
	if _, err := a.Run(c.pass(a, report)); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
