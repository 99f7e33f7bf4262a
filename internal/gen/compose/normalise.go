package compose

// single reports whether the library's own opening call has one result
// (connect-go v1 bidi and client streams).
func (d *Dims) single() bool {
	return d[DLib] == libV1 && d[DKind] != kindServer
}

// normalise turns an arbitrary choice into one the generator can write as
// code that builds and vets: a value that cannot apply is replaced by the
// nearest one that can. Each rule is written so that the choices stay
// independent where the code allows it.
//
// The rules are applied until nothing changes, and the values that do not
// apply are set to the first, so that the printed dimensions (which
// leave those out) give the same function back.
func (d *Dims) normalise() {
	for range 10 {
		before := *d
		d.normaliseOnce()
		for x := range numDims {
			if !d.Applies(Dim(x)) {
				d[x] = 0
			}
		}
		if *d == before {
			return
		}
	}
	panic("compose: normalise does not settle on " + d.String())
}

func (d *Dims) normaliseOnce() {
	// The join: a conc ErrorPool or a sync.WaitGroup is made one way and
	// has no context (its group value reads zeroVar).
	if d[DJoin] != joinErrgroup {
		d[DGroup] = groupZeroVar
		if d[DTask] == taskTryGo {
			d[DTask] = taskLiteral
		}
	}

	// Library, kind, API and method.
	switch d[DLib] {
	case libV1:
		if d[DAPI] == apiLegacy {
			d[DAPI] = apiGenerated
		}
	case libV2:
		if d[DAPI] == apiLegacy {
			d[DAPI] = apiGenerated
		}
		if d[DAPI] == apiRaw && d[DKind] == kindClient {
			d[DKind] = kindBidi // a raw v2 ClientStream does not say which it is
		}
	case libGRPC:
		if d[DAPI] == apiRaw || (d[DAPI] == apiLegacy && d[DKind] != kindBidi) {
			d[DAPI] = apiGenerated
		}
	}
	switch d[DKind] {
	case kindBidi:
		if d[DMethod] == methodCloseAndReceive {
			d[DMethod] = methodReceive
		}
	case kindServer:
		d[DMethod] = methodReceive
	case kindClient:
		if d[DMethod] == methodReceive {
			d[DMethod] = methodCloseAndReceive
		}
	}

	// Where the stream is opened.
	if d[DOpen] == openCtor {
		d[DHelper] = 1
	}
	if exprOpen(d[DOpen]) && !d.single() {
		d[DHelper] = 1 // a helper turns (stream, error) into one value
	}
	if d[DOpen] == openExprArg && d[DBlock] != blockGoroutine {
		d[DBlock] = blockHelper // the argument is the helper's
	}
	if d[DOpen] == openExprMethod && (d[DBlock] == blockHelper || d[DBlock] == blockHelper2) {
		d[DBlock] = blockBody // no stream variable to pass
	}

	// The stream's context.
	zero := zeroGroup(d[DGroup])
	if zero || d[DGroup] == groupDiscard {
		if d[DBase] == baseGroup {
			d[DBase] = baseCaller
		}
	}
	if d[DWrap] == wrapNone || d[DStep] == stepNone || d[DDerive] == deriveTask {
		d[DWrapOuter] = 0
	}
	if d[DWrap] == wrapNone {
		d[DInline] = 0
	}
	if d[DStep] == stepNone || !inTaskOpen(d[DOpen]) || d[DOpen] == openExprArg || d[DOpen] == openExprMethod {
		d[DDerive] = deriveFunction
	}
	if d[DBase] == baseGroup {
		d[DOrder] = orderGroupFirst
	}
	if inTaskOpen(d[DOpen]) {
		d[DOrder] = orderGroupFirst // the stream is opened in the task, after both
	}

	// The group.
	if d[DParent] == parentStreamCtx && (d[DStep] == stepNone || d[DBase] == baseGroup || d[DDerive] == deriveTask) {
		d[DParent] = parentCaller
	}
	if zero {
		d[DParent] = 0
	}
	if d[DGroup] == groupCtor {
		d[DLimit] = 0 // the constructor sets it
	}
	if d[DTask] == taskTryGo && d[DLimit] == 0 {
		d[DLimit] = 1 // TryGo is used with a limit
	}

	// The tasks.
	if d[DOpen] == openLoopTasks || d[DOpen] == openAppend {
		d[DCount] = countPerIteration
	}
	if d[DOpen] == openLoopTasks {
		d[DOrder] = orderGroupFirst // opened where the tasks start
	}
	if d[DCount] != countTwo {
		d[DOther] = 0
	}
	if d[DOther] == otherSender && (inTaskOpen(d[DOpen]) || d[DOpen] == openChan || d[DOpen] == openLoopTasks ||
		d[DOpen] == openAppend || d[DKind] == kindServer) {
		d[DOther] = otherWork
	}

	// The cancellation path.
	noGctx := zero || d[DGroup] == groupDiscard
	switch d[DPath] {
	case pathAfterFunc, pathCloseOnly, pathWatcher, pathWatcherTask, pathMethod, pathCloseSend:
		if noGctx {
			d[DPath] = pathSiblingAll
		}
	}
	if d[DDerive] == deriveTask {
		switch d[DPath] {
		case pathNone, pathAfterFunc, pathWatcher, pathCloseOnly, pathCloseSend:
		default:
			d[DPath] = pathNone // the cancel func is the task's own
		}
	}
	connectBidi := d[DLib] != libGRPC && d[DKind] == kindBidi
	noStreamVar := d[DOpen] == openExprMethod || d[DOpen] == openExprArg || d[DOpen] == openChan
	if d[DPath] == pathCloseOnly && (!connectBidi || noStreamVar) {
		d[DPath] = pathCloseSend
	}
	if d[DPath] == pathCloseSend && ((d[DLib] != libGRPC && d[DKind] != kindBidi) || noStreamVar) {
		d[DPath] = pathAfterFunc
		if noGctx {
			d[DPath] = pathSiblingAll
		}
	}
	if needsCancel(d[DPath]) && (d[DStep] == stepNone || d[DStep] == stepWithoutCancel) {
		d[DStep] = stepWithCancel
		if d[DParent] == parentStreamCtx && d[DBase] == baseGroup {
			d[DParent] = parentCaller
		}
	}
	if d[DPath] == pathDeferTask && d[DTask] == taskTryGo {
		d[DTask] = taskLiteral
	}
	if d[DPath] == pathNone || d[DPath] == pathCloseOnly || d[DPath] == pathCloseSend || d[DPath] == pathDeferTask || d[DPath] == pathSiblingSuccess {
		d[DClose] = 0
	}
	if d[DClose] == 1 && (!connectBidi || noStreamVar ||
		((d[DPath] == pathSiblingAll || d[DPath] == pathWatcherTask) && (inTaskOpen(d[DOpen]) || d[DOpen] == openLoopTasks || d[DOpen] == openAppend))) {
		d[DClose] = 0
	}
	if d[DDerive] != deriveTask || d[DPath] == pathNone {
		d[DWire] = 0
	}
	if d[DDerive] == deriveTask && (d[DClose] == 1 || d[DPath] == pathCloseOnly || d[DPath] == pathCloseSend) {
		d[DWire] = wireAfterOpen // the close needs the stream
	}
}

// needsCancel reports whether path p calls the stream context's cancel
// func.
func needsCancel(p int) bool {
	switch p {
	case pathDeferTask, pathAfterFunc, pathWatcher, pathWatcherTask, pathMethod, pathSiblingAll, pathSiblingSuccess:
		return true
	}
	return false
}
