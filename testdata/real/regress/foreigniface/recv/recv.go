// Package recv declares a receiving interface and imports no stream
// library: a method declared here is not a stream's unless a package's
// own interface holds a stream behind it.
package recv

// Receiver receives values of T.
type Receiver[T any] interface {
	Recv() (T, error)
}
