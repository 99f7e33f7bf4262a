// Command gen writes a synthetic package of stream + errgroup code (see
// internal/gen) for benchmarking bidictxlint.
//
//	go run ./bench/gen -n 1000 -o /tmp/synth            # a module, lintable with ./...
//	go run ./bench/gen -n 1000 -o /tmp/gp -gopath       # a GOPATH tree (src/...)
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/bidictxlint/bidictxlint/internal/gen"
)

func main() {
	n := flag.Int("n", 1000, "number of generated functions (shapes)")
	out := flag.String("o", "", "output directory (required)")
	gopath := flag.Bool("gopath", false, "write a GOPATH-style tree instead of a module")
	pkg := flag.String("pkg", "synth", "package name")
	want := flag.Bool("want", false, "add analysistest // want comments")
	flag.Parse()
	if *out == "" {
		log.Fatal("gen: -o is required")
	}
	o := gen.Options{Package: *pkg, Funcs: *n, Want: *want}
	var reports int
	if *gopath {
		var err error
		if reports, err = gen.WriteGOPATH(*out, o); err != nil {
			log.Fatal(err)
		}
	} else {
		src, r := gen.Source(o)
		reports = r
		if err := gen.WriteModule(*out, "example.com/"+*pkg, map[string]string{*pkg + "/" + *pkg + ".go": src}); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d functions to %s; expected diagnostics: %d\n", *n, *out, reports)
}
