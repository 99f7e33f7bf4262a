package main

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
)

// modulePath is the module this command belongs to, looked up in the
// build information.
const modulePath = "github.com/bidictxlint/bidictxlint"

// version describes the build from its build information: the module's
// version (a release or pseudo-version, as go install m@v or a build in
// a VCS checkout with Go 1.24+ records it), else "devel" and the VCS
// revision with "+dirty" when the checkout had changes, else "devel".
func version(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return "devel"
	}
	var m *debug.Module
	if bi.Main.Path == modulePath {
		m = &bi.Main
	} else {
		for _, d := range bi.Deps {
			if d.Path == modulePath {
				m = d
				if d.Replace != nil {
					m = d.Replace
				}
				break
			}
		}
	}
	if m != nil && m.Version != "" && m.Version != "(devel)" {
		return m.Version
	}
	// The VCS settings describe the main module's checkout: trust them
	// only when this module is the main one.
	if m == &bi.Main {
		rev, dirty := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if rev != "" {
			if len(rev) > 12 {
				rev = rev[:12]
			}
			if dirty {
				rev += "+dirty"
			}
			return "devel " + rev
		}
	}
	return "devel"
}

// buildVersion is version of this executable's build information.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	return version(bi, ok)
}

// printVersion writes the -version line: the version and the Go
// release the command was built with.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "bidictxlint %s (%s)\n", buildVersion(), runtime.Version())
}

// printFullVersion writes the -V=full line that go vet and go fix ask a
// tool for: "bidictxlint version VERSION buildID=ID". The go command
// caches the tool's results under this line; when VERSION contains
// "devel" it uses the build ID alone, so the ID is a hash of the
// executable and changes with every build.
func printFullVersion(w io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	f, err := os.Open(exe)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "bidictxlint version %s buildID=%x\n", buildVersion(), h.Sum(nil))
	return err
}
