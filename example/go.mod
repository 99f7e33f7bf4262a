// Example programs with the bug, and their corrected versions. The README's
// first command runs bidictxlint on them.
module github.com/bidictxlint/bidictxlint/example

go 1.26.0

require (
	connectrpc.com/connect v1.21.1
	connectrpc.com/connect/v2 v2.0.2
	golang.org/x/sync v0.24.0
	google.golang.org/grpc v1.85.0
	google.golang.org/protobuf v1.36.12
)

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/net v0.61.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/tools v0.52.0 // indirect
	google.golang.org/genproto/googleapis/rpc v0.0.0-20260817212433-ac3dfec99bb1 // indirect
)

replace github.com/bidictxlint/bidictxlint => ../

tool github.com/bidictxlint/bidictxlint/cmd/bidictxlint

require github.com/bidictxlint/bidictxlint v0.0.0 // indirect
