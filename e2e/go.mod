// End-to-end proof: real connect-go and grpc-go servers on loopback show
// that the code bidictxlint reports hangs and that its fixes cure it. A
// module of its own, so that the libraries stay out of the main module.
module github.com/bidictxlint/bidictxlint/e2e

go 1.26.0

require (
	connectrpc.com/connect v1.21.1
	connectrpc.com/connect/v2 v2.0.2
	github.com/sourcegraph/conc v0.3.0
	go.uber.org/goleak v1.3.0
	golang.org/x/net v0.61.0
	golang.org/x/sync v0.24.0
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	github.com/bidictxlint/bidictxlint v0.0.0 // indirect
	go.uber.org/atomic v1.7.0 // indirect
	go.uber.org/multierr v1.9.0 // indirect
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
)

replace github.com/bidictxlint/bidictxlint => ../

tool github.com/bidictxlint/bidictxlint/cmd/bidictxlint
