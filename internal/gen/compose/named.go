package compose

// Named shapes: combinations found in real code or in crash reports,
// checked on every run whatever the seeds draw. Each is a dimension
// string as Dims prints it; values left out take the first value.
var named = []struct{ name, dims string }{
	// A stream opened inside an expression crashed the fix planner.
	{"helper-method-on-result", "lib=grpc-go kind=bidi api=generated open=exprMethod helper=yes count=two other=fail"},
	{"helper-method-on-result-cancel", "lib=grpc-go kind=bidi api=generated open=exprMethod helper=yes step=WithCancel count=two other=fail"},
	{"helper-as-argument", "lib=grpc-go kind=bidi api=generated open=exprArg helper=yes count=two other=fail"},
	{"channel-send", "lib=grpc-go kind=bidi api=generated open=chan helper=yes count=two other=fail"},
	{"client-stream-method-on-call", "lib=connect-v1 kind=client api=raw method=closeAndReceive open=exprMethod count=two other=fail"},
	{"bidi-method-on-call-group-ctx", "lib=connect-v1 kind=bidi api=raw open=exprMethod base=group count=two other=fail"},
	{"bidi-method-on-call-afterfunc", "lib=connect-v1 kind=bidi api=raw open=exprMethod step=WithCancel path=afterFunc count=two other=fail"},
	{"struct-literal-field", "lib=connect-v1 kind=bidi api=generated open=composite count=two other=fail"},
	{"append-then-range", "lib=connect-v1 kind=bidi api=generated open=append"},

	// Found on code written independently of the catalogue.
	{"sibling-cancels-on-success-only", "lib=grpc-go kind=bidi api=generated step=WithCancel path=siblingSuccess"},
	{"defer-field-cancel-in-blocked-task", "lib=grpc-go kind=bidi api=generated step=WithCancel task=methodValue path=deferTask count=two other=fail"},
	{"server-stream-wired-after-blocking-open", "lib=connect-v1 kind=server api=generated open=inTask step=WithCancel derive=task path=afterFunc wire=afterOpen count=two other=fail"},
	{"stream-through-receiver", "lib=grpc-go kind=bidi api=generated open=composite base=group task=methodValue count=two other=fail"},
	{"context-through-task-constructor", "lib=grpc-go kind=bidi api=generated open=inTask base=group step=WithCancel derive=task task=taskCtor count=two other=fail"},
	{"context-through-receiver", "lib=grpc-go kind=bidi api=generated open=inTask base=group task=methodValue count=two other=fail"},
	{"cancel-wired-context-through-receiver", "lib=grpc-go kind=bidi api=generated open=inTask step=WithCancel task=methodValue path=afterFunc count=two other=fail"},
	{"context-in-field-method-task", "lib=grpc-go kind=bidi api=generated open=inTask task=methodValue count=two other=fail"},
}

// Named returns the named shapes, as units numbered from 0 under seed 0.
func Named() (names []string, units []Unit) {
	for i, n := range named {
		d, err := ParseDims(n.dims)
		if err != nil {
			panic("compose: named shape " + n.name + ": " + err.Error())
		}
		names = append(names, n.name)
		units = append(units, FromDims(0, i, d))
	}
	return names, units
}
