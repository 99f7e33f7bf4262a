// Package clients holds, one package per (library, shape), chat clients
// written the way users write them: an errgroup.WithContext (or zero)
// group with one task looping on the stream's Receive/Recv and another
// task that fails once the stream is open. Every package exports
//
//	func Run(ctx context.Context, client <library client>, next func(context.Context) (string, error)) error
//
// where next yields the lines to send (or the work to do) and its first
// error is the task failure; Run returns g.Wait(). Each package has the bug
// bidictxlint reports, so Run hangs after the failure; its fixed
// subpackage is the same client fixed by hand as SPEC section 5 says the
// tool fixes it.
//
// The shapes (SPEC section 5), by directory name:
//
//	cancelfunc   the stream's context has a cancel func in scope
//	nocancel     no cancel func; the group is created after the stream
//	reassigned   g, ctx := errgroup.WithContext(ctx) after opening with ctx
//	discarded    the group's context is discarded: g, _ := ...
//	zerogroup    var g errgroup.Group
//	streamparam  connect-go v2 stream received as a parameter
//
// The directories are self-contained so that a tool can be run on them and
// they can be copied.
package clients
