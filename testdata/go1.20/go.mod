// A Go 1.20 module: context.AfterFunc does not exist yet, so the fix
// starts a watcher goroutine instead (docs/fixes.md, Before Go 1.21). The real
// libraries need Go 1.26, hence the local stubs.
module example.com/old

go 1.20

require (
	golang.org/x/sync v0.0.0
	google.golang.org/grpc v0.0.0
)

replace (
	golang.org/x/sync => ./stub/sync
	google.golang.org/grpc => ./stub/grpc
)
