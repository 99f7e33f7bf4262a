// Command prove runs client packages of e2e/clients against a real slow
// peer on 127.0.0.1, makes one of their errgroup tasks fail, and prints,
// one JSON line per case, whether Run (g.Wait) returned and how fast.
// With -success it runs them instead against a healthy peer, with no task
// failing, and prints what each client delivered (scenario.Delivery).
//
// The e2e tests build it from a copy of the e2e module whose clients were
// fixed (by bidictxlint -fix, or by hand) and judge its output. By hand:
//
//	go run ./cmd/prove -case connectv1/reassigned            # the bug: returned=false
//	go run ./cmd/prove -case connectv1/reassigned -variant handfixed
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

func main() {
	name := flag.String("case", "", "the case to run, e.g. connectv1/reassigned (default: every case)")
	variant := flag.String("variant", string(scenario.Original), "original (the package in its directory) or handfixed (its fixed subpackage)")
	bound := flag.Duration("bound", 1500*time.Millisecond, "how long Run may take to return after the task's failure")
	greeting := flag.Bool("greeting", false, "the bidi handlers send a first message, so the response headers have arrived when the task fails")
	success := flag.Bool("success", false, "run against a healthy peer with no task failing, and print what the client delivered")
	flag.Parse()

	v := scenario.Variant(*variant)
	if v != scenario.Original && v != scenario.HandFixed {
		fail("unknown variant %q", *variant)
	}
	cases := scenario.Cases
	if *name != "" {
		c, ok := scenario.Lookup(*name)
		if !ok {
			fail("unknown case %q", *name)
		}
		cases = []scenario.Case{c}
	}
	enc := json.NewEncoder(os.Stdout)
	for _, c := range cases {
		if *greeting {
			c.Peer.SendFirst = true
		}
		var r any
		if *success {
			r = scenario.Succeed(c, v)
		} else {
			r = scenario.Measure(c, v, *bound)
		}
		if err := enc.Encode(r); err != nil {
			fail("%v", err)
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "prove: "+format+"\n", args...)
	os.Exit(2)
}
