//go:build race

package e2e

// raceEnabled says whether the tests run under the race detector, so that
// the programs they build do too.
const raceEnabled = true
